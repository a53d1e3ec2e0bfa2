"""Fixtures: a real uvicorn server on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn  # the test extra pulls in invoicetone[server]

from invoicetone.server import ServerConfig, create_app


class LiveServer:
    def __init__(self, url: str, config: ServerConfig) -> None:
        self.url = url
        self.config = config

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]


@contextlib.contextmanager
def live_server(config: ServerConfig | None = None, **kwargs: object) -> Iterator[LiveServer]:
    """Serve ``create_app(config)`` on 127.0.0.1:<free port> until the block ends."""
    config = config or ServerConfig(port=0)
    app = create_app(config, **kwargs)  # type: ignore[arg-type]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
            raise RuntimeError("the test server did not start (see the captured log above)")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", config)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    with live_server() as running:
        yield running


@pytest.fixture()
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c
