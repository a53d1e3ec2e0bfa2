"""The Thunderbird MailExtension in examples/thunderbird: manifest checks, and its request code run
under Node against a live service."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2] / "examples" / "thunderbird"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    return data


def test_manifest_declares_what_thunderbird_needs(manifest: dict[str, Any]) -> None:
    assert manifest["manifest_version"] in (2, 3)
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert "@" in gecko["id"] and int(gecko["strict_min_version"].split(".")[0]) >= 102
    assert "compose" in manifest["permissions"]  # getComposeDetails, setComposeDetails, onBeforeSend
    assert "storage" in manifest["permissions"]
    assert manifest["compose_action"]["default_popup"]
    assert manifest["options_ui"]["page"]


def test_host_access_is_loopback_unless_the_user_grants_more(manifest: dict[str, Any]) -> None:
    hosts = [p for p in manifest["permissions"] if "://" in p]
    assert hosts and all(re.match(r"https?://(127\.0\.0\.1|localhost)/", h) for h in hosts)


def test_every_referenced_file_exists(manifest: dict[str, Any]) -> None:
    referenced = [
        manifest["background"]["page"],
        manifest["compose_action"]["default_popup"],
        manifest["compose_action"]["default_icon"],
        manifest["options_ui"]["page"],
        *manifest["icons"].values(),
    ]
    for page in [p for p in referenced if p.endswith(".html")]:
        html = (ROOT / page).read_text(encoding="utf-8")
        for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
            assert not src.startswith(("http:", "https:", "//")), f"{page} loads remote code {src}"
            referenced.append(str((Path(page).parent / src).as_posix()))
    for name in referenced:
        assert (ROOT / name).is_file(), f"manifest or page references missing file {name}"


def test_send_hook_can_cancel() -> None:
    background = (ROOT / "background.js").read_text(encoding="utf-8")
    assert "compose.onBeforeSend.addListener" in background
    assert "cancel: true" in background


def test_request_code_has_no_extension_globals() -> None:
    client = (ROOT / "lib" / "client.mjs").read_text(encoding="utf-8")
    assert "messenger." not in client and "browser." not in client


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed; the extension's request code runs under `node --test`")
    return node


def test_request_code_against_the_live_service(server: LiveServer) -> None:
    node = _node()
    env = {**os.environ, "INVOICETONE_URL": server.url}
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", str(ROOT / "test")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^# fail 0$", output, re.M), output
    assert re.search(r"^# skipped 0$", output, re.M), output
    passed = int(re.search(r"^# pass (\d+)$", output, re.M).group(1))  # type: ignore[union-attr]
    assert passed >= 10, output
