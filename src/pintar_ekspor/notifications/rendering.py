"""Bilingual email templates (Jinja2): subject, plain text and HTML per template and locale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

DEFAULT_LOCALE = "id"
LOCALES = frozenset({"id", "en"})


@dataclass(frozen=True)
class TemplateSpec:
    """What a template needs: secret variables that must be passed in `secret_context`."""

    secrets: frozenset[str] = frozenset()
    # Secret variables the template shows when given (never in the plain context either).
    optional_secrets: frozenset[str] = frozenset()


TEMPLATES: dict[str, TemplateSpec] = {
    "welcome": TemplateSpec(optional_secrets=frozenset({"link"})),
    "developer_upgrade": TemplateSpec(secrets=frozenset({"api_key"})),
    "api_key_created": TemplateSpec(secrets=frozenset({"api_key"})),
    "api_key_rotated": TemplateSpec(secrets=frozenset({"api_key"})),
    "api_key_revoked": TemplateSpec(),
    "password_changed": TemplateSpec(),
    "account_exists": TemplateSpec(),
    "course_completed": TemplateSpec(),
    # The links carry single-use tokens: encrypted at rest like API keys.
    "password_reset": TemplateSpec(secrets=frozenset({"link"})),
    "verify_email": TemplateSpec(secrets=frozenset({"link"})),
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def normalise_locale(locale: str | None) -> str:
    """`id` or `en`; anything else (including `en-US`) falls back sensibly."""
    value = (locale or "").strip().lower().replace("_", "-")
    base = value.split("-", 1)[0]
    return base if base in LOCALES else DEFAULT_LOCALE


_MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "en": "January February March April May June July August September October November December",
}


def format_datetime(value: object, locale: str = DEFAULT_LOCALE) -> str:
    """`23 November 2026, 10:05 UTC` (month names in the email's language)."""
    if value is None or value == "":
        return ""
    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    month = _MONTHS[normalise_locale(locale)].split()[dt.month - 1]
    return f"{dt.day} {month} {dt.year}, {dt:%H:%M} UTC"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pintar_ekspor.notifications", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,  # a typo in a template fails loudly, not silently blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datetime"] = format_datetime
    return env


def render_email(template: str, locale: str, variables: dict[str, Any]) -> RenderedEmail:
    """Render one email in memory. Rendered bodies are never stored."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    env = _environment()
    loc = normalise_locale(locale)
    values = {**variables, "locale": loc}
    subject = env.get_template(f"{loc}/{template}.subject.txt").render(values)
    return RenderedEmail(
        subject=" ".join(subject.split()),
        text=env.get_template(f"{loc}/{template}.txt").render(values),
        html=env.get_template(f"{loc}/{template}.html").render(values),
    )
