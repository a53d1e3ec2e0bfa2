"""Command line: ``invoicetone check FILE... | -``. Thin: parse arguments, call the Checker, print."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._checker import Checker
from ._model import Report, Severity
from .errors import InvoiceToneError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvoiceToneError(f"{path}: not UTF-8 text (byte {exc.start}): {exc.reason}") from exc


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def format_text(name: str, text: str, report: Report) -> str:
    lines = []
    for f in report.findings:
        line, col = _line_col(text, f.start)
        best = f" → {f.suggestions[0].replacement!r}" if f.suggestions else ""
        lines.append(f"{name}:{line}:{col}: {f.severity.value} {f.rule_id}: {f.message}{best}")
    for m in report.missing:
        lines.append(f"{name}: {m.severity.value} missing.{m.id}: {m.message} Try: {m.suggestion}")
    lines.append(f"{name}: score {report.score:.0f}/100 ({report.lang})")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invoicetone", description="Coach replies to invoice disputes.")
    parser.add_argument("--version", action="version", version=f"invoicetone {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check draft replies")
    check.add_argument("paths", nargs="+", metavar="FILE", help="files to check, or - for standard input")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--lang", choices=["en", "sk"], default=None, help="language (default: detect)")
    check.add_argument("--client-message", metavar="FILE", help="the client's message, as context")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    try:
        checker = Checker(lang=args.lang)
        client = _read(args.client_message) if args.client_message else None
        exit_code = EXIT_OK
        outputs = []
        for path in args.paths:
            text = _read(path)
            report = checker.check(text, client_message=client)
            name = "<stdin>" if path == "-" else path
            if any(f.severity.rank >= Severity.WARNING.rank for f in report.findings):
                exit_code = EXIT_FINDINGS
            if args.format == "json":
                outputs.append({"path": name, "report": report.to_dict()})
            else:
                print(format_text(name, text, report))
        if args.format == "json":
            print(json.dumps(outputs if len(outputs) != 1 else outputs[0], ensure_ascii=False, indent=2))
        return exit_code
    except FileNotFoundError as exc:
        print(f"invoicetone: error: {exc.filename}: no such file", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"invoicetone: error: {getattr(exc, 'filename', '')}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except InvoiceToneError as exc:
        print(f"invoicetone: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
