"""The ``invoicetone serve`` subcommand: argument parsing and starting uvicorn."""

from __future__ import annotations

import argparse
import copy
import os
import socket
import sys
from typing import Any

from ._config import (
    DEFAULT_CONCURRENCY,
    DEFAULT_HOST,
    DEFAULT_INLINE_CHARS,
    DEFAULT_MAX_BODY,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    ENV_CONFIG,
    ENV_TOKEN,
    ServerConfig,
    ServerConfigError,
)

EXIT_OK, EXIT_USAGE = 0, 2


def add_serve_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``serve`` on the CLI's subparsers."""
    serve = subparsers.add_parser(
        "serve",
        help="run the HTTP service (JSON API, LanguageTool-compatible API, playground)",
        description="Run the HTTP service. Needs the server extra: pip install 'invoicetone[server]'.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST}; any other needs a token)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--ssl-certfile", help="TLS certificate (PEM) to serve HTTPS")
    serve.add_argument("--ssl-keyfile", help="TLS private key (PEM)")
    serve.add_argument(
        "--token",
        help=f"bearer token clients must send (prefer the {ENV_TOKEN} environment variable: arguments show in ps)",
    )
    serve.add_argument(
        "--cors-origin", action="append", default=[], metavar="ORIGIN",
        help="allow this browser origin (repeatable); localhost and extension origins are allowed by default",
    )
    serve.add_argument("--no-default-cors", action="store_true", help="do not allow localhost and extension origins by default")
    serve.add_argument("--max-body", type=int, default=DEFAULT_MAX_BODY, help=f"largest request body in bytes (default {DEFAULT_MAX_BODY})")
    serve.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"time limit of one check in seconds (default {DEFAULT_TIMEOUT:g})")
    serve.add_argument(
        "--concurrency", type=int, default=DEFAULT_CONCURRENCY,
        help=f"checks running at once per worker (default {DEFAULT_CONCURRENCY}); more wait, up to the time limit",
    )
    serve.add_argument(
        "--inline-chars", type=int, default=DEFAULT_INLINE_CHARS, metavar="N",
        help=f"check drafts up to N characters on the event loop, skipping the thread hand-off (default {DEFAULT_INLINE_CHARS}); "
        "longer drafts, and all with 0, run on the pool under the time limit",
    )
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return serve  # type: ignore[no-any-return]


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    token = args.token or os.environ.get(ENV_TOKEN) or None
    return ServerConfig(
        host=args.host,
        port=args.port,
        workers=args.workers,
        token=token,
        cors_origins=tuple(args.cors_origin),
        cors_defaults=not args.no_default_cors,
        max_body=args.max_body,
        timeout=args.timeout,
        concurrency=args.concurrency,
        inline_chars=args.inline_chars,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    ).validate()


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging set-up plus our loggers; applied in every worker process."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["invoicetone"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["handlers"]["invoicetone"] = {
        "formatter": "invoicetone", "class": "logging.StreamHandler", "stream": "ext://sys.stderr",
    }
    config["loggers"]["invoicetone"] = {"handlers": ["invoicetone"], "level": level.upper(), "propagate": False}
    return config


def run_serve(args: argparse.Namespace) -> int:
    """Start the service in the foreground; returns the exit code."""
    try:
        config = config_from_args(args)
    except ServerConfigError as exc:
        print(f"invoicetone serve: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in (config.ssl_certfile, config.ssl_keyfile):
        if path is not None and not os.path.isfile(path):
            print(f"invoicetone serve: error: {path}: no such file", file=sys.stderr)
            return EXIT_USAGE
    try:
        import uvicorn
    except ImportError:
        print("invoicetone serve: error: the server extra is not installed; run: pip install 'invoicetone[server]'", file=sys.stderr)
        return EXIT_USAGE
    os.environ[ENV_CONFIG] = config.to_env()
    scheme = "https" if config.ssl_certfile else "http"
    print(f"invoicetone: serving on {scheme}://{config.host}:{config.port}/ ({config.workers} worker(s))", file=sys.stderr)
    options: dict[str, Any] = {
        "factory": True,
        "host": config.host,
        "port": config.port,
        "workers": config.workers,
        "ssl_certfile": config.ssl_certfile,
        "ssl_keyfile": config.ssl_keyfile,
        "access_log": False,  # ours never logs query strings, which may hold the draft
        "log_level": args.log_level,
        "log_config": log_config(args.log_level),
        "server_header": False,
        "proxy_headers": False,
    }
    if config.workers > 1 and hasattr(socket, "SO_REUSEPORT"):
        return _run_workers(uvicorn.Config(APP, **options), config)
    uvicorn.run(APP, **options)
    return EXIT_OK


APP = "invoicetone.server:app_from_env"


class WorkerSocket(socket.socket):
    """The listening address of ``serve --workers N``: each worker gets a socket of its own.

    uvicorn binds one socket and shares it between the workers. Whichever worker's event loop wakes
    first accepts every pending connection, so a burst of clients (50 editors opening keep-alive
    connections) ends up on one worker: measured, all 50 on one of two, which then did all the work
    on one core while the other idled. Unpickled in a worker (how uvicorn hands sockets to the
    processes it spawns), this socket is bound anew with ``SO_REUSEPORT``, and the kernel spreads
    new connections over the workers' sockets.
    """

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (bind_worker_socket, (self.family, self.getsockname()))


def bind_worker_socket(family: int, address: Any) -> WorkerSocket:
    sock = WorkerSocket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _run_workers(uv_config: Any, config: ServerConfig) -> int:
    """uvicorn's process supervisor, with a listening socket per worker (see :class:`WorkerSocket`)."""
    from uvicorn.supervisors import Multiprocess

    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    try:
        # A plain bind first: SO_REUSEPORT alone would share the port with another server already on it.
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((config.host, config.port))
            address = probe.getsockname()
        # Bound, never listening: it holds the port while the workers bind theirs.
        sock = bind_worker_socket(family, address)
    except OSError as exc:
        print(f"invoicetone serve: error: cannot listen on {config.host}:{config.port}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        Multiprocess(uv_config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return EXIT_OK
