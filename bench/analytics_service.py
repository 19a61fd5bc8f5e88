"""The analytics service end to end: idle memory, a small file, 500 series as a job.

    .venv/bin/python bench/analytics_service.py

1. Idle resident memory of a `pintar-ekspor serve` process (SQLite, after /health answers)
   and whether the web process imported the numeric stack.
2. The original Pintar Ekspor's 5,000-row sample file (`/work/shared/bench-data`, or
   `SAMPLE_CSV`) analysed through the worker pool as a request does (parse + analysis in
   one worker, forecasts spread over the pool), without and with forecasts; warm pool,
   best of three.
3. 500 monthly series x 120 months with forecasts run as a background job does (time
   limits scaled with the size, progress per chunk): wall time, the limits, and how often
   the progress moved.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pintar_ekspor.analytics import execution
from pintar_ekspor.analytics.contracts import Analysed
from pintar_ekspor.analytics.engine.options import AnalysisOptions, UploadLimits
from pintar_ekspor.analytics.runner import AnalyticsRunner

SAMPLE = Path(os.environ.get("SAMPLE_CSV", "/work/shared/bench-data/original-sample.csv"))
TICKS = os.sysconf("SC_CLK_TCK")


def pool_cpu(runner: AnalyticsRunner) -> float:
    """CPU seconds used so far by the pool's worker processes (user + system)."""
    total = 0.0
    for pid in runner.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


LIMITS = UploadLimits(max_bytes=50 * 1024 * 1024, max_rows=2_000_000, max_categories=500)


def idle_memory() -> None:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/pe.db",
            "EMAIL_OUTBOX_DIR": f"{tmp}/outbox",
            "LOG_LEVEL": "WARNING",
        }
        proc = subprocess.Popen(
            [str(bin_dir / "pintar-ekspor"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(1.0)
            status = Path(f"/proc/{proc.pid}/status").read_text()
            rss = next(line for line in status.splitlines() if line.startswith("VmRSS"))
            print(f"idle web process: {rss.split(':')[1].strip()} resident")
        finally:
            proc.terminate()
            proc.wait(20)
    check = (
        "import sys; from pintar_ekspor.main import create_app; create_app(); "
        "print([m for m in ('numpy','pandas','scipy','matplotlib','statsmodels') "
        "if m in sys.modules])"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"numeric modules imported by the web process after create_app(): {loaded}")


async def sample_file(runner: AnalyticsRunner) -> None:
    data = SAMPLE.read_bytes()
    for forecast in (False, True):
        times, cpus = [], []
        for _ in range(3):
            start = time.perf_counter()
            cpu = pool_cpu(runner)
            outcome = await execution.analyse(
                runner,
                data,
                filename=SAMPLE.name,
                content_type="text/csv",
                kind="analyze",
                options=AnalysisOptions(include_forecast=forecast, include_visualizations=False),
                limits=LIMITS,
                time_limits=execution.request_limits(120),
            )
            times.append(time.perf_counter() - start)
            cpus.append(pool_cpu(runner) - cpu)
            assert isinstance(outcome, Analysed), outcome
            result_bytes = len(outcome.result)
        print(
            f"sample file ({len(data):,} bytes), forecast={forecast}: wall best "
            f"{min(times):.3f} s, median {sorted(times)[1]:.3f} s; worker CPU best "
            f"{min(cpus):.2f} s; {result_bytes:,} result bytes"
        )


async def big_job(runner: AnalyticsRunner) -> None:
    lines = ["tanggal,komoditas,nilai"]
    for c in range(500):
        for k in range(120):
            value = 1000 + 3 * k + 80 * ((k * 7 + c) % 12) + (c * 37 + k * 11) % 50
            lines.append(f"{2010 + k // 12}-{k % 12 + 1:02d},HS{c:04d},{value}")
    data = ("\n".join(lines) + "\n").encode()
    limits = execution.job_limits(120, len(data), runner.workers)
    moves: list[int] = []

    async def progress(done: int, total: int) -> None:
        moves.append(done)

    start = time.perf_counter()
    cpu = time.process_time()
    workers_cpu = pool_cpu(runner)
    outcome = await execution.analyse(
        runner,
        data,
        filename=None,
        content_type=None,
        kind="analyze",
        options=AnalysisOptions(include_forecast=True),
        limits=LIMITS,
        time_limits=limits,
        progress=progress,
        shared_deadline=False,
    )
    wall = time.perf_counter() - start
    assert isinstance(outcome, Analysed), outcome
    print(
        f"500 x 120 months with forecasts as a job: {wall:.1f} s wall "
        f"(analysis limit {limits.analysis_seconds:.0f} s, forecast limit "
        f"{limits.forecast_seconds(500):.0f} s), progress moved {len(moves)} times, "
        f"worker CPU {pool_cpu(runner) - workers_cpu:.1f} s, "
        f"web-process CPU {time.process_time() - cpu:.2f} s, timings {outcome.timings}"
    )


def load() -> None:
    print(f"load average: {os.getloadavg()} on {os.cpu_count()} CPUs")


async def main() -> None:
    runner = AnalyticsRunner(workers=2, timeout=120)
    try:
        await sample_file(runner)
        await big_job(runner)
    finally:
        runner.shutdown()


if __name__ == "__main__":
    load()
    idle_memory()
    asyncio.run(main())
