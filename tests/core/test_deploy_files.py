"""The deployment files agree with the code: every setting in .env.example, compose files
that describe the stacks the README promises, nginx limits that match the app's."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from pintar_ekspor.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _compose(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / name).read_text())
    return data


def test_env_example_lists_every_setting() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.M)
    assert len(listed) == len(set(listed)), "a setting is listed twice"
    expected = {name.upper() for name in Settings.model_fields}
    assert set(listed) == expected, {
        "missing": sorted(expected - set(listed)),
        "unknown": sorted(set(listed) - expected),
    }


def _check_build(service: dict[str, Any]) -> None:
    build = service["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context.is_dir()
    assert (context / build.get("dockerfile", "Dockerfile")).is_file()


def test_dev_compose_has_database_redis_smtp_catcher_and_app() -> None:
    services = _compose("docker-compose.yml")["services"]
    assert {"db", "redis", "mail", "app"} <= set(services)
    app = services["app"]
    _check_build(app)
    env = app["environment"]
    assert env["DATABASE_URL"].startswith("postgresql://")
    assert env["DATABASE_URL"].split("@")[1].startswith("db:")
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["EMAIL_BACKEND"] == "smtp"
    assert env["SMTP_HOST"] == "mail"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in services["db"]


def test_prod_compose_has_volume_redis_scaled_healthy_apps_and_nginx() -> None:
    compose = _compose("docker-compose.prod.yml")
    services = compose["services"]
    assert {"db", "redis", "migrate", "app", "nginx"} <= set(services)
    db_volume = services["db"]["volumes"][0].split(":")[0]
    assert db_volume in compose["volumes"]
    app = services["app"]
    _check_build(app)
    _check_build(services["nginx"])
    assert app["deploy"]["replicas"] >= 2
    assert "/health/ready" in " ".join(app["healthcheck"]["test"])
    env = app["environment"]
    assert env["ENV"] == "production"
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert "TRUSTED_PROXIES" in env
    grace = int(env["SHUTDOWN_GRACE_SECONDS"])
    assert int(app["stop_grace_period"].rstrip("s")) > grace
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["pintar-ekspor", "db", "upgrade"]
    nginx = services["nginx"]
    assert {"80:80", "443:443"} <= set(nginx["ports"])
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    nginx_conf = (DEPLOY / "nginx" / "nginx.conf").read_text()
    assert re.search(r"server app:8000 max_fails=\d+ fail_timeout=\d+s;", nginx_conf)


def test_railway_checks_readiness_and_restarts() -> None:
    config = tomllib.loads((DEPLOY / "railway.toml").read_text())
    deploy = config["deploy"]
    assert deploy["healthcheckPath"] == "/health/ready"
    assert deploy["restartPolicyType"] == "ON_FAILURE"
    assert (ROOT / config["build"]["dockerfilePath"]).is_file()
    assert "db upgrade" in " ".join(deploy["preDeployCommand"])


def _seconds(value: str) -> int:
    return int(value.rstrip("s"))


def test_nginx_limits_match_the_app() -> None:
    conf = (DEPLOY / "nginx" / "nginx.conf").read_text()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    body = re.search(r"client_max_body_size (\d+)m;", conf)
    assert body is not None
    assert int(body.group(1)) * 1024 * 1024 >= settings.analytics_max_upload_bytes
    analytics = conf.split("location /api/v1/analytics/", 1)[1].split("}", 1)[0]
    read_timeout = re.search(r"proxy_read_timeout (\d+s);", analytics)
    assert read_timeout is not None
    assert _seconds(read_timeout.group(1)) > settings.analytics_timeout_seconds
    media = conf.split("location = /api/v1/admin/media", 1)[1].split("}", 1)[0]
    media_body = re.search(r"client_max_body_size (\d+)m;", media)
    assert media_body is not None
    assert int(media_body.group(1)) * 1024 * 1024 >= settings.media_max_upload_bytes
    metrics = conf.split("location = /metrics", 1)[1].split("}", 1)[0]
    assert "deny all;" in metrics
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in conf
    assert "Strict-Transport-Security" in conf
    assert "immutable" in conf.split("location /assets/", 1)[1].split("}", 1)[0]
    assert "keepalive " in conf
    proxy = (DEPLOY / "nginx" / "pintar-proxy.conf").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID", "Host"):
        assert f"proxy_set_header {header} " in proxy
