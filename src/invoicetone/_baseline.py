"""Baselines: record today's findings so that later runs fail only on new ones.

A finding's fingerprint is ``sha256(rule id, file, normalised text, occurrence index)``: it does not
contain a line number, so it survives lines added above it. The occurrence index tells apart two
identical findings in one file (the second "not our fault" is a new finding).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .emit._model import Diagnostic
from .errors import ConfigError

BASELINE_VERSION = 1
_SPACE = re.compile(r"\s+")
_BRANCH = re.compile(r"\s*branch \d+/\d+$")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def fingerprint(rule_id: str, path: str, text: str, occurrence: int) -> str:
    key = "\0".join((rule_id, path, normalise(text), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def with_fingerprints(diagnostics: Sequence[Diagnostic], key_path: str) -> list[Diagnostic]:
    """``diagnostics`` (of one file, in file order) with their fingerprints; ``key_path`` names the file."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for diag in sorted(diagnostics, key=lambda d: d.sort_key):
        # file-level findings (missing elements) are told apart by their unit (not its template
        # branch, whose number changes when a branch is added); other findings by their text
        text = _BRANCH.sub("", diag.unit) if diag.file_level else diag.text
        key = (diag.rule_id, "", normalise(text))
        occurrence = seen[key]
        seen[key] += 1
        out.append(replace(diag, fingerprint=fingerprint(diag.rule_id, key_path, text, occurrence)))
    return out


def baseline_key_path(path: Path, baseline_file: Path) -> str:
    """The file's path relative to the baseline's directory, so the baseline is independent of the cwd."""
    base = baseline_file.resolve().parent
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def load_baseline(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("baseline file not found; create it with --write-baseline", path=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"not a readable baseline file: {exc}", path=str(path)) from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(
            f"not an invoicetone baseline (expected version {BASELINE_VERSION} with a 'findings' list)",
            path=str(path), key="version",
        )
    prints = set()
    for index, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ConfigError("each finding needs a 'fingerprint' string", path=str(path), key=f"findings[{index}]")
        prints.add(entry["fingerprint"])
    return prints


def baseline_entries(diagnostics: Iterable[tuple[str, Diagnostic]]) -> list[dict[str, Any]]:
    entries = [
        {"fingerprint": d.fingerprint, "path": key, "rule_id": d.rule_id, "text": d.text if not d.file_level else d.unit}
        for key, d in diagnostics
    ]
    entries.sort(key=lambda e: (e["path"], e["rule_id"], e["text"], e["fingerprint"]))
    return entries


def write_baseline(path: Path, entries: list[dict[str, Any]]) -> None:
    payload = {"version": BASELINE_VERSION, "tool": "invoicetone", "findings": entries}
    atomic_write(path, (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and ``os.replace``."""
    directory = path.resolve().parent
    mode = None
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
