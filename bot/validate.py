"""Field validators for the questionnaire and answers files. Each returns the cleaned value or
raises ValueError with a message a school contact understands (Chinese, with the English after)."""
from __future__ import annotations

import re
import unicodedata

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LEVEL_SEPARATORS = re.compile(r"[、,，;；/\s]+")
ZH_LEVELS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
# level names (国家职业资格 words), longest first so 高级技师 is read before 技师 and 高级工 (try28:
# "中级工、高级工" was read character by character: "级别 '中' 不是1到5的数字")
LEVEL_NAMES = [("高级技师", 1), ("预备技师", 2), ("技师", 2), ("高级工", 3), ("中级工", 4), ("初级工", 5),
               ("高级", 3), ("中级", 4), ("初级", 5)]


def _fold(value: str) -> str:
    """For reading codes, numbers and yes/no only (１２３ → 123); never for text kept for the documents."""
    value = value.strip()
    check_chars(value)
    return unicodedata.normalize("NFKC", value).strip()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def credit_code(value: str) -> str:
    code = _fold(str(value)).upper().replace(" ", "")
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码应为18位，现在是{len(code)}位 (the unified social credit code has 18 characters)")
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        raise ValueError(f"统一社会信用代码含有不允许的字符 {''.join(bad)}（不用 I、O、S、V、Z）"
                         f" (characters not allowed in the code: {''.join(bad)})")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(f"统一社会信用代码校验位不对：最后一位应为 {expected}，请核对 "
                         f"(check digit wrong: the last character should be {expected})")
    return code


PHONE_SEPARATOR = re.compile(r"(\s*[/、,，;；]\s*)")


def phone(value: str) -> str:
    """One number, or two separated by / 、 , or ；(try30: offices give a landline and a mobile): each
    checked and written as one number is, the separator kept as typed."""
    parts = PHONE_SEPARATOR.split(str(value).strip())
    if len(parts) == 3:
        return _one_phone(parts[0]) + parts[1] + _one_phone(parts[2])
    if len(parts) > 3 or not parts[0].strip():
        _one_phone("")  # raises the message
    return _one_phone(parts[0])


def _one_phone(value: str) -> str:
    raw = _fold(str(value))
    digits = re.sub(r"[\s\-—－()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    m = re.fullmatch(r"(0\d{2,3})(\d{7,8})(\d{0,6})", digits)
    if m and re.fullmatch(r"0\d{2,3}\s*[-—－]?\s*\d{7,8}(\s*[-—－转]\s*\d{1,6})?", raw.replace("转", "-")):
        area, number = m.group(1), m.group(2)
        return f"{area}-{number}" + (f"-{m.group(3)}" if m.group(3) else "")
    raise ValueError("电话应为带区号的座机（如 0531-86914920）或11位手机号；两个号码用“/”或“、”隔开 "
                     "(not a phone number: give a landline with area code such as 0531-86914920, or an 11-digit mobile "
                     "number; two numbers separated by /)")


def email(value: str) -> str:
    v = _fold(str(value))
    if not re.fullmatch(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", v) or len(v) > 254:
        raise ValueError("电子邮箱格式不对，如 office@school.edu.cn (not a valid e-mail address)")
    return v


def occupation_code(value: str) -> str:
    v = _fold(str(value)).replace("—", "-").replace("－", "-").replace(" ", "")
    if re.fullmatch(r"\d{7}", v):  # 6310103 → 6-31-01-03
        v = f"{v[0]}-{v[1:3]}-{v[3:5]}-{v[5:7]}"
    if not re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", v):
        raise ValueError("职业编码按《职业分类大典》格式填写，如 6-31-01-03 "
                         "(write the occupation code in the classification's form, e.g. 6-31-01-03)")
    return v


def levels(value) -> list[int]:
    """Levels 1–5 from a list or from text like 5、4、3 / 5,4,3 / 五级、四级; highest number first."""
    if isinstance(value, bool):
        raise ValueError("级别应为1到5的数字，如 5、4、3 (levels are numbers 1 to 5, e.g. 5、4、3)")
    if isinstance(value, int):
        items = [value]
    elif isinstance(value, str):
        text = _fold(value)
        # try29: "levels 4, 3 and 2" (English words around the numbers)
        text = re.sub(r"(?i)\blevels?\b|\band\b|&", " ", text)
        for name, n in LEVEL_NAMES:
            text = text.replace(name, f" {n} ")
        text = text.replace("级", " ")
        for zh, n in ZH_LEVELS.items():
            text = text.replace(zh, str(n))
        items = [p for p in LEVEL_SEPARATORS.split(text) if p]
        if len(items) == 1 and re.fullmatch(r"[1-5]{2,5}", items[0]):
            items = list(items[0])
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError("级别应为1到5的数字，如 5、4、3 (levels are numbers 1 to 5, e.g. 5、4、3)")
    out = []
    twice = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise ValueError(f"级别 {item!r} 不是1到5的数字 (level {item!r} is not a number from 1 to 5)")
        try:
            n = int(str(item).strip())
        except ValueError:
            raise ValueError(f"级别 {item!r} 不是1到5的数字 (level {item!r} is not a number from 1 to 5)") from None
        if not 1 <= n <= 5:
            raise ValueError(f"级别 {n} 不存在：职业技能等级只有1到5级 (level {n} does not exist: levels are 1 to 5)")
        if n not in out:
            out.append(n)
        elif isinstance(value, str) and n not in twice:
            twice.append(n)
    if twice:  # try28: "5、4、3、3" was silently read as 5、4、3
        dup = "、".join(map(str, twice))
        raise ValueError(f"级别 {dup} 写了不止一次，请每个级别只写一次，如 5、4、3 "
                         f"(level {dup} given more than once; give each level once, e.g. 5、4、3)")
    if not out:
        raise ValueError("至少填一个级别，如 5、4、3 (give at least one level, e.g. 5、4、3)")
    return sorted(out, reverse=True)


def levels_text(values: list[int]) -> str:
    """附件3 note 5: Arabic numerals separated by 、."""
    return "、".join(str(n) for n in values)


def count(value) -> int:
    if isinstance(value, bool):
        raise ValueError("人数应为整数 (a whole number)")
    if isinstance(value, int):
        n = value
    else:
        v = _fold(str(value)).rstrip("人").strip()
        if re.fullmatch(r"\d{1,3}(?:[,，]\d{3})+", v):  # try29: "1,200" (thousands separators)
            v = re.sub(r"[,，]", "", v)
        if not re.fullmatch(r"\d{1,7}", v):
            raise ValueError("人数应为不小于0的整数，如 120 (a whole number such as 120)")
        n = int(v)
    if n < 0 or n > 10_000_000:
        raise ValueError("人数应为不小于0的整数，如 120 (a whole number such as 120)")
    return n


LINE_BREAKS = re.compile(r"[\n\r\t\v\f\x85\u2028\u2029]")
ZWJ = "\u200d"


def _emoji_part(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Mn") or 0x1F3FB <= ord(ch) <= 0x1F3FF


def check_chars(value: str, multiline: bool = False) -> None:
    """Refuse what would break or falsify a document: lone surrogates, control characters, line breaks
    in a one-line field, and invisible format characters (Unicode Cf: U+202E turns text around, U+200B
    hides). A zero-width joiner between two emoji parts (👩‍💻) is kept."""
    for i, ch in enumerate(value):
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            raise ValueError(f"含有无效字符 U+{cp:04X}（孤立的代理项，文件的编码有误）"
                             f" (contains an invalid character U+{cp:04X}: a lone surrogate)")
        if LINE_BREAKS.match(ch):
            if multiline and ch in "\n\t":
                continue
            raise ValueError("应为一行文字，不能含换行或制表符 (must be one line: no line breaks or tabs)")
        cat = unicodedata.category(ch)
        if cat == "Cc":
            raise ValueError(f"含有控制字符 U+{cp:04X}，请删除后重新填写 (contains the control character U+{cp:04X})")
        if cat == "Cf":
            if ch == ZWJ and 0 < i < len(value) - 1 and _emoji_part(value[i - 1]) and _emoji_part(value[i + 1]):
                continue
            raise ValueError(f"含有看不见的格式或方向字符 U+{cp:04X}（多为复制时带入），请删除后重新填写"
                             f" (contains the invisible format or direction character U+{cp:04X}; please remove it)")


def text(value, max_len: int = 200, multiline: bool = False) -> str:
    """What the user typed, kept as typed (no width folding: （），；１２３ stay so), trimmed at both ends."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError("应为文字 (should be text)")
    v = str(value)
    if multiline:
        v = v.replace("\r\n", "\n")
    v = v.strip()
    check_chars(v, multiline)
    if len(v) > max_len:
        raise ValueError(f"太长了，最多{max_len}字 (too long: at most {max_len} characters)")
    return v


def long_text(value) -> str:
    """附件1 items 三 to 五: several lines allowed."""
    return text(value, 4000, multiline=True)


# try28: colloquial replies at a yes/no prompt (办了, 都办了, 要, 不要, 没办)
YES_WORDS = {"是", "有", "对", "y", "yes", "true", "1", "是的", "有的", "已", "已经", "开办", "对的", "嗯", "yep", "ok",
             "办了", "都办了", "已办", "已办了", "开了", "都开了", "有了", "都有", "都有了", "要", "需要", "要的", "好",
             "好的", "取得了", "已取得", "具备", "已具备", "开办了", "当然", "yeah", "sure"}
NO_WORDS = {"否", "没有", "无", "不", "不是", "n", "no", "false", "0", "没", "未", "还没有", "nope", "没开",
            "没办", "没办过", "没开办", "都没有", "都没", "不要", "不需要", "不用", "没取得", "未取得", "不具备",
            "还没", "还没办", "没有的", "没开过", "不开", "没呢", "还没呢"}


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    v = _fold(str(value)).lower().rstrip("。.!！")
    if v in YES_WORDS:
        return True
    if v in NO_WORDS:
        return False
    raise ValueError("请回答“是”或“否” (answer yes or no)")
