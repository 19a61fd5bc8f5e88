"""Serving without nginx: gzip, pre-compressed hashed assets, guarded /metrics, the
/openapi.json redirect (core/delivery.py, frontend.py)."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pintar_ekspor.core.config import Settings
from pintar_ekspor.main import create_app

ASSET_JS = "console.log('pintar ekspor');\n" * 200


def _app(settings: Settings, engine: AsyncEngine, factory: Any, **overrides: Any) -> Any:
    app = create_app(Settings(_env_file=None, **(settings.model_dump() | overrides)))  # type: ignore[call-arg]
    app.state.engine = engine
    app.state.session_factory = factory
    return app


@pytest.fixture
def make(
    settings: Settings, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> Any:
    def build(**overrides: Any) -> Any:
        return _app(settings, engine, session_factory, **overrides)

    return build


def _client(app: Any, ip: str = "127.0.0.1") -> httpx2.AsyncClient:
    transport = httpx2.ASGITransport(app=app, client=(ip, 50000))
    return httpx2.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def client(make: Any) -> AsyncIterator[httpx2.AsyncClient]:
    async with _client(make()) as c:
        yield c


async def _raw(client: httpx2.AsyncClient, path: str, encoding: str) -> httpx2.Response:
    """The response as sent (no transparent decoding), read whole."""
    request = client.build_request("GET", path, headers={"Accept-Encoding": encoding})
    response = await client.send(request, stream=True)
    response._content = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response


async def test_large_json_is_gzipped_small_and_refused_are_not(
    client: httpx2.AsyncClient,
) -> None:
    spec = await _raw(client, "/api/v1/openapi.json", "gzip, deflate")
    assert spec.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in spec.headers["vary"]
    assert int(spec.headers["content-length"]) == len(spec.content)
    plain = await _raw(client, "/api/v1/openapi.json", "identity")
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(spec.content) == plain.content
    assert len(spec.content) < len(plain.content) / 3
    refused = await _raw(client, "/api/v1/openapi.json", "gzip;q=0")
    assert "content-encoding" not in refused.headers
    small = await _raw(client, "/health", "gzip")
    assert "content-encoding" not in small.headers  # under COMPRESSION_MIN_BYTES


async def test_swagger_assets_are_compressed_once_and_cached(client: httpx2.AsyncClient) -> None:
    first = await _raw(client, "/docs/assets/swagger-ui-bundle.js", "br, gzip")
    second = await _raw(client, "/docs/assets/swagger-ui-bundle.js", "gzip")
    assert first.status_code == second.status_code == 200
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["etag"].startswith("W/")
    assert first.content == second.content
    assert len(first.content) < 600_000  # the raw bundle is about 1.5 MB


async def test_compression_can_be_switched_off(make: Any) -> None:
    async with _client(make(compression_enabled=False)) as c:
        response = await _raw(c, "/api/v1/openapi.json", "gzip")
    assert "content-encoding" not in response.headers


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Pintar Ekspor</title>")
    asset = root / "assets" / "index-a1b2c3.js"
    asset.write_text(ASSET_JS)
    asset.with_name(asset.name + ".gz").write_bytes(gzip.compress(ASSET_JS.encode()))
    asset.with_name(asset.name + ".br").write_bytes(b"brotli-bytes-from-the-build")
    return root


@pytest.mark.parametrize(
    ("accept", "encoding", "body"),
    [
        ("gzip, deflate, br", "br", b"brotli-bytes-from-the-build"),
        ("gzip", "gzip", gzip.compress(ASSET_JS.encode())),
        ("identity", None, ASSET_JS.encode()),
    ],
)
async def test_hashed_assets_are_precompressed_and_immutable(
    make: Any, dist: Path, accept: str, encoding: str | None, body: bytes
) -> None:
    async with _client(make(frontend_dist=dist)) as c:
        response = await _raw(c, "/assets/index-a1b2c3.js", accept)
        index = await _raw(c, "/", accept)
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == encoding
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith(
        ("text/javascript", "application/javascript")
    )
    assert response.headers["vary"] == "Accept-Encoding"
    if encoding == "gzip":
        assert gzip.decompress(response.content) == ASSET_JS.encode()
    else:
        assert response.content == body
    assert index.headers["cache-control"] == "no-cache"


async def test_openapi_json_redirects_to_the_versioned_spec(client: httpx2.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 308
    assert response.headers["location"] == "/api/v1/openapi.json"
    followed = await client.get("/openapi.json", follow_redirects=True)
    description = followed.json()["info"]["description"]
    assert "(/api/v1/openapi.json)" in description
    assert "(/openapi.json)" in description  # the docs page links both


async def test_metrics_from_loopback_only_by_default(make: Any) -> None:
    app = make()
    async with _client(app) as local:
        assert (await local.get("/metrics")).status_code == 200
    async with _client(app, ip="10.0.0.7") as remote:
        refused = await remote.get("/metrics")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "metrics_forbidden"


async def test_metrics_with_token_or_allowed_network(make: Any) -> None:
    app = make(metrics_token="scrape-token-0123456789", metrics_allow=["10.1.0.0/16"])
    async with _client(app, ip="203.0.113.5") as remote:
        assert (await remote.get("/metrics")).status_code == 403
        wrong = await remote.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        ok = await remote.get(
            "/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}
        )
        assert ok.status_code == 200
        assert "http_requests_total" in ok.text
    async with _client(app, ip="10.1.2.3") as monitoring:
        assert (await monitoring.get("/metrics")).status_code == 200
    async with _client(app, ip="127.0.0.1") as local:
        assert (await local.get("/metrics")).status_code == 403  # loopback no longer listed


async def test_metrics_behind_a_trusted_proxy_uses_the_client_address(make: Any) -> None:
    app = make(trusted_proxies=["127.0.0.1/32"])
    async with _client(app, ip="127.0.0.1") as via_proxy:
        outside = await via_proxy.get("/metrics", headers={"X-Forwarded-For": "198.51.100.4"})
        inside = await via_proxy.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert outside.status_code == 403
    assert inside.status_code == 200
