"""A production-shaped stack on 127.0.0.1: the shipped nginx config with a self-signed
certificate in front of N `pintar-ekspor serve` processes on a throw-away PostgreSQL
database and Redis. Used by tests/deploy and bench/deploy.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
NGINX_DIR = ROOT / "deploy" / "nginx"
PG_SERVER = os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ADMIN_EMAIL = "admin-deploy@example.com"
ADMIN_PASSWORD = "Deploy-Stack-Password-2026!"
CLI = str(Path(sys.executable).with_name("pintar-ekspor"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )


# --- certificate and nginx config ---------------------------------------------------------


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A P-256 certificate for localhost / 127.0.0.1, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _replace_marked(text: str, marker: str, replacement: str) -> str:
    """Replace every line tagged `# test: <marker>` (the shipped config must have one)."""
    pattern = re.compile(rf"^(\s*)[^\n#]*# test: {re.escape(marker)}[ \t]*$", re.M)
    if not pattern.search(text):
        raise AssertionError(f"deploy/nginx/nginx.conf has no line marked '# test: {marker}'")
    return pattern.sub(lambda m: m.group(1) + replacement, text)


@dataclass
class NginxLayout:
    prefix: Path
    http_port: int
    https_port: int
    upstreams: Sequence[int]

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"


def render_nginx_conf(
    prefix: Path, *, http_port: int, https_port: int, upstreams: Sequence[int]
) -> NginxLayout:
    """The shipped config with only the `# test:` lines changed, under `prefix`."""
    prefix.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "cache", "tmp"):
        (prefix / sub).mkdir(exist_ok=True)
    cert, key = self_signed_certificate(prefix)
    text = (NGINX_DIR / "nginx.conf").read_text()
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in upstreams
    )
    for marker, replacement in (
        ("pid", f"pid {prefix / 'nginx.pid'};"),
        ("error_log", f"error_log {prefix / 'logs/error.log'} warn;"),
        ("access_log", f"access_log {prefix / 'logs/access.log'} pintar;"),
        ("cache", f"proxy_cache_path {prefix / 'cache'} levels=1:2 keys_zone=pintar_static:10m"),
        ("upstream", servers.strip()),
        ("listen http", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen https", f"listen 127.0.0.1:{https_port} ssl http2 default_server;"),
        ("ipv6", "# (no IPv6 listener in the test)"),
        ("redirect", f"return 301 https://$host:{https_port}$request_uri;"),
        ("certificate", f"ssl_certificate {cert};"),
        ("certificate key", f"ssl_certificate_key {key};"),
    ):
        text = _replace_marked(text, marker, replacement)
    temp_paths = "".join(
        f"    {name}_temp_path {prefix / 'tmp' / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {\n", "http {\n" + temp_paths, 1)
    if os.geteuid() == 0:
        # Workers run as the current user, so they can use the private temp directories.
        text = "user root;\n" + text
    (prefix / "nginx.conf").write_text(text)
    shutil.copy(NGINX_DIR / "pintar-proxy.conf", prefix / "pintar-proxy.conf")
    return NginxLayout(prefix, http_port, https_port, list(upstreams))


def nginx_test(layout: NginxLayout) -> subprocess.CompletedProcess[str]:
    binary = nginx_binary()
    assert binary, "nginx is not installed"
    return subprocess.run(
        [binary, "-t", "-p", str(layout.prefix), "-c", str(layout.conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )


class Nginx:
    def __init__(self, layout: NginxLayout) -> None:
        self.layout = layout
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = nginx_binary()
        assert binary
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.layout.prefix),
                "-c",
                str(self.layout.conf),
                "-e",
                "stderr",
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.layout.prefix / "logs" / "stderr.log").open("wb"),
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "nginx exited: " + (self.layout.prefix / "logs/stderr.log").read_text()
                )
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.layout.https_port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("nginx did not listen")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def https(self) -> str:
        return f"https://127.0.0.1:{self.layout.https_port}"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.layout.http_port}"


# --- database and app processes ------------------------------------------------------------


async def create_database() -> str:
    """A new PostgreSQL database; returns its URL."""
    name = f"pintar_deploy_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(PG_SERVER, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


async def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_SERVER, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def app_env(database_url: str, workdir: Path, **overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ENV": "production",
        # The stack test and bench measure /docs and its compressed Swagger assets.
        "DOCS_ENABLED": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "RATE_LIMIT_KEY_PREFIX": f"pintar-deploy-{uuid.uuid4().hex[:8]}",
        "JWT_SECRET": "deploy-test-jwt-secret-0123456789abcdefghijkl",
        "API_KEY_SALT": "deploy-test-api-key-salt-0123456789abcdefghij",
        "DATA_ENCRYPTION_KEY": "deploy-test-data-key-0123456789abcdefghijklmn",
        "PASSWORD_HASH_TIME_COST": "1",
        "PASSWORD_HASH_MEMORY_KIB": "8192",
        "ADMIN_EMAIL": ADMIN_EMAIL,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "EMAIL_BACKEND": "console",
        "EMAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "TRUSTED_PROXIES": '["127.0.0.1/32"]',
        "ALLOWED_HOSTS": '["127.0.0.1","localhost"]',
        "ANALYTICS_WORKERS": "1",
        "FRONTEND_DIST": str(ROOT / "frontend" / "dist"),
        "LOG_LEVEL": "INFO",
        "LOG_JSON": "true",
        "SHUTDOWN_GRACE_SECONDS": "20",
    }
    env.update(overrides)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and seed the demo content (admin + courses) through the CLI."""
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([CLI, *args], env=env, check=True, capture_output=True, timeout=120)


@dataclass
class AppProcess:
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_healthy(self, timeout: float = 60) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        async with httpx2.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"app on {self.port} exited: {self.log_path.read_text()[-3000:]}"
                    )
                try:
                    if (await client.get(f"{self.url}/health", timeout=1)).status_code == 200:
                        return
                except httpx2.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"app on {self.port} did not come up")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
