"""HTTP throughput of the real platform process, side by side with its own `/health`.

Starts the platform as a user runs it (`pintar-ekspor serve`, uvicorn, 1 worker by default)
on a throw-away PostgreSQL database with the demo seed, rate limits on, and drives it over
loopback with wrk (Debian package `wrk`, installed with apt-get when missing and possible) or,
without wrk, with a small asyncio keep-alive load generator. For every endpoint it prints
req/s, p50 and p99 latency and the ratio `/health` req/s ÷ endpoint req/s of the same round:

    /health                          liveness, the floor of the stack
    catalogue (demo)                 anonymous GET /api/v1/courses, demo seed
    course page                      anonymous GET /api/v1/courses/{slug}
    progress                         GET /api/v1/courses/{id}/progress, enrolled learner
    my learning                      GET /api/v1/me/courses, same learner
    /users/me                        GET /api/v1/users/me, same learner
    catalogue (200 courses)          anonymous GET /api/v1/courses after adding 200 courses

Rate limits stay on, but the `general` limit (anonymous clients are limited per IP, learners
per user) is raised to RATE_LIMIT_GENERAL=100000000/60 for the bench: a load generator on
one address would otherwise measure 429 answers. `--baseline REF` first measures the commit
REF (exported with `git archive` into a temporary directory and served from there with the
same virtualenv), then the working tree, back to back; both go into bench/results/http.json.

    .venv/bin/python bench/http.py [--baseline ecf4f1d] [--duration 8] [--connections 10]
        [--rounds 1] [--workers 1] [--output bench/results/http.json]

PostgreSQL: BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
Numbers on a shared machine are noisy: compare ratios within one run, not across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def _stand_in_for_stdlib_http() -> None:
    """This file shares its name with the standard library's `http` package, and `python
    bench/<script>.py` puts bench/ first on the import path: when something imports `http`
    and gets this file, hand it the real package instead (importlib keeps the module that
    sits in sys.modules once the import finishes). urllib is imported inside functions for
    the same reason."""
    import importlib.util
    import sysconfig

    package = Path(sysconfig.get_paths()["stdlib"]) / "http"
    spec = importlib.util.spec_from_file_location(
        "http", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise ImportError("the standard library's http package is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules["http"] = module
    spec.loader.exec_module(module)


if __name__ == "http":
    _stand_in_for_stdlib_http()

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
JWT_SECRET = "bench-jwt-secret-that-is-long-enough-0123456789abcdef"
LEARNER_EMAIL = "bench.learner@pintarekspor.id"
LEARNER_PASSWORD = "Bench-Password-2026!"
ADMIN_PASSWORD = "Bench-Admin-Password-2026!"
EXTRA_COURSES = 200


@dataclass
class Measurement:
    name: str
    path: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    ratio_to_health: float | None = None


@dataclass
class RunResult:
    label: str
    source: str
    tool: str
    workers: int
    connections: int
    duration_s: float
    rounds: list[list[Measurement]] = field(default_factory=list)

    def summary(self) -> list[dict[str, Any]]:
        """Per endpoint: medians over rounds of req/s, p50, p99 and the ratio to /health."""
        names = [m.name for m in self.rounds[0]]
        out = []
        for name in names:
            ms = [m for r in self.rounds for m in r if m.name == name]
            ratios = [m.ratio_to_health for m in ms if m.ratio_to_health is not None]
            out.append(
                {
                    "name": name,
                    "path": ms[0].path,
                    "rps": round(statistics.median(m.rps for m in ms), 1),
                    "p50_ms": round(statistics.median(m.p50_ms for m in ms), 2),
                    "p99_ms": round(statistics.median(m.p99_ms for m in ms), 2),
                    "errors": sum(m.errors for m in ms),
                    "ratio_to_health": round(statistics.median(ratios), 2) if ratios else None,
                }
            )
        return out


# --- load generators ----------------------------------------------------------------------------


def ensure_wrk() -> str | None:
    """wrk's path; installs Debian's package when missing and apt-get is usable."""
    found = shutil.which("wrk")
    if found or os.environ.get("BENCH_NO_WRK"):
        return None if os.environ.get("BENCH_NO_WRK") else found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk not found: apt-get install -y wrk", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-q"], check=False)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
    return shutil.which("wrk")


_WRK_SCRIPT = """
wrk.method = "GET"
{headers}
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %.1f %.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


def run_wrk(
    wrk: str, url: str, headers: dict[str, str], duration: float, connections: int, tmp: Path
) -> tuple[float, float, float, int, int]:
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    script = tmp / "bench.lua"
    script.write_text(_WRK_SCRIPT.format(headers=lines))
    threads = max(1, min(2, connections))
    seconds = f"-d{max(1, round(duration))}s"
    cmd = [wrk, f"-t{threads}", f"-c{connections}", seconds, "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)$", out, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    requests, errors, micros = int(match[1]), int(match[2]), int(match[3])
    p50, p99 = float(match[4]) / 1000, float(match[5]) / 1000
    return requests / (micros / 1e6), p50, p99, requests, errors


async def _python_load(
    host: str, port: int, path: str, headers: dict[str, str], duration: float, connections: int
) -> tuple[float, float, float, int, int]:
    """A keep-alive HTTP/1.1 GET loop per connection (used when wrk is absent)."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{head}\r\n".encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                writer.write(request)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - start)
                if not status_line.split()[1].startswith((b"2", b"3")):
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return len(ordered) / elapsed, pct(0.5), pct(0.99), len(ordered), errors


# --- the platform under test --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_admin(sql: str) -> None:
    subprocess.run(
        [sys.executable, "-c", _PG_ADMIN, PG_URL, sql], check=True, capture_output=True, text=True
    )


_PG_ADMIN = """
import asyncio, sys
import asyncpg
async def main():
    conn = await asyncpg.connect(sys.argv[1])
    try:
        await conn.execute(sys.argv[2])
    finally:
        await conn.close()
asyncio.run(main())
"""


@contextmanager
def throwaway_database() -> Any:
    name = f"pintar_bench_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def platform_env(database_url: str, source: Path | None, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("RATE_LIMIT", "DATABASE", "REDIS")):
            del env[key]
    env.update(
        ENV="development",
        DATABASE_URL=database_url,
        AUTO_MIGRATE="false",
        JWT_SECRET=JWT_SECRET,
        ACCESS_TOKEN_TTL_SECONDS="7200",
        ADMIN_PASSWORD=ADMIN_PASSWORD,
        RATE_LIMIT_ENABLED="true",
        RATE_LIMIT_GENERAL="100000000/60",
        EMAIL_BACKEND="console",
        EMAIL_OUTBOX_DIR=str(tmp / "outbox"),
        FRONTEND_DIST=str(tmp / "no-frontend"),
        LOG_LEVEL="INFO",
    )
    if source is not None:
        env["PYTHONPATH"] = str(source / "src")
    return env


def cli(env: dict[str, str], *args: str) -> str:
    code = "from pintar_ekspor.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"pintar-ekspor {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def seed_extra_courses(env: dict[str, str]) -> None:
    """EXTRA_COURSES published courses, with the tree under test's own models."""
    code = (
        "import asyncio, random, sys\n"
        f"sys.path.append({str(BENCH_DIR)!r})\n"
        "from catalogue import course_spec\n"
        "from pintar_ekspor.core.config import Settings\n"
        "from pintar_ekspor.core.db import create_engine, create_session_factory\n"
        "from pintar_ekspor.courses.demo import build_course\n"
        "async def main():\n"
        "    engine = create_engine(Settings().database_url)\n"
        "    rng = random.Random(42)\n"
        "    async with create_session_factory(engine)() as s:\n"
        f"        s.add_all([build_course(course_spec(i, rng)) for i in range({EXTRA_COURSES})])\n"
        "        await s.commit()\n"
        "    await engine.dispose()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def _http(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


class Platform:
    """`pintar-ekspor serve` in a subprocess; its log goes to a file."""

    def __init__(self, env: dict[str, str], workers: int, tmp: Path) -> None:
        import urllib.error
        import urllib.request

        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (tmp / f"platform-{self.port}.log").open("w")
        code = "from pintar_ekspor.cli import main; main()"
        serve = ["serve", "--port", str(self.port), "--workers", str(workers)]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *serve],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the platform did not start; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def prepare_learner(base: str) -> tuple[str, str, str]:
    """A registered learner enrolled in the first demo course with one lesson done."""
    _http(
        base,
        "POST",
        "/api/v1/auth/register",
        {"email": LEARNER_EMAIL, "password": LEARNER_PASSWORD, "full_name": "Pelajar Bench"},
    )
    login = {"email": LEARNER_EMAIL, "password": LEARNER_PASSWORD}
    token = _http(base, "POST", "/api/v1/auth/login", login)["access_token"]
    first = _http(base, "GET", "/api/v1/courses?sort=title&limit=1")["items"][0]
    _http(base, "POST", f"/api/v1/courses/{first['id']}/enroll", {}, token)
    outline = _http(base, "GET", f"/api/v1/courses/{first['id']}", token=token)
    lesson = next(
        lesson
        for section in outline["sections"]
        for lesson in section["lessons"]
        if lesson["kind"] != "quiz"
    )
    _http(base, "POST", f"/api/v1/lessons/{lesson['id']}/complete", {}, token)
    return token, first["id"], first["slug"]


# --- one run ------------------------------------------------------------------------------------


def measure_run(label: str, source: Path | None, args: argparse.Namespace) -> RunResult:
    wrk = ensure_wrk()
    tool = "wrk" if wrk else "python"
    result = RunResult(
        label=label,
        source=str(source or ROOT),
        tool=tool,
        workers=args.workers,
        connections=args.connections,
        duration_s=args.duration,
    )
    with tempfile.TemporaryDirectory(prefix="pe-bench-") as tmpdir, throwaway_database() as db:
        tmp = Path(tmpdir)
        env = platform_env(db, source, tmp)
        cli(env, "db", "upgrade")
        cli(env, "seed-demo")

        def measure(platform: Platform, name: str, path: str, headers: dict[str, str]) -> Any:
            if wrk:
                warm = min(2.0, args.duration)
                run_wrk(wrk, platform.base + path, headers, warm, args.connections, tmp)
                numbers = run_wrk(
                    wrk, platform.base + path, headers, args.duration, args.connections, tmp
                )
            else:
                asyncio.run(_python_load("127.0.0.1", platform.port, path, headers, 1.0, 2))
                numbers = asyncio.run(
                    _python_load(
                        "127.0.0.1", platform.port, path, headers, args.duration, args.connections
                    )
                )
            rps, p50, p99, requests, errors = numbers
            m = Measurement(
                name, path, round(rps, 1), round(p50, 2), round(p99, 2), requests, errors
            )
            print(
                f"  {name:26} {rps:9.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms"
                + (f"  ({errors} errors/non-2xx)" if errors else ""),
                flush=True,
            )
            return m

        platform = Platform(env, args.workers, tmp)
        try:
            token, course_id, slug = prepare_learner(platform.base)
            auth = {"Authorization": f"Bearer {token}"}
            cases = [
                ("/health", "/health", {}),
                ("catalogue (demo)", "/api/v1/courses", {}),
                ("course page", f"/api/v1/courses/{slug}", {}),
                ("progress", f"/api/v1/courses/{course_id}/progress", auth),
                ("my learning", "/api/v1/me/courses", auth),
                ("/users/me", "/api/v1/users/me", auth),
            ]
            rounds: list[list[Measurement]] = [[] for _ in range(args.rounds)]
            for r in range(args.rounds):
                print(f"[{label}] round {r + 1}/{args.rounds} ({tool}, c={args.connections})")
                for name, path, headers in cases:
                    rounds[r].append(measure(platform, name, path, headers))
        finally:
            platform.stop()
        seed_extra_courses(env)
        platform = Platform(env, args.workers, tmp)
        try:
            for r in range(args.rounds):
                print(f"[{label}] round {r + 1}/{args.rounds}, +{EXTRA_COURSES} courses")
                rounds[r].append(measure(platform, "/health (200 courses)", "/health", {}))
                rounds[r].append(
                    measure(platform, "catalogue (200 courses)", "/api/v1/courses", {})
                )
        finally:
            platform.stop()
    for measurements in rounds:
        health = {m.name: m.rps for m in measurements if m.name.startswith("/health")}
        for m in measurements:
            ref = health["/health (200 courses)" if "200" in m.name else "/health"]
            m.ratio_to_health = round(ref / m.rps, 2) if m.rps else None
    result.rounds = rounds
    return result


def export_commit(ref: str, dest: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def print_summary(run: RunResult) -> None:
    setup = f"{run.tool}, {run.workers} worker(s), c={run.connections}"
    print(f"\n== {run.label}: {run.source} ({setup})")
    print(f"{'endpoint':26} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'×/health':>9}")
    for row in run.summary():
        ratio = "" if row["ratio_to_health"] is None else f"{row['ratio_to_health']:.2f}"
        print(
            f"{row['name']:26} {row['rps']:9.0f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} "
            f"{ratio:>9}" + (f"  errors={row['errors']}" if row["errors"] else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="git ref measured first (e.g. ecf4f1d)")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results" / "http.json")
    args = parser.parse_args()

    runs: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="pe-baseline-") as base_dir:
        if args.baseline:
            source = export_commit(args.baseline, Path(base_dir) / "src-tree")
            runs.append(measure_run(f"before ({args.baseline})", source, args))
        runs.append(measure_run("after (working tree)", None, args))
    for run in runs:
        print_summary(run)
    if len(runs) == 2:
        before = {r["name"]: r for r in runs[0].summary()}
        print("\nafter ÷ before (req/s):")
        for row in runs[1].summary():
            old = before[row["name"]]["rps"]
            print(f"  {row['name']:26} {row['rps'] / old:6.2f}×" if old else row["name"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "load_avg": os.getloadavg()},
        "runs": [
            {**{k: v for k, v in asdict(run).items() if k != "rounds"}, "summary": run.summary()}
            | {"rounds": [[asdict(m) for m in r] for r in run.rounds]}
            for run in runs
        ],
    }
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten {args.output}")


if __name__ == "__main__":
    main()
