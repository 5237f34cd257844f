"""Intent matching: which topic a question is about, and how sure we are.

Signals, per phrasing, combined into one score in 0..1 and kept per intent as the maximum:
- cosine of TF-IDF vectors over jieba tokens and character bigrams (an inverted index);
- rapidfuzz `token_set_ratio` over sorted tokens (word order and extra words);
- rapidfuzz `ratio` over the normalised strings (typos that change segmentation).
Pure computation over the knowledge base: no I/O.
"""
from __future__ import annotations

import math
import operator
import re
from collections import defaultdict
from itertools import chain
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .kb import KnowledgeBase
from .text import normalize_en, normalize_zh

W_COS, W_SET, W_RATIO = 0.6, 0.25, 0.15
BIGRAM_WEIGHT = 0.5
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SPACES = re.compile(r"\s+")
_SCORE = operator.itemgetter(1)  # (a (name, score) pair's score)


@dataclass
class Match:
    intent: str | None
    score: float
    ranking: list[tuple[str, float]]  # (intent, score), best first, one entry per intent
    norm: str
    tokens: list[str]


def features(tokens: list[str], norm: str, lang: str) -> dict[str, float]:
    feats: dict[str, float] = {}
    for t in tokens:
        feats["w:" + t] = 1.0
    if lang == "zh":
        for run in _CJK_RUN.findall(norm):
            for i in range(len(run) - 1):
                feats.setdefault("b:" + run[i:i + 2], BIGRAM_WEIGHT)
    return feats


class Matcher:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.by_lang: dict[str, dict] = {}
        self._memo: dict[tuple[str, str], Match] = {}
        for lang in ("zh", "en"):
            rows = [p for p in kb.phrasings if p["lang"] == lang]
            feats = [features(p["tokens"], p["norm"], lang) for p in rows]
            # IDF over intents: a feature seen in many topics says little
            df: dict[str, set] = defaultdict(set)
            for p, f in zip(rows, feats):
                for k in f:
                    df[k].add(p["intent"])
            n = len({p["intent"] for p in rows}) or 1
            idf = {k: math.log(1 + n / len(v)) for k, v in df.items()}
            # a feature's weight is the same in a question as in a phrasing (`features`: a word 1, a bigram BIGRAM_WEIGHT;
            # times its IDF), so each posting's share of the dot product is that weight squared: computed once, here
            postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
            norms = []
            for i, f in enumerate(feats):
                vec = {k: w * idf[k] for k, w in f.items()}
                norms.append(math.sqrt(sum(v * v for v in vec.values())) or 1.0)
                for k, v in vec.items():
                    postings[k].append((i, v * v))
            # (session 18: kept as two tuples a feature, the phrasings and their shares: see `_match`)
            contrib = {k: (tuple(i for i, _ in ps), tuple(c for _, c in ps)) for k, ps in postings.items()}
            self.by_lang[lang] = {
                "rows": rows,
                "intents": [p["intent"] for p in rows],
                "idf": idf,
                "contrib": contrib,
                "norms": norms,
                "sorted_tokens": [" ".join(sorted(p["tokens"])) for p in rows],
                "strings": [re.sub(r"\s+", "", p["norm"]) if lang == "zh" else p["norm"] for p in rows],
                "vocab": sorted({t for p in rows for t in p["tokens"]}),
            }

    def analyse(self, text: str, lang: str) -> tuple[str, list[str]]:
        lex = self.kb.lexicon
        if lang == "zh":
            norm = normalize_zh(text, lex)
            return norm, self.kb.tokens.zh(norm)
        norm = normalize_en(text, lex)
        toks = self.kb.tokens.en(norm)
        idx = self.by_lang["en"]
        fixed = []
        for t in toks:  # English typos: snap an unknown word to a close known one
            if len(t) >= 5 and ("w:" + t) not in idx["idf"]:
                best = process.extractOne(t, idx["vocab"], scorer=fuzz.ratio, score_cutoff=84)
                # a typo changes letters, it does not drop a prefix: "exchange" is not "change"
                # and a short word's typo keeps its length: "levle" is "level", "world" is not "word"
                ok = best and not (best[0] in t and len(t) - len(best[0]) >= 2) \
                    and (len(t) >= 7 or len(best[0]) == len(t) or (t.startswith(best[0]) and t[len(best[0]):].isdigit()))
                fixed.append(best[0] if ok else t)
            else:
                fixed.append(t)
        return norm, fixed

    def match(self, text: str, lang: str) -> Match:
        """The best intents for a question. Memoised per matcher (the engine asks again about the same
        text when it declines or splits a question); a new KB builds a new matcher."""
        key = (text, lang)
        hit = self._memo.get(key)
        if hit is None:
            if len(self._memo) >= 512:
                self._memo.clear()
            hit = self._memo[key] = self._match(text, lang)
        return hit

    def _match(self, text: str, lang: str) -> Match:
        norm, toks = self.analyse(text, lang)
        idx = self.by_lang[lang]
        qf = features(toks, norm, lang)
        idf = idx["idf"]
        qvec = {k: w * idf.get(k, 0.0) for k, w in qf.items()}
        qnorm = math.sqrt(sum(v * v for v in qvec.values()))
        if not qvec or qnorm == 0:
            return Match(None, 0.0, [], norm, toks)
        dots = [0.0] * len(idx["rows"])  # (a list indexed by phrasing: faster than a dict; shares are > 0)
        contrib = idx["contrib"]
        met = [contrib[k] for k in qvec if k in contrib]
        # the phrasings met, in the order first met (ties keep it, as a dict's order did), listed in C (session 18)
        touched = list(dict.fromkeys(chain.from_iterable([ids for ids, _ in met])))
        for ids, shares in met:
            for i, c in zip(ids, shares):
                dots[i] += c  # (0.0 + c is c: the same sums, in the same order, as before)
        if not touched:
            return Match(None, 0.0, [], norm, toks)
        # fuzzy scores only for the candidates the index found
        cand = sorted(touched, key=dots.__getitem__, reverse=True)[:30]
        qs_sorted = " ".join(sorted(toks))
        qs = "".join(norm.split()) if lang == "zh" else norm  # (= _SPACES.sub("", norm): str.split's blanks are \s's)
        norms, intents, sorted_tokens, strings = idx["norms"], idx["intents"], idx["sorted_tokens"], idx["strings"]
        per_intent: dict[str, float] = {}
        for i in cand:
            name = intents[i]
            best = per_intent.get(name, 0.0)
            cos = W_COS * dots[i] / (qnorm * norms[i])
            # session 18: a phrasing that cannot beat its topic's best so far is not scored (a third of them): each
            # fuzzy score is at most 1.0, and adding a smaller number never gives a larger float, so the score with
            # 1.0 in the place of a fuzzy score not yet reckoned is at least the real one (which then changes nothing)
            if cos + W_SET * 1.0 + W_RATIO * 1.0 <= best:
                continue
            ratio = fuzz.ratio(qs, strings[i]) / 100.0  # (the cheaper one first: it rules out a tenth more)
            if cos + W_SET * 1.0 + W_RATIO * ratio <= best:
                continue
            s = cos + W_SET * (fuzz.token_set_ratio(qs_sorted, sorted_tokens[i]) / 100.0) + W_RATIO * ratio
            if s > best:
                per_intent[name] = s
        ranking = sorted(per_intent.items(), key=_SCORE, reverse=True)
        best, score = ranking[0]
        return Match(best, score, ranking, norm, toks)
