"""Serve the built web app (frontend/dist) with an SPA fallback that never shadows the API."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, Response

RESERVED_PREFIXES = ("/api", "/health", "/docs", "/redoc", "/metrics", "/openapi.json")
IMMUTABLE = "public, max-age=31536000, immutable"
# Vite names files under assets/ by content hash; the build writes .br and .gz siblings
# (frontend/scripts/precompress.mjs), served here when the client accepts them.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(request: Request) -> set[str]:
    """Content codings the client accepts (without q=0)."""
    accepted: set[str] = set()
    for item in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = item.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0"):
            accepted.add(name.strip())
    return accepted


def asset_response(file: Path, request: Request) -> FileResponse:
    """A hashed asset, pre-compressed when a sibling exists, cached for a year."""
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    accepted = accepted_encodings(request)
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    for coding, suffix in PRECOMPRESSED:
        sibling = file.with_name(file.name + suffix)
        if coding in accepted and sibling.is_file():
            headers["Content-Encoding"] = coding
            return FileResponse(sibling, media_type=media_type, headers=headers)
    return FileResponse(file, media_type=media_type, headers=headers)


def mount_frontend(app: FastAPI, dist: Path) -> bool:
    """Serve `dist` at `/` when it holds a build; returns whether the UI is available."""
    index = dist / "index.html"
    if not index.is_file():
        return False
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        full = "/" + path
        if full.startswith(RESERVED_PREFIXES):
            raise HTTPException(status_code=404)
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            if path.startswith("assets/"):
                return asset_response(candidate, request)
            return FileResponse(candidate, headers={"Cache-Control": "no-cache"})
        if "." in path.rsplit("/", 1)[-1]:
            raise HTTPException(status_code=404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return True
