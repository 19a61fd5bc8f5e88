"""Security headers, CSP, local Swagger UI, CORS, trusted hosts and request body limits."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx2
from fastapi import FastAPI, Request
from starlette.responses import PlainTextResponse

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.guardrails import MULTIPART_ENVELOPE_BYTES
from pintar_ekspor.core.security import RequestGuardMiddleware

PROBLEM = "application/problem+json"
BASE_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def _csp(response: Any) -> dict[str, str]:
    directives = {}
    for part in response.headers["content-security-policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def _assert_secure(response: Any) -> None:
    for name, value in BASE_HEADERS.items():
        assert response.headers[name] == value, name
    assert "camera=()" in response.headers["permissions-policy"]
    assert "content-security-policy" in response.headers


async def test_every_response_carries_security_headers(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(rate_limit_auth="1/60", max_body_bytes=64)
    async with client_for(app) as client:
        responses = [
            await client.get("/health"),
            await client.get("/api/v1/openapi.json"),
            await client.get("/api/v1/no-such-thing"),  # 404 problem
            await client.get("/api/v1/users/me"),  # 401 problem
            await client.post("/api/v1/auth/login", json={}),  # 422 problem
            await client.post("/api/v1/auth/login", json={}),  # 429 from the limiter
            await client.post("/api/v1/courses", content=b"x" * 65),  # 413 from the body limit
        ]
    assert [r.status_code for r in responses] == [200, 200, 404, 401, 422, 429, 413]
    for response in responses:
        _assert_secure(response)
        # Plain HTTP outside production: no HSTS (it would pin a dev host to HTTPS).
        assert "strict-transport-security" not in response.headers


async def test_hsts_over_https_and_in_production(
    make_app: Callable[..., Any], client_for: Callable[..., Any], settings: Settings
) -> None:
    app = make_app()
    async with client_for(app, base_url="https://testserver") as client:
        response = await client.get("/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")

    # Production over plain HTTP (TLS ends at the proxy): HSTS anyway. A bare app, because
    # create_app refuses production settings on SQLite.
    inner = FastAPI()
    inner.add_api_route("/ping", lambda: PlainTextResponse("pong"))
    production = settings.model_copy(update={"env": "production"})
    guarded = RequestGuardMiddleware(inner, settings=production)
    transport = httpx2.ASGITransport(app=guarded)
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/ping")
    assert response.text == "pong"
    assert "strict-transport-security" in response.headers


async def test_https_seen_through_a_trusted_proxy(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(trusted_proxies=["10.0.0.0/8"])
    async with client_for(app, ip="10.0.0.2") as proxy:
        response = await proxy.get("/health", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" in response.headers
    async with client_for(app, ip="192.0.2.1") as stranger:
        response = await stranger.get("/health", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in response.headers


async def test_csp_allows_the_web_app_and_no_third_party_scripts(
    client: httpx2.AsyncClient,
) -> None:
    csp = _csp(await client.get("/health"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # Vite module scripts, same origin only
    assert csp["style-src"] == "'self' 'unsafe-inline'"  # Mantine's inline styles
    assert set(csp["img-src"].split()) == {"'self'", "data:", "https:"}
    assert set(csp["frame-src"].split()) == {
        "https://www.youtube-nocookie.com",
        "https://www.youtube.com",
        "https://player.vimeo.com",
    }
    assert csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"


async def test_docs_are_served_from_local_assets(client: httpx2.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    for cdn in ("cdn.", "unpkg", "jsdelivr"):
        assert cdn not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    for url in sources:
        assert url.startswith("/docs/assets/"), url  # same origin, nothing remote
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 0
    assert "/api/v1/openapi.json" in html

    # The page's one inline bootstrap script is allowed by hash; nothing else inline.
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    script_src = _csp(page)["script-src"].split()
    assert script_src == ["'self'", f"'sha256-{digest}'"]
    _assert_secure(page)

    bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert "javascript" in bundle.headers["content-type"]
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200
    assert "'sha256-" in redirect.headers["content-security-policy"]


async def test_cors_allows_only_configured_origins(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(cors_origins=["https://app.pintarekspor.id"])
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    async with client_for(app) as client:
        allowed = await client.options(
            "/api/v1/auth/login", headers={"Origin": "https://app.pintarekspor.id", **preflight}
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.pintarekspor.id"
        assert allowed.headers["access-control-allow-credentials"] == "true"

        denied = await client.options(
            "/api/v1/auth/login", headers={"Origin": "https://evil.example", **preflight}
        )
        assert denied.status_code == 400
        assert "access-control-allow-origin" not in denied.headers

        simple = await client.get(
            "/api/v1/users/me", headers={"Origin": "https://app.pintarekspor.id"}
        )
        assert simple.headers["access-control-allow-origin"] == "https://app.pintarekspor.id"
        exposed = simple.headers["access-control-expose-headers"].lower()
        for name in ("ratelimit-remaining", "retry-after", "x-request-id"):
            assert name in exposed


async def test_cors_wildcard_never_comes_with_credentials(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(cors_origins=["*"])
    async with client_for(app) as client:
        response = await client.get("/health", headers={"Origin": "https://anywhere.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


async def test_unknown_hosts_are_refused_except_for_health_checks(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(allowed_hosts=["api.pintarekspor.id"])
    async with client_for(app) as client:
        good = await client.get("/api/v1/openapi.json", headers={"Host": "api.pintarekspor.id"})
        assert good.status_code == 200
        bad = await client.get("/api/v1/openapi.json", headers={"Host": "evil.example"})
        assert bad.status_code == 400
        assert bad.headers["content-type"] == "application/problem+json"
        assert bad.json()["code"] == "invalid_host"
        _assert_secure(bad)
        wildcard = make_app(allowed_hosts=["*.pintarekspor.id"])
        async with client_for(wildcard) as wild:
            sub = await wild.get("/api/v1/openapi.json", headers={"Host": "eu.pintarekspor.id"})
            assert sub.status_code == 200
            other = await wild.get("/api/v1/openapi.json", headers={"Host": "pintarekspor.id.evil"})
            assert other.status_code == 400
        # The container health check calls 127.0.0.1 directly.
        health = await client.get("/health", headers={"Host": "127.0.0.1:8000"})
        assert health.status_code == 200


def _add_echo_routes(app: FastAPI) -> None:
    """Routes that read the whole body (this test owns them; no domain route needed)."""

    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    app.add_api_route("/api/v1/guardrails-echo", echo, methods=["POST"])
    app.add_api_route("/api/v1/analytics/guardrails-echo", echo, methods=["POST"])


async def _chunks(size: int, chunk: int = 16) -> AsyncIterator[bytes]:
    sent = 0
    while sent < size:
        part = min(chunk, size - sent)
        sent += part
        yield b"x" * part


async def test_body_limit_by_content_length_and_while_streaming(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(max_body_bytes=100, analytics_max_upload_bytes=1000)
    _add_echo_routes(app)
    async with client_for(app) as client:
        ok = await client.post("/api/v1/guardrails-echo", content=b"x" * 100)
        assert (ok.status_code, ok.text) == (200, "100")

        declared = await client.post("/api/v1/guardrails-echo", content=b"x" * 101)
        assert declared.status_code == 413
        assert declared.headers["content-type"] == PROBLEM
        body = declared.json()
        assert body["code"] == "payload_too_large"
        assert "100 bytes" in body["detail"]

        # No Content-Length (chunked): refused once the stream passes the limit.
        streamed = await client.post("/api/v1/guardrails-echo", content=_chunks(500))
        assert streamed.status_code == 413
        assert streamed.headers["content-type"] == PROBLEM
        assert streamed.json()["code"] == "payload_too_large"

        # Upload routes get the larger analytics limit plus room for a multipart envelope
        # (the file itself is checked by the route), and that is enforced too.
        body_limit = 1000 + MULTIPART_ENVELOPE_BYTES
        upload = await client.post("/api/v1/analytics/guardrails-echo", content=_chunks(900))
        assert (upload.status_code, upload.text) == (200, "900")
        at_limit = await client.post("/api/v1/analytics/guardrails-echo", content=b"x" * body_limit)
        assert (at_limit.status_code, at_limit.text) == (200, str(body_limit))
        too_big = await client.post(
            "/api/v1/analytics/guardrails-echo", content=b"x" * (body_limit + 1)
        )
        assert too_big.status_code == 413
        assert f"{body_limit} bytes" in too_big.json()["detail"]


async def test_web_app_inline_bootstrap_is_allowed_by_hash_and_assets_are_not_limited(
    make_app: Callable[..., Any], client_for: Callable[..., Any], tmp_path: Any
) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    bootstrap = "document.documentElement.dataset.theme='light'"
    (dist / "index.html").write_text(
        f"<!doctype html><html><head><script>{bootstrap}</script>"
        '<script type="module" crossorigin src="/assets/app.js"></script></head>'
        '<body><div id="root"></div></body></html>'
    )
    (dist / "assets" / "app.js").write_text("console.log('app')")
    app = make_app(frontend_dist=dist, rate_limit_general="1/60")
    async with client_for(app) as client:
        for _ in range(3):
            page = await client.get("/courses/some-course")  # SPA route -> index.html
            assert page.status_code == 200
            assert "ratelimit-limit" not in page.headers
            asset = await client.get("/assets/app.js")
            assert asset.status_code == 200
            assert "ratelimit-limit" not in asset.headers
    digest = base64.b64encode(hashlib.sha256(bootstrap.encode()).digest()).decode()
    assert _csp(page)["script-src"].split() == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in _csp(page)["script-src"]
