"""The OpenAPI document tells the truth about errors, in one place.

Every operation can answer 400 (bad Host, malformed JSON), 401/403 (a bad or insufficient
credential), 429 (rate limits), 500 and 503 (database unavailable), all as
`application/problem+json`; operations with a body also 413 and 415, with a path parameter
also 404. FastAPI declares 422 as `application/json` with its own `HTTPValidationError`;
this API answers it as problem+json too. `document_problems` rewrites the generated document
accordingly, once, when it is first built.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from pintar_ekspor.core.errors import PROBLEM_JSON

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
EVERY_OPERATION = (400, 401, 403, 429, 500, 503)
WITH_BODY = (413, 415)
WITH_PATH_PARAMETER = (404,)
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer"},
    }
}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _problem(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def _fix_operation(path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = list(EVERY_OPERATION)
    if "requestBody" in operation:
        statuses += WITH_BODY
    if "{" in path:
        statuses += WITH_PATH_PARAMETER
    for code in statuses:
        responses.setdefault(str(code), _problem(code))
    for status, response in responses.items():
        if not status.startswith(("4", "5")):
            continue
        content = response.setdefault("content", {})
        # Errors are problem+json only: drop FastAPI's application/json twin.
        content.pop("application/json", None)
        content[PROBLEM_JSON] = {"schema": PROBLEM_REF}
        if status == "422":
            response["description"] = "Validation failed"
        if status in ("429", "503"):
            response.setdefault("headers", {}).update(RETRY_AFTER)


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a generated OpenAPI document so every error answer is declared as it is sent."""
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                _fix_operation(path, item[method])
    components = schema.get("components", {}).get("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        components.pop(name, None)
    return schema


def install_problem_documentation(app: FastAPI) -> None:
    """Post-process `app.openapi()` with `document_problems` (cached like FastAPI's own)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
