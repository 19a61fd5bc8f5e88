"""Parameters of ingestion and analysis (Pydantic, so the web layer can expose them as is).

Every option a caller of the API chooses is declared once, here:

* :class:`ReadingOptions` (how a file is read) and :class:`AnalysisOptions` (plus what is
  computed and returned) are the options of ``POST /analytics/analyze`` and
  ``/quick-analysis``: the query model of the request, the ``params`` stored with the
  analysis, the options a background job runs with. :meth:`AnalysisOptions.ingest_options`
  and :meth:`AnalysisOptions.analysis_params` turn them into the engine's parameters.
* :class:`IngestOptions` and :class:`AnalysisParams` are the engine's own parameters (for a
  library caller: a test, a notebook, a benchmark). They reuse the same field declarations
  (`_Reading`, `_Shaping`, :class:`UploadLimits`) and add the engine's tuning knobs.

One default differs on purpose: a library call computes no forecast unless asked
(``AnalysisParams.include_forecast`` is False, as forecasts cost seconds), while the API
forecasts unless told not to (``AnalysisOptions.include_forecast`` is True). A request
always says which, so the library default never applies to one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Frequency = Literal["D", "W", "M", "Q", "Y"]
FrequencyOption = Literal["auto", "D", "W", "M", "Q", "Y"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_CATEGORIES = 500


def _normalise_category_filter(value: object) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("category must be a string or a list of strings")
    names = [str(item).strip() for item in items if str(item).strip()]
    return names or None


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UploadLimits(_Options):
    """The size limits of an upload (the server's settings, never the caller's choice)."""

    max_bytes: int = Field(DEFAULT_MAX_BYTES, ge=1, description="Largest accepted upload.")
    max_rows: int = Field(DEFAULT_MAX_ROWS, ge=1, description="Largest number of data rows.")
    max_categories: int = Field(
        DEFAULT_MAX_CATEGORIES, ge=1, description="Most categories after the category filter."
    )


class _Reading(_Options):
    """How an upload is read: the choices a caller makes (declared once)."""

    on_bad_rows: Literal["skip", "reject"] = Field(
        "skip",
        description=(
            "skip: leave out rows with an unreadable date or value and report them by row "
            "number; reject: refuse the file, naming the rows."
        ),
    )
    decimal: Literal["auto", ".", ","] = Field(
        "auto",
        description=(
            "Decimal separator of numbers written as text (CSV cells, JSON strings). auto: "
            "detected per column (Indonesian 1.234.567,89, English 1,234,567.89 or plain); a "
            "column whose numbers could be read both ways is refused, naming it."
        ),
    )
    date_column: str | None = Field(
        None, max_length=200, description="Name of the date column, if not guessed."
    )
    date_columns: list[str] | None = Field(
        None,
        max_length=2,
        description=(
            "The date split over two columns: year column and month column (repeat the key)."
        ),
    )
    category_columns: list[str] | None = Field(
        None,
        max_length=5,
        description=(
            "Category columns (dimensions), e.g. `Kode HS` and `Negara Tujuan` (repeat the "
            "key): several make one series per combination; category columns of the file left "
            "out are summed over. Default: the first column recognised as a dimension."
        ),
    )
    value_column: str | None = Field(
        None,
        max_length=200,
        description="The value to analyse (long format), e.g. `Berat Bersih (Kg)`.",
    )
    value_scale: float = Field(
        1.0,
        gt=0,
        le=1e12,
        description="Multiply every value by this (1000 when the file reports thousands).",
    )
    duplicates: Literal["sum", "mean", "last", "reject"] = Field(
        "sum",
        description=(
            "Rows with the same date and the same value of every category column: sum them "
            "(several shipments), take their mean, keep the last row of the file, or refuse "
            "the file. Exact copies of a row are always counted once and reported."
        ),
    )


class _Shaping(_Options):
    """How the series are regularised, treated and forecast: the choices a caller makes."""

    frequency: FrequencyOption = Field(
        "auto",
        description=(
            "auto: detect from the median spacing of dates; otherwise regularise to this "
            "frequency (finer data are summed into the coarser periods)."
        ),
    )
    horizon: int | None = Field(
        None,
        ge=1,
        le=366,
        description="Forecast steps; default one seasonal cycle (D 7, W 52, M 12, Q 4, Y 3).",
    )
    gap_fill: Literal["zero", "interpolate"] = Field(
        "zero",
        description=(
            "Periods without data between a category's first and last period: zero (a "
            "trade flow with nothing shipped) or interpolate (linear in time; for stock-like "
            "series such as prices)."
        ),
    )
    mixed_frequency: Literal["aggregate", "refuse"] = Field(
        "aggregate",
        description=(
            "When a category is recorded at a coarser frequency than the others (say "
            "quarterly among monthly ones): aggregate every category to that coarser "
            "frequency, or refuse the file. Values are never invented to fill the gap."
        ),
    )
    outlier_treatment: Literal["flag", "replace"] = Field(
        "flag",
        description=(
            "flag: outliers are reported and kept in every computation; replace: flagged "
            "values are replaced by the expected value before statistics and forecasts."
        ),
    )
    forecast_input: Literal["treated", "raw"] = Field(
        "treated",
        description=(
            "Series the forecast models are fitted on: treated (flagged outliers replaced by "
            "their expected value) or raw."
        ),
    )


class IngestOptions(_Reading, UploadLimits):
    """How an uploaded file is read and validated (the engine's reading parameters)."""

    category: list[str] | None = Field(
        None, description="Keep only these categories (a name or a list of names)."
    )
    category_column: str | None = Field(None, description="Name of the category column.")
    max_bad_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description=(
            "With on_bad_rows=skip, refuse the file when more than this share of its data "
            "rows is unusable (the likely cause is named)."
        ),
    )

    @field_validator("category", mode="before")
    @classmethod
    def _category_list(cls, value: object) -> list[str] | None:
        return _normalise_category_filter(value)


class AnalysisParams(_Shaping):
    """What :func:`run_analysis` computes and how (the engine's analysis parameters)."""

    category: list[str] | None = Field(None, description="Analyse only these categories.")
    include_forecast: bool = Field(False, description="Fit and backtest forecast models.")
    forecast_max_points: int = Field(
        730, ge=24, description="Forecast models are fitted on at most this many latest points."
    )
    theil_sen_max_points: int = Field(
        250,
        ge=10,
        description="Theil-Sen uses an evenly spaced subsample of at most this many points.",
    )
    chart_max_points: int | None = Field(
        1000,
        ge=10,
        description=(
            "Chart series longer than this are thinned to every k-th point (outliers and the "
            "last point are always kept); null keeps every point."
        ),
    )
    chart_growth: bool = Field(
        False, description="Add the period-over-period growth rate series to the charts."
    )
    max_periods_per_category: int = Field(
        200_000, ge=10, description="Refuse to regularise a category onto more periods."
    )

    @field_validator("category", mode="before")
    @classmethod
    def _category_list(cls, value: object) -> list[str] | None:
        return _normalise_category_filter(value)


class ReadingOptions(_Reading):
    """How an upload is read (query parameters of `analyze` and `quick-analysis`).

    Auto-detection covers most files; these name what it cannot know. Each is reported back
    in the cleaning report.
    """

    category: str | None = Field(
        default=None, max_length=200, description="Analyse only this category."
    )

    def ingest_options(self, limits: UploadLimits) -> IngestOptions:
        """The engine's reading parameters for these options under the server's limits."""
        return IngestOptions(
            **_values(self, _Reading), **_values(limits, UploadLimits), category=self.category
        )


class AnalysisOptions(ReadingOptions, _Shaping):
    """Options of `POST /analytics/analyze` (query parameters): how the upload is read,
    what is computed, and how the answer is given. Stored with the analysis (`params`)."""

    include_forecast: bool = Field(True, description="Fit, backtest and return forecasts.")
    include_visualizations: bool = Field(
        default=False,
        description=(
            "Add the chart-ready series of every category to the result (they can be "
            "large); the chart endpoints work either way."
        ),
    )
    export_format: Literal["json", "csv"] = "json"

    def analysis_params(self, *, quick: bool) -> AnalysisParams:
        """The engine's analysis parameters (a quick analysis never forecasts)."""
        return AnalysisParams(
            **_values(self, _Shaping), include_forecast=self.include_forecast and not quick
        )


def _values(options: BaseModel, part: type[BaseModel]) -> dict[str, object]:
    """The fields `options` has from `part`, those left unset (None) out: the engine's
    defaults apply to them."""
    return {
        name: value for name in part.model_fields if (value := getattr(options, name)) is not None
    }
