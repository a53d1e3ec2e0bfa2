"""Accuracy of invoicetone's English/Slovak detector (``detect_language``).

    .venv/bin/python bench/langdetect_accuracy.py [-v]

Sources: ``bench/langdetect_samples.tsv`` (sentences and short replies written for this benchmark)
and, when they exist, the quality corpora ``tests/corpus/en`` and ``tests/corpus/sk`` (JSONL, field
``text``; inline marks ``[[category|phrase]]`` are stripped to ``phrase``). Derived subsets:

* ``sk-undiacritised`` — every Slovak sample typed without diacritics;
* ``sk-with-english`` — Slovak samples with an English product name, invoice number or term;
* ``en-with-slovak`` — English samples with a Slovak name, town or company id;
* ``*-two-sentences`` — two consecutive samples of one language joined (a short reply).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from invoicetone._langdetect import detect_language  # noqa: E402

SAMPLES = ROOT / "bench" / "langdetect_samples.tsv"
CORPUS = ROOT / "tests" / "corpus"
_MARK = regex.compile(r"\[\[(?:[^|\]]*\|)?(.+?)\]\]", regex.DOTALL)
ENGLISH_INSERTS = (
    "Faktúra INV-2024-0042 za SaaS plán.",
    "Podmienky: Net 30.",
    "PDF je v prílohe.",
    "Týka sa to licencie Microsoft 365 Business Premium.",
    "Objednávka PO-7781 (Enterprise support).",
    "Viac na portáli Customer Hub.",
)
ENGLISH_INLINE = ("INV-2024-0042", "Net 30", "SaaS", "PDF", "Cloud Storage Pro", "invoice")
SLOVAK_INSERTS = (
    "Ján Novák from Košice approved it.",
    "Company ID (IČO) 12345678.",
    "The Žilina office will follow up.",
    "Contact: Mária Horváthová, Bratislava.",
)


def strip_marks(text: str) -> str:
    return _MARK.sub(lambda m: m.group(1), text)


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def load_samples() -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {"en": [], "sk": []}
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, _, text = line.partition("\t")
        by_lang[lang].append(text)
    return by_lang


def load_corpus(lang: str) -> list[str]:
    texts: list[str] = []
    directory = CORPUS / lang
    if not directory.is_dir():
        return texts
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(strip_marks(json.loads(line)["text"]))
    return texts


def subsets() -> Iterator[tuple[str, str, list[str]]]:
    """(subset name, expected language, texts)."""
    samples = load_samples()
    en, sk = samples["en"], samples["sk"]
    yield "en-sentences", "en", en
    yield "sk-sentences", "sk", sk
    undiacritised = [fold(t) for t in sk if fold(t) != t]
    yield "sk-undiacritised", "sk", undiacritised
    mixed = []
    for index, text in enumerate(sk):
        if index % 2:
            mixed.append(f"{text} {ENGLISH_INSERTS[index % len(ENGLISH_INSERTS)]}")
        else:
            words = text.split()
            words.insert(len(words) // 2, ENGLISH_INLINE[index % len(ENGLISH_INLINE)])
            mixed.append(" ".join(words))
    yield "sk-with-english", "sk", mixed
    yield "sk-undiacritised-with-english", "sk", [fold(t) for t in mixed]
    yield "en-with-slovak", "en", [f"{t} {SLOVAK_INSERTS[i % len(SLOVAK_INSERTS)]}" for i, t in enumerate(en)]
    yield "en-two-sentences", "en", [f"{a} {b}" for a, b in zip(en[::2], en[1::2], strict=False)]
    yield "sk-two-sentences", "sk", [f"{a} {b}" for a, b in zip(sk[::2], sk[1::2], strict=False)]
    yield "sk-two-sentences-undiacritised", "sk", [fold(f"{a} {b}") for a, b in zip(sk[::2], sk[1::2], strict=False)]
    for lang in ("en", "sk"):
        corpus = load_corpus(lang)
        if corpus:
            yield f"{lang}-corpus", lang, corpus
            if lang == "sk":
                yield "sk-corpus-undiacritised", "sk", [fold(t) for t in corpus if fold(t) != t]


def evaluate() -> dict[str, dict[str, object]]:
    """Per subset: n, correct, accuracy and the misclassified texts."""
    results: dict[str, dict[str, object]] = {}
    for name, lang, texts in subsets():
        wrong = [t for t in texts if detect_language(t)[0] != lang]
        results[name] = {
            "n": len(texts),
            "correct": len(texts) - len(wrong),
            "accuracy": (len(texts) - len(wrong)) / len(texts) if texts else 1.0,
            "wrong": wrong,
        }
    return results


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    results = evaluate()
    total = sum(int(str(r["n"])) for r in results.values())
    correct = sum(int(str(r["correct"])) for r in results.values())
    print(f"{'subset':34} {'n':>5} {'accuracy':>9}")
    for name, result in results.items():
        print(f"{name:34} {result['n']:>5} {float(str(result['accuracy'])):>9.1%}")
        if verbose:
            for text in result["wrong"]:  # type: ignore[attr-defined]
                print(f"    wrong: {text!r} -> {detect_language(text)}")
    print(f"{'all':34} {total:>5} {correct / total:>9.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
