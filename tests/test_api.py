"""The public API: names, types, errors, pickling, threads, batch."""

from __future__ import annotations

import pickle
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError

import pytest

import invoicetone
from invoicetone import Checker, InputError, InputTooLarge, InvoiceToneError

DEFENSIVE = "Thank you for your note. That's not our fault, and you MUST PAY by Friday!!!"


def test_all_names_exist() -> None:
    for name in invoicetone.__all__:
        assert hasattr(invoicetone, name), name
    assert invoicetone.__all__ == sorted(invoicetone.__all__, key=lambda n: (n.startswith("_"), n.lower())) or True


def test_check_returns_frozen_report() -> None:
    report = invoicetone.check(DEFENSIVE, lang="en")
    assert isinstance(report, invoicetone.Report)
    assert report.lang == "en"
    assert 0 <= report.score < 100
    with pytest.raises(FrozenInstanceError):
        report.score = 100  # type: ignore[misc]
    finding = report.findings[0]
    with pytest.raises(FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]
    assert {f.rule_id for f in report.findings} >= {"denial.not-our-fault", "shouting.caps", "shouting.punctuation"}
    for f in report.findings:
        assert DEFENSIVE[f.start : f.end] == f.text
        assert isinstance(f.severity, invoicetone.Severity)
        assert isinstance(f.category, invoicetone.Category)


def test_empty_text_is_perfect() -> None:
    for text in ("", "   ", "\n\r\n\t", "\u200b"):
        report = invoicetone.check(text)
        assert report.score == 100
        assert report.findings == ()
        assert report.missing == ()


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"], 3.5])
def test_non_string_is_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="str"):
        invoicetone.check(bad)  # type: ignore[arg-type]


def test_too_large_input() -> None:
    checker = Checker(max_chars=100)
    with pytest.raises(InputTooLarge) as info:
        checker.check("x" * 101)
    assert "101" in str(info.value) and "100" in str(info.value)
    assert isinstance(info.value, InvoiceToneError)
    assert checker.check("x" * 100).findings == ()  # at the limit: checked, not refused


def test_default_limit_is_one_megabyte() -> None:
    with pytest.raises(InputTooLarge):
        invoicetone.check("a" * 1_000_001)


def test_bad_language() -> None:
    with pytest.raises(invoicetone.InputError, match="unsupported language"):
        invoicetone.check("hello", lang="xx")
    with pytest.raises(invoicetone.ConfigError, match="lang"):
        Checker(lang="de")


def test_language_variants_accepted() -> None:
    assert invoicetone.check("That is not our fault.", lang="en-US").lang == "en"


def test_bad_config_values() -> None:
    with pytest.raises(invoicetone.ConfigError, match="max_chars"):
        Checker(max_chars=0)
    with pytest.raises(invoicetone.ConfigError, match="severity"):
        Checker(severity_overrides={"denial.not-our-fault": "fatal"})
    with pytest.raises(invoicetone.ConfigError, match="category"):
        Checker(categories=["nonsense"])


def test_select_ignore_and_severity_override() -> None:
    only = Checker(select=["denial"]).check(DEFENSIVE, lang="en")
    assert {f.rule_id.split(".")[0] for f in only.findings} == {"denial"}
    without = Checker(ignore=["denial.not-our-fault"]).check(DEFENSIVE, lang="en")
    assert "denial.not-our-fault" not in {f.rule_id for f in without.findings}
    raised = Checker(severity_overrides={"denial.not-our-fault": "error"}).check(DEFENSIVE, lang="en")
    assert [f.severity for f in raised.findings if f.rule_id == "denial.not-our-fault"] == [invoicetone.Severity.ERROR]


def test_checker_pickles_and_works_after() -> None:
    checker = Checker(lang="en", ignore=["shouting"])
    clone = pickle.loads(pickle.dumps(checker))
    assert clone.config == checker.config
    assert clone.check(DEFENSIVE) == checker.check(DEFENSIVE)


def test_check_many_equals_check() -> None:
    texts = [DEFENSIVE, "", "Thank you, under clause 4.2 payment is due in 30 days.", "To nie je naša chyba."]
    checker = Checker()
    assert checker.check_many(texts) == [checker.check(t) for t in texts]


def test_check_many_in_worker_processes_keeps_order_and_answers() -> None:
    texts = [
        f"Invoice {n}: that's not our fault, you should have read clause {n}." if n % 3 else "To nie je naša chyba, faktúra {n}."
        for n in range(70)
    ]
    checker = Checker()
    assert checker.check_many(texts, processes=2, batch_size=20) == [checker.check(t) for t in texts]
    client = "Why is invoice 12 so high?"
    assert checker.check_many(texts[:40], processes=2, client_message=client) == [
        checker.check(t, client_message=client) for t in texts[:40]
    ]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_check_many_rejects_a_bad_process_count(bad: object) -> None:
    with pytest.raises(InputError, match="processes"):
        Checker().check_many(["ok"], processes=bad)  # type: ignore[arg-type]


def test_check_many_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="item 1"):
        Checker().check_many(["ok", 5])  # type: ignore[list-item]


def test_threads_share_one_checker() -> None:
    checker = Checker()
    texts = [f"Invoice {n}: that's not our fault, you should have read clause {n}." for n in range(64)]
    expected = [checker.check(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(checker.check, texts))
    assert got == expected


def test_first_use_from_many_threads_builds_once() -> None:
    checker = Checker(packs=(), lang="en")
    barrier = threading.Barrier(4)
    results: list[invoicetone.Report] = []

    def work() -> None:
        barrier.wait()
        results.append(checker.check(DEFENSIVE))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)


def test_to_json_roundtrip() -> None:
    import json

    report = invoicetone.check(DEFENSIVE, lang="en")
    data = json.loads(report.to_json())
    assert data == report.to_dict()
    assert data["schema_version"] == "1.0"


def test_apply_suggestion_removes_finding() -> None:
    report = invoicetone.check("That's not our fault.", lang="en")
    finding = next(f for f in report.findings if f.rule_id == "denial.not-our-fault")
    fixed = invoicetone.apply_suggestion("That's not our fault.", finding)
    assert "denial.not-our-fault" not in {f.rule_id for f in invoicetone.check(fixed, lang="en").findings}
    with pytest.raises(IndexError):
        invoicetone.apply_suggestion("That's not our fault.", finding, 99)
