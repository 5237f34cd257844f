"""Channels: thin adapters that turn `bot.dialogue.Reply` objects into a medium (terminal, Telegram, web)."""
