"""What the sentence model (``model.sentence``) costs a check.

    .venv/bin/python bench/model_speed.py

1. The model alone: ``detect_offending_sentences`` over the analysed benchmark replies
   (bench/_samples.py, about 100–120 words each), median of 21 rounds, per reply.
2. Whole checks with and without the model (``ignore=["model.sentence"]``), interleaved so that
   machine load hits both alike, median per reply.
3. Loading both model files in a fresh process (after the import).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _samples import EN_REPLIES, SK_REPLIES  # noqa: E402

import invoicetone  # noqa: E402
from invoicetone._document import plain_document  # noqa: E402
from invoicetone._nlp import annotate, get_pipeline  # noqa: E402
from invoicetone._sentence_model import detect_offending_sentences  # noqa: E402

ROUNDS = 21


def _model_alone(annotations: list[Any], lang: str) -> float:
    """Median time per reply of the model over already analysed replies."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for annotation in annotations:
            detect_offending_sentences(annotation, lang)
        times.append((time.perf_counter() - start) / len(annotations))
    return statistics.median(times)


def main() -> int:
    with_model = invoicetone.Checker(plugin_packs=False)
    without = invoicetone.Checker(plugin_packs=False, ignore=["model.sentence"])
    for lang, replies in (("en", EN_REPLIES), ("sk", SK_REPLIES)):
        annotations = []
        for text in replies:
            document = plain_document(text)
            annotations.append(annotate(get_pipeline(lang).make_doc(document.text), document, lang))
        for checker in (with_model, without):
            for text in replies:
                checker.check(text, lang=lang)
        alone = _model_alone(annotations, lang)
        on, off = [], []
        for _ in range(ROUNDS):
            for checker, out in ((with_model, on), (without, off)):
                start = time.perf_counter()
                for text in replies:
                    checker.check(text, lang=lang)
                out.append((time.perf_counter() - start) / len(replies))
        print(f"{lang}: model alone {alone * 1e6:.0f} µs per reply; check with model {statistics.median(on) * 1e3:.3f} ms, "
              f"without {statistics.median(off) * 1e3:.3f} ms ({len(replies)} replies, median of {ROUNDS} rounds)")
    code = (
        "import time; from invoicetone._sentence_model import sentence_model; t=time.perf_counter(); "
        "sentence_model('en'); sentence_model('sk'); print(time.perf_counter()-t)"
    )
    loads = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                                  env={"PYTHONPATH": str(ROOT / "src")}).stdout) for _ in range(3)]
    print(f"loading both model files in a fresh process: median {statistics.median(loads) * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
