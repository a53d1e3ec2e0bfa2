"""Build ``data/wordfreq/<lang>.json.gz``: in how many replies each word occurs (norms and lemmas).

Run after adding corpora (or after a Slovak pack change rebuilt the lemma table)::

    .venv/bin/python tools/build_word_frequencies.py

The counts come from every labelled reply in ``tests/corpus`` (the development corpus, the fresh
rounds and the training files), analysed exactly as the checker analyses a draft. The matcher uses
them only to file each pattern under its rarest required word (``_engine._AnchorIndex``), so a
draft walks few patterns; they never change what is found. Words met in a single reply are left
out (the matcher reads a missing word as rare). ``tests/test_engine_speedups.py`` fails when the
shipped table differs from what this script builds.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

_MARK = re.compile(r"\[\[\w+\|(.*?)\]\]", re.S)


def corpus_files(corpus: Path, lang: str) -> list[Path]:
    return [
        corpus / lang / "replies.jsonl",
        *sorted((corpus / "fresh").glob(f"{lang}-replies*.jsonl")),
        *sorted((corpus / "train").glob(f"{lang}-replies*.jsonl")),
    ]


def table(lang: str, corpus: Path) -> str:
    """The table's text: JSON ``{"replies": n, "lemma": {word: replies}, "norm": {…}}``, sorted."""
    from invoicetone._document import plain_document
    from invoicetone._nlp import annotate, get_pipeline

    nlp = get_pipeline(lang)
    counts: dict[str, Counter[str]] = {"norm": Counter(), "lemma": Counter()}
    replies = 0
    for path in corpus_files(corpus, lang):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            document = plain_document(_MARK.sub(r"\1", json.loads(line)["text"]))
            doc = nlp.make_doc(document.text)
            annotation = annotate(doc, document, lang)
            counts["norm"].update(set(annotation.norms))
            counts["lemma"].update(set(annotation.lemmas))
            replies += 1
    found: dict[str, object] = {"replies": replies}
    for attr in ("lemma", "norm"):
        found[attr] = {word: count for word, count in sorted(counts[attr].items()) if count >= 2}
    return json.dumps(found, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    corpus = ROOT / "tests" / "corpus"
    out_dir = ROOT / "data" / "wordfreq"
    out_dir.mkdir(exist_ok=True)
    for lang in ("en", "sk"):
        text = table(lang, corpus)
        path = out_dir / f"{lang}.json.gz"
        # mtime=0: the same table gives the same bytes, so an unchanged table is no diff
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        data = json.loads(text)
        print(f"{path.relative_to(ROOT)}: {len(data['norm'])} norms, {len(data['lemma'])} lemmas, {data['replies']} replies")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
