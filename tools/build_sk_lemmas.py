"""Build ``data/lemmas/sk-lemmas.tsv.gz``, the compact Slovak lemma table invoicetone ships.

Run after editing a Slovak pack, element file or ``data/style/heated-sk.txt``::

    .venv/bin/python tools/build_sk_lemmas.py

It collects every lemma the Slovak data names (``<lemma>``, ``<stem*>``, ``!<lemma>`` in patterns and
antipatterns; the heated lexicon's lemmas) and keeps the forms of simplemma's Slovak dictionary whose
lemma is one of them (or whose own spelling is one of them, so that such a form keeps simplemma's
lemma instead of being taken for the lemma). ``tests/test_slovak.py`` fails when the table is stale.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from invoicetone._folding import SHORT_WORD_MAX, pack_lemmas  # noqa: E402
from invoicetone._nlp import fold  # noqa: E402


def main() -> int:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    wanted = pack_lemmas(ROOT / "data")
    exact = {w for w in wanted if not w.endswith("*")}
    stems = tuple(w[:-1] for w in wanted if w.endswith("*"))

    def interesting(word: str) -> bool:
        return word in exact or (bool(stems) and word.startswith(stems))

    dictionary = DefaultDictionaryFactory().get_dictionary("sk")
    pairs: dict[str, str] = {}
    for raw_form, raw_lemma in dictionary._dict.items():  # bytes -> bytes
        form = raw_form.decode()
        lemma = raw_lemma.decode()
        lower = form.lower()
        if form != lower and lower.encode() in dictionary._dict:
            continue  # simplemma looks the lower-case key up first
        if interesting(fold(lemma)) or interesting(fold(lower)):
            pairs[lower] = lemma.lower()
    # A pattern lemma that simplemma itself maps elsewhere ("posledný" is lemmatised "posledné")
    # can never match: name it so that the pack author writes the lemma simplemma uses.
    lemmas = {fold(v.decode()) for v in dictionary._dict.values()}
    for word in sorted(exact):
        own = dictionary.get(word) if word == fold(word) else None
        if word not in lemmas and not any(fold(f) == word for f in pairs):
            print(f"warning: <{word}> is no simplemma lemma and no known form; check the spelling")
        elif own is not None and fold(own) != word and word not in lemmas:
            print(f"warning: <{word}> is lemmatised as <{fold(own)}>")
    lines = [f"#lemma\t{w}" for w in sorted(wanted)]
    lines += [f"{form}\t{lemma}\t{fold(form)}\t{fold(lemma)}" for form, lemma in sorted(pairs.items())]
    out = ROOT / "data" / "lemmas" / "sk-lemmas.tsv.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives the same bytes, so a rebuild without changes is no diff
    out.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{out.relative_to(ROOT)}: {len(wanted)} lemmas, {len(pairs)} forms, {out.stat().st_size} bytes")
    # Short words (2-4 letters), folded: the shouting detector asks whether "NIE" or "ZLE" is a word
    # (shouting) or a code ("ACME"); this list answers without loading simplemma's dictionary.
    short: set[str] = set()
    for raw_form, raw_lemma in dictionary._dict.items():
        for word in (raw_form.decode().lower(), raw_lemma.decode().lower()):
            if 2 <= len(word) <= SHORT_WORD_MAX and word.isalpha():
                short.add(fold(word))
    short_out = out.parent / "sk-short-words.txt.gz"
    short_out.write_bytes(gzip.compress(("\n".join(sorted(short)) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{short_out.relative_to(ROOT)}: {len(short)} words, {short_out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
