"""Load test of the HTTP service: N concurrent keep-alive clients on loopback, fixed duration.

    python bench/load.py --start-server --workers 2 --clients 50 --duration 60

Each client sends 120-word replies (a deterministic mix of polite and defensive sentences, every
request different) to POST /v1/check (or /v2/check with --endpoint v2) and waits for the answer
before sending the next: as fast as it can (closed loop; by Little's law the mean latency is then
clients / throughput, 100 ms for 50 clients at 500/s), or on a schedule with --rate (open loop:
50 users whose editors check at an aggregate 500/s, latency counted from the scheduled time). Reports checks/s, latency percentiles and errors. The client is a small
raw-HTTP/1.1 asyncio loop so that the generator itself costs as little CPU as possible: on a
2-core machine it shares the cores with the server, and the figures say how much CPU it used.

Traffic goes to loopback only; the run stops by itself after --duration seconds (at most 600).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

MAX_DURATION = 600.0
# the client message every /v1/check request carries (bench/contention.py checks with it too)
CLIENT_MESSAGE = "Why is invoice 1042 higher than agreed?"

SENTENCES = [
    "Thank you for raising this with us about invoice {n}.",
    "I understand why the amount looks higher than you expected this month.",
    "That's not our fault, you should have read the contract.",
    "According to clause {k} of our agreement, support hours are billed monthly.",
    "We have attached the timesheet for the period so you can see each entry.",
    "As we already told you, this is simply how our billing works.",
    "I can offer a payment plan over three months if that helps.",
    "I will send you a corrected invoice by Friday.",
    "Obviously the rate was agreed in advance and you signed it.",
    "Could you tell me which lines on the invoice you would like us to explain?",
    "We will NEVER waive the fee!!!",
    "Please let me know if a short call this week would be useful.",
    "The work was completed on {d} March and approved by your team.",
    "Frankly, this is the third time we have had to explain this.",
]


def make_reply(rng: random.Random, words: int) -> str:
    parts: list[str] = ["Hi Dana,"]
    count = 2
    while count < words:
        sentence = rng.choice(SENTENCES).format(n=rng.randint(1000, 9999), k=rng.randint(2, 14), d=rng.randint(1, 28))
        parts.append(sentence)
        count += len(sentence.split())
    parts.append("Best regards, Tom")
    return " ".join(parts)


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def build_request(host: str, port: int, path: str, body: bytes, content_type: str, token: str | None) -> bytes:
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}:{port}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Connection: keep-alive",
    ]
    if token:
        head.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def client(
    host: str, port: int, path: str, requests: list[bytes], deadline: float, results: Results, seed: int,
    interval: float = 0.0,
) -> None:
    """Send requests one after another until ``deadline``.

    With ``interval`` > 0 the client sends on a fixed schedule (open loop, like a user whose editor
    checks every ``interval`` seconds) and latency counts from the *scheduled* time, so a slow
    server cannot hide its queue by delaying the next send (no coordinated omission).
    """
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection(host, port)
    scheduled = time.perf_counter() + rng.random() * interval
    try:
        while time.perf_counter() < deadline:
            payload = requests[rng.randrange(len(requests))]
            if interval:
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if scheduled >= deadline:
                    break
                started = scheduled
                scheduled += interval
            else:
                started = time.perf_counter()
            writer.write(payload)
            try:
                status, _body = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                results.error(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            elapsed = time.perf_counter() - started
            if status == 200:
                results.latencies.append(elapsed)
            else:
                results.error(f"HTTP {status}")
    finally:
        writer.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def start_server(
    workers: int, token: str | None, concurrency: int | None = None, inline_chars: int | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = dict(os.environ)
    if token:
        env["INVOICETONE_TOKEN"] = token
    command = [sys.executable, "-m", "invoicetone", "serve", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    if concurrency is not None:
        command += ["--concurrency", str(concurrency)]
    if inline_chars is not None:
        command += ["--inline-chars", str(inline_chars)]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        stop_server(process)
        raise SystemExit("the server did not become healthy in 90 s")
    # Every worker warms up in its lifespan, then listens on a socket of its own (SO_REUSEPORT);
    # a worker not yet listening would get none of the clients' keep-alive connections.
    deadline = time.monotonic() + 30
    while listeners(port) < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    return process, url


def listeners(port: int) -> int:
    """Listening TCP sockets on ``port`` (Linux /proc; 0 elsewhere)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the uvicorn workers), from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if int(entry) == pid or ppid == pid:
            total += (utime + stime) / ticks
    return total


async def run(args: argparse.Namespace, url: str) -> dict[str, object]:
    parsed = urllib.parse.urlsplit(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("this benchmark only targets loopback addresses")
    rng = random.Random(1234)
    replies = [make_reply(rng, args.words) for _ in range(200)]
    if args.endpoint == "v1":
        path, content_type = "/v1/check", "application/json"
        bodies = [json.dumps({"text": r, "client_message": CLIENT_MESSAGE}).encode() for r in replies]
    else:
        path, content_type = "/v2/check", "application/x-www-form-urlencoded"
        bodies = [urllib.parse.urlencode({"text": r, "language": "en-US"}).encode() for r in replies]
    requests = [build_request(host, port, path, b, content_type, args.token) for b in bodies]
    # warm-up: a few requests on one connection, not counted
    warm = Results()
    await client(host, port, path, requests, time.perf_counter() + 2.0, warm, 0)
    results = Results()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    deadline = started + args.duration
    interval = args.clients / args.rate if args.rate else 0.0
    await asyncio.gather(*(client(host, port, path, requests, deadline, results, i, interval) for i in range(args.clients)))
    elapsed = time.perf_counter() - started
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    generator_cpu = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
    latencies_ms = [x * 1000 for x in results.latencies]
    return {
        "endpoint": path,
        "clients": args.clients,
        "mode": f"open loop at {args.rate:g}/s" if args.rate else "closed loop (each client sends as soon as it has its answer)",
        "duration_s": round(elapsed, 1),
        "words_per_reply": args.words,
        "checks": len(latencies_ms),
        "checks_per_s": round(len(latencies_ms) / elapsed, 1),
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p90_ms": round(percentile(latencies_ms, 90), 1),
        "p99_ms": round(percentile(latencies_ms, 99), 1),
        "max_ms": round(max(latencies_ms), 1) if latencies_ms else None,
        "mean_ms": round(statistics.fmean(latencies_ms), 1) if latencies_ms else None,
        "errors": sum(results.errors.values()),
        "error_kinds": results.errors,
        "generator_cpu_s": round(generator_cpu, 1),
        "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback, e.g. http://127.0.0.1:8081")
    parser.add_argument("--start-server", action="store_true", help="start `invoicetone serve` on a free port for the run")
    parser.add_argument("--workers", type=int, default=2, help="server workers with --start-server (default 2)")
    parser.add_argument("--concurrency", type=int, help="server --concurrency with --start-server (default: the server's)")
    parser.add_argument("--inline-chars", type=int, help="server --inline-chars with --start-server (default: the server's)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help=f"seconds (default 60, at most {MAX_DURATION:g})")
    parser.add_argument(
        "--rate", type=float, default=0.0,
        help="aggregate requests/s, spread evenly over the clients (open loop); 0 = each client sends as soon as it has its answer",
    )
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--endpoint", choices=["v1", "v2"], default="v1")
    parser.add_argument("--token", default=os.environ.get("INVOICETONE_TOKEN"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be in (0, {MAX_DURATION:g}]")
    if not 0 <= args.rate <= 10_000:
        parser.error("--rate must be 0..10000 requests/s")
    if not 1 <= args.clients <= 1000:
        parser.error("--clients must be 1..1000")
    if bool(args.url) == bool(args.start_server):
        parser.error("give either --url or --start-server")
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    process = None
    url = args.url
    if args.start_server:
        process, url = start_server(args.workers, args.token, args.concurrency, args.inline_chars)
    try:
        cpu_before = process_cpu_seconds(process.pid) if process else None
        figures = asyncio.run(run(args, url))
        if process and cpu_before is not None:
            figures["server_cpu_s"] = round(process_cpu_seconds(process.pid) - cpu_before, 1)
            figures["server_workers"] = args.workers
    finally:
        if process:
            stop_server(process)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value}")
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
