"""What one check costs in CPU as the HTTP service runs it: back to back, after idle gaps, two at once.

    python bench/contention.py [--checks 1500] [--rounds 3] [--gap-ms 3] [--json]

Runs the 120-word replies of ``bench/load.py`` through ``Checker.check`` (with a client message,
as the load test sends them) and reports the CPU time per check of: one process checking back to
back (what ``bench/speed.py`` measures); one process that sleeps ``--gap-ms`` between checks (what a
worker serving an open-loop load does: at 250 requests/s a 3.4 ms check leaves ~0.6 ms idle on
average); and two processes checking back to back at once (the service's two workers on two
cores). The differences are what the service's CPU time per request adds to the in-process check
besides HTTP. Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORKER = """
import random, sys, time
sys.path.insert(0, {bench!r})
from load import CLIENT_MESSAGE, make_reply
import invoicetone
checker = invoicetone.Checker()
rng = random.Random({seed})
replies = [make_reply(rng, 120) for _ in range({warm} + {checks})]
for reply in replies[:{warm}]:
    checker.check(reply, client_message=CLIENT_MESSAGE)
print("ready", flush=True)
sys.stdin.readline()  # wait for the go, so that parallel workers start together
spent = 0.0
for reply in replies[{warm}:]:
    started = time.process_time()
    checker.check(reply, client_message=CLIENT_MESSAGE)
    spent += time.process_time() - started
    if {gap}:
        time.sleep({gap})
print(spent / {checks} * 1000, flush=True)
"""


def run(processes: int, checks: int, warm: int, gap: float = 0.0) -> list[float]:
    """CPU milliseconds per check of each of ``processes`` workers started together (``gap``:
    seconds each sleeps after a check)."""
    bench = str(Path(__file__).resolve().parent)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER.format(bench=bench, seed=seed, warm=warm, checks=checks, gap=gap)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        for seed in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "ready":
                raise SystemExit("a worker failed to start")
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            assert worker.stdout is not None
            results.append(float(worker.stdout.readline()))
        return results
    finally:
        for worker in workers:
            worker.wait(timeout=600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=1500, help="checks per process (default 1500)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating alone / together rounds (default 3)")
    parser.add_argument("--gap-ms", type=float, default=3.0, help="idle time after each check in the gap run (default 3)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.checks < 1 or args.rounds < 1 or not 0 < args.gap_ms <= 100:
        parser.error("--checks and --rounds must be at least 1, --gap-ms in (0, 100]")
    alone: list[float] = []
    gaps: list[float] = []
    together: list[float] = []
    for _ in range(args.rounds):  # alternate, so a change in the machine's speed hits all alike
        alone += run(1, args.checks, 200)
        gaps += run(1, args.checks, 200, args.gap_ms / 1000)
        together += run(2, args.checks, 200)
    result = {
        "cores": os.cpu_count(),
        "checks_per_process": args.checks,
        "back_to_back_ms_per_check": [round(x, 3) for x in alone],
        "after_idle_gaps_ms_per_check": [round(x, 3) for x in gaps],
        "two_at_once_ms_per_check": [round(x, 3) for x in together],
        "idle_gap_slowdown": round(statistics.median(gaps) / statistics.median(alone), 2),
        "two_at_once_slowdown": round(statistics.median(together) / statistics.median(alone), 2),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>30}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
