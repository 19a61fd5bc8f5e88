"""The production stack on this machine: nginx (TLS, the shipped config) in front of 1, 2 and 4
`pintar-ekspor serve` processes on PostgreSQL + Redis.

Prints requests/second of the anonymous catalogue and of /users/me (wrk over HTTPS) for each
process count and the ratios to one process; then the bytes transferred for a first page load
of the web app and for /docs, through nginx and straight from one app process (embedded mode).
Targets: first load < 300 kB, /docs < 500 kB. Needs nginx and wrk (`make bench` installs them).
    .venv/bin/python bench/deploy.py [--seconds 5] [--connections 16] [--processes 1,2,4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "deploy"))

from deploy_stack import (  # noqa: E402
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    AppProcess,
    Nginx,
    app_env,
    create_database,
    drop_database,
    free_port,
    prepare_database,
    render_nginx_conf,
)

FIRST_LOAD_TARGET = 300_000
DOCS_TARGET = 500_000
BROWSER_ENCODING = "gzip, deflate, br"


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    for problem in re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: [^\n]+)", out):
        print(f"    warning: {url}: {problem}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


async def token(base: str) -> str:
    async with httpx2.AsyncClient(base_url=base, verify=False, timeout=30) as client:
        response = await client.post(
            "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


async def throughput(
    processes: int, env: dict[str, str], work: Path, seconds: int, connections: int
) -> dict[str, float]:
    ports = [free_port() for _ in range(processes)]
    layout = render_nginx_conf(
        work / f"nginx-{processes}",
        http_port=free_port(),
        https_port=free_port(),
        upstreams=ports,
    )
    apps = [AppProcess(port, env, work / f"app-{processes}-{port}.log") for port in ports]
    nginx = Nginx(layout)
    try:
        for app in apps:
            app.start()
        for app in apps:
            await app.wait_healthy()
        nginx.start()
        bearer = {"Authorization": f"Bearer {await token(nginx.https)}"}
        catalogue = f"{nginx.https}/api/v1/courses"
        wrk(catalogue, 3, connections, {})  # warm-up: connections, pools, caches
        return {
            "catalogue": wrk(catalogue, seconds, connections, {"Accept-Encoding": "br"}),
            "users/me": wrk(f"{nginx.https}/api/v1/users/me", seconds, connections, bearer),
        }
    finally:
        nginx.stop()
        for app in apps:
            app.stop()


async def transferred(client: httpx2.AsyncClient, path: str) -> int:
    """Bytes on the wire for one response: the (compressed) body plus the headers."""
    request = client.build_request("GET", path, headers={"Accept-Encoding": BROWSER_ENCODING})
    response = await client.send(request, stream=True)
    body = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    head = sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 20
    return len(body) + head


async def page_weight(base: str) -> dict[str, int]:
    async with httpx2.AsyncClient(base_url=base, verify=False, timeout=30) as client:
        index = (await client.get("/")).text
        assets = re.findall(r'(?:src|href)="(/assets/[^"]+\.(?:js|css))"', index)
        first_load = await transferred(client, "/")
        for asset in dict.fromkeys(assets):
            first_load += await transferred(client, asset)
        # What the app fetches before it renders the catalogue (the home page's data).
        first_load += await transferred(client, "/api/v1/courses")
        docs_html = (await client.get("/docs")).text
        docs = await transferred(client, "/docs")
        for asset in re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', docs_html):
            docs += await transferred(client, asset)
        docs += await transferred(client, "/api/v1/openapi.json")
    return {"first load": first_load, "/docs": docs}


async def weights(env: dict[str, str], work: Path) -> dict[str, dict[str, int]]:
    port = free_port()
    layout = render_nginx_conf(
        work / "nginx-weight", http_port=free_port(), https_port=free_port(), upstreams=[port]
    )
    app = AppProcess(port, env, work / "app-weight.log")
    nginx = Nginx(layout)
    try:
        app.start()
        await app.wait_healthy()
        nginx.start()
        return {"nginx": await page_weight(nginx.https), "app alone": await page_weight(app.url)}
    finally:
        nginx.stop()
        app.stop()


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--processes", default="1,2,4")
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            print(f"{tool} not found: run `make bench` (installs it) or apt-get install {tool}")
            return 1
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        print("frontend/dist is missing: run `make frontend-build` first")
        return 1

    work = Path(tempfile.mkdtemp(prefix="pe-deploy-bench-"))
    work.chmod(0o755)
    database_url = await create_database()
    env = app_env(
        database_url,
        work,
        RATE_LIMIT_GENERAL="100000000/60",
        RATE_LIMIT_API="100000000/60",
        RATE_LIMIT_AUTH="1000/60",
        LOG_LEVEL="WARNING",
        EMAIL_WORKER_ENABLED="false",
    )
    failed = False
    try:
        await asyncio.to_thread(prepare_database, env)
        print(
            f"machine: {os.cpu_count()} cores (shared); wrk -t2 -c{args.connections} "
            f"-d{args.seconds}s over HTTPS through nginx"
        )
        results: dict[int, dict[str, float]] = {}
        for n in (int(x) for x in args.processes.split(",")):
            results[n] = await throughput(n, env, work, args.seconds, args.connections)
            print(
                f"  {n} process(es): catalogue {results[n]['catalogue']:8.0f} req/s   "
                f"/users/me {results[n]['users/me']:8.0f} req/s"
            )
        base = results[min(results)]
        for n, row in results.items():
            ratios = "   ".join(f"{k} x{row[k] / base[k]:.2f}" for k in row)
            print(f"  ratio {n} vs {min(results)}: {ratios}")

        print("transferred (Accept-Encoding: gzip, deflate, br):")
        for where, sizes in (await weights(env, work)).items():
            for what, size in sizes.items():
                target = FIRST_LOAD_TARGET if what == "first load" else DOCS_TARGET
                ok = size < target
                failed |= not ok
                print(
                    f"  {where:>9} {what:>10}: {size / 1000:7.1f} kB  "
                    f"(target < {target / 1000:.0f} kB: {'met' if ok else 'MISSED'})"
                )
    finally:
        await drop_database(database_url)
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
