"""Slovak lemmas from a compact table shipped with invoicetone (``data/lemmas/sk-lemmas.tsv.gz``).

simplemma's Slovak dictionary holds ~900 000 forms and takes over a second to load; building a
folded copy of it (so that ``nasa`` lemmatises like ``naša``) took ~6 s. The rules only ever compare
a token's lemma with the lemmas the packs name, so ``tools/build_sk_lemmas.py`` keeps, at
development time, just the forms whose lemma a pack (phrases, elements, heated lexicon) refers to,
with and without diacritics. Loading it takes a few milliseconds. A form the table does not hold is
its own lemma; that is exact for the built-in packs because every lemma they name was a key of the
generation (``tests/test_slovak.py`` fails when a pack names a lemma the table was not built for).

The table has ``form<TAB>lemma<TAB>folded form<TAB>folded lemma`` lines (lower case; the folded
columns are precomputed so that loading is only splitting) and ``#lemma<TAB>x`` header lines naming
the lemmas it was built for.
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

TABLE_NAME = "sk-lemmas.tsv.gz"

_lock = threading.Lock()
_tables: dict[str, LemmaTable] = {}


@dataclass(frozen=True)
class LemmaTable:
    """Exact forms (with diacritics) and folded forms (without) to folded lemmas."""

    exact: dict[str, str]
    folded: dict[str, str]
    lemmas: frozenset[str]  # the (folded) lemmas and ``stem*`` prefixes the table was built for

    def lemma(self, lower: str, folded: str) -> str:
        """The folded lemma of a lower-case token (``folded`` is its folded spelling)."""
        found = self.exact.get(lower)
        if found is not None:
            return found
        if lower == folded:
            # typed without diacritics: a diacritised form that folds to it
            return self.folded.get(folded, folded)
        return folded


def table_path(lang: str) -> Path:
    from ._packs import builtin_data_dir

    return builtin_data_dir() / "lemmas" / f"{lang}-lemmas.tsv.gz"


def parse_table(raw: bytes) -> LemmaTable:
    """Build a :class:`LemmaTable` from the (decompressed) TSV bytes."""
    from ._nlp import fold

    exact: dict[str, str] = {}
    candidates: dict[str, list[tuple[int, str]]] = {}
    lemmas: set[str] = set()
    for line in raw.decode("utf-8").splitlines():
        fields = line.split("\t")
        if fields[0] == "#lemma":
            lemmas.add(fields[1])
            continue
        if len(fields) == 4:  # form, lemma, and both folded at build time (saves the work here)
            form, _, form_folded, lemma_folded = fields
        elif len(fields) == 2:
            form, lemma = fields
            form_folded, lemma_folded = fold(form), fold(lemma)
        else:
            continue
        exact[form] = lemma_folded
        candidates.setdefault(form_folded, []).append((0 if form_folded == form else 1, lemma_folded))
    stems = tuple(w[:-1] for w in lemmas if w.endswith("*"))

    def rank(candidate: tuple[int, str]) -> tuple[int, int, str]:
        # "nas" is both "nás" (us) and "náš" (our): a lemma the packs name wins, then a form that is
        # itself written without diacritics, then the first in sorted order, so the choice is stable
        undiacritised, lemma = candidate
        named = lemma in lemmas or (bool(stems) and lemma.startswith(stems))
        return (0 if named else 1, undiacritised, lemma)

    folded = {key: found[0][1] if len(found) == 1 else min(found, key=rank)[1] for key, found in candidates.items()}
    return LemmaTable(exact, folded, frozenset(lemmas))


def load_table(lang: str) -> LemmaTable | None:
    """The shipped table for ``lang`` (loaded once), or ``None`` when there is none."""
    table = _tables.get(lang)
    if table is not None:
        return table
    with _lock:
        table = _tables.get(lang)
        if table is None:
            path = table_path(lang)
            if not path.exists():
                return None
            table = parse_table(gzip.decompress(path.read_bytes()))
            _tables[lang] = table
    return table


def folded_lemma(lower: str, folded: str, lang: str) -> str | None:
    """Folded lemma of a lower-case token from the shipped table; ``None`` when there is no table."""
    table = load_table(lang)
    if table is None:
        return None
    if not lower.isascii():
        # text typed with combining accents ("s" + U+030C) has the same lemma as composed text
        lower = unicodedata.normalize("NFC", lower)
    return table.lemma(lower, folded)


SHORT_WORD_MAX = 4
_short_words: dict[str, frozenset[str]] = {}


def known_short_word(lower: str, lang: str) -> bool | None:
    """Is a word of at most ``SHORT_WORD_MAX`` letters a real word of ``lang``? ``None``: no list.

    The shouting detector asks this of short capitals ("NIE", "ZLE" shout; "ACME" is a name).
    The shipped list (``data/lemmas/<lang>-short-words.txt.gz``, folded) answers in microseconds
    instead of loading simplemma's whole dictionary (over a second) for one word.
    """
    words = _short_words.get(lang)
    if words is None:
        from ._packs import builtin_data_dir

        path = builtin_data_dir() / "lemmas" / f"{lang}-short-words.txt.gz"
        if not path.exists():
            return None
        with _lock:
            words = _short_words.get(lang)
            if words is None:
                words = frozenset(gzip.decompress(path.read_bytes()).decode("utf-8").split())
                _short_words[lang] = words
    from ._nlp import fold

    return fold(lower) in words


_LEMMA_SPEC = re.compile(r"!?<([^<>\s]+)>")
_PATTERN_FIELDS = ("patterns", "antipatterns")


def pack_lemmas(data_dir: Path, lang: str = "sk") -> frozenset[str]:
    """Folded lemmas (and ``stem*`` prefixes) the ``lang`` data in ``data_dir`` refers to.

    Used at development time by ``tools/build_sk_lemmas.py`` and by the test that keeps the
    shipped table in step with the packs.
    """
    import yaml

    from ._nlp import fold

    found: set[str] = set()
    for sub in ("phrases", "elements"):
        directory = data_dir / sub / lang
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.y*ml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for entry in data.get("rules") or data.get("elements") or []:
                for name in _PATTERN_FIELDS:
                    values = entry.get(name) or []
                    for source in [values] if isinstance(values, str) else values:
                        for spec in _LEMMA_SPEC.findall(source):
                            found.update(fold(alt) for alt in spec.split("|") if alt)
    lexicon = data_dir / "style" / f"heated-{lang}.txt"
    if lexicon.exists():
        for line in lexicon.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip().partition(" ")[0]
            if word:
                found.add(fold(word))
    return frozenset(found)
