"""The shipped nginx config on 127.0.0.1 (self-signed TLS) in front of two `pintar-ekspor
serve` processes on a throw-away PostgreSQL database and Redis.

Run by `make test-deploy` (which installs Debian's nginx when missing). The tests share one
stack and run in file order: the last two stop app processes on purpose.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import socket
import ssl
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import numpy as np
import pytest
from deploy_stack import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    AppProcess,
    Nginx,
    NginxLayout,
    app_env,
    create_database,
    drop_database,
    free_port,
    nginx_binary,
    nginx_test,
    prepare_database,
    render_nginx_conf,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
AUTH_LIMIT = 6
CATALOGUE = "/api/v1/courses"


def _require_nginx() -> None:
    if nginx_binary() is None:
        message = "nginx is not installed (make test-deploy installs it)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@dataclass
class Stack:
    nginx: Nginx
    apps: list[AppProcess]
    layout: NginxLayout

    def client(self, *, source: str = "127.0.0.1", **kwargs: object) -> httpx2.AsyncClient:
        """A client of nginx's HTTPS port, connecting from `source` (any 127.x address)."""
        transport = httpx2.AsyncHTTPTransport(verify=False, local_address=source)
        return httpx2.AsyncClient(
            transport=transport, base_url=self.nginx.https, timeout=30, **kwargs
        )


@pytest.fixture(scope="module")
def tmp_stack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stack")
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def layout(tmp_stack_dir: Path) -> NginxLayout:
    _require_nginx()
    return render_nginx_conf(
        tmp_stack_dir / "nginx",
        http_port=free_port(),
        https_port=free_port(),
        upstreams=[free_port(), free_port()],
    )


@pytest.fixture(scope="module")
async def stack(layout: NginxLayout, tmp_stack_dir: Path) -> AsyncIterator[Stack]:
    try:
        database_url = await create_database()
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    env = app_env(
        database_url,
        tmp_stack_dir,
        RATE_LIMIT_AUTH=f"{AUTH_LIMIT}/60",
        RATE_LIMIT_GENERAL="1000000/60",  # the load tests below are not about this limit
        ANALYTICS_BACKGROUND_THRESHOLD_BYTES="1024",
    )
    apps: list[AppProcess] = []
    nginx = Nginx(layout)
    try:
        await asyncio.to_thread(prepare_database, env)
        for n, port in enumerate(layout.upstreams):
            app = AppProcess(port, env, tmp_stack_dir / f"app{n}.log")
            app.start()
            apps.append(app)
        for app in apps:
            await app.wait_healthy()
        nginx.start()
        yield Stack(nginx, apps, layout)
    finally:
        nginx.stop()
        for app in apps:
            app.stop()
        await drop_database(database_url)


async def _admin_headers(client: httpx2.AsyncClient) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _log_lines(app: AppProcess) -> Iterator[dict[str, object]]:
    for line in app.log().splitlines():
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except ValueError:
                continue


# --- configuration --------------------------------------------------------------------------


def test_shipped_config_passes_nginx_t(layout: NginxLayout) -> None:
    result = nginx_test(layout)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


# --- TLS, redirect, headers, compression -----------------------------------------------------


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")
async def test_https_with_modern_tls_hsts_and_request_id(stack: Stack) -> None:
    async with stack.client() as client:
        response = await client.get("/health/ready")
        assert response.status_code == 200, response.text
        assert response.json()["checks"]["redis"]["status"] == "UP"
        ssl_object = response.extensions["network_stream"].get_extra_info("ssl_object")
        assert ssl_object.version() in ("TLSv1.2", "TLSv1.3")
        assert response.headers.get_list("strict-transport-security") == [
            "max-age=63072000; includeSubDomains"
        ]
        assert len(response.headers["x-request-id"]) >= 16  # nginx's $request_id
        assert "server" not in response.headers or "nginx/" not in response.headers["server"]

    # HTTP/2 is offered (ALPN).
    h2 = ssl.create_default_context()
    h2.check_hostname = False
    h2.verify_mode = ssl.CERT_NONE
    h2.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", stack.layout.https_port), timeout=10) as raw,
        h2.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"

    # TLS 1.1 and older are refused by the server.
    legacy = ssl.create_default_context()
    legacy.check_hostname = False
    legacy.verify_mode = ssl.CERT_NONE
    legacy.minimum_version = ssl.TLSVersion.TLSv1
    legacy.maximum_version = ssl.TLSVersion.TLSv1_1
    legacy.set_ciphers("ALL:@SECLEVEL=0")
    with pytest.raises(httpx2.ConnectError):
        async with httpx2.AsyncClient(verify=legacy) as old:
            await old.get(f"{stack.nginx.https}/health")


async def test_http_redirects_to_https(stack: Stack) -> None:
    async with httpx2.AsyncClient(base_url=stack.nginx.http) as client:
        response = await client.get(f"{CATALOGUE}?page=1", headers={"Host": "127.0.0.1"})
    assert response.status_code == 301
    assert response.headers["location"] == (
        f"https://127.0.0.1:{stack.layout.https_port}{CATALOGUE}?page=1"
    )


async def test_responses_are_compressed(stack: Stack) -> None:
    async with stack.client() as client:
        brotli = await client.get(CATALOGUE, headers={"Accept-Encoding": "br"})
        gzip = await client.get(CATALOGUE, headers={"Accept-Encoding": "gzip"})
        plain = await client.get(CATALOGUE, headers={"Accept-Encoding": "identity"})
        swagger = await client.get(
            "/docs/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip, br"}
        )
    assert brotli.status_code == gzip.status_code == plain.status_code == 200
    assert brotli.headers["content-encoding"] == "br"
    assert gzip.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in gzip.headers["vary"]
    # httpx decodes gzip; the decoded JSON is the same document.
    assert gzip.json() == plain.json()
    assert swagger.status_code == 200
    assert swagger.headers["content-encoding"] in ("br", "gzip")
    assert swagger.headers["cache-control"] == "public, max-age=86400"
    assert int(swagger.headers["content-length"]) < len(swagger.content) / 2


# --- shared state and client identity --------------------------------------------------------


async def test_auth_rate_limit_is_shared_by_both_processes(stack: Stack) -> None:
    async with stack.client(source="127.0.0.5") as client:
        statuses = []
        for _ in range(AUTH_LIMIT + 1):
            response = await client.post(
                "/api/v1/auth/login",
                json={"email": "nobody-deploy@example.com", "password": "Wrong-Password-1!"},
            )
            statuses.append(response.status_code)
    assert statuses == [401] * AUTH_LIMIT + [429], statuses
    served = [
        sum(1 for line in _log_lines(app) if line.get("path") == "/api/v1/auth/login")
        for app in stack.apps
    ]
    assert all(count >= 1 for count in served), served  # both processes took logins


async def _last_login_ip(client: httpx2.AsyncClient, headers: dict[str, str]) -> str:
    response = await client.get("/api/v1/users/me/security-events", headers=headers)
    assert response.status_code == 200, response.text
    logins = [e for e in response.json()["items"] if "LOGIN" in e["action"].upper()]
    return str(logins[0]["ip"])


async def test_forwarded_for_is_trusted_from_nginx_only(stack: Stack) -> None:
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    # Through nginx from 127.0.0.2: the app records the client, not nginx (127.0.0.1), and
    # not what the client wrote into X-Forwarded-For.
    async with stack.client(source="127.0.0.2", headers=spoof) as client:
        headers = await _admin_headers(client)
        assert await _last_login_ip(client, headers) == "127.0.0.2"
    # Straight to an app process from 127.0.0.3: the header is ignored.
    transport = httpx2.AsyncHTTPTransport(local_address="127.0.0.3")
    async with httpx2.AsyncClient(
        transport=transport, base_url=stack.apps[0].url, headers=spoof
    ) as direct:
        headers = await _admin_headers(direct)
        assert await _last_login_ip(direct, headers) == "127.0.0.3"


async def test_metrics_only_from_the_allow_list(stack: Stack) -> None:
    async with stack.client() as allowed:
        response = await allowed.get("/metrics")
        assert response.status_code == 200
        assert "http_requests_total" in response.text
    async with stack.client(source="127.0.0.2") as outsider:
        assert (await outsider.get("/metrics")).status_code == 403  # nginx's allow-list
    transport = httpx2.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx2.AsyncClient(transport=transport, base_url=stack.apps[0].url) as direct:
        refused = await direct.get("/metrics")  # the app's own guard (METRICS_ALLOW)
    assert refused.status_code == 403
    assert refused.json()["code"] == "metrics_forbidden"


# --- failures -------------------------------------------------------------------------------


@dataclass
class Load:
    """Idempotent requests through nginx from a few concurrent clients until `stop`."""

    ok: int = 0
    after_event: int = 0
    statuses: list[int] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)

    async def run(
        self,
        client: httpx2.AsyncClient,
        headers: dict[str, str],
        until: float,
        event: asyncio.Event,
    ) -> None:

        async def one(path: str, auth: bool) -> None:
            while time.monotonic() < until:
                try:
                    response = await client.get(path, headers=headers if auth else None)
                except httpx2.RemoteProtocolError as exc:
                    self.cut.append(repr(exc))  # the response had begun when its process died
                    continue
                except httpx2.HTTPError as exc:
                    self.other_errors.append(repr(exc))
                    continue
                self.statuses.append(response.status_code)
                if response.status_code == 200:
                    self.ok += 1
                    self.after_event += event.is_set()

        await asyncio.gather(
            one(CATALOGUE, False),
            one(CATALOGUE, False),
            one("/api/v1/users/me", True),
            one("/health/ready", False),
        )


async def test_a_killed_process_is_routed_around(stack: Stack) -> None:
    """SIGKILL (a crash): requests waiting on the dead process are retried on the other one.
    Only a response the dead process had already begun to send cannot be replayed by nginx
    (at most one per concurrent client); nothing else fails."""
    victim = stack.apps[1]
    load, killed = Load(), asyncio.Event()
    async with stack.client() as client:
        headers = await _admin_headers(client)

        async def kill_midway() -> None:
            await asyncio.sleep(2)
            victim.signal(signal.SIGKILL)
            killed.set()

        await asyncio.gather(load.run(client, headers, time.monotonic() + 6, killed), kill_midway())
    assert not victim.alive()
    assert not load.other_errors, load.other_errors[:5]
    assert set(load.statuses) == {200}, {s: load.statuses.count(s) for s in set(load.statuses)}
    assert len(load.cut) <= 4, load.cut
    assert load.after_event > 20, load.after_event  # served by the survivor
    retried = (stack.layout.prefix / "logs" / "error.log").read_text()
    assert "while connecting to upstream" in retried or "while reading response header" in retried


SLOW_CATEGORIES, SLOW_DAYS = 80, 3000


def _slow_upload(categories: int = SLOW_CATEGORIES, days: int = SLOW_DAYS) -> bytes:
    """A long-format CSV (240,000 rows, 7 MB) whose analysis takes several seconds, longer
    than the slowly sent login the stopping process still finishes."""
    rng = np.random.default_rng(19)
    out = io.StringIO()
    out.write("tanggal,komoditas,nilai\n")
    dates = np.datetime64("2019-01-01") + np.arange(days)
    t = np.arange(days)
    for c in range(categories):
        values = 1000 + 40 * c + 0.1 * t + 90 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 20, days)
        for day, value in zip(dates, values, strict=True):
            out.write(f"{day},HS{c:02d},{value:.2f}\n")
    return out.getvalue().encode()


SLOW_CLIENT = "127.0.0.9"


def _server_read_everything(port: int, client_ip: str = SLOW_CLIENT) -> bool:
    """Whether the app process accepted the connection from `client_ip` and read all that
    arrived (an established socket on its port with an empty receive queue)."""
    local = f":{port:04X}"
    remote = "".join(f"{int(part):02X}" for part in reversed(client_ip.split(".")))
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(local) and fields[2].startswith(remote + ":") and fields[3] == "01":
            return fields[4].split(":")[1] == "00000000"
    return False


async def _slowly_sent_login(url: str, started: asyncio.Event) -> httpx2.Response:
    """A login whose body arrives over 1 s: in flight while the process is told to stop."""
    body = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).encode()

    async def chunks() -> AsyncIterator[bytes]:
        yield body[:10]
        started.set()
        await asyncio.sleep(1)
        yield body[10:]

    transport = httpx2.AsyncHTTPTransport(local_address=SLOW_CLIENT)
    async with httpx2.AsyncClient(transport=transport, base_url=url, timeout=30) as client:
        return await client.post(
            "/api/v1/auth/login",
            content=chunks(),
            headers={"Content-Type": "application/json", "Content-Length": str(len(body))},
        )


async def test_sigterm_finishes_requests_and_hands_the_job_over(stack: Stack) -> None:
    # Bring the killed process back (same port), so two processes can take the job.
    restarted = AppProcess(stack.apps[1].port, stack.apps[1].env, stack.apps[1].log_path)
    earlier_lines = len(list(_log_lines(restarted)))  # the killed process wrote the same file
    restarted.start()
    stack.apps[1] = restarted
    await restarted.wait_healthy()

    async with stack.client() as client:
        # nginx still counts the port as failed (max_fails/fail_timeout) after the kill in the
        # previous test; until it routes to the new process again, a SIGTERM of the other one
        # would leave no live upstream. A rolling deploy waits for that, so the test does too.
        deadline = time.monotonic() + 30
        while not any(
            line.get("event") == "request" and line.get("route") == "/courses"
            for line in list(_log_lines(restarted))[earlier_lines:]
        ):
            assert time.monotonic() < deadline, "nginx never routed to the restarted process"
            assert (await client.get("/api/v1/courses")).status_code == 200
            await asyncio.sleep(0.2)
        headers = await _admin_headers(client)
        submitted = await client.post(
            "/api/v1/analytics/analyze",
            params={"include_forecast": "false", "include_visualizations": "false"},
            headers=headers,
            files={"file": ("ekspor.csv", _slow_upload(), "text/csv")},
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        status_url = f"/api/v1/analytics/analyses/{job_id}"
        deadline = time.monotonic() + 30
        while (await client.get(status_url, headers=headers)).json()["status"] != "running":
            assert time.monotonic() < deadline, "the job was never claimed"
            await asyncio.sleep(0.1)

        def claimed_by(app: AppProcess) -> bool:
            return any(
                line.get("event") == "analysis_job_claimed" and line.get("analysis_id") == job_id
                for line in _log_lines(app)
            )

        for _ in range(50):
            owners = [app for app in stack.apps if claimed_by(app)]
            if owners:
                break
            await asyncio.sleep(0.1)
        assert len(owners) == 1, "exactly one process claimed the job"
        owner = owners[0]
        other = next(app for app in stack.apps if app is not owner)

        started, stopping = asyncio.Event(), asyncio.Event()
        in_flight = asyncio.create_task(_slowly_sent_login(owner.url, started))
        load = Load()
        loading = asyncio.create_task(load.run(client, headers, time.monotonic() + 5, stopping))
        await started.wait()
        for _ in range(100):  # the process has the request (not just the kernel backlog)
            if _server_read_everything(owner.port):
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the app process never read the slow request")
        owner.signal(signal.SIGTERM)
        stopping.set()

        login = await in_flight
        await loading
        # SIGTERM (a deploy, a scale-down): not one request through nginx fails.
        assert set(load.statuses) == {200}
        assert not load.cut, load.cut
        assert not load.other_errors, load.other_errors
        assert load.after_event > 10
        assert login.status_code == 200, login.text  # the in-flight request finished
        exit_code = await asyncio.to_thread(owner.wait, 30)
        # uvicorn re-raises the signal after a clean shutdown, so the status is "terminated".
        assert exit_code in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in owner.log()
        assert any(
            line.get("event") == "analysis_job_released" and line.get("released") is True
            for line in _log_lines(owner)
        ), owner.log()[-2000:]

        deadline = time.monotonic() + 60
        while True:
            analysis = (await client.get(status_url, headers=headers)).json()
            if analysis["status"] in ("succeeded", "failed"):
                break
            assert time.monotonic() < deadline, f"job not finished: {analysis['status']}"
            await asyncio.sleep(0.25)
    assert analysis["status"] == "succeeded", analysis.get("error")
    assert analysis["rows"] == SLOW_CATEGORIES * SLOW_DAYS

    def finished_by(app: AppProcess) -> bool:
        return any(
            line.get("event") == "analysis_job_finished" and line.get("analysis_id") == job_id
            for line in _log_lines(app)
        )

    assert finished_by(other)
    assert not finished_by(owner)  # the stopping process did not hold shutdown for the job
