"""Errors raised by the analytics engine.

Every error carries a stable machine-readable ``code``, an English ``message`` that names the
problem, an HTTP-style ``status`` and JSON-able ``details``. The engine never imports FastAPI;
the web layer maps :class:`AnalyticsInputError` onto its own problem+json handler.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AnalyticsInputError(Exception):
    """Base of every error the engine raises on bad input or bad parameters."""

    default_code: ClassVar[str] = "invalid_input"
    default_status: ClassVar[int] = 422

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message
        self.status = status or self.default_status
        self.details: dict[str, Any] = details or {}

    def to_dict(self) -> dict[str, Any]:
        """The error as a JSON-able mapping (``code``, ``message``, ``status``, ``details``)."""
        return {
            "code": self.code,
            "message": self.message,
            "status": self.status,
            "details": self.details,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class EmptyFileError(AnalyticsInputError):
    default_code = "empty_file"


class FileTooLargeError(AnalyticsInputError):
    default_code = "file_too_large"
    default_status = 413


class TooManyRowsError(AnalyticsInputError):
    default_code = "too_many_rows"
    default_status = 413


class TooManyCategoriesError(AnalyticsInputError):
    default_code = "too_many_categories"


class InvalidEncodingError(AnalyticsInputError):
    default_code = "invalid_encoding"


class MalformedCSVError(AnalyticsInputError):
    default_code = "malformed_csv"


class MalformedJSONError(AnalyticsInputError):
    default_code = "malformed_json"


class MissingColumnsError(AnalyticsInputError):
    default_code = "missing_columns"


class NonNumericValuesError(AnalyticsInputError):
    default_code = "non_numeric_values"


class AmbiguousNumbersError(AnalyticsInputError):
    """A number column that reads differently in Indonesian and English format."""

    default_code = "ambiguous_numbers"


class DuplicateRowsError(AnalyticsInputError):
    """Rows repeating a date and category, when ``duplicates="reject"``."""

    default_code = "duplicate_rows"


class MixedFrequencyError(AnalyticsInputError):
    """A category coarser than the others, when ``mixed_frequency="refuse"``."""

    default_code = "mixed_frequency"


class InvalidDatesError(AnalyticsInputError):
    default_code = "invalid_dates"


class InvalidRowsError(AnalyticsInputError):
    """Rows without a category in long format, when ``on_bad_rows="reject"``."""

    default_code = "invalid_rows"


class NotEnoughDataError(AnalyticsInputError):
    default_code = "not_enough_data"


class UnknownCategoryError(AnalyticsInputError):
    default_code = "unknown_category"


class UnknownChartError(AnalyticsInputError):
    """A chart name or format the engine cannot draw (404: the named chart does not exist)."""

    default_code = "unknown_chart"
    default_status = 404


ERROR_CODES: dict[str, type[AnalyticsInputError]] = {
    cls.default_code: cls
    for cls in (
        AnalyticsInputError,
        EmptyFileError,
        FileTooLargeError,
        TooManyRowsError,
        TooManyCategoriesError,
        InvalidEncodingError,
        MalformedCSVError,
        MalformedJSONError,
        MissingColumnsError,
        NonNumericValuesError,
        AmbiguousNumbersError,
        DuplicateRowsError,
        MixedFrequencyError,
        InvalidDatesError,
        InvalidRowsError,
        NotEnoughDataError,
        UnknownCategoryError,
        UnknownChartError,
    )
}
"""Every error code the engine can raise, mapped to its exception class."""
