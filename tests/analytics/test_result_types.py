"""The result's TypedDicts (engine/result_types.py) are generated from its one definition,
the engine's Pydantic schema: this fails while the committed module is stale."""

from __future__ import annotations

import importlib.util
import typing
from pathlib import Path
from types import ModuleType

from pintar_ekspor.analytics.engine import result_types, schemas

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "result_types_script", ROOT / "scripts/result_types.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_result_types_match_the_schema() -> None:
    generator = _generator()
    committed = generator.TARGET.read_text(encoding="utf-8")
    assert committed == generator.generate(), "run scripts/result_types.py"


def test_every_typed_dict_has_exactly_its_models_keys() -> None:
    names = [n for n in result_types.__all__ if n.endswith("Dict")]
    assert "AnalysisResultDict" in names
    assert "QuickAnalysisResultDict" in names
    for name in names:
        typed = getattr(result_types, name)
        model = getattr(schemas, name.removesuffix("Dict"))
        assert typed.__required_keys__ == frozenset(model.model_fields), name
        assert set(typing.get_type_hints(typed)) == set(model.model_fields), name
