"""Lemmas for Slovak typed without diacritics.

simplemma leaves ``nasa`` alone because its table is keyed by ``naša``. We build, once and lazily,
a second table keyed by the folded form, keeping only forms whose folding is unambiguous enough
(the most frequent lemma wins), so that ``nasa chyba`` lemmatises like ``naša chyba``.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_tables: dict[str, dict[str, str]] = {}


def _build(lang: str) -> dict[str, str]:
    from ._nlp import fold

    try:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory
    except ImportError:  # pragma: no cover - older simplemma
        return {}
    factory = DefaultDictionaryFactory()
    try:
        dictionary = factory.get_dictionary(lang)
    except (ValueError, KeyError, OSError):
        return {}
    table: dict[str, str] = {}
    for form, lemma in dictionary.items():
        form_text = form.decode() if isinstance(form, bytes) else str(form)
        lemma_text = lemma.decode() if isinstance(lemma, bytes) else str(lemma)
        key = fold(form_text)
        if key == form_text.lower():
            continue  # already reachable without folding
        table.setdefault(key, fold(lemma_text))
    return table


def folded_lemma(folded_form: str, lang: str) -> str | None:
    table = _tables.get(lang)
    if table is None:
        with _lock:
            table = _tables.get(lang)
            if table is None:
                table = _build(lang)
                _tables[lang] = table
    return table.get(folded_form)
