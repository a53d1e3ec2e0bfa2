"""`invoicetone serve`: argument handling, refusal to start unsafely, and real starts (workers, TLS)."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from invoicetone.cli import main
from invoicetone.server.cli import add_serve_parser, config_from_args

TOKEN = "cli-test-token-0123456789"


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_defaults_are_safe() -> None:
    config = config_from_args(_parse())
    assert (config.host, config.port, config.workers, config.max_body, config.token) == ("127.0.0.1", 8081, 1, 100_000, None)


def test_refuses_a_public_bind_without_token(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVOICETONE_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "refusing to listen on '0.0.0.0' without a bearer token" in err and "INVOICETONE_TOKEN" in err


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVOICETONE_TOKEN", TOKEN)
    assert config_from_args(_parse("--host", "0.0.0.0")).token == TOKEN


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "0"], "--workers"),
        (["--max-body", "0"], "--max-body"),
        (["--timeout", "0"], "--timeout"),
        (["--inline-chars", "-1"], "--inline-chars"),
        (["--ssl-certfile", "x.pem"], "go together"),
        (["--ssl-certfile", "/nonexistent/c.pem", "--ssl-keyfile", "/nonexistent/k.pem"], "no such file"),
        (["--cors-origin", "example.com"], "full origin"),
    ],
)
def test_bad_options_are_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serve(*argv: str, env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "invoicetone", "serve", "--port", str(port), "--log-level", "info", *argv],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})}, start_new_session=True,
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _wait_healthy(url: str, process: subprocess.Popen[str], **client_kwargs: object) -> httpx.Response:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            return httpx.get(url + "/healthz", timeout=2, **client_kwargs)  # type: ignore[arg-type]
        except httpx.TransportError:
            time.sleep(0.25)
    raise AssertionError("the server did not answer within 90 s")


def test_serve_with_two_workers_and_a_token() -> None:
    with _serve("--workers", "2", env={"INVOICETONE_TOKEN": TOKEN}) as (process, port):
        url = f"http://127.0.0.1:{port}"
        assert _wait_healthy(url, process).json()["status"] == "ok"
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.post("/v1/check", json={"text": "That's not our fault."}).status_code == 401
            for _ in range(6):  # spread over both workers
                answer = client.post("/v1/check", json={"text": "That's not our fault."}, headers={"Authorization": f"Bearer {TOKEN}"})
                assert answer.status_code == 200
                assert answer.json()["findings"][0]["rule_id"] == "denial.not-our-fault"
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert "That's not our fault" not in output  # nothing of the draft in the server's log
    assert '"POST /v1/check" 200' in output


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")
def test_serve_over_tls(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    with _serve("--ssl-certfile", str(cert), "--ssl-keyfile", str(key)) as (process, port):
        answer = _wait_healthy(f"https://127.0.0.1:{port}", process, verify=False)
        assert answer.status_code == 200 and answer.url.scheme == "https"


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="needs SO_REUSEPORT")
def test_each_worker_gets_a_listening_socket_of_its_own() -> None:
    """What uvicorn pickles for a worker comes back as a new socket on the same address, sharing the port."""
    import pickle

    from invoicetone.server.cli import WorkerSocket, bind_worker_socket

    held = bind_worker_socket(socket.AF_INET, ("127.0.0.1", 0))
    with held:
        workers = [pickle.loads(pickle.dumps(held)) for _ in range(2)]
        try:
            for worker in workers:
                assert isinstance(worker, WorkerSocket) and worker.fileno() != held.fileno()
                assert worker.getsockname() == held.getsockname()
                assert worker.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
                worker.listen()
            with socket.create_connection(held.getsockname(), timeout=5):
                pass
        finally:
            for worker in workers:
                worker.close()
