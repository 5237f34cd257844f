"""Telegram channel (`skillcert telegram`): a thin adapter over bot/dialogue.py.

Handlers only translate: an update becomes `Dialogue.handle_text` / `handle_button`, and the
returned replies become sendMessage (HTML, escaped, split under 4096 characters, inline buttons),
sendDocument and editMessageText calls. No policy logic lives here; all state is in SQLite.
"""
from __future__ import annotations

import asyncio
import html
import io
import logging
import os
import re
import sys
import time
from collections import defaultdict

from ..app import App
from ..dialogue import Dialogue, Reply
from ..ratelimit import RateLimit

log = logging.getLogger("skillcert.telegram")

TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,64}$")
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
COMMANDS = [
    ("start", "开始 / start"),
    ("help", "用法 / help"),
    ("check", "资格问卷 / eligibility questionnaire"),
    ("checklist", "生成申报材料 / application documents"),
    ("contact", "联系人 / contacts"),
    ("cancel", "取消问卷 / cancel the questionnaire"),
    ("back", "上一题 / previous question"),
    ("upload", "上传附件3 (.xlsx) / send 附件3 as your occupation list"),
    ("forget", "删除我的数据 / erase my data"),
]
TEXTS = {
    "zh": {"slow": "您发得太快了，请 {s} 秒后再发。", "not_text": "我只能处理文字消息：请直接输入问题，或 /help 查看用法。",
           "sorry": "抱歉，处理您的消息时出错了，请再试一次。问题已记录。",
           "not_yours": "这是其他用户的对话，请发送 /check@{bot} 开始您自己的。",
           "misses_private": "未答好的问题已私信发给您。"},
    "en": {"slow": "You're sending messages too fast; please wait {s} seconds.",
           "not_text": "I can only read text messages: type your question, or /help.",
           "sorry": "Sorry, something went wrong with your message; please try again. It has been logged.",
           "not_yours": "This is someone else's conversation; send /check@{bot} to start your own.",
           "misses_private": "I sent you the unanswered questions in a private chat."},
}


class RedactToken(logging.Filter):
    """Keeps the bot token out of every log line (httpx logs request URLs)."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            msg = record.getMessage()
            if self.token in msg:
                record.msg, record.args = msg.replace(self.token, "<token>"), None
        return True


def split_text(text: str, limit: int = 4000) -> list[str]:
    """Split at paragraph boundaries (then lines, then hard) so each part is under `limit`."""
    parts: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        pieces = [para]
        if len(para) > limit:
            pieces = []
            line_buf = ""
            for line in para.split("\n"):
                while len(line) > limit:
                    pieces.append(line[:limit])
                    line = line[limit:]
                if len(line_buf) + len(line) + 1 > limit:
                    pieces.append(line_buf)
                    line_buf = line
                else:
                    line_buf = f"{line_buf}\n{line}" if line_buf else line
            if line_buf:
                pieces.append(line_buf)
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) > limit:
                if current:
                    parts.append(current)
                current = piece
            else:
                current = candidate
    if current:
        parts.append(current)
    return parts or [""]




class TelegramChannel:
    def __init__(self, app: App, settings: dict | None = None):
        self.app = app
        self.dialogue = Dialogue(app)
        self.settings = settings or {}
        self.admins = {int(x) for x in self.settings.get("admin_ids", [])}
        self.limit = int(self.settings.get("max_message_chars", 4000))
        self.rate = RateLimit(int(self.settings.get("rate_limit_per_minute", 20)))
        self.locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.retry_seconds = float(self.settings.get("send_retry_seconds", 120))
        self.retry_first = float(self.settings.get("send_retry_first", 1.0))
        self.log_texts = bool(app.config.privacy.get("log_texts", False))

    # ------------------------------------------------------------ helpers

    @staticmethod
    def user_key(user) -> str:
        return f"tg:{user.id}"

    @staticmethod
    def lang_hint(user) -> str:
        code = (getattr(user, "language_code", None) or "").lower()
        return "zh" if code.startswith("zh") or not code else "en"

    def _markup(self, reply: Reply, with_feedback: bool):
        from telegram import InlineKeyboardButton, InlineKeyboardMarkup

        rows = [[InlineKeyboardButton(b.label[:64], callback_data=b.data) for b in row] for row in reply.buttons]
        if with_feedback and reply.intent:
            rows.append([InlineKeyboardButton("👍", callback_data=f"f:+:{reply.intent}"),
                         InlineKeyboardButton("👎", callback_data=f"f:-:{reply.intent}")])
        return InlineKeyboardMarkup(rows) if rows else None

    async def call(self, what: str, make):
        """Run one Bot API call (`make()` returns the coroutine), retrying network errors and 5xx
        with exponential backoff and 429 after its `retry_after`, for at most `send_retry_seconds`;
        then log and give up (a 4xx other than 429 is not retried). Returns the result or None."""
        from telegram.error import BadRequest, NetworkError, RetryAfter

        deadline = time.monotonic() + self.retry_seconds
        delay, attempt = self.retry_first, 0
        while True:
            attempt += 1
            try:
                return await make()
            except RetryAfter as e:
                ra = getattr(e, "_retry_after", None)
                wait = ra.total_seconds() if hasattr(ra, "total_seconds") else float(ra or 1)
                error = e
            except BadRequest as e:
                log.error("%s refused by Telegram: %s", what, e)
                return None
            except NetworkError as e:  # 5xx, timeouts, connection refused
                wait, delay = delay, min(delay * 2, 10.0)  # at most 10 s between tries: back soon after an outage
                error = e
            if time.monotonic() + wait > deadline:
                log.error("%s: gave up after %d attempts in %.0f s: %s", what, attempt,
                          self.retry_seconds - max(0.0, deadline - time.monotonic()), error)
                return None
            log.warning("%s failed (%s); retry %d in %.1f s", what, error, attempt, wait)
            await asyncio.sleep(wait)

    async def send(self, bot, chat_id: int, replies: list[Reply], reply_to: int | None = None,
                   owner: str | None = None) -> None:
        """Send replies in order; in a group every reply answers `reply_to` (the user's message), and
        messages with buttons are recorded as `owner`'s, so that nobody else's tap counts."""
        from telegram import ReplyParameters

        for reply in replies:
            chunks = split_text(reply.text, self.limit) if reply.text else []
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1
                params = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None
                markup = self._markup(reply, True) if last else None
                sent = await self.call(f"sendMessage to {chat_id}", lambda: bot.send_message(
                    chat_id, html.escape(chunk), parse_mode="HTML", reply_markup=markup, reply_parameters=params))
                if owner and markup is not None and getattr(sent, "message_id", None) is not None:
                    try:
                        self.app.store.set_prompt_owner(chat_id, sent.message_id, owner)
                    except Exception as e:  # the store is broken: the reply_to link still tells the owner
                        log.warning("could not record who message %s is for: %s", sent.message_id, e)
            for name, data in reply.files:
                def upload(name=name, data=data):
                    buf = io.BytesIO(data)
                    buf.seek(0)
                    return bot.send_document(chat_id, document=buf, filename=name)

                await self.call(f"sendDocument to {chat_id}", upload)

    def _limited(self, user_key: str) -> int:
        return self.rate.check(user_key)

    # ------------------------------------------------------------ handlers

    async def on_text(self, update, context) -> None:
        msg = update.message
        if msg is None or msg.text is None or msg.from_user is None:
            return
        text = msg.text
        if msg.chat.type != "private":
            text = self._addressed(msg, context.bot)
            if text is None:
                return  # in a group, only messages that mention or reply to the bot
        await self._dialogue_text(update, context, text)

    async def on_command(self, update, context) -> None:
        msg = update.message
        if msg is None or msg.text is None or msg.from_user is None:
            return
        head = msg.text.split()[0] if msg.text.split() else ""
        command, _, addressee = head.partition("@")
        if addressee and addressee.lower() != (context.bot.username or "").lower():
            return  # /forget@other_bot is another bot's command
        command = command.lower()
        if command in ("/stats", "/misses") and msg.from_user.id in self.admins:
            if self._limited(self.user_key(msg.from_user)):
                return
            text = self.admin_text(command)
            if msg.chat.type != "private":  # the questions users asked stay out of the group
                await self.send(context.bot, msg.from_user.id, [Reply(text)])
                await self.send(context.bot, msg.chat_id, [Reply(TEXTS[self.lang_hint(msg.from_user)]
                                                                 ["misses_private"])], reply_to=msg.message_id)
                return
            await self.send(context.bot, msg.chat_id, [Reply(text)])
            return
        await self._dialogue_text(update, context, msg.text)

    async def _dialogue_text(self, update, context, text: str) -> None:
        msg = update.message
        user = self.user_key(msg.from_user)
        lang = self.lang_hint(msg.from_user)
        wait = self._limited(user)
        if wait:
            await self.call("slow-down notice", lambda: context.bot.send_message(
                msg.chat_id, TEXTS[lang]["slow"].format(s=wait)))
            return
        if self.log_texts:
            log.debug("update %s from %s: %r", update.update_id, user, text)
        else:
            log.debug("update %s from %s: %d characters", update.update_id, user, len(text))
        async with self.locks[user]:
            replies = self.dialogue.handle_text(user, text, lang_hint=lang)
            group = msg.chat.type != "private"
            await self.send(context.bot, msg.chat_id, replies, reply_to=msg.message_id if group else None,
                            owner=user if group else None)

    async def on_button(self, update, context) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        user = self.user_key(query.from_user)
        lang = self.lang_hint(query.from_user)
        message = query.message
        wait = self._limited(user)  # taps count like messages
        if wait:
            await self.call("slow-down notice", lambda: query.answer(TEXTS[lang]["slow"].format(s=wait)))
            return
        reply_to, group_owner = None, None
        if message is not None and getattr(message.chat, "type", "private") != "private":
            # in a group a prompt belongs to the user it was sent for (recorded when sent, else the user
            # whose message it answers): nobody else's tap counts
            try:
                owner = self.app.store.prompt_owner(message.chat.id, message.message_id)
            except Exception:
                owner = None
            asked = getattr(message, "reply_to_message", None)
            if owner is None and asked is not None and asked.from_user is not None and not asked.from_user.is_bot:
                owner = self.user_key(asked.from_user)
            if owner is not None and owner != user:
                bot_name = context.bot.username or "bot"
                await self.call("not-yours notice", lambda: query.answer(TEXTS[lang]["not_yours"].format(bot=bot_name),
                                                                           show_alert=True))
                return
            reply_to = asked.message_id if asked is not None else None
            group_owner = user
        data = query.data or ""
        # the user's lock is taken before the first await: taps are handled in the order they came
        # (👍 then 👎 quickly: the 👎 is what stays), not in the order their pop-ups were answered
        async with self.locks[user]:
            await self.call("answerCallbackQuery", lambda: query.answer())
            replies = self.dialogue.handle_button(user, data, lang_hint=lang)
            chat_id = message.chat.id if message else query.from_user.id
            kind = data.split(":", 1)[0]
            if message is not None and kind in ("a", "d", "c", "m") and not _is_notice(replies):
                label = _label_of(message, data)
                if kind == "m" and len(replies) == 1 and replies[0].buttons:
                    # a multi-choice toggle: redraw the same message with the new ticks
                    await self.call("editMessageText", lambda: context.bot.edit_message_text(
                        html.escape(replies[0].text), chat_id, message.message_id, parse_mode="HTML",
                        reply_markup=self._markup(replies[0], False)))
                    return
                text = getattr(message, "text", None) or ""
                if text:  # keep the question, show the answer, remove the buttons
                    await self.call("editMessageText", lambda: context.bot.edit_message_text(
                        html.escape(f"{text}\n\n→ {label}"), chat_id, message.message_id, parse_mode="HTML"))
            await self.send(context.bot, chat_id, replies, reply_to=reply_to, owner=group_owner)

    async def on_document(self, update, context) -> None:
        """A file sent in a private chat (a filled 附件3 .xlsx): its bytes go to the dialogue."""
        msg = update.message
        if msg is None or msg.from_user is None or msg.document is None or msg.chat.type != "private":
            return
        user, lang = self.user_key(msg.from_user), self.lang_hint(msg.from_user)
        wait = self._limited(user)
        if wait:
            await context.bot.send_message(msg.chat_id, TEXTS[lang]["slow"].format(s=wait))
            return
        doc = msg.document
        data = b""
        if (doc.file_size or 0) <= 20_000_000:  # the Bot API serves files up to 20 MB; the dialogue refuses > 2 MB
            file = await doc.get_file()
            data = bytes(await file.download_as_bytearray())
        async with self.locks[user]:
            replies = self.dialogue.handle_file(user, doc.file_name or "file.xlsx", data, lang_hint=lang)
            await self.send(context.bot, msg.chat_id, replies)

    async def on_other(self, update, context) -> None:
        msg = update.message
        if msg is None or msg.from_user is None or msg.chat.type != "private":
            return
        lang = self.lang_hint(msg.from_user)
        await self.call("not-text notice", lambda: context.bot.send_message(msg.chat_id, TEXTS[lang]["not_text"]))

    async def on_error(self, update, context) -> None:
        uid = getattr(update, "update_id", None)
        log.error("error handling update %s: %s", uid, context.error, exc_info=context.error)
        chat = getattr(update, "effective_chat", None)
        user = getattr(update, "effective_user", None)
        if chat is not None:
            try:
                await context.bot.send_message(chat.id, TEXTS[self.lang_hint(user) if user else "zh"]["sorry"])
            except Exception:  # the apology itself failed (network): the log has it
                log.warning("could not send the apology for update %s", uid)

    async def on_any(self, update, context) -> None:
        """First of all handlers: an update seen before (Telegram delivering it again after a restart,
        a webhook retried) is dropped, so an answer never lands twice or in the next field."""
        from telegram.ext import ApplicationHandlerStop

        uid = getattr(update, "update_id", None)
        if uid is None:
            return
        try:
            first = self.app.store.first_time(f"tg:{uid}")
        except Exception as e:  # the store is broken: better to answer than to drop
            log.warning("could not record update %s: %s", uid, e)
            return
        if not first:
            log.info("update %s seen before: ignored", uid)
            raise ApplicationHandlerStop

    # ------------------------------------------------------------ admin

    def admin_text(self, command: str) -> str:
        if command == "/stats":
            s = self.app.store.stats()
            lines = [f"提问 {s['questions']} 条，未答好 {s['misses']} 条，用户 {s['users']} 人。", "热门主题："]
            lines += [f"- {name}: {n}" for name, n in s["top_topics"]] or ["- （无）"]
            lines.append("评价（👍/👎）：")
            lines += [f"- {name}: 👍{up} 👎{down}" for name, up, down in s["feedback"]] or ["- （无）"]
            return "\n".join(lines)
        misses = self.app.store.misses(20)
        if not misses:
            return "没有未答好的问题。"
        return "最近未答好的问题：\n" + "\n".join(
            f"- {m['text'][:80]}（{m['best_guess'] or '-'}，{(m['score'] or 0):.2f}）" for m in misses)

    @staticmethod
    def _addressed(msg, bot) -> str | None:
        """The text of a group message meant for the bot (mention or reply), else None."""
        username = (bot.username or "").lower()
        text = msg.text or ""
        reply = msg.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return text
        for ent in msg.entities or ():
            if ent.type == "mention":
                mention = text[ent.offset: ent.offset + ent.length]
                if username and mention.lower() == "@" + username:
                    return (text[:ent.offset] + text[ent.offset + ent.length:]).strip()
        return None


def _is_notice(replies: list[Reply]) -> bool:
    """A stale-button or retry notice: leave the tapped message as it is."""
    return bool(replies) and not replies[0].buttons and len(replies) == 1 and len(replies[0].text) < 60


def _label_of(message, data: str) -> str:
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", None) or ():
        for b in row:
            if b.callback_data == data:
                return b.text
    return "✓"


def build_application(app: App, token: str, base_url: str | None = None, settings: dict | None = None,
                      poll_interval: float = 0.0):
    """The python-telegram-bot Application: handlers wired to a TelegramChannel."""
    from telegram import Update
    from telegram.ext import (AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, CommandHandler,
                              MessageHandler, TypeHandler, filters)

    settings = settings if settings is not None else app.config.telegram
    channel = TelegramChannel(app, settings)
    base = base_url or DEFAULT_BASE_URL
    builder = (ApplicationBuilder().token(token).base_url(base)
               .base_file_url(base.replace("/bot", "/file/bot") if base.endswith("/bot") else base)
               .concurrent_updates(int(settings.get("concurrent_updates", 16)))
               # httpcore scans its whole pool on every request: a pool sized to the concurrency is
               # much cheaper than PTB's default of 256 (measured in benchmarks/bench_telegram.py)
               .connection_pool_size(int(settings.get("connection_pool_size", 16))))
    rate = int(settings.get("outgoing_max_rate", 30))
    if rate > 0:
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=rate, max_retries=3))

    async def post_init(application):
        from telegram import BotCommand

        await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])

    builder = builder.post_init(post_init)
    application = builder.build()
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, channel.on_any), group=-1)
    application.add_handler(CommandHandler([c for c, _ in COMMANDS] + ["stats", "misses", "back"],
                                           channel.on_command, filters=new_messages))
    application.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, channel.on_text))
    application.add_handler(MessageHandler(new_messages & filters.COMMAND, channel.on_command))
    application.add_handler(CallbackQueryHandler(channel.on_button))
    application.add_handler(MessageHandler(new_messages & filters.Document.ALL, channel.on_document))
    application.add_handler(MessageHandler(new_messages & ~filters.TEXT, channel.on_other))
    application.add_error_handler(channel.on_error)
    application.bot_data["channel"] = channel
    return application


async def _check_token(token: str, base_url: str) -> None:
    """One getMe before starting, so a refused token is one clear line rather than a retry loop."""
    from telegram import Bot

    async with Bot(token, base_url=base_url) as bot:
        await bot.get_me()


def run(config_path=None) -> int:
    token = (os.environ.get("TELEGRAM_BOT_TOKEN") or "").strip()
    if not token:
        print("skillcert: TELEGRAM_BOT_TOKEN is not set (get a token from @BotFather and export it)", file=sys.stderr)
        return 2
    if not TOKEN_RE.match(token):
        print("skillcert: TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters, as @BotFather gives it)",
              file=sys.stderr)
        return 2
    app = App.from_config(config_path)
    level = str(app.config.telegram.get("log_level", "INFO")).upper()
    logging.basicConfig(level=getattr(logging, level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not app.config.privacy.get("log_texts", False):
        # python-telegram-bot and httpcore log whole updates and request bodies at DEBUG: users' texts
        for name in ("telegram", "httpcore", "hpack"):
            logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))
    app.engine.warm()  # build or load the knowledge base, compile its patterns before the first message
    settings = app.config.telegram
    application = build_application(app, token, os.environ.get("TELEGRAM_BASE_URL") or None, settings)
    from telegram.error import InvalidToken, NetworkError

    try:
        asyncio.run(_check_token(token, os.environ.get("TELEGRAM_BASE_URL") or DEFAULT_BASE_URL))
        if settings.get("mode", "polling") == "webhook":
            secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None
            if not settings.get("webhook_url") or not secret:
                print("skillcert: webhook mode needs telegram.webhook_url in config.toml and TELEGRAM_WEBHOOK_SECRET",
                      file=sys.stderr)
                return 2
            application.run_webhook(listen=settings.get("webhook_listen", "127.0.0.1"),
                                    port=int(settings.get("webhook_port", 8443)), url_path="telegram",
                                    webhook_url=settings["webhook_url"].rstrip("/") + "/telegram",
                                    secret_token=secret, allowed_updates=["message", "callback_query"])
        else:
            application.run_polling(allowed_updates=["message", "callback_query", "edited_message"],
                                    poll_interval=float(settings.get("poll_interval", 0.0)))
    except InvalidToken:
        print("skillcert: Telegram refused the token (InvalidToken): check TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return 2
    except NetworkError as e:
        print(f"skillcert: cannot reach the Telegram Bot API: {e}", file=sys.stderr)
        return 1
    return 0
