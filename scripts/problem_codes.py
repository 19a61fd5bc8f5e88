"""Collect every problem `code` the platform can emit into frontend/src/api/problemCodes.json.

    .venv/bin/python scripts/problem_codes.py           write the file
    .venv/bin/python scripts/problem_codes.py --check   fail when the committed file is stale

The web app translates a problem by its stable `code` (frontend/src/api/problemMessage.ts);
a Vitest (src/i18n/problems.test.ts) fails when a code in the JSON file has no Indonesian or
English message, and tests/core/test_problem_codes.py fails when the JSON file no longer
matches the source. Together: a new `code` in the backend cannot ship without both messages.

Only snake_case strings count as codes. The codes are read from the source with `ast`, not by importing it, so every literal counts,
including ones on error paths no test reaches:

* a keyword argument `code="..."` of any call (``DomainError(..., code="email_taken")``);
* a class attribute `code = "..."` or `default_code = "..."` (error classes);
* a dict literal entry `"code": "..."` next to a "message", "detail" or "status" key (errors
  stored with a failed analysis job);
* the default of `<mapping>.get("code", "...")`;
* the string values of a module-level dict whose name ends in `_CODES`, and the default of
  `<NAME>_CODES.get(key, "...")` (the HTTP status fallbacks).
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "pintar_ekspor"
TARGET = ROOT / "frontend" / "src" / "api" / "problemCodes.json"
CODE_ATTRIBUTES = {"code", "default_code"}
CODE_SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")
# A dict literal is an error only next to one of these keys (`{"code": ..., "message": ...}`);
# other dicts with a "code" key are data (e.g. a label table).
ERROR_KEYS = {"message", "detail", "status"}


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _codes_mapping(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id.endswith("_CODES")


class _Collector(ast.NodeVisitor):
    def __init__(self) -> None:
        self.codes: set[str] = set()

    def _add(self, node: ast.AST | None) -> None:
        text = _text(node)
        if text and CODE_SHAPE.match(text):
            self.codes.add(text)

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg == "code":
                self._add(keyword.value)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and len(node.args) == 2:
            if _text(node.args[0]) == "code" or _codes_mapping(func.value):
                self._add(node.args[1])
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
                if CODE_ATTRIBUTES.intersection(names):
                    self._add(statement.value)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                if statement.target.id in CODE_ATTRIBUTES:
                    self._add(statement.value)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        keys = {_text(key) for key in node.keys}
        if ERROR_KEYS & keys:
            for key, value in zip(node.keys, node.values, strict=True):
                if _text(key) == "code":
                    self._add(value)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(_codes_mapping(t) for t in node.targets) and isinstance(node.value, ast.Dict):
            for value in node.value.values:
                self._add(value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if _codes_mapping(node.target) and isinstance(node.value, ast.Dict):
            for value in node.value.values:
                self._add(value)
        self.generic_visit(node)


def collect(source: Path = SOURCE) -> list[str]:
    """Every problem code found in the platform's source, sorted."""
    collector = _Collector()
    for path in sorted(source.rglob("*.py")):
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return sorted(collector.codes)


def render(codes: list[str]) -> str:
    return json.dumps(codes, indent=2) + "\n"


def main(argv: list[str]) -> int:
    fresh = render(collect())
    if argv[1:2] == ["--check"]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != fresh:
            added = sorted(set(json.loads(fresh)) - set(json.loads(current or "[]")))
            print(
                f"error: {TARGET.relative_to(ROOT)} is stale (new codes: {added or 'none'}); "
                "run 'scripts/problem_codes.py', add each new code to "
                "frontend/src/i18n/sections/problems.ts and commit both.",
                file=sys.stderr,
            )
            return 1
        print(f"problem codes: {TARGET.relative_to(ROOT)} is up to date")
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    print(f"problem codes: wrote {len(json.loads(fresh))} codes to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
