"""Slovak vs English check time (issue 4, item 8: Slovak within 1.5x English).

    .venv/bin/python bench/slovak_speed.py

1. First check in a fresh process (import included), for each language, median of 3 processes.
2. Steady state: median time of ``Checker.check`` on a 120-word reply, Slovak (with diacritics and
   without) against its English counterpart, interleaved so that machine load hits both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SK = (
    "Dobrý deň, pani Kováčová, ďakujeme, že ste sa nám ozvali a podelili sa o svoje obavy k faktúre "
    "2024/031. Chápem, že sa vám suma môže zdať vyššia, ako ste čakali. Preskúmali sme výkaz prác aj "
    "zmluvu: podľa článku 4.2 sa úpravy nad dohodnutý rozsah účtujú zvlášť a v marci sme na vašu "
    "žiadosť pridali dve nové obrazovky, spolu 14 hodín. Takto jednoducho funguje naša fakturácia, "
    "mali ste to vedieť. Rozumiem však, že sme vás o tom mali informovať vopred. Preto vám navrhujeme "
    "zľavu 10 % z týchto hodín alebo rozdelenie platby na dve splátky so splatnosťou do 30. júna. "
    "Dajte nám, prosím, vedieť, ktorá možnosť vám viac vyhovuje, a opravenú faktúru vám pošlem do "
    "piatka. S pozdravom, Ján Novák"
)
EN = (
    "Hello Ms Kovacova, thank you for getting in touch and sharing your concerns about invoice "
    "2024/031. I understand the amount may look higher than you expected. We have reviewed the "
    "timesheet and the contract: under clause 4.2, changes beyond the agreed scope are billed "
    "separately, and in March we added two new screens at your request, 14 hours in total. That's "
    "simply how our billing works, you should have known. I do understand, though, that we should "
    "have told you in advance. So we propose a 10 % discount on these hours or splitting the payment "
    "into two instalments due by 30 June. Please let us know which option suits you better, and I "
    "will send the corrected invoice by Friday. Best regards, Jan Novak"
)
FIRST = (
    "import time; t = time.perf_counter(); import invoicetone; "
    "invoicetone.check({text!r}, lang={lang!r}); print(time.perf_counter() - t)"
)


def first_check(lang: str, text: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST.format(text=text, lang=lang)], capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def steady(rounds: int = 200) -> dict[str, float]:
    import invoicetone
    from invoicetone._langdetect import detect_language

    fold = str.maketrans("áäčďéíĺľňóôŕšťúýžÁÄČĎÉÍĹĽŇÓÔŔŠŤÚÝŽ", "aacdeillnoorstuyzAACDEILLNOORSTUYZ")
    texts = {"en": (EN, "en"), "sk": (SK, "sk"), "sk-undiacritised": (SK.translate(fold), "sk")}
    checker = invoicetone.Checker()
    for text, lang in texts.values():  # warm up: pipelines, packs, lemma table
        checker.check(text, lang=lang)
        checker.check(text)
    samples: dict[str, list[float]] = {name: [] for name in texts}
    detect: list[float] = []
    for _ in range(rounds):
        for name, (text, lang) in texts.items():
            started = time.perf_counter()
            checker.check(text, lang=lang)
            samples[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        detect_language(SK)
        detect.append(time.perf_counter() - started)
    result = {name: statistics.median(values) for name, values in samples.items()}
    result["detect_language"] = statistics.median(detect)
    return result


def main() -> int:
    print(f"words: sk {len(SK.split())}, en {len(EN.split())}")
    for lang, text in (("en", EN), ("sk", SK)):
        print(f"first check in a fresh process, {lang}: {first_check(lang, text):.2f} s")
    result = steady()
    for name, value in result.items():
        print(f"steady-state median, {name}: {value * 1000:.2f} ms")
    print(
        f"ratio sk / en: {result['sk'] / result['en']:.2f}; undiacritised sk / en: {result['sk-undiacritised'] / result['en']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
