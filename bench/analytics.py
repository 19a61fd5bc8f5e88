"""Analytics end to end over HTTP: a 1,000,000-row long CSV (100 categories x 10,000 days)
and the same data in wide format, posted to a real platform process on 127.0.0.1.

Prints wall time, rows per second, the server's own analysis timings and the peak memory
(VmHWM) of the server and its analysis worker processes. Usage:
    .venv/bin/python bench/analytics.py [--categories 100] [--days 10000] [--forecast]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-Password-2026!"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_frames(categories: int, days: int) -> tuple[bytes, bytes]:
    rng = np.random.default_rng(7)
    dates = pd.date_range("1995-01-01", periods=days, freq="D")
    t = np.arange(days)
    wide = pd.DataFrame({"date": dates.strftime("%Y-%m-%d")})
    for c in range(categories):
        base = 1000 + 50 * c
        season = 100 * np.sin(2 * np.pi * t / 7)
        noise = rng.normal(0, 25, days)
        wide[f"HS{c:04d}"] = np.round(base + 0.05 * t + season + noise, 2)
    long = wide.melt(id_vars="date", var_name="komoditas", value_name="nilai")
    long = long.rename(columns={"date": "tanggal"})
    buf_long, buf_wide = io.StringIO(), io.StringIO()
    long.to_csv(buf_long, index=False)
    wide.to_csv(buf_wide, index=False)
    return buf_long.getvalue().encode(), buf_wide.getvalue().encode()


def memory_kib(pid: int, field: str) -> dict[str, int]:
    """A /proc status field (VmHWM: peak resident, VmRSS: now) of a process tree."""
    result: dict[str, int] = {}
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith(field + ":"):
                result[str(p)] = int(line.split()[1])
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            stack.extend(int(x) for x in task.read_text().split())
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--categories", type=int, default=100)
    parser.add_argument("--days", type=int, default=10_000)
    parser.add_argument("--forecast", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    long_csv, wide_csv = make_frames(args.categories, args.days)
    rows = args.categories * args.days
    print(
        f"generated {rows:,} rows: long {len(long_csv) / 1e6:.1f} MB, "
        f"wide {len(wide_csv) / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s"
    )

    tmp = Path(tempfile.mkdtemp(prefix="pe-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        "ADMIN_PASSWORD": PASSWORD,
        "ADMIN_EMAIL": "bench-admin@example.com",
        "EMAIL_OUTBOX_DIR": str(tmp / "outbox"),
        "RATE_LIMIT_ENABLED": "false",
        "ANALYTICS_BACKGROUND_THRESHOLD_BYTES": str(200 * 1024 * 1024),
        "ANALYTICS_TIMEOUT_SECONDS": "600",
        "LOG_LEVEL": "WARNING",
        "FRONTEND_DIST": str(tmp / "none"),
    }
    cli = str(ROOT / ".venv" / "bin" / "pintar-ekspor")
    subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([cli, "seed-demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx2.AsyncClient(base_url=base, timeout=900) as client:
            for _ in range(100):
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                await asyncio.sleep(0.2)
            login = await client.post(
                "/api/v1/auth/login",
                json={"email": "bench-admin@example.com", "password": PASSWORD},
            )
            login.raise_for_status()
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            params = {
                "include_forecast": str(args.forecast).lower(),
                "include_visualizations": "true",
            }
            # Warm the worker pool (process start, imports) so the numbers are the analysis.
            await client.post(
                "/api/v1/analytics/quick-analysis",
                headers=headers,
                files={"file": ("warm.csv", b"date,value\n2024-01,1\n2024-02,2\n2024-03,3\n")},
            )
            baseline = memory_kib(server.pid, "VmRSS")
            for label, payload in (("long", long_csv), ("wide", wide_csv)):
                start = time.perf_counter()
                response = await client.post(
                    "/api/v1/analytics/analyze",
                    headers=headers,
                    params=params,
                    files={"file": (f"{label}.csv", payload, "text/csv")},
                )
                wall = time.perf_counter() - start
                if response.status_code != 200:
                    print(f"{label}: HTTP {response.status_code}: {response.text[:500]}")
                    continue
                timings = response.json()["timings"]
                print(
                    f"{label:>4}: wall {wall:6.2f}s  ({rows / wall:,.0f} rows/s end to end)  "
                    f"server parse {timings['parse_seconds']:.2f}s  "
                    f"analysis {timings['analysis_seconds']:.2f}s  "
                    f"(parse+analysis {rows / timings['total_seconds']:,.0f} rows/s)  "
                    f"response {len(response.content) / 1e6:.1f} MB"
                )
            peaks = memory_kib(server.pid, "VmHWM")
            growth = {p: peaks[p] - baseline.get(p, 0) for p in peaks}
            worst = max(growth.values()) * 1024
            for pid, peak in sorted(peaks.items()):
                role = "server" if int(pid) == server.pid else "analysis worker / forkserver"
                print(
                    f"  pid {pid} ({role}): baseline {baseline.get(pid, 0) / 1024:.0f} MiB, "
                    f"peak {peak / 1024:.0f} MiB, growth {growth[pid] / 1024:.0f} MiB"
                )
            print(
                f"peak RSS per process MiB: {sorted(round(v / 1024) for v in peaks.values())}; "
                f"largest growth over the warmed-up baseline {worst / 2**20:.0f} MiB = "
                f"{worst / len(long_csv):.2f}x the long file ({len(long_csv) / 2**20:.0f} MiB)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
