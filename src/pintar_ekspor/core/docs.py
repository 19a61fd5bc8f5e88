"""The interactive API docs (Swagger UI) at /docs, from local assets: no CDN, no internet."""

from __future__ import annotations

import structlog
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from pintar_ekspor.core.security import build_csp, inline_script_hashes

log = structlog.get_logger("pintar_ekspor.security")

DOCS_PATH = "/docs"
DOCS_ASSETS_PATH = "/docs/assets"
DOCS_OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"


def _page(response: HTMLResponse) -> tuple[bytes, str]:
    """The page body and a CSP allowing exactly its inline bootstrap script."""
    body = bytes(response.body)
    return body, build_csp(inline_script_hashes(body.decode()))


def install_docs(app: FastAPI) -> bool:
    """Serve Swagger UI at /docs from the `swagger-ui-bundle` package: no CDN, no internet."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # pragma: no cover - the package is a declared dependency
        log.warning("swagger_ui_unavailable", reason="swagger-ui-bundle is not installed")
        return False
    app.mount(DOCS_ASSETS_PATH, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} - API docs"
    docs_body, docs_csp = _page(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_PATH}/favicon-32x32.png",
            oauth2_redirect_url=DOCS_OAUTH2_REDIRECT_PATH,
            # The default validator badge is an image from a third-party site.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )
    )
    redirect_body, redirect_csp = _page(get_swagger_ui_oauth2_redirect_html())

    @app.get(DOCS_PATH, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(docs_body, headers={"content-security-policy": docs_csp})

    @app.get(DOCS_OAUTH2_REDIRECT_PATH, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return HTMLResponse(redirect_body, headers={"content-security-policy": redirect_csp})

    return True
