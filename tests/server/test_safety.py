"""Safety and limits: loopback default, token, CORS, body and query limits, time limit, bounded
concurrency, and an access log that never holds the draft."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import invoicetone
from invoicetone.server import ServerConfig, ServerConfigError, is_loopback

from .conftest import LiveServer, live_server

TOKEN = "s3cret-token-for-tests-0123"
SECRET_DRAFT = "Zanzibar-7319 that's not our fault"


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("[::1]", True),
                                                ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False)])
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_non_loopback_bind_needs_a_token() -> None:
    with pytest.raises(ServerConfigError, match="without a bearer token"):
        ServerConfig(host="0.0.0.0").validate()
    assert ServerConfig(host="0.0.0.0", token=TOKEN).validate().token == TOKEN
    with pytest.raises(ServerConfigError, match="16 characters"):
        ServerConfig(token="short").validate()
    with pytest.raises(ServerConfigError, match="go together"):
        ServerConfig(ssl_certfile="cert.pem").validate()


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    config = ServerConfig(port=0, token=TOKEN, max_body=2_000, cors_origins=("https://mail.example.com",))
    with live_server(config) as running:
        yield running


def test_token_is_required_on_the_api(guarded: LiveServer) -> None:
    with guarded.client() as client:
        denied = client.post("/v1/check", json={"text": "hello"})
        assert denied.status_code == 401 and denied.headers["www-authenticate"] == "Bearer"
        assert client.post("/v1/check", json={"text": "hello"}, headers={"Authorization": "Bearer wrong-token-000000000"}).status_code == 401
        assert client.post("/v1/check", json={"text": "hello"}, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert client.post("/v2/check", data={"text": "hello", "language": "en"}).status_code == 401
        assert client.post("/v2/check", data={"text": "hello", "language": "en", "apiKey": TOKEN}).status_code == 200
        assert client.get("/v1/rules").status_code == 401
        assert client.get("/healthz").status_code == 200  # liveness probes need no secret


def test_body_limit_is_413(guarded: LiveServer) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with guarded.client() as client:
        big = client.post("/v1/check", json={"text": "a" * 3_000}, headers=headers)
        assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted while reading
            yield b'{"text": "'
            for _ in range(30):
                yield b"a" * 100
            yield b'"}'

        streamed = client.post("/v1/check", content=chunks(), headers={**headers, "content-type": "application/json"})
        assert streamed.status_code == 413
        long_query = client.get("/v2/check", params={"text": "a" * 3_000, "language": "en", "apiKey": TOKEN})
        assert long_query.status_code == 414


def test_cors_preflight_allow_list(guarded: LiveServer) -> None:
    def preflight(origin: str) -> httpx.Response:
        with guarded.client() as client:
            return client.options(
                "/v2/check",
                headers={"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"},
            )

    for origin in ("moz-extension://0f3c5d2e-1b2a-4c8e-9f00-0123456789ab", "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                   "http://localhost:3000", "http://127.0.0.1", "https://mail.example.com"):
        response = preflight(origin)
        assert response.status_code == 200, origin
        assert response.headers["access-control-allow-origin"] == origin
        assert "authorization" in response.headers["access-control-allow-headers"].lower()
    for origin in ("https://evil.example", "http://localhost.evil.example", "null"):
        response = preflight(origin)
        assert response.status_code == 400, origin
        assert "access-control-allow-origin" not in response.headers


def test_simple_cors_request_gets_the_header(guarded: LiveServer) -> None:
    with guarded.client() as client:
        ok = client.get("/v2/languages", headers={"Origin": "http://localhost:8080"})
        assert ok.headers["access-control-allow-origin"] == "http://localhost:8080"
        other = client.get("/v2/languages", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


class SlowChecker(invoicetone.Checker):
    """A Checker that takes ``delay`` seconds and records how many checks ran at once."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()

    def check(self, text: str, **kwargs: Any) -> invoicetone.Report:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(self.delay)
            return super().check(text, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


@pytest.mark.parametrize(("inline_chars", "text"), [(0, "hello"), (100, "hello " * 50)])
def test_time_limit_is_503_with_retry_after(inline_chars: int, text: str) -> None:
    """Checks on the pool (all with --inline-chars 0; longer drafts otherwise) answer 503 at the time limit."""
    config = ServerConfig(port=0, timeout=0.3, inline_chars=inline_chars)
    with live_server(config, checker=SlowChecker(1.0), warm_up=False) as running, running.client() as client:
        started = time.monotonic()
        response = client.post("/v1/check", json={"text": text})
        assert time.monotonic() - started < 0.9
        assert response.status_code == 503 and response.json()["error"]["code"] == "timeout"
        assert response.headers["retry-after"] == "1"


def test_short_drafts_are_checked_inline_one_at_a_time() -> None:
    checker = SlowChecker(0.05)
    with live_server(ServerConfig(port=0, concurrency=4, timeout=5), checker=checker, warm_up=False) as running:
        def one(_: int) -> int:
            with running.client() as client:
                return client.post("/v1/check", json={"text": "hello there"}).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(one, range(6)))
    assert statuses == [200] * 6
    assert checker.peak == 1  # on the event loop: never two at once, no pool thread


def test_concurrency_is_bounded() -> None:
    checker = SlowChecker(0.15)
    with live_server(ServerConfig(port=0, concurrency=2, timeout=5, inline_chars=0), checker=checker, warm_up=False) as running:
        def one(_: int) -> int:
            with running.client() as client:
                return client.post("/v1/check", json={"text": "hello there"}).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(one, range(8)))
    assert statuses == [200] * 8
    assert checker.peak == 2


def test_access_log_never_holds_the_draft(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        client.get("/v2/check", params={"text": SECRET_DRAFT, "language": "en"})
        client.post("/v2/check", data={"text": SECRET_DRAFT, "language": "en"})
        client.post("/v1/check", json={"text": SECRET_DRAFT})
        client.post("/v1/check", content=b'{"text": "Zanzibar-7319', headers={"content-type": "application/json"})
    access = [r.getMessage() for r in caplog.records if r.name == "invoicetone.server.access"]
    assert any('"GET /v2/check" 200' in line for line in access), access
    assert any('"POST /v1/check" 400' in line for line in access), access
    server_side = [r for r in caplog.records if r.name.startswith(("invoicetone", "uvicorn", "starlette"))]
    assert server_side
    assert all("Zanzibar" not in r.getMessage() for r in server_side)  # (httpx, the client, logs its own URLs)
