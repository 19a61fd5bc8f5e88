"""Pure computation engine of the time-series analytics module (no web or database code).

Typical use::

    dataset = parse_upload(data, filename="exports.csv", options=IngestOptions())
    result = run_analysis(dataset, AnalysisParams(include_forecast=True))  # JSON-able dict
    svg = render_chart(result, "series", "svg")
    csv_text = export_csv(result)

Every input problem raises an :class:`AnalyticsInputError` with a stable ``code``.
"""

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
from .options import AnalysisParams, IngestOptions, analysis_params, ingest_options
from .pipeline import quick_analysis, run_analysis
from .schemas import AnalysisResult, IngestReport, QuickAnalysisResult

__all__ = [
    "CHART_NAMES",
    "ERROR_CODES",
    "AmbiguousNumbersError",
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
    "TooManyCategoriesError",
    "TooManyRowsError",
    "UnknownCategoryError",
    "UnknownChartError",
    "analysis_params",
    "check_upload",
    "export_csv",
    "export_json",
    "ingest_options",
    "parse_records",
    "parse_upload",
    "quick_analysis",
    "render_chart",
    "run_analysis",
]
