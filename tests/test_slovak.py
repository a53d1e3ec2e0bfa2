"""Slovak: the seed's acceptance cases, diacritics, offsets, and the shipped lemma table."""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

import pytest

import invoicetone
from invoicetone._folding import load_table, pack_lemmas, parse_table, table_path
from invoicetone._nlp import fold, lemma_of

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SEED_BAD_1 = "To nie je naša chyba."
SEED_BAD_2 = "Takto jednoducho funguje naša fakturácia - mali ste to vedieť."
SEED_GOOD = (
    "Ďakujeme, že ste sa podelili o svoje obavy. Preskúmame faktúru spolu s dohodnutými "
    "podmienkami, aby sme si ich vysvetlili."
)


def undiacritised(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def warnings(report: invoicetone.Report) -> list[invoicetone.Finding]:
    return [f for f in report.findings if f.severity.rank >= invoicetone.Severity.WARNING.rank]


def spans(report: invoicetone.Report) -> list[tuple[str, str]]:
    return [(f.rule_id, f.text) for f in warnings(report)]


# ----------------------------------------------------------------------------- seed acceptance


@pytest.mark.parametrize("transform", [str, undiacritised], ids=["diacritics", "undiacritised"])
def test_seed_not_our_fault_is_flagged_with_a_slovak_paraphrase(
    checker: invoicetone.Checker, transform: object
) -> None:
    text = transform(SEED_BAD_1)  # type: ignore[operator]
    report = checker.check(text)
    assert report.lang == "sk"
    assert spans(report) == [("denial.not-our-fault", text[:-1])]
    finding = warnings(report)[0]
    assert finding.suggestions[0].replacement == "Pozrieme sa, čo sa stalo"
    fixed = invoicetone.apply_suggestion(text, finding)
    assert fixed == "Pozrieme sa, čo sa stalo."
    assert not warnings(checker.check(fixed, lang="sk"))


@pytest.mark.parametrize("transform", [str, undiacritised], ids=["diacritics", "undiacritised"])
def test_seed_thats_how_billing_works_is_flagged(checker: invoicetone.Checker, transform: object) -> None:
    text = transform(SEED_BAD_2)  # type: ignore[operator]
    report = checker.check(text)
    assert report.lang == "sk"
    found = dict(spans(report))
    assert found == {
        "policy.how-it-works": text[: text.index(" -")],
        "blame.should-have": text[text.index("mali") : -1],
    }
    suggestions = {f.rule_id: f.suggestions[0].replacement for f in warnings(report)}
    assert suggestions["policy.how-it-works"] == "Radi vám vysvetlíme, ako sme postupovali"
    assert suggestions["blame.should-have"] == "radi vám ukážeme, kde je to uvedené"


def test_seed_good_reply_has_no_warning(checker: invoicetone.Checker) -> None:
    for text in (SEED_GOOD, undiacritised(SEED_GOOD)):
        report = checker.check(text)
        assert report.lang == "sk"
        assert not warnings(report), spans(report)
        # No phrase finding costs points; what the score still misses comes from missing elements
        # (structure), each named in the penalties.
        assert all(p.source in {m.id for m in report.missing} for p in report.penalties)
        assert report.score >= 80, report.penalties


# ----------------------------------------------------------------------------- the brief's phrases

FLAGGED = {
    "Nie je to naša chyba.": "denial.not-our-fault",
    "To nie je naša chyba.": "denial.not-our-fault",
    "Chyba nie je na našej strane.": "denial.not-our-fault",
    "Za to my nemôžeme.": "denial.not-our-fault",
    "Nenesieme zodpovednosť za oneskorenie.": "denial.not-responsible",
    "Mali ste to vedieť.": "blame.should-have",
    "Mali ste si prečítať zmluvu.": "blame.should-have",
    "Ako som už písal, cena platí.": "condescension.as-i-explained",
    "Ako som už písala, cena platí.": "condescension.as-i-explained",
    "Píšem vám už po tretíkrát.": "passive_aggression.ordinal-repetition",
    "Odovzdáme to na vymáhanie.": "threat.collections",
    "Podáme žalobu.": "threat.legal-action",
    "Vždy platíte neskoro.": "absolute.you-always",
    "Pravidlá sú pravidlá.": "policy.tautology",
    "Takto to u nás funguje.": "policy.how-it-works",
    "Takto jednoducho funguje naša fakturácia.": "policy.how-it-works",
}
HARD_NEGATIVES = [
    "Nie je to vaša chyba.",
    "Platba sa vrátila bez vášho zavinenia.",
    "Mali ste dostať opravenú faktúru.",
    "Podľa článku 4.2 zmluvy je splatnosť 14 dní.",
    "V prílohe posielame konečnú faktúru.",
    "Nikdy neúčtujeme úpravy v rámci rozsahu.",
    "Ako sme sa dohodli, posielame opravenú faktúru.",
    "Ďakujeme, že vždy platíte včas.",
    "Chápem, že sa vám to môže zdať nejasné.",
    "Pozrieme sa, čo sa stalo.",
]


@pytest.mark.parametrize("text", list(FLAGGED), ids=list(FLAGGED))
def test_brief_phrases_are_flagged_with_and_without_diacritics(checker: invoicetone.Checker, text: str) -> None:
    for variant in (text, undiacritised(text), text.lower(), undiacritised(text).upper()):
        report = checker.check(variant, lang="sk")
        assert FLAGGED[text] in {f.rule_id for f in warnings(report)}, variant


@pytest.mark.parametrize("text", HARD_NEGATIVES, ids=HARD_NEGATIVES)
def test_hard_negatives_pass(checker: invoicetone.Checker, text: str) -> None:
    for variant in (text, undiacritised(text)):
        assert not warnings(checker.check(variant, lang="sk")), variant


# ----------------------------------------------------------------------------- offsets


def _only(report: invoicetone.Report, rule_id: str) -> invoicetone.Finding:
    found = [f for f in report.findings if f.rule_id == rule_id]
    assert len(found) == 1, report.findings
    return found[0]


def test_offsets_with_diacritics_index_the_original(checker: invoicetone.Checker) -> None:
    text = "Dobrý deň, pani Kováčová. Úprimne, nie je to naša chyba, ďakujeme."
    finding = _only(checker.check(text, lang="sk"), "denial.not-our-fault")
    assert (finding.start, finding.end) == (35, 55)
    assert text[finding.start : finding.end] == finding.text == "nie je to naša chyba"


def test_offsets_with_nbsp(checker: invoicetone.Checker) -> None:
    text = "Úprimne,\u00a0to\u00a0nie\u00a0je naša\u00a0chyba."
    finding = _only(checker.check(text, lang="sk"), "denial.not-our-fault")
    assert text[finding.start : finding.end] == finding.text == "to\u00a0nie\u00a0je naša\u00a0chyba"


def test_offsets_with_crlf(checker: invoicetone.Checker) -> None:
    text = "Dobrý deň,\r\n\r\nza to my nemôžeme.\r\nMali ste si prečítať zmluvu.\r\n\r\nS pozdravom\r\nJana"
    report = checker.check(text, lang="sk")
    denial = _only(report, "denial.not-our-fault")
    blame = _only(report, "blame.should-have")
    assert text[denial.start : denial.end] == denial.text == "za to my nemôžeme"
    assert text[blame.start : blame.end] == blame.text == "Mali ste si prečítať zmluvu"
    assert denial.start == text.index("za to")


def test_phrase_broken_over_lines_still_matches(checker: invoicetone.Checker) -> None:
    text = "Takto to u nás\r\nfunguje."
    finding = _only(checker.check(text, lang="sk"), "policy.how-it-works")
    assert finding.text == "Takto to u nás\r\nfunguje"


def test_offsets_with_decomposed_diacritics(checker: invoicetone.Checker) -> None:
    text = unicodedata.normalize("NFD", "Úprimne, nie je to naša chyba.")
    finding = _only(checker.check(text, lang="sk"), "denial.not-our-fault")
    assert text[finding.start : finding.end] == finding.text
    assert unicodedata.normalize("NFC", finding.text) == "nie je to naša chyba"


def test_undiacritised_offsets(checker: invoicetone.Checker) -> None:
    text = "Dobry den, za to my nemozeme, mali ste si precitat zmluvu."
    report = checker.check(text)
    assert report.lang == "sk"
    assert {(f.rule_id, text[f.start : f.end]) for f in warnings(report)} == {
        ("denial.not-our-fault", "za to my nemozeme"),
        ("blame.should-have", "mali ste si precitat zmluvu"),
    }


# ----------------------------------------------------------------------------- Slovak shouting


def test_slovak_acronyms_are_not_shouting(checker: invoicetone.Checker) -> None:
    text = "Na faktúre chýba IČO, DIČ a IČ DPH; platbu pošlite cez SEPA na IBAN uvedený vo VOP."
    assert not [f for f in checker.check(text, lang="sk").findings if f.category.value == "shouting"]


def test_slovak_capitals_are_shouting(checker: invoicetone.Checker) -> None:
    report = checker.check("Faktúru MUSÍTE ZAPLATIŤ do piatka!!!", lang="sk")
    assert {(f.rule_id, f.text) for f in report.findings} >= {
        ("shouting.caps", "MUSÍTE ZAPLATIŤ"),
        ("shouting.punctuation", "!!!"),
    }


# ----------------------------------------------------------------------------- lemma table


def test_lemma_table_covers_every_lemma_the_slovak_data_names() -> None:
    table = load_table("sk")
    assert table is not None
    missing = pack_lemmas(DATA) - table.lemmas
    assert not missing, f"run tools/build_sk_lemmas.py: the table lacks {sorted(missing)}"


def test_lemma_table_is_small() -> None:
    """A compact table (its load time is part of bench/slovak_speed.py's first check, not timed here)."""
    path = table_path("sk")
    assert path.stat().st_size < 200_000
    table = parse_table(gzip.decompress(path.read_bytes()))
    assert 0 < len(table.exact) < 60_000


def test_lemmas_with_and_without_diacritics() -> None:
    for form, lemma in [
        ("naša", "nas"),
        ("nasa", "nas"),
        ("chybou", "chyba"),
        ("právnikovi", "pravnik"),
        ("pravnikovi", "pravnik"),
        ("žalobu", "zaloba"),
        ("zalobu", "zaloba"),
        ("mali", "mat"),
        ("pravidlá", "pravidlo"),
        ("pravidla", "pravidlo"),
        ("zodpovednosť", "zodpovednost"),
    ]:
        assert lemma_of(form, "sk") == lemma, form


def test_lemma_table_agrees_with_simplemma() -> None:
    simplemma = pytest.importorskip("simplemma")
    table = load_table("sk")
    assert table is not None
    for form, lemma in list(table.exact.items())[::25]:
        assert fold(simplemma.lemmatize(form, lang="sk")) == lemma, form


# ----------------------------------------------------------------------------- every rule, undiacritised

_SK_RULES = [r for r in invoicetone.Checker().load_rules() if r.lang == "sk" and r.kind == "rule" and not r.detector]


@pytest.mark.parametrize("rule", _SK_RULES, ids=lambda r: r.id)
def test_every_slovak_example_behaves_the_same_without_diacritics(rule: invoicetone.Rule) -> None:
    alone = invoicetone.Checker(select=[rule.id], plugin_packs=False)
    for example in rule.flag_examples:
        text = undiacritised(example.text)
        assert len(text) == len(example.text)
        found = [(f.start, f.end) for f in alone.check(text, lang="sk").findings if f.rule_id == rule.id]
        assert found == [example.span], text
    for example in rule.pass_examples:
        text = undiacritised(example.text)
        assert not [f for f in alone.check(text, lang="sk").findings if f.rule_id == rule.id], text


def test_short_slovak_capitals_are_checked_against_the_shipped_word_list() -> None:
    from invoicetone._folding import known_short_word

    assert known_short_word("nie", "sk") is True
    assert known_short_word("zle", "sk") is True
    assert known_short_word("už", "sk") is True
    assert known_short_word("uz", "sk") is True
    assert known_short_word("acme", "sk") is False
    assert known_short_word("inv", "sk") is False


def test_short_capitals_shout_but_codes_do_not(checker: invoicetone.Checker) -> None:
    report = checker.check("Toto NIE JE naša chyba. Platbu od ACME sme prijali.", lang="sk")
    assert [f.text for f in report.findings if f.rule_id == "shouting.caps"] == ["NIE JE"]
