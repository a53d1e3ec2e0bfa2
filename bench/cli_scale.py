"""Scale benchmark for the command line: check a library of 5,000 templates of ~150 words.

Generates the templates in a temporary directory (deterministic, mixed good and bad sentences,
placeholders, several formats), then times ``invoicetone check DIR --format json > /dev/null`` as a
fresh process, wall clock, process start included. Target: <= 20 s on a 2-core machine.

    python bench/cli_scale.py                 # 5,000 templates, default --jobs
    python bench/cli_scale.py --count 500 --jobs 1 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOOD = [
    "Thank you for raising your concern about invoice {invoice_number}.",
    "I understand why the total looks higher than you expected this month.",
    "Under clause 4.2 of our agreement, support hours are billed at the end of each month.",
    "The attached timesheet lists the 12 hours our team logged in March.",
    "If it helps, we can split the balance into three monthly payments.",
    "I will send the corrected invoice to {{ customer.email }} by Friday.",
    "Please let me know which line items look unclear, and I will go through them with you.",
    "We have added the purchase order number you asked for.",
    "Our payment terms are 30 days from the invoice date, as set out in the contract.",
    "I am sorry for the confusion the duplicated line caused.",
]
BAD = [
    "That's not our fault, the bank delayed the transfer.",
    "You should have read the contract before signing it.",
    "This is NOT negotiable!!!",
    "We are not responsible for your accounting mistakes.",
    "Frankly, it is simply how our billing works.",
]
GREETINGS = ["Hi {{ customer.first_name }},", "Dear {customer_name},", "Hello %NAME%,"]
SIGN_OFFS = ["Kind regards,\n{agent_name}", "Best wishes,\nThe billing team"]


def template(rng: random.Random) -> str:
    sentences: list[str] = []
    words = 0
    while words < 150:
        sentence = rng.choice(BAD) if rng.random() < 0.15 else rng.choice(GOOD)
        sentences.append(sentence)
        words += len(sentence.split())
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return rng.choice(GREETINGS) + "\n\n" + "\n\n".join(paragraphs) + "\n\n" + rng.choice(SIGN_OFFS) + "\n"


def generate(directory: Path, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    total_words = 0
    for index in range(count):
        body = template(rng)
        total_words += len(body.split())
        sub = directory / f"team{index % 20:02d}"
        sub.mkdir(exist_ok=True)
        kind = index % 4
        if kind == 0:
            (sub / f"t{index:05d}.txt").write_text(body, encoding="utf-8")
        elif kind == 1:
            (sub / f"t{index:05d}.md").write_text("# Reply\n\n" + body, encoding="utf-8")
        elif kind == 2:
            (sub / f"t{index:05d}.j2").write_text("{# macro #}\n" + body, encoding="utf-8")
        else:
            paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
            (sub / f"t{index:05d}.html").write_text(f"<html><body>\n{paragraphs}</body></html>\n", encoding="utf-8")
    return total_words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=None, help="passed to invoicetone check --jobs")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated directory")
    args = parser.parse_args()
    exe = shutil.which("invoicetone") or str(Path(sys.executable).with_name("invoicetone"))
    tmp = Path(tempfile.mkdtemp(prefix="invoicetone-scale-"))
    try:
        words = generate(tmp, args.count)
        command = [exe, "check", str(tmp), "--format", "json", "--no-progress", "--lang", "en"]
        if args.jobs is not None:
            command += ["--jobs", str(args.jobs)]
        times = []
        code = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            with open(os.devnull, "w") as sink:
                done = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, text=True, check=False)
            times.append(time.perf_counter() - start)
            code = done.returncode
            if code not in (0, 1):
                print(done.stderr, file=sys.stderr)
                return 2
        result = {
            "templates": args.count,
            "mean_words": round(words / args.count, 1),
            "jobs": args.jobs if args.jobs is not None else "all cores",
            "cores": os.cpu_count(),
            "wall_seconds": [round(t, 2) for t in times],
            "median_wall_seconds": round(statistics.median(times), 2),
            "templates_per_second": round(args.count / statistics.median(times), 1),
            "exit_code": code,
            "target_seconds": 20,
        }
        print(json.dumps(result, indent=2))
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
