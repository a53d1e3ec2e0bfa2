"""Files for the command line: finding them, decoding them, splitting them into checkable units.

Directories are walked recursively; inside a git work tree the walk is ``git ls-files`` (tracked
and untracked files, ``.gitignore`` respected). Include / exclude globs use gitignore syntax
(pathspec), relative to the configuration file's directory. Format parsing itself lives in
:mod:`invoicetone.sources`; when that package is not installed every file is plain text.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pathspec

from ._document import Document, plain_document
from .errors import InputError

try:  # the format adapters (HTML, Markdown, e-mail, templates, JSON/YAML libraries)
    from .sources import FORMATS as _FORMATS
    from .sources import PLACEHOLDER_SYNTAXES as _PLACEHOLDER_SYNTAXES
    from .sources import SourceError as _SourceError
    from .sources import Suppression as _Suppression
    from .sources import Unit as _Unit
    from .sources import detect_format as _detect_format
    from .sources import parse_units as _parse_units

    HAVE_SOURCES = True
except ImportError:  # pragma: no cover - only while invoicetone.sources is absent
    HAVE_SOURCES = False

if HAVE_SOURCES:
    FORMATS: tuple[str, ...] = tuple(_FORMATS)
    PLACEHOLDER_SYNTAXES: tuple[str, ...] = tuple(_PLACEHOLDER_SYNTAXES)
    SourceError: type[InputError] = _SourceError
    Suppression: Any = _Suppression
    Unit: Any = _Unit
else:  # pragma: no cover
    FORMATS = ("plain",)
    PLACEHOLDER_SYNTAXES = ()

    class SourceError(InputError):  # type: ignore[no-redef]
        """A file that cannot be parsed in its format."""

    @dataclass(frozen=True)
    class Suppression:  # type: ignore[no-redef]
        rules: tuple[str, ...]
        start: int
        end: int
        line: int
        kind: str

    @dataclass(frozen=True)
    class Unit:  # type: ignore[no-redef]
        document: Document
        label: str
        client_message: str | None
        suppressions: tuple[Any, ...] = field(default=())


# File endings checked when a directory is walked (a file named on the command line is always checked).
EXTENSIONS = {
    ".txt": "plain", ".text": "plain",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html",
    ".eml": "email",
    ".j2": "jinja", ".jinja": "jinja", ".jinja2": "jinja",
    ".liquid": "liquid",
    ".hbs": "handlebars", ".handlebars": "handlebars", ".mustache": "handlebars",
    ".json": "json",
    ".yaml": "yaml", ".yml": "yaml",
}
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def detect_format(path: str | Path) -> str:
    """The input format for ``path`` (by file ending)."""
    if HAVE_SOURCES:
        return str(_detect_format(path))
    return "plain"  # pragma: no cover


def parse_units(text: str, fmt: str, *, key_paths: Sequence[str] = ("**",), placeholders: Sequence[str] | None = None) -> list[Any]:
    """Split ``text`` into :class:`Unit` s (one per template); raises :class:`SourceError`."""
    if HAVE_SOURCES:
        return list(_parse_units(text, fmt, key_paths=tuple(key_paths), placeholders=placeholders))
    return [Unit(plain_document(text), "", None, ())]  # pragma: no cover


# ---------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # codec used to encode the text back
    bom: bytes = b""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes: a BOM names the encoding, otherwise UTF-8. Raises :class:`InputError`."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec), codec, bom)
            except UnicodeDecodeError as exc:
                raise InputError(f"undecodable {codec} text at byte {exc.start + len(bom)}: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"not UTF-8 text: byte 0x{bad} at offset {exc.start} ({exc.reason}); save the file as UTF-8"
        ) from None


def encode(decoded: Decoded, text: str) -> bytes:
    return decoded.bom + text.encode(decoded.encoding)


def read_file(path: Path) -> Decoded:
    """Read and decode ``path``; every failure is an :class:`InputError` with the reason."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError("cannot read the file: permission denied") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}") from None
    return decode(data)


# ---------------------------------------------------------------------------- paths and globs


def relative_posix(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def spec_matches(patterns: Sequence[str], relative: str) -> bool:
    """Does a gitignore-style glob list match the ``/``-separated relative path?"""
    return bool(patterns) and _spec(tuple(patterns)).match_file(relative)


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as shown in output: relative to the working directory when below it, ``/``-separated."""
    here = (cwd or Path.cwd()).resolve()
    rel = relative_posix(path, here)
    return rel if rel is not None else path.resolve().as_posix()


@dataclass(frozen=True)
class Target:
    path: Path  # absolute
    display: str
    explicit: bool


def _git(args: Sequence[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="surrogateescape")


def git_toplevel(directory: Path) -> Path | None:
    out = _git(["rev-parse", "--show-toplevel"], directory)
    return Path(out.strip()).resolve() if out and out.strip() else None


def _walk(directory: Path, problems: list[Path]) -> Iterable[Path]:
    if git_toplevel(directory) is not None:
        listed = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."], directory)
        if listed is not None:
            for name in sorted(set(listed.split("\0"))):
                if name:
                    candidate = directory / name
                    if candidate.is_file():
                        yield candidate
            return
    def unreadable(error: OSError) -> None:
        problems.append(Path(error.filename))

    for root, dirs, files in os.walk(directory, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            yield Path(root) / name


class MissingPath(InputError):
    """A path named on the command line does not exist."""


def discover(
    paths: Sequence[str],
    *,
    root: Path,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    cwd: Path | None = None,
) -> tuple[list[Target], list[tuple[str, str]]]:
    """Files to check for ``paths`` and the problems met (``(path, reason)``), in sorted order.

    A directory yields files whose ending is a known format or that match ``include``; ``exclude``
    removes files (named or found). Globs are relative to ``root``.
    """
    targets: dict[Path, Target] = {}
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_absolute():
            path = (cwd or Path.cwd()) / path
        if not path.exists():
            problems.append((raw, "no such file or directory"))
            continue
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                problems.append((display_path(path, cwd), "cannot read the directory: permission denied"))
                continue
            unreadable: list[Path] = []
            for found in _walk(path, unreadable):
                rel = relative_posix(found, root) or found.name
                wanted = spec_matches(include, rel) if include else found.suffix.lower() in EXTENSIONS
                if wanted and not spec_matches(exclude, rel):
                    resolved = found.resolve()
                    targets.setdefault(resolved, Target(resolved, display_path(found, cwd), False))
            problems.extend((display_path(p, cwd), "cannot read the directory: permission denied") for p in unreadable)
        else:
            rel = relative_posix(path, root) or path.name
            if not spec_matches(exclude, rel):
                resolved = path.resolve()
                targets[resolved] = Target(resolved, display_path(path, cwd), True)
    ordered = sorted(targets.values(), key=lambda t: t.display)
    return ordered, problems


# ---------------------------------------------------------------------------- changed lines


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(ref: str, directory: Path) -> dict[Path, set[int] | None]:
    """Lines added or changed since ``ref`` per file (``None``: the whole file is new).

    Raises :class:`InputError` when ``directory`` is not in a git work tree or ``ref`` is unknown.
    """
    top = git_toplevel(directory)
    if top is None:
        raise InputError(f"--changed-since needs a git work tree; {directory} is not in one")
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top) is None:
        raise InputError(f"--changed-since: unknown git revision {ref!r}")
    diff = _git(["diff", "--no-color", "--no-ext-diff", "-U0", "--relative", ref, "--"], top)
    if diff is None:
        raise InputError(f"--changed-since: git diff against {ref!r} failed")
    result: dict[Path, set[int] | None] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            if name == "/dev/null":
                current = None
                continue
            name = name[2:] if name.startswith("b/") else name
            current = result.setdefault((top / name).resolve(), set())
            continue
        match = _HUNK.match(line)
        if match and current is not None:
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            current.update(range(start, start + count))
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard"], top) or ""
    for name in untracked.split("\0"):
        if name:
            result[(top / name).resolve()] = None
    return result
