"""End to end: the playground in headless Chromium (Debian's ``chromium``), driven by Playwright.

Paste a defensive draft, see the highlight, hover for the explanation, apply the suggestion, see the
score rise. Saves the screenshot used in docs/ (docs/playground.png).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import invoicetone

from .conftest import LiveServer

CHROMIUM = os.environ.get("INVOICETONE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        "Chromium is not installed; install it with: apt-get install -y chromium",
        allow_module_level=True,
    )
from playwright import sync_api  # noqa: E402  (in the test extra; only Chromium itself may be absent)

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "playground.png"
CLIENT = "Hello, invoice INV-1042 charges 40 hours but we agreed on 30. Please explain."
DRAFT = "Hi Dana,\n\nThat's not our fault, you should have read the contract.\n\nRegards,\nTom"


@pytest.fixture(scope="module")
def page(server: LiveServer) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # HTTP error statuses show as console errors too; the 501 of an absent outline helper is expected
            page.on(
                "console",
                lambda msg: errors.append(msg.text)
                if msg.type == "error" and not msg.text.startswith("Failed to load resource")
                else None,
            )
            page.goto(server.url + "/")
            yield page
            assert not errors, f"the page logged errors: {errors}"
        finally:
            browser.close()


def test_highlight_hover_apply_and_score_rises(page: object) -> None:
    p = page  # playwright Page
    p.fill("#client", CLIENT)  # type: ignore[attr-defined]
    p.fill("#draft", DRAFT)  # type: ignore[attr-defined]
    p.click("#check")  # type: ignore[attr-defined]
    mark = p.locator('mark.finding[data-rule="denial.not-our-fault"]')  # type: ignore[attr-defined]
    mark.wait_for(state="visible", timeout=15000)
    assert mark.inner_text() == "That's not our fault"
    assert mark.get_attribute("data-severity") in {"warning", "error"}
    before = float(p.locator("#score").get_attribute("data-score"))  # type: ignore[attr-defined]
    assert before < 100

    mark.hover()
    tip = p.locator("#tip")  # type: ignore[attr-defined]
    tip.wait_for(state="visible")
    assert "defensive" in tip.inner_text().lower()
    # the checklist shows what is missing (no acknowledgement in this draft)
    assert p.locator('#checklist li.lack[data-element="acknowledgement"]').count() == 1  # type: ignore[attr-defined]
    SCREENSHOT.parent.mkdir(exist_ok=True)
    p.screenshot(path=str(SCREENSHOT), full_page=True)  # type: ignore[attr-defined]

    mark.click()
    tip.locator("button.suggestion").first.click()
    try:
        p.wait_for_function(  # type: ignore[attr-defined]
            "b => parseFloat(document.getElementById('score').dataset.score) > b", arg=before, timeout=15000
        )
    except Exception as exc:  # say what the page shows, not just that it timed out
        shown = (p.locator("#status").inner_text(), p.input_value("#draft"), p.locator("#score").get_attribute("data-score"))  # type: ignore[attr-defined]
        raise AssertionError(f"score did not rise after applying the suggestion; status, draft, score: {shown!r}") from exc
    after = float(p.locator("#score").get_attribute("data-score"))  # type: ignore[attr-defined]
    assert after > before
    draft = p.input_value("#draft")  # type: ignore[attr-defined]
    assert "not our fault" not in draft and "Let me look into what happened" in draft
    assert p.locator('mark.finding[data-rule="denial.not-our-fault"]').count() == 0  # type: ignore[attr-defined]


def test_slovak_interface(page: object) -> None:
    p = page
    p.click("#ui-sk")  # type: ignore[attr-defined]
    assert p.locator("#check").inner_text() == "Skontrolovať"  # type: ignore[attr-defined]
    p.click("#ui-en")  # type: ignore[attr-defined]
    assert p.locator("#check").inner_text() == "Check"  # type: ignore[attr-defined]


def test_outline_button_answers(page: object) -> None:
    p = page
    p.click("#outline-btn")  # type: ignore[attr-defined]
    p.wait_for_function("() => !/…/.test(document.getElementById('outline').textContent)", timeout=15000)  # type: ignore[attr-defined]
    text = p.locator("#outline").inner_text()  # type: ignore[attr-defined]
    if not hasattr(invoicetone, "outline"):
        assert text == "This server has no outline helper yet."
        return
    assert text and "failed" not in text.lower() and "no outline helper" not in text
    if p.locator("#use-outline").count():  # type: ignore[attr-defined]
        before = p.locator("#score").get_attribute("data-score")  # type: ignore[attr-defined]
        p.click("#use-outline")  # type: ignore[attr-defined]
        p.wait_for_function(  # type: ignore[attr-defined]
            "b => document.getElementById('score').dataset.score !== b", arg=before, timeout=15000
        )
        assert p.input_value("#draft").strip()  # type: ignore[attr-defined]
        assert float(p.locator("#score").get_attribute("data-score")) >= 80  # type: ignore[attr-defined]
