"""The web channel: the chat page and its API (app.py) and the maintainers' console (admin.py)."""
