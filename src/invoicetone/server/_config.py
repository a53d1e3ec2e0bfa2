"""Server settings: one frozen value, validated once, passed to every worker as JSON."""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

ENV_CONFIG = "INVOICETONE_SERVE_CONFIG"
ENV_TOKEN = "INVOICETONE_TOKEN"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8081
DEFAULT_MAX_BODY = 100_000
DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 8
# Drafts up to this many characters are checked on the worker's event loop instead of a pool
# thread: a 120-word reply then skips the thread hand-off (about half a millisecond). With the
# built-in packs a check is linear in the text (under 6 µs per character), so such a check
# finishes in a few tens of milliseconds, far inside any time limit; 0 sends every check to the pool.
DEFAULT_INLINE_CHARS = 5_000

# Origins a browser page or extension on this machine sends; the playground itself is same-origin.
DEFAULT_CORS_REGEX = (
    r"(https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
    r"|moz-extension://[0-9a-fA-F-]+"
    r"|chrome-extension://[a-p]{32}"
    r"|safari-web-extension://[0-9A-Za-z-]+)"
)


class ServerConfigError(ValueError):
    """A server setting is wrong or unsafe; the message names the option to change."""


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the service on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    cors_defaults: bool = True
    max_body: int = DEFAULT_MAX_BODY
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    inline_chars: int = DEFAULT_INLINE_CHARS
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validate(self) -> ServerConfig:
        """Return self, or raise :class:`ServerConfigError` naming the option to fix."""
        if not 0 <= self.port <= 65535:
            raise ServerConfigError(f"--port must be 0..65535, not {self.port}")
        if self.workers < 1:
            raise ServerConfigError(f"--workers must be at least 1, not {self.workers}")
        if self.max_body < 1:
            raise ServerConfigError(f"--max-body must be a positive number of bytes, not {self.max_body}")
        if not self.timeout > 0:
            raise ServerConfigError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.concurrency < 1:
            raise ServerConfigError(f"--concurrency must be at least 1, not {self.concurrency}")
        if self.inline_chars < 0:
            raise ServerConfigError(f"--inline-chars must be 0 or more, not {self.inline_chars}")
        if self.token is not None and len(self.token) < 16:
            raise ServerConfigError("the bearer token must be at least 16 characters long")
        if not is_loopback(self.host) and not self.token:
            raise ServerConfigError(
                f"refusing to listen on {self.host!r} without a bearer token: anyone on the network could use "
                f"the service. Set {ENV_TOKEN} (or --token), or bind to 127.0.0.1"
            )
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ServerConfigError("--ssl-certfile and --ssl-keyfile go together: give both or neither")
        for origin in self.cors_origins:
            if origin != "*" and "://" not in origin:
                raise ServerConfigError(f"--cors-origin {origin!r} must be a full origin such as https://mail.example.com")
        return self

    def to_env(self) -> str:
        data = asdict(self)
        data.pop("extra")
        return json.dumps(data)

    @classmethod
    def from_env(cls) -> ServerConfig:
        raw = os.environ.get(ENV_CONFIG)
        if not raw:
            return cls(token=os.environ.get(ENV_TOKEN) or None).validate()
        data = json.loads(raw)
        data["cors_origins"] = tuple(data.get("cors_origins", ()))
        return cls(**data).validate()
