"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

It speaks what python-telegram-bot uses: POST {base}{token}/{method} with url-encoded or
multipart bodies (JSON-encoded values for non-strings), answers {"ok": true, "result": …},
holds getUpdates open until an update arrives or `timeout` passes, and records every call.
Tests push updates (`send_text`, `press`) and read what the bot sent (`calls`, `messages_to`).

Fault injection: `fail(method, status, times, retry_after)` answers the next calls of a method
with an error (500, 429 with `parameters.retry_after` …); `outage()` / `recover()` make every new
request fail with 502 while a getUpdates already open stays open and still delivers updates
(an outage during a long poll); `redeliver(update_id)` sends an update again whatever the offset
(as Telegram does when a bot restarts before confirming it). Failed calls are in `failed`.
"""
from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT = {"id": 7000001, "is_bot": True, "first_name": "SkillCert", "username": "skillcert_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


def _decode(value: str):
    try:
        return json.loads(value)
    except (ValueError, TypeError):
        return value


class FakeBotAPI:
    def __init__(self, token: str = "123456:TEST-token-abcdefghijklmnopqrstuv", max_poll: float = 1.0):
        self.token = token
        self.max_poll = max_poll
        self.updates: list[dict] = []
        self.calls: list[tuple[str, dict, float]] = []
        self.cond = threading.Condition()
        self.ids = itertools.count(1)
        self.msg_ids = itertools.count(1000)
        self.fail_methods: dict[str, int] = {}  # method → HTTP status to answer with (once)
        self.files: dict[str, bytes] = {}  # file_path → content, for getFile and downloads
        self.faults: dict[str, list[tuple[int, int | None]]] = {}  # method → queue of (status, retry_after)
        self.down = False  # an outage: every new request fails with 502
        self.failed: list[tuple[str, dict, int]] = []  # (method, params, status) of the calls answered with an error
        self.results: list[tuple[str, dict, object]] = []  # (method, params, result) of the calls answered
        self.again: list[dict] = []  # updates to deliver once more, whatever the offset
        self.delivered: dict[int, dict] = {}
        self.owner_of: dict[tuple[int, int], int] = {}  # (chat, message id) → the user who wrote it
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in two writes: without this, 40 ms stalls

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # file downloads: {base_file_url}{token}/{file_path}
                prefix = f"/file/bot{server.token}/"
                path = urllib.parse.unquote(self.path)
                data = server.files.get(path[len(prefix):]) if path.startswith(prefix) else None
                if data is None:
                    return self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path
                prefix = f"/bot{server.token}/"
                if not path.startswith(prefix):
                    return self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                method = path[len(prefix):]
                params = server.parse(self.headers.get("Content-Type", ""), body)
                status = server.fail_methods.pop(method, None)
                if status:
                    server.failed.append((method, params, status))
                    return self._send(status, {"ok": False, "error_code": status, "description": "Bad Request: test"})
                if server.down:
                    server.failed.append((method, params, 502))
                    return self._send(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
                queue = server.faults.get(method)
                if queue:
                    status, retry_after = queue.pop(0)
                    server.failed.append((method, params, status))
                    body = {"ok": False, "error_code": status,
                            "description": "Too Many Requests: retry later" if status == 429 else "Internal Server Error"}
                    if retry_after is not None:
                        body["parameters"] = {"retry_after": retry_after}
                    return self._send(status, body)
                result = server.handle(method, params)
                server.results.append((method, params, result))
                self._send(200, {"ok": True, "result": result})

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on a held getUpdates (shutdown): nothing to answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # ------------------------------------------------------------ server side

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/bot"

    def start(self) -> "FakeBotAPI":
        self.thread.start()
        return self

    def stop(self) -> None:
        with self.cond:
            self.cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def parse(content_type: str, body: bytes) -> dict:
        if content_type.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
            out = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True)
                if filename is not None:
                    out[name] = {"filename": filename, "content": payload}
                else:
                    out[name] = _decode(payload.decode("utf-8"))
            return out
        if content_type.startswith("application/json"):
            return json.loads(body or b"{}")
        return {k: _decode(v[0]) for k, v in urllib.parse.parse_qs(body.decode("utf-8")).items()}

    def handle(self, method: str, params: dict):
        self.calls.append((method, params, time.monotonic()))
        chat = {"id": int(params.get("chat_id", 0) or 0), "type": "private"}
        if method == "getMe":
            return BOT
        if method in ("setMyCommands", "deleteWebhook", "answerCallbackQuery", "setWebhook", "close", "logOut"):
            return True
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            timeout = min(float(params.get("timeout") or 0), self.max_poll)
            deadline = time.monotonic() + timeout
            with self.cond:
                while True:
                    ready = [u for u in self.updates if u["update_id"] >= offset]
                    if self.again:
                        again, self.again = self.again, []
                        self.updates = ready
                        return again + ready[:100]
                    if ready or time.monotonic() >= deadline:
                        self.updates = ready
                        for u in ready[:100]:
                            self.delivered[u["update_id"]] = u
                        return ready[:100]
                    self.cond.wait(max(0.0, deadline - time.monotonic()))
        if method in ("sendMessage", "editMessageText"):
            return {"message_id": int(params.get("message_id") or next(self.msg_ids)), "date": int(time.time()),
                    "chat": chat, "from": BOT, "text": params.get("text", "")}
        if method == "sendDocument":
            doc = params.get("document") or {}
            return {"message_id": next(self.msg_ids), "date": int(time.time()), "chat": chat, "from": BOT,
                    "document": {"file_id": f"f{next(self.ids)}", "file_unique_id": f"u{next(self.ids)}",
                                 "file_name": doc.get("filename", "") if isinstance(doc, dict) else ""}}
        if method == "editMessageReplyMarkup":
            return True
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            path = f"documents/{file_id}"
            return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_size": len(self.files.get(path, b"")),
                    "file_path": path}
        return True

    # ------------------------------------------------------------ test side

    def fail(self, method: str, status: int = 500, times: int = 1, retry_after: int | None = None) -> None:
        self.faults.setdefault(method, []).extend([(status, retry_after)] * times)

    def outage(self) -> None:
        self.down = True

    def recover(self) -> None:
        self.down = False

    def redeliver(self, update_id: int) -> None:
        import copy

        with self.cond:
            self.again.append(copy.deepcopy(self.delivered[update_id]))
            self.cond.notify_all()

    def failures(self, method: str | None = None) -> list[tuple[str, dict, int]]:
        return [f for f in list(self.failed) if method is None or f[0] == method]

    def push(self, update: dict) -> int:
        with self.cond:
            update["update_id"] = next(self.ids)
            self.updates.append(update)
            self.cond.notify_all()
        return update["update_id"]

    @staticmethod
    def _user(uid: int, lang: str = "zh") -> dict:
        return {"id": uid, "is_bot": False, "first_name": f"U{uid}", "language_code": lang}

    def send_text(self, uid: int, text: str, chat_type: str = "private", chat_id: int | None = None,
                  lang: str = "zh", reply_to_bot: bool = False, edited: bool = False) -> int:
        msg = {"message_id": next(self.msg_ids), "date": int(time.time()),
               "chat": {"id": chat_id or uid, "type": chat_type}, "from": self._user(uid, lang), "text": text}
        self.owner_of[(chat_id or uid, msg["message_id"])] = uid
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        at = text.find("@" + BOT["username"])
        if at >= 0 and not text.startswith("/"):
            msg["entities"] = [{"type": "mention", "offset": at, "length": len(BOT["username"]) + 1}]
        if reply_to_bot:
            msg["reply_to_message"] = {"message_id": 1, "date": int(time.time()), "chat": msg["chat"], "from": BOT,
                                       "text": "…"}
        return self.push({"edited_message" if edited else "message": msg})

    def send_raw_message(self, uid: int, extra: dict) -> int:
        msg = {"message_id": next(self.msg_ids), "date": int(time.time()), "chat": {"id": uid, "type": "private"},
               "from": self._user(uid), **extra}
        return self.push({"message": msg})

    def send_document(self, uid: int, name: str, data: bytes) -> int:
        """The user sends a file (stored here for getFile and the download)."""
        file_id = f"doc{next(self.ids)}"
        self.files[f"documents/{file_id}"] = data
        return self.send_raw_message(uid, {"document": {"file_id": file_id, "file_unique_id": "u" + file_id,
                                                        "file_name": name, "file_size": len(data)}})

    def press(self, uid: int, data: str, message: dict | None = None) -> int:
        message = message or {"message_id": next(self.msg_ids), "date": int(time.time()),
                              "chat": {"id": uid, "type": "private"}, "from": BOT, "text": "…"}
        return self.push({"callback_query": {"id": str(next(self.ids)), "from": self._user(uid),
                                             "chat_instance": "ci", "data": data, "message": message}})

    def sent_message(self, params: dict) -> dict:
        """The Message a sendMessage call produced, as a callback query carries it (with the message
        it replied to, when it did)."""
        chat_id = int(params.get("chat_id", 0) or 0)
        msg = {"message_id": next(self.msg_ids), "date": int(time.time()),
               "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}, "from": BOT,
               "text": params.get("text", ""), "reply_markup": params.get("reply_markup") or {}}
        reply = params.get("reply_parameters") or {}
        to = reply.get("message_id") if isinstance(reply, dict) else None
        to = to or params.get("reply_to_message_id")
        if to:
            owner = self.owner_of.get((chat_id, int(to)))
            msg["reply_to_message"] = {"message_id": int(to), "date": int(time.time()), "chat": msg["chat"],
                                       "from": self._user(owner) if owner else BOT, "text": "…"}
        return msg

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[dict]:
        return [p for m, p, _ in list(self.calls)
                if (method is None or m == method) and (chat_id is None or int(p.get("chat_id", 0) or 0) == chat_id)]

    def texts_to(self, chat_id: int) -> list[str]:
        return [p.get("text", "") for p in self.sent("sendMessage", chat_id)]

    def last_keyboard(self, chat_id: int) -> list[list[dict]]:
        """The newest inline keyboard shown to this chat (sent or redrawn by an edit)."""
        shown = [p for m, p, _ in list(self.calls) if m in ("sendMessage", "editMessageText")
                 and int(p.get("chat_id", 0) or 0) == chat_id]
        for p in reversed(shown):
            markup = p.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                return markup["inline_keyboard"]
        return []

    def wait_for(self, predicate, timeout: float = 15.0, interval: float = 0.02) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate():
                return True
            time.sleep(interval)
        return predicate()
