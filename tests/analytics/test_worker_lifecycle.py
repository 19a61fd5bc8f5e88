"""A real `pintar-ekspor serve` killed with SIGKILL during a background analysis: its worker
processes go with it, and the job is claimed again and finished by the next app process."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from factories import create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.analytics.models import (
    Analysis,
    AnalysisKind,
    AnalysisPayload,
    AnalysisStatus,
    Dataset,
)
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_engine, create_session_factory, utcnow

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

BIN = Path(sys.executable).parent


def monthly_csv(categories: int, months: int = 120) -> bytes:
    lines = ["tanggal,komoditas,nilai"]
    for c in range(categories):
        for k in range(months):
            value = 1000 + 3 * k + 80 * ((k * 7 + c) % 12) + (c * 37 + k * 11) % 50
            lines.append(f"{2010 + k // 12}-{k % 12 + 1:02d},HS{c:04d},{value}")
    return ("\n".join(lines) + "\n").encode()


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def descendants(pid: int) -> set[int]:
    tree = children_of()
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def describe(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        state, ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:2]
    except OSError:
        cmd, state, ppid = "?", "?", "?"
    return f"{pid} (state {state}, parent {ppid}): {cmd[:160]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "pintar-ekspor"), "serve", "--port", str(free_port())],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def queue_job(url: str, settings: Settings, data: bytes) -> uuid.UUID:
    engine = create_engine(url)
    factory = create_session_factory(engine)
    try:
        async with factory() as session:
            user = await create_user(session, settings, role=Role.DEVELOPER)
            dataset = Dataset(
                id=uuid.uuid4(),
                owner_id=user.id,
                filename="exports.csv",
                content_type="text/csv",
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                source_format="csv",
            )
            session.add(dataset)
            await session.flush()
            analysis = Analysis(
                id=uuid.uuid4(),
                owner_id=user.id,
                dataset_id=dataset.id,
                kind=AnalysisKind.FULL,
                status=AnalysisStatus.QUEUED,
                params={"include_forecast": True, "include_visualizations": False},
            )
            session.add(analysis)
            await session.flush()
            session.add(AnalysisPayload(analysis_id=analysis.id, data=data))
            await session.commit()
            return analysis.id
    finally:
        await engine.dispose()


async def job_row(url: str, job_id: uuid.UUID, expire: bool = False) -> Any:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            if expire:
                await session.execute(
                    update(Analysis)
                    .where(Analysis.id == job_id)
                    .values(locked_until=utcnow() - timedelta(seconds=1))
                )
                await session.commit()
            row = (await session.execute(select(Analysis).where(Analysis.id == job_id))).scalar()
            return row
    finally:
        await engine.dispose()


def wait_for(check: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_of_the_app_takes_its_workers_and_the_job_is_finished_later(
    tmp_path: Path, settings: Settings
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'pe.db'}"
    env = {
        **os.environ,
        "ENV": "development",
        "DATABASE_URL": url,
        "AUTO_MIGRATE": "true",
        "EMAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "EMAIL_WORKER_ENABLED": "false",
        "ANALYTICS_WORKERS": "2",
        "FRONTEND_DIST": str(tmp_path / "no-frontend"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([str(BIN / "pintar-ekspor"), "db", "upgrade"], env=env, check=True)
    job_id = asyncio.run(queue_job(url, settings, monthly_csv(200)))
    log = tmp_path / "serve.log"
    app = serve(env, log)
    try:
        # the job is running in a pool worker (a grandchild of the app, via the forkserver)
        def workers() -> set[int]:
            children = set(children_of().get(app.pid, []))
            # the resource tracker (tiny) leaves once the others are gone: checked below
            return {
                pid
                for pid in descendants(app.pid) - children
                if "resource_tracker" not in describe(pid)
            }

        seen = wait_for(workers, 180, "an analysis worker")
        row = asyncio.run(job_row(url, job_id))
        assert row.status == AnalysisStatus.RUNNING, log.read_text()
        everything = descendants(app.pid)
        os.kill(app.pid, signal.SIGKILL)
        app.wait(10)
        assert seen <= everything
        for pids, seconds in ((seen, 10), (everything, 15)):  # workers, then every descendant
            try:
                wait_for(lambda p=pids: not any(alive(pid) for pid in p), seconds, "exit")
            except AssertionError:
                left = [describe(pid) for pid in pids if alive(pid)]
                raise AssertionError(
                    f"still running {seconds} s after the app died: {left}"
                ) from None
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    # The dead app's lease runs out (here: at once); the next app process finishes the job.
    asyncio.run(job_row(url, job_id, expire=True))
    again = serve(env, log)
    try:

        def finished() -> Any:
            row = asyncio.run(job_row(url, job_id))
            return row if row.status in (AnalysisStatus.SUCCEEDED, AnalysisStatus.FAILED) else None

        row = wait_for(finished, 300, "the job to be finished by the new app process")
        assert row.status == AnalysisStatus.SUCCEEDED, (row.error, log.read_text()[-2000:])
        assert row.attempts == 2
        assert row.progress == 100
        assert row.timings["forecast_series"] == 200
    finally:
        again.send_signal(signal.SIGTERM)
        try:
            again.wait(20)
        except subprocess.TimeoutExpired:
            again.kill()
            again.wait(10)
