"""The exception hierarchy: one root, :class:`InvoiceToneError`."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "InputError",
    "InputTooLarge",
    "InvoiceToneError",
    "PackError",
]


class InvoiceToneError(Exception):
    """Root of every error invoicetone raises on purpose."""


class PackError(InvoiceToneError):
    """A phrase pack file is wrong. Names the file, the rule id and the field to fix."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        rule_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.rule_id = rule_id
        self.field = field
        where = []
        if path:
            where.append(path)
        if rule_id:
            where.append(f"rule {rule_id!r}")
        if field:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ConfigError(InvoiceToneError):
    """A configuration value or contract mapping is wrong. Names the key."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        self.key = key
        self.path = path
        where = [p for p in (path, f"key {key!r}" if key else None) if p]
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class InputError(InvoiceToneError, ValueError):
    """The text given cannot be checked (bad value, unknown language, unreadable input)."""


class InputTooLarge(InputError):
    """The text is longer than the checker's configured ``max_chars``."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"input is {size:,} characters, above the limit of {limit:,}; "
            "split it or raise Checker(max_chars=...)"
        )
