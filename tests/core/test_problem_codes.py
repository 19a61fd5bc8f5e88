"""The web app's list of problem codes (frontend/src/api/problemCodes.json) matches the source.

A Vitest checks that every code in that file has an Indonesian and an English message, so a
new `code` in the backend fails one of the two suites until it is translated.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _collector() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "problem_codes", ROOT / "scripts/problem_codes.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_problem_codes_match_the_source() -> None:
    collector = _collector()
    committed = json.loads(collector.TARGET.read_text(encoding="utf-8"))
    fresh = collector.collect()
    missing = sorted(set(fresh) - set(committed))
    gone = sorted(set(committed) - set(fresh))
    assert not missing, (
        f"run scripts/problem_codes.py and translate the new codes {missing} in "
        "frontend/src/i18n/sections/problems.ts"
    )
    assert not gone, f"run scripts/problem_codes.py: codes no longer emitted: {gone}"
    assert committed == fresh


def test_the_collector_finds_each_kind_of_literal(tmp_path: Path) -> None:
    (tmp_path / "errors.py").write_text(
        "class E(Exception):\n"
        "    code = 'class_code'\n"
        "class F(E):\n"
        "    default_code: str = 'default_code_attr'\n"
        "_HTTP_CODES = {400: 'mapped_code'}\n"
        "def f(error):\n"
        "    raise E('x', code='keyword_code')\n"
        "def g(error):\n"
        "    _HTTP_CODES.get(500, 'fallback_code')\n"
        "    return {'code': 'dict_code', 'message': 'm'}, error.get('code', 'get_default')\n"
        "def h():\n"
        "    return {'status': 'not_a_code'}, {'code': 'Kode verifikasi', 'label': 'x'}\n"
        "LABELS = {'code': 'label_table_entry', 'title': 'Sertifikat'}\n",
        encoding="utf-8",
    )
    assert _collector().collect(tmp_path) == sorted(
        [
            "class_code",
            "default_code_attr",
            "mapped_code",
            "keyword_code",
            "fallback_code",
            "dict_code",
            "get_default",
        ]
    )
