"""Routers are mounted hot-first for speed (`api.mount_api`); that is only safe while no two
path templates can match the same request path, so the mounting order never decides which
route answers. The one pair that can (a literal segment beside a parameter, in one router)
keeps the literal route first."""

from __future__ import annotations

import re

from starlette.routing import compile_path

from pintar_ekspor.core.config import Settings
from pintar_ekspor.main import create_app

SAMPLES = ("00000000-0000-0000-0000-000000000000", "abc", "me", "order", "course-progress")


def test_no_two_routes_compete_for_a_path(settings: Settings) -> None:
    app = create_app(settings)
    templates = list(app.openapi()["paths"])
    assert "/api/v1/courses" in templates
    assert "/api/v1/users/me" in templates
    clashes: set[tuple[str, str]] = set()
    for template in templates:
        for sample in SAMPLES:
            path = re.sub(r"\{[^}]+\}", sample, template)
            for other in templates:
                if other != template and compile_path(other)[0].match(path):
                    first, second = sorted((template, other))
                    clashes.add((first, second))
    literal = "/api/v1/admin/courses/{course_id}/sections/order"
    parameter = "/api/v1/admin/courses/{course_id}/sections/{section_id}"
    assert clashes == {(literal, parameter)}
    assert templates.index(literal) < templates.index(parameter)  # the literal route wins
