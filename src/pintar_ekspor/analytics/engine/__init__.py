"""Pure computation engine of the time-series analytics module (no web or database code).

Typical use::

    dataset = parse_upload(data, filename="exports.csv", options=IngestOptions())
    result = run_analysis(dataset, AnalysisParams(include_forecast=True))  # JSON-able dict
    svg = render_chart(result, "series", "svg")
    csv_text = export_csv(result)

Every input problem raises an :class:`AnalyticsInputError` with a stable ``code``.

Names are imported lazily (PEP 562): the web process imports the result schemas and
options (pydantic only) from here without loading numpy, pandas, scipy, statsmodels or
matplotlib; only the analytics worker processes load the numeric stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .charts import CHART_NAMES, render_chart
    from .errors import (
        ERROR_CODES,
        AmbiguousNumbersError,
        AnalyticsInputError,
        DuplicateRowsError,
        EmptyFileError,
        FileTooLargeError,
        InvalidDatesError,
        InvalidEncodingError,
        InvalidRowsError,
        MalformedCSVError,
        MalformedJSONError,
        MissingColumnsError,
        MixedFrequencyError,
        NonNumericValuesError,
        NotEnoughDataError,
        TooManyCategoriesError,
        TooManyRowsError,
        UnknownCategoryError,
        UnknownChartError,
    )
    from .export import export_csv, export_json
    from .ingest import Dataset, check_upload, parse_records, parse_upload
    from .options import (
        AnalysisOptions,
        AnalysisParams,
        IngestOptions,
        ReadingOptions,
        UploadLimits,
    )
    from .pipeline import quick_analysis, run_analysis
    from .schemas import AnalysisResult, IngestReport, QuickAnalysisResult

_MODULES = {
    "charts": ("CHART_NAMES", "render_chart"),
    "errors": (
        "ERROR_CODES",
        "AmbiguousNumbersError",
        "AnalyticsInputError",
        "DuplicateRowsError",
        "EmptyFileError",
        "FileTooLargeError",
        "InvalidDatesError",
        "InvalidEncodingError",
        "InvalidRowsError",
        "MalformedCSVError",
        "MalformedJSONError",
        "MissingColumnsError",
        "MixedFrequencyError",
        "NonNumericValuesError",
        "NotEnoughDataError",
        "TooManyCategoriesError",
        "TooManyRowsError",
        "UnknownCategoryError",
        "UnknownChartError",
    ),
    "export": ("export_csv", "export_json"),
    "ingest": ("Dataset", "check_upload", "parse_records", "parse_upload"),
    "options": (
        "AnalysisOptions",
        "AnalysisParams",
        "IngestOptions",
        "ReadingOptions",
        "UploadLimits",
    ),
    "pipeline": ("quick_analysis", "run_analysis"),
    "schemas": ("AnalysisResult", "IngestReport", "QuickAnalysisResult"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "CHART_NAMES",
    "ERROR_CODES",
    "AmbiguousNumbersError",
    "AnalysisOptions",
    "AnalysisParams",
    "AnalysisResult",
    "AnalyticsInputError",
    "Dataset",
    "DuplicateRowsError",
    "EmptyFileError",
    "FileTooLargeError",
    "IngestOptions",
    "IngestReport",
    "InvalidDatesError",
    "InvalidEncodingError",
    "InvalidRowsError",
    "MalformedCSVError",
    "MalformedJSONError",
    "MissingColumnsError",
    "MixedFrequencyError",
    "NonNumericValuesError",
    "NotEnoughDataError",
    "QuickAnalysisResult",
    "ReadingOptions",
    "TooManyCategoriesError",
    "TooManyRowsError",
    "UnknownCategoryError",
    "UnknownChartError",
    "UploadLimits",
    "check_upload",
    "export_csv",
    "export_json",
    "parse_records",
    "parse_upload",
    "quick_analysis",
    "render_chart",
    "run_analysis",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
