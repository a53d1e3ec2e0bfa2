"""invoicetone's HTTP service (``pip install 'invoicetone[server]'``; run ``invoicetone serve``).

A thin adapter over :class:`invoicetone.Checker`: a native JSON API under ``/v1``, a
LanguageTool-compatible API under ``/v2`` for the add-ons and clients that already speak it, and a
self-contained playground page at ``/``. The core library never imports this package, and importing
it does not import Starlette until the application is built (so ``invoicetone serve --help`` works
without the extra).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._config import ServerConfig, ServerConfigError, is_loopback

if TYPE_CHECKING:
    from ._app import create_app, openapi_document

__all__ = ["ServerConfig", "ServerConfigError", "app_from_env", "create_app", "is_loopback", "openapi_document"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "openapi_document"):
        from . import _app

        return getattr(_app, name)
    raise AttributeError(f"module 'invoicetone.server' has no attribute {name!r}")


def app_from_env() -> Any:
    """The application configured by ``INVOICETONE_SERVE_CONFIG`` (how ``serve --workers N`` starts workers)."""
    from ._app import create_app

    return create_app(ServerConfig.from_env(), freeze_heap=True)
