"""Configuration for the command line: ``[tool.invoicetone]`` in ``pyproject.toml`` or ``invoicetone.toml``.

The file is found upward from the checked path (``--config`` names one instead). Every key is
validated when it loads; a mistake raises :class:`~invoicetone.ConfigError` naming the file and the
key. Per-path ``[[tool.invoicetone.overrides]]`` tables change settings for files matching their
``paths`` globs (relative to the configuration file's directory); later tables win.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ._model import Category, Severity
from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CONFIG_NAMES = ("invoicetone.toml", "pyproject.toml")
FAIL_ON = ("info", "warning", "error")
LANGS = ("en", "sk", "auto")

# keys allowed at the top level; OVERRIDE_KEYS may also appear in an [[overrides]] table
TOP_KEYS = frozenset(
    {
        "lang", "select", "ignore", "categories", "severity", "packs", "placeholders", "include",
        "exclude", "required", "fail_on", "fail_under", "key_paths", "input_format", "overrides",
    }
)
OVERRIDE_KEYS = frozenset(
    {"paths", "lang", "select", "ignore", "categories", "severity", "packs", "placeholders", "required", "key_paths", "input_format"}
)


@dataclass(frozen=True)
class Settings:
    """The effective settings for one file (hashable: files with equal settings share a Checker)."""

    lang: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    categories: tuple[str, ...] | None = None
    severity: tuple[tuple[str, str], ...] = ()
    packs: tuple[str, ...] = ()
    placeholders: tuple[str, ...] | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    required: tuple[str, ...] | None = None
    fail_on: str = "warning"
    fail_under: float | None = None
    key_paths: tuple[str, ...] = ("**",)
    input_format: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "severity":
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    values: tuple[tuple[str, Any], ...]
    index: int


@dataclass(frozen=True)
class Config:
    """A loaded configuration file (or none) and the directory its relative paths start from."""

    path: Path | None
    root: Path
    base: Settings = field(default_factory=Settings)
    overrides: tuple[Override, ...] = ()

    def matching_overrides(self, file: Path) -> list[Override]:
        from ._files import relative_posix, spec_matches

        rel = relative_posix(file, self.root)
        if rel is None:
            return []
        return [o for o in self.overrides if spec_matches(o.paths, rel)]

    def for_path(self, file: Path | None, cli: Mapping[str, Any] | None = None) -> Settings:
        """Settings for ``file``: the base, then every matching override in order, then ``cli``."""
        settings = self.base
        if file is not None:
            for override in self.matching_overrides(file):
                settings = replace(settings, **dict(override.values))
        if cli:
            settings = replace(settings, **{k: v for k, v in cli.items() if v is not None})
        return settings


def find_config(start: Path) -> Path | None:
    """The nearest ``invoicetone.toml``, or ``pyproject.toml`` with a ``[tool.invoicetone]`` table."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "invoicetone.toml":
                return candidate
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                # a broken pyproject.toml is only our business when it has our table; we cannot tell
                if "[tool.invoicetone" in candidate.read_text(encoding="utf-8", errors="replace"):
                    return candidate
                continue
            if isinstance(data.get("tool"), dict) and "invoicetone" in data["tool"]:
                return candidate
    return None


def load_config(path: Path | None, *, root: Path | None = None) -> Config:
    """Load and validate ``path`` (None: defaults, relative paths from ``root`` or the cwd)."""
    if path is None:
        return Config(path=None, root=(root or Path.cwd()).resolve())
    path = path.resolve()
    spath = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path=spath) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file: {exc}", path=spath) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=spath) from None
    prefix = ""
    if path.name == "pyproject.toml" or (isinstance(data.get("tool"), dict) and "invoicetone" in data["tool"]):
        table = data.get("tool", {}).get("invoicetone", {}) if isinstance(data.get("tool"), dict) else {}
        prefix = "tool.invoicetone."
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError("must be a table", path=spath, key=prefix.rstrip(".") or "invoicetone")
    validator = _Validator(spath, path.parent, prefix)
    base_values = validator.table(table, TOP_KEYS, prefix)
    overrides: list[Override] = []
    raw_overrides = table.get("overrides", [])
    if not isinstance(raw_overrides, list) or not all(isinstance(o, dict) for o in raw_overrides):
        raise ConfigError("must be an array of tables ([[tool.invoicetone.overrides]])", path=spath, key=prefix + "overrides")
    for index, entry in enumerate(raw_overrides):
        where = f"{prefix}overrides[{index}]."
        values = validator.table(entry, OVERRIDE_KEYS, where)
        paths = values.pop("paths", None)
        if not paths:
            raise ConfigError("each override needs 'paths', a list of glob patterns", path=spath, key=where + "paths")
        overrides.append(Override(paths=paths, values=tuple(sorted(values.items())), index=index))
    base_values.pop("overrides", None)
    return Config(path=path, root=path.parent, base=Settings(**base_values), overrides=tuple(overrides))


class _Validator:
    def __init__(self, spath: str, base_dir: Path, prefix: str) -> None:
        self.spath = spath
        self.base_dir = base_dir
        self.prefix = prefix

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(message, path=self.spath, key=key)

    def table(self, table: Mapping[str, Any], allowed: frozenset[str], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in table.items():
            full = where + key
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(sorted(allowed))}"
                raise self.error(full, f"unknown key{hint}")
            if key == "overrides":
                continue
            out[key] = self.value(key, value, full)
        return out

    def strings(self, value: Any, full: str, *, allow_empty: bool = True) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(full, "must be a list of non-empty strings")
        if not value and not allow_empty:
            raise self.error(full, "must not be empty")
        return tuple(value)

    def value(self, key: str, value: Any, full: str) -> Any:
        if key == "lang":
            if value not in LANGS:
                raise self.error(full, f"must be one of {', '.join(LANGS)}, not {value!r}")
            return None if value == "auto" else value
        if key == "placeholders":
            from ._files import PLACEHOLDER_SYNTAXES

            names = self.strings(value, full)
            for name in names:
                if PLACEHOLDER_SYNTAXES and name not in PLACEHOLDER_SYNTAXES:
                    raise self.error(full, f"unknown placeholder syntax {name!r}; known: {', '.join(PLACEHOLDER_SYNTAXES)}")
            return names
        if key in ("select", "ignore", "include", "exclude", "paths", "required"):
            return self.strings(value, full, allow_empty=key not in ("paths",))
        if key == "key_paths":
            return self.strings(value, full, allow_empty=False)
        if key == "categories":
            names = self.strings(value, full)
            known = sorted(c.value for c in Category)
            for name in names:
                if name not in known:
                    raise self.error(full, f"unknown category {name!r}; known: {', '.join(known)}")
            return names
        if key == "severity":
            if not isinstance(value, dict):
                raise self.error(full, 'must be a table of rule id = "info" | "warning" | "error"')
            for rule_id, level in value.items():
                if level not in {s.value for s in Severity}:
                    raise self.error(f"{full}.{rule_id}", f"must be info, warning or error, not {level!r}")
            return tuple(sorted(value.items()))
        if key == "packs":
            dirs = []
            for entry in self.strings(value, full):
                directory = (self.base_dir / entry).resolve()
                if not directory.is_dir():
                    raise self.error(full, f"pack directory {entry!r} not found (looked in {directory})")
                dirs.append(str(directory))
            return tuple(dirs)
        if key == "fail_on":
            if value not in FAIL_ON:
                raise self.error(full, f"must be one of {', '.join(FAIL_ON)}, not {value!r}")
            return value
        if key == "fail_under":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
                raise self.error(full, f"must be a number from 0 to 100, not {value!r}")
            return float(value)
        if key == "input_format":
            from ._files import FORMATS

            if value not in FORMATS:
                raise self.error(full, f"must be one of {', '.join(FORMATS)}, not {value!r}")
            return value
        raise self.error(full, "unknown key")  # pragma: no cover - guarded by table()


def settings_toml(settings: Settings, *, source: Path | None) -> str:
    """The effective settings as a ``[tool.invoicetone]`` table (``invoicetone config``)."""
    import json

    lines = [f"# configuration file: {source if source else '(none, defaults)'}", "[tool.invoicetone]"]
    for key, value in settings.to_dict().items():
        if value is None:
            lines.append(f"# {key} is not set")
            continue
        if isinstance(value, dict):
            inline = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {inline} }}" if inline else f"{key} = {{}}")
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
