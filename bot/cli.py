"""The `skillcert` command line (SPEC.md: Command line). Exit 0 success, 2 bad input, 1 otherwise."""
from __future__ import annotations

import argparse
import json
import sys
import warnings

from .text import scrub

warnings.filterwarnings("ignore", message="pkg_resources is deprecated")


class BadInput(Exception):
    """The user's input is wrong: exit 2 with this message, nothing written."""


def _app(args):
    from .app import App

    return App.from_config(getattr(args, "config", None))


def cmd_ask(args) -> int:
    app = _app(args)
    if args.jsonl:
        return ask_jsonl(app, sys.stdin, sys.stdout)
    question = " ".join(args.question)
    if scrub(question) != question:  # argv bytes that are not UTF-8 arrive as lone surrogates
        raise BadInput("question: not valid UTF-8; type it again in UTF-8")
    from .text import clean

    if not clean(question):  # whitespace and invisible characters (zero-width spaces …) alike
        raise BadInput("question: empty; usage: skillcert ask \"问题\"")
    profile = load_answers(args.profile, partial=True) if args.profile else None
    ans = app.ask("cli", question, profile=profile, remember=False)
    if args.json:
        print(json.dumps(ans.to_json(), ensure_ascii=False))
    else:
        print(ans.text)
    return 0


MAX_LINE_BYTES = 1 << 20  # a batch line longer than this (1 MB) gets an error line, unread


def read_lines(stream, limit: int = MAX_LINE_BYTES):
    """Lines of a binary stream as (bytes or None if over `limit`), never holding more than
    `limit` bytes of one line in memory."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the line, bounded chunks
                line = stream.readline(limit)
            yield None
            continue
        yield line


def _strict_id(value):
    """The id as it can be echoed in strict JSON, or ValueError."""
    if isinstance(value, str):
        return scrub(value)
    json.dumps(value, allow_nan=False)  # NaN, Infinity (also nested) raise ValueError
    return value


def ask_jsonl(app, stdin, stdout) -> int:
    """One JSON object per line in, one per line out, in order; a bad line gets an error line
    {"id": …, "error": "line N: …"} and never stops the batch. Reads bytes (any encoding damage
    is one line's error), writes strict JSON in UTF-8."""
    from .answers import AnswersError, validate_answers

    src = getattr(stdin, "buffer", stdin)
    dst = getattr(stdout, "buffer", None)
    sessions: dict[str, dict] = {}
    for lineno, raw in enumerate(read_lines(src), 1):
        qid = None
        if lineno == 2:  # a batch, not one question: compile everything once rather than question by question
            app.engine.warm()
        try:
            if raw is None:
                raise ValueError(f"line too long (over {MAX_LINE_BYTES} bytes)")
            try:
                line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            except UnicodeDecodeError as e:
                raise ValueError(f"not valid UTF-8 (byte {e.start + 1})") from None
            if not line.strip():
                raise ValueError("empty line")
            try:
                item = json.loads(line)
            except RecursionError:
                raise ValueError("JSON nested too deeply") from None
            if not isinstance(item, dict):
                raise ValueError("not a JSON object")
            try:
                qid = _strict_id(item.get("id"))
            except (ValueError, TypeError):
                raise ValueError("`id` must be a string or a finite number") from None
            question = item.get("question")
            if not isinstance(question, str):
                raise ValueError("`question` must be a string")
            question = scrub(question)
            profile = item.get("profile") or {}
            if not isinstance(profile, dict):
                raise ValueError("`profile` must be an object")
            profile = validate_answers(profile, partial=True)
            session = item.get("session")
            key = scrub(str(session)) if session is not None else None
            state = sessions.get(key, {}) if key is not None else {}
            ans = app.engine.answer(question, state=state, profile=profile, qid=qid)
            if key is not None:
                sessions[key] = ans.state
            out = ans.to_json()
        except (ValueError, AnswersError, RecursionError) as e:  # json.JSONDecodeError is a ValueError
            out = {"id": qid, "error": scrub(f"line {lineno}: {e}")}
        try:
            data = json.dumps(out, ensure_ascii=False, allow_nan=False)
        except ValueError as e:
            data = json.dumps({"id": None, "error": f"line {lineno}: {e}"})
        if dst is not None:
            dst.write(data.encode("utf-8") + b"\n")
            dst.flush()
        else:
            stdout.write(data + "\n")
            stdout.flush()
    return 0


def load_answers(path: str, partial: bool = False) -> dict:
    from .answers import AnswersError, read_answers_file

    try:
        return read_answers_file(path, partial=partial)
    except AnswersError as e:
        raise BadInput(str(e)) from None


def cmd_check(args) -> int:
    from .eligibility import check

    answers = load_answers(args.answers)
    app = _app(args)
    result = check(answers, app.kb)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        from .eligibility import check_text

        print(check_text(result, app.kb, "zh"))
    return 0


def cmd_checklist(args) -> int:
    from pathlib import Path

    from .documents import output_names, write_documents

    if not args.out.strip():
        raise BadInput("--out: empty; give the folder to write into, e.g. --out out/")
    answers = load_answers(args.answers)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise BadInput(f"--out: {out} exists and is not a folder")
    app = _app(args)
    ours = output_names(app.kb)
    present = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if present and not args.force:
        raise BadInput(f"--out: {out} is not empty ({', '.join(present[:5])}{' …' if len(present) > 5 else ''}); "
                       "use a new folder, or --force to replace this command's earlier files")
    earlier = [name for name in present if name in ours] if args.force else []
    files = write_documents(answers, app.kb, out, replace=ours if args.force else None)
    new = {f.name for f in files}
    for name in earlier:
        what = "replaced" if name in new else "removed (not part of this run)"
        print(f"skillcert: {what}: {out / name}", file=sys.stderr)
    for f in files:
        print(f)
    return 0


def cmd_kb(args) -> int:
    from .app import App
    from .config import load_config
    from .kb import build

    cfg = load_config(getattr(args, "config", None))
    if args.kb_command == "build":
        from .kb import fact_mismatches, read_sources

        src = read_sources(cfg.root)  # (read once, for the build and for the facts' check)
        counts = build(cfg.root, cfg.knowledge_db, src)  # (validates first; leaves the clauses and facts as read)
        for warning in fact_mismatches(src):  # built anyway: a warning, not an error
            print("warning: " + warning, file=sys.stderr)
        print(f"built {cfg.knowledge_db}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return 0
    if args.kb_command == "misses":
        app = App.from_config(getattr(args, "config", None))
        from .misses import group_misses

        groups = group_misses(app.store.misses(args.limit))
        if not groups:
            print("no unanswered questions logged")
        for g in groups:
            guess = g["best_guess"] or "-"
            print(f"{g['count']:>4} × {g['text']}   (best guess: {guess}, score {g['score']:.2f})")
            for other in g["others"][:5]:
                print(f"       · {other}")
        return 0
    return 1


def cmd_chat(args) -> int:
    from .channels.terminal import run_chat

    app = _app(args)
    app.engine.warm()  # a conversation, not one question: its first answers come as fast as the later ones
    return run_chat(app, sys.stdin, sys.stdout, resume=getattr(args, "resume", False))


def cmd_telegram(args) -> int:
    from .channels.telegram import run

    return run(getattr(args, "config", None))


def cmd_web(args) -> int:
    from .channels.web.app import run

    return run(getattr(args, "config", None), host=args.host, port=args.port, workers=args.workers)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="skillcert", description="职业技能等级认定 policy assistant for Shandong technical schools")
    p.add_argument("--config", help="path of config.toml (default: the project's)")
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("chat", help="chat in the terminal (default)")
    c.add_argument("--resume", action="store_true", help="continue the last chat (its questionnaire) instead of a new one")
    c.set_defaults(func=cmd_chat)
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question", nargs="*")
    a.add_argument("--json", action="store_true", help="print the JSON object")
    a.add_argument("--jsonl", action="store_true", help="batch: JSON lines on stdin, one JSON line out each")
    a.add_argument("--profile", help="questionnaire answers (JSON or TOML) to personalise the answer")
    a.set_defaults(func=cmd_ask)
    k = sub.add_parser("check", help="eligibility verdict for a filled questionnaire")
    k.add_argument("--answers", required=True)
    k.add_argument("--json", action="store_true")
    k.set_defaults(func=cmd_check)
    cl = sub.add_parser("checklist", help="write the pre-filled application documents")
    cl.add_argument("--answers", required=True)
    cl.add_argument("--out", required=True)
    cl.add_argument("--force", action="store_true",
                    help="write into a non-empty folder, replacing checklist.md and the 附件 files of an earlier run")
    cl.set_defaults(func=cmd_checklist)
    kb = sub.add_parser("kb", help="knowledge base")
    kbs = kb.add_subparsers(dest="kb_command", required=True)
    kbs.add_parser("build", help="(re)build the SQLite knowledge base from knowledge/ and intents/")
    m = kbs.add_parser("misses", help="unanswered and low-confidence questions, grouped")
    m.add_argument("--limit", type=int, default=500)
    kb.set_defaults(func=cmd_kb)
    t = sub.add_parser("telegram", help="run the Telegram bot (token in TELEGRAM_BOT_TOKEN)")
    t.set_defaults(func=cmd_telegram)
    w = sub.add_parser("web", help="serve the web chat page and the maintainers' console")
    w.add_argument("--host", help="address to listen on (default from config.toml [web], 127.0.0.1)")
    w.add_argument("--port", type=int, help="port (default 8000; 0 picks a free one, printed on stderr)")
    w.add_argument("--workers", type=int, help="worker processes sharing the state database (default 1)")
    w.set_defaults(func=cmd_web)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "func", None):
        args.func = cmd_chat
    try:
        return args.func(args)
    except BadInput as e:
        print(f"skillcert: {e}".encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # the last guard: one line, never a traceback for the user
        from .kb import KBError

        import sqlite3

        if isinstance(e, KBError):
            print(f"skillcert: knowledge base: {e}", file=sys.stderr)
        elif isinstance(e, sqlite3.Error):  # the state database: its file and the cause in plain words
            from .config import load_config
            from .store import describe_error

            db = load_config(getattr(args, "config", None)).state_db
            print(f"skillcert: state database {db}: {describe_error(e, db)}", file=sys.stderr)
        else:
            print(f"skillcert: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
