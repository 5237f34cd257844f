"""Serves the web app (with the console at /admin) on 127.0.0.1 at a free port, for the tests.

Uses the real `create_app` of bot/channels/web/app.py when it exists; otherwise a Starlette app
with only the console mounted at /admin. Prints the port on the first line of stdout.
"""
import socket
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.app import App


def build(app: App):
    settings = dict(app.config.sections.get("web", {}))
    try:
        from bot.channels.web.app import create_app
    except ImportError:
        from bot.channels.web import admin

        static = Path(admin.__file__).parent / "static"
        return Starlette(routes=[Mount("/static", app=StaticFiles(directory=static)),
                                 Mount("/admin", routes=admin.routes(app, settings))])
    return create_app(app, settings)


def main() -> None:
    app = App.from_config()
    app.kb  # load (or build) before accepting requests
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections wait in the backlog until uvicorn accepts them
    print(sock.getsockname()[1], flush=True)
    server = uvicorn.Server(uvicorn.Config(build(app), log_level="warning", access_log=False))
    server.run(sockets=[sock])


if __name__ == "__main__":
    sys.exit(main())
