"""``invoicetone check`` end to end: inputs, positions, exit codes, robustness, workers."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from invoicetone import cli
from invoicetone._files import HAVE_SOURCES

from .conftest import git, needs_git

BAD = "Hi Dana,\n\nThat's not our fault, you should have read the contract!!!\n"
GOOD = (
    "Hi Dana,\n\nThank you for raising this; I understand why the total looks high. Under clause 4 of our agreement "
    "the support hours are billed monthly. If it helps, we can split the balance into two payments. "
    "I will send you the timesheet by Friday.\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_codes_clean_and_findings(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "good.txt").write_text(GOOD, encoding="utf-8")
    (in_tmp / "bad.txt").write_text(BAD, encoding="utf-8")
    code, out, _ = run(capsys, "check", "good.txt", "--lang", "en")
    assert code == 0, out
    code, out, _ = run(capsys, "check", "bad.txt", "good.txt", "--lang", "en")
    assert code == 1
    assert "bad.txt:3:1: warning denial.not-our-fault" in out
    assert "good.txt:" not in out.split("\n")[0]
    assert out.rstrip().splitlines()[-1].endswith(").") and "in 1 of 2 files" in out


def test_fail_on_error_and_fail_under(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "bad.txt").write_text(BAD, encoding="utf-8")
    assert run(capsys, "check", "bad.txt", "--fail-on", "error")[0] == 0
    assert run(capsys, "check", "bad.txt", "--fail-on", "error", "--fail-under", "99")[0] == 1


def test_usage_errors_exit_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--format", "yaml")
    assert code == 2 and "invalid choice" in err
    code, out, err = run(capsys, "check", "missing.txt")
    assert code == 2 and "missing.txt: error no such file or directory" in out
    assert run(capsys, "check", "--select", "blame.shuld-have", ".")[0] == 2


def test_unknown_selector_names_the_key(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "a.txt").write_text(BAD, encoding="utf-8")
    code, _, err = run(capsys, "check", "a.txt", "--select", "denial.not-our-faul")
    assert code == 2
    assert "key 'select'" in err and "denial.not-our-fault" in err


def test_json_positions_point_into_the_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Hello,\r\n\r\nFrankly, that’s\r\nnot our fault!!!\r\n"
    (in_tmp / "crlf.txt").write_bytes(text.encode("utf-8"))
    code, out, _ = run(capsys, "check", "crlf.txt", "--format", "json", "--lang", "en")
    assert code == 1
    data = json.loads(out)
    assert data["cli_schema_version"] == "1.0"
    file = data["files"][0]
    lines = text.split("\n")
    assert file["diagnostics"]
    for diag in file["diagnostics"]:
        if diag["file_level"]:
            continue
        assert text[diag["start"]:diag["end"]] == diag["text"]
        line = lines[diag["line"] - 1]
        assert line[diag["column"] - 1:].startswith(diag["text"].split("\r")[0])
    finding = file["units"][0]["report"]["findings"][0]
    assert {"line", "column", "end_line", "end_column", "rule_id", "suggestions"} <= set(finding)


def test_stdin(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode("utf-8"))))
    code, out, _ = run(capsys, "check", "-", "--lang", "en")
    assert code == 1
    assert "<stdin>:3:1: warning denial.not-our-fault" in out


def test_directory_walk_with_include_exclude(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "lib" / "old").mkdir(parents=True)
    (in_tmp / "lib" / "a.txt").write_text(BAD, encoding="utf-8")
    (in_tmp / "lib" / "b.md").write_text(BAD, encoding="utf-8")
    (in_tmp / "lib" / "old" / "c.txt").write_text(BAD, encoding="utf-8")
    (in_tmp / "lib" / "code.py").write_text("print('NOT OUR FAULT!!!')\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "lib", "--format", "json")
    paths = [f["path"] for f in json.loads(out)["files"]]
    assert paths == ["lib/a.txt", "lib/b.md", "lib/old/c.txt"]
    _, out, _ = run(capsys, "check", "lib", "--format", "json", "--exclude", "old/", "--include", "*.txt")
    assert [f["path"] for f in json.loads(out)["files"]] == ["lib/a.txt"]


@needs_git
def test_gitignore_respected_in_a_work_tree(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(in_tmp, "init", "-q")
    (in_tmp / ".gitignore").write_text("drafts/\n*.bak.txt\n", encoding="utf-8")
    (in_tmp / "drafts").mkdir()
    (in_tmp / "drafts" / "x.txt").write_text(BAD, encoding="utf-8")
    (in_tmp / "keep.txt").write_text(BAD, encoding="utf-8")
    (in_tmp / "old.bak.txt").write_text(BAD, encoding="utf-8")
    _, out, _ = run(capsys, "check", ".", "--format", "json")
    assert [f["path"] for f in json.loads(out)["files"]] == ["keep.txt"]


def test_bad_files_are_reported_and_the_run_continues(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (in_tmp / "latin1.txt").write_bytes("Caf\xe9 not our fault".encode("latin-1"))
    (in_tmp / "good.txt").write_text(GOOD, encoding="utf-8")
    code, out, err = run(capsys, "check", ".", "--lang", "en")
    assert code == 1
    assert "binary.txt: error binary file" in out
    assert "latin1.txt: error not UTF-8 text: byte 0xe9 at offset 3" in out
    assert "Traceback" not in out + err
    assert "2 files could not be checked" in out


def test_unreadable_file_and_directory(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "sub").mkdir()
    (in_tmp / "secret.txt").write_text(GOOD, encoding="utf-8")
    real_read = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    real_walk = os.walk

    def walk_with_error(top: str, onerror: object = None, **kw: object) -> object:
        if callable(onerror):
            onerror(PermissionError(13, "Permission denied", str(Path(top) / "sub")))
        return real_walk(top, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "walk", walk_with_error)
    monkeypatch.setattr("invoicetone._files.git_toplevel", lambda d: None)
    code, out, err = run(capsys, "check", ".", "--lang", "en")
    assert code == 1
    assert "secret.txt: error cannot read the file: permission denied" in out
    assert "sub: error cannot read the directory: permission denied" in out
    assert "Traceback" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_real_permission_denied(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:  # pragma: no cover
    secret = in_tmp / "secret.txt"
    secret.write_text(GOOD, encoding="utf-8")
    secret.chmod(0)
    try:
        code, out, _ = run(capsys, "check", "secret.txt")
    finally:
        secret.chmod(0o644)
    assert code == 1 and "permission denied" in out


@pytest.mark.skipif(not HAVE_SOURCES, reason="invoicetone.sources is not installed yet")
def test_malformed_json_is_a_file_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "macros.json").write_text('{"body": "Thank you", ', encoding="utf-8")
    code, out, err = run(capsys, "check", "macros.json")
    assert code == 1 and "macros.json: error" in out and "Traceback" not in err


def test_worker_pool_gives_the_same_answer(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(6):
        (in_tmp / f"t{i}.txt").write_text(BAD if i % 2 else GOOD, encoding="utf-8")
    _, serial, _ = run(capsys, "check", ".", "--format", "json", "--jobs", "1", "--lang", "en")
    monkeypatch.setattr(cli, "POOL_THRESHOLD", 2)
    code, pooled, _ = run(capsys, "check", ".", "--format", "json", "--jobs", "2", "--lang", "en")
    assert code == 1
    assert pooled == serial


def test_progress_bar_only_on_a_terminal() -> None:
    stream = io.StringIO()
    bar = cli.Progress(3, stream, enabled=False)
    for _ in range(3):
        bar.step()
    bar.close()
    assert stream.getvalue() == ""
    bar = cli.Progress(3, stream, enabled=True)
    for _ in range(3):
        bar.step()
    assert "3/3 files" in stream.getvalue()


def test_colour_only_on_a_tty_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert cli._colour("auto", Tty()) is True
    assert cli._colour("auto", io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._colour("auto", Tty()) is False
    assert cli._colour("always", io.StringIO()) is True


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    exe = Path(sys.executable).with_name("invoicetone")
    done = subprocess.run([str(exe), "check", str(bad), str(tmp_path / "nope")], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "nope: error no such file or directory" in done.stdout
