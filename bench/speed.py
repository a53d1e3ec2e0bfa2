"""Speed benchmark for the core targets of issue #2 (and the Slovak target of issue #4).

    python bench/speed.py [--quick] [--json]

Measures, on one core, after warm-up:
- median time to check a ~120-word reply (English; Slovak and the SK/EN ratio),
- throughput of ``Checker.check_many`` (replies/s), on one core and with ``processes=<cores>``
  on all cores (the only figure not taken on one core),
- ``import invoicetone`` + first check in a fresh process (median of several runs),
- peak memory (max RSS) of a process that imports, checks and batch-checks,
- time against input length (linear growth up to the 1 MB limit).
Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _samples import EN_REPLIES, SK_REPLIES

import invoicetone

FRESH_PROCESS = """
import time
t0 = time.perf_counter()
import invoicetone
invoicetone.check({text!r}, lang={lang!r})
print(time.perf_counter() - t0)
"""

# Peak RSS from /proc (VmHWM, in kB): getrusage's ru_maxrss survives execve, so a child started by
# a large benchmark process would report the parent's size instead of its own.
MEMORY_PROCESS = """
import resource, invoicetone
texts = {texts!r}
checker = invoicetone.Checker()
for t in texts:
    checker.check(t)
checker.check_many(texts * 300)
try:
    with open("/proc/self/status") as status:
        print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")))
except (OSError, StopIteration):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def words(text: str) -> int:
    return len(text.split())


def median_check_ms(checker: invoicetone.Checker, texts: list[str], lang: str, rounds: int) -> float:
    for text in texts:
        for _ in range(20):
            checker.check(text, lang=lang)
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            checker.check(text, lang=lang)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def throughput(checker: invoicetone.Checker, texts: list[str], n: int, processes: int = 1) -> float:
    batch = (texts * (n // len(texts) + 1))[:n]
    checker.check_many(batch[:50])
    start = time.perf_counter()
    checker.check_many(batch, processes=processes)
    return n / (time.perf_counter() - start)


def parallel_throughput(checker: invoicetone.Checker, texts: list[str], n: int) -> tuple[int, float]:
    """``check_many(processes=<cores>)`` on every core (the one-core pin lifted for this run only)."""
    pinned = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    cores = os.cpu_count() or 1
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, set(range(cores)))
    try:
        return cores, throughput(checker, texts, n, processes=cores)
    finally:
        if pinned is not None:
            with contextlib.suppress(AttributeError, OSError):
                os.sched_setaffinity(0, pinned)


def fresh_process_seconds(lang: str, text: str, runs: int) -> float:
    values = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FRESH_PROCESS.format(text=text, lang=lang)],
            check=True, capture_output=True, text=True,
        )
        values.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(values)


def peak_memory_mb(texts: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROCESS.format(texts=texts)], check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def growth(checker: invoicetone.Checker, base: str, sizes: list[int]) -> list[tuple[int, float, float]]:
    rows = []
    for size in sizes:
        text = (base + "\n\n") * (size // (len(base) + 2) + 1)
        text = text[:size]
        start = time.perf_counter()
        checker.check(text, lang="en")
        elapsed = time.perf_counter() - start
        rows.append((len(text), elapsed * 1000, elapsed * 1e6 / len(text)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run, not for the docs)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-re2", action="store_true",
        help="measure the in-process figures with the regex module only, as without the `fast` extra",
    )
    args = parser.parse_args()
    if args.no_re2:
        from invoicetone import _regexes

        _regexes._re2_module = None
    rounds = 50 if args.quick else 300
    with contextlib.suppress(AttributeError, OSError):  # one core, as the targets say
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    checker = invoicetone.Checker()
    results: dict[str, object] = {
        "python": sys.version.split()[0],
        "regex_matcher": "re2" if invoicetone._regexes.fast_matcher_available() else "regex",
        "en_words": [words(t) for t in EN_REPLIES],
        "sk_words": [words(t) for t in SK_REPLIES],
    }
    en_ms = median_check_ms(checker, EN_REPLIES, "en", rounds)
    sk_ms = median_check_ms(checker, SK_REPLIES, "sk", rounds)
    results["median_check_ms_en"] = round(en_ms, 3)
    results["median_check_ms_sk"] = round(sk_ms, 3)
    results["sk_over_en"] = round(sk_ms / en_ms, 2)
    results["check_many_per_s_en"] = round(throughput(checker, EN_REPLIES, 600 if args.quick else 3000))
    results["check_many_per_s_sk"] = round(throughput(checker, SK_REPLIES, 600 if args.quick else 3000))
    cores, per_s = parallel_throughput(checker, EN_REPLIES, 1200 if args.quick else 6000)
    results["check_many_processes"] = cores
    results["check_many_parallel_per_s_en"] = round(per_s)
    results["check_many_parallel_per_s_sk"] = round(parallel_throughput(checker, SK_REPLIES, 1200 if args.quick else 6000)[1])
    runs = 2 if args.quick else 5
    results["import_and_first_check_s_en"] = round(fresh_process_seconds("en", EN_REPLIES[1], runs), 3)
    results["import_and_first_check_s_sk"] = round(fresh_process_seconds("sk", SK_REPLIES[1], runs), 3)
    results["peak_rss_mb"] = round(peak_memory_mb(EN_REPLIES + SK_REPLIES), 1)
    sizes = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    results["growth"] = [
        {"chars": c, "ms": round(ms, 1), "us_per_char": round(per, 3)} for c, ms, per in growth(checker, EN_REPLIES[1], sizes)
    ]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"python {results['python']}, one core, {rounds} rounds, pack regexes on {results['regex_matcher']}")
    print(f"median check, ~120-word reply: EN {en_ms:.3f} ms, SK {sk_ms:.3f} ms (SK/EN {sk_ms / en_ms:.2f})")
    print(f"check_many: EN {results['check_many_per_s_en']} replies/s, SK {results['check_many_per_s_sk']} replies/s")
    print(
        f"check_many(processes={cores}), all {cores} cores: EN {results['check_many_parallel_per_s_en']} replies/s, "
        f"SK {results['check_many_parallel_per_s_sk']} replies/s"
    )
    print(f"import + first check, fresh process: EN {results['import_and_first_check_s_en']} s, SK {results['import_and_first_check_s_sk']} s")
    print(f"peak RSS: {results['peak_rss_mb']} MB")
    for row in results["growth"]:  # type: ignore[attr-defined]
        print(f"  {row['chars']:>9,} chars: {row['ms']:>9.1f} ms  ({row['us_per_char']:.3f} µs/char)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
