"""Instructions per check, counted by valgrind: a speed figure the shared host's noise cannot move.

    python bench/instructions.py [--lang en|sk] [--checks 20] [--src DIR]

Wall-clock medians on this machine swing 10-40 % from one minute to the next (docs/benchmarks.md),
which hides a change of a few per cent. valgrind's callgrind counts the instructions a process runs
instead: the same code and input give nearly the same count (two runs of one version: 9.52 and 9.45
million per check, hash seeds fixed; addresses still vary, so compare means of two runs). Two
processes run under it, one with ``--checks`` more rounds of the three sample replies than the other;
the difference divided by the number of extra checks is the cost of one warm check, import and
warm-up cancelled out. ``--src`` points at another checkout's ``src`` (with its ``data`` beside it)
to compare two versions of the code on the same replies. Needs valgrind (``apt-get install
valgrind``); each run takes a few minutes (valgrind is some 50 times slower than the plain run).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import sys
sys.path.insert(0, {bench!r})
from _samples import EN_REPLIES, SK_REPLIES
import invoicetone
texts = EN_REPLIES if {lang!r} == "en" else SK_REPLIES
checker = invoicetone.Checker()
for _ in range(3):
    for text in texts:
        checker.check(text, lang={lang!r})
for _ in range({rounds}):
    for text in texts:
        checker.check(text, lang={lang!r})
print(invoicetone.__file__, file=sys.stderr)
"""


def instructions(src: Path, lang: str, rounds: int) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(src))
    code = RUN.format(bench=str(ROOT / "bench"), lang=lang, rounds=rounds)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code],
        env=env, capture_output=True, text=True, check=True,
    )
    if str(src.resolve()) not in done.stderr:
        raise SystemExit(f"the run did not import invoicetone from {src}")
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        raise SystemExit("valgrind printed no instruction count:\n" + done.stderr[-2000:])
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["en", "sk"], default="en")
    parser.add_argument("--checks", type=int, default=20, help="extra rounds of the three sample replies")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the src directory of the code to count")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    if args.checks < 1:
        parser.error("--checks must be at least 1")
    base = instructions(args.src, args.lang, 0)
    more = instructions(args.src, args.lang, args.checks)
    per_check = (more - base) / (3 * args.checks)
    print(f"{args.lang}: {per_check:,.0f} instructions per warm check ({args.src}, {3 * args.checks} checks)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
