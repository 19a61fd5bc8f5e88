"""Application settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_JWT_SECRET = "dev-only-jwt-secret-change-me-please-0123456789"  # noqa: S105
DEFAULT_API_KEY_SALT = "dev-only-api-key-salt-change-me-please-0123456789"
DEFAULT_DATA_KEY = "dev-only-data-encryption-key-change-me-0123456789"


class ConfigurationError(RuntimeError):
    """Raised when the settings are unsafe for the chosen environment."""


def normalise_database_url(url: str) -> str:
    """Map plain driver URLs onto the async drivers the app uses."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


class Settings(BaseSettings):
    """Every setting the platform reads. See the configuration table in README.md."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_file_encoding="utf-8")

    env: Literal["development", "test", "production"] = "development"
    service_name: str = "pintar-ekspor"
    # Where people reach the web app: links in e-mails and on certificates.
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool | None = None  # default: JSON in production, readable otherwise

    database_url: str = "sqlite+aiosqlite:///./data/pintar_ekspor.db"
    database_echo: bool = False
    auto_migrate: bool | None = None  # default: on for SQLite (embedded mode)
    redis_url: str | None = None

    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "pintar-ekspor"
    jwt_audience: str = "pintar-ekspor-api"
    access_token_ttl_seconds: int = Field(default=15 * 60, gt=0)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    refresh_cookie_secure: bool | None = None  # default: on in production
    api_key_salt: SecretStr = SecretStr(DEFAULT_API_KEY_SALT)
    data_encryption_key: SecretStr = SecretStr(DEFAULT_DATA_KEY)
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8)
    login_max_failures: int = Field(default=10, ge=1)
    login_lockout_base_seconds: int = Field(default=60, ge=1)
    max_api_keys_per_user: int = Field(default=10, ge=1)
    # A learner must have confirmed their e-mail address (the welcome link) to become a
    # developer: API keys are e-mailed, and an unconfirmed address may not be theirs.
    require_verified_email_for_developer: bool = True

    admin_email: str = "admin@pintarekspor.local"
    admin_password: SecretStr | None = None

    email_backend: Literal["console", "smtp", "http"] = "console"
    email_from: str = "Pintar Ekspor <no-reply@pintarekspor.local>"
    email_outbox_dir: Path = Path("./data/outbox")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_timeout_seconds: float = 10.0
    email_api_base_url: str | None = None
    email_api_key: SecretStr | None = None
    email_api_timeout_seconds: float = 10.0
    email_max_attempts: int = Field(default=8, ge=1)
    email_worker_enabled: bool = True
    email_worker_poll_seconds: float = Field(default=2.0, gt=0)
    email_lease_seconds: int = Field(default=120, ge=1)

    rate_limit_enabled: bool = True
    rate_limit_auth: str = "20/60"
    rate_limit_general: str = "100/60"
    rate_limit_api: str = "1000/3600"
    rate_limit_key_prefix: str = "pintar-rl"  # Redis key namespace (one per deployment)
    trusted_proxies: list[str] = Field(default_factory=list)
    cors_origins: list[str] = Field(default_factory=list)
    allowed_hosts: list[str] = Field(default_factory=lambda: ["*"])
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    audit_enabled: bool = True
    docs_enabled: bool | None = None  # /docs and the OpenAPI file; default: off in production

    analytics_max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    # Lesson videos uploaded by admins (MP4/WebM). Several processes or machines must share
    # this folder (a volume or a network file system).
    media_dir: Path = Path("./data/media")
    media_max_upload_bytes: int = Field(default=500 * 1024 * 1024, gt=0)
    analytics_max_rows: int = Field(default=2_000_000, gt=0)
    analytics_max_categories: int = Field(default=500, gt=0)
    analytics_timeout_seconds: float = Field(default=120.0, gt=0)
    analytics_workers: int = Field(default=2, ge=1)
    analytics_background_threshold_bytes: int = Field(default=5 * 1024 * 1024, gt=0)

    # Learning reports: results cached per parameters for this long (0 = no cache); API-key
    # call counters are added to the database this often.
    reports_cache_seconds: float = Field(default=30.0, ge=0)
    api_usage_flush_seconds: float = Field(default=10.0, gt=0)

    frontend_dist: Path = Path("./frontend/dist")

    # Serving without a proxy in front (see core/delivery.py).
    compression_enabled: bool = True
    compression_min_bytes: int = Field(default=1024, ge=0)
    metrics_allow: list[str] = Field(default_factory=lambda: ["127.0.0.1/32", "::1/128"])
    metrics_token: SecretStr | None = None
    shutdown_grace_seconds: int = Field(default=30, ge=0)

    @field_validator("database_url")
    @classmethod
    def _normalise_db(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def should_auto_migrate(self) -> bool:
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate

    @property
    def use_json_logs(self) -> bool:
        return self.is_production if self.log_json is None else self.log_json

    @property
    def serve_docs(self) -> bool:
        return not self.is_production if self.docs_enabled is None else self.docs_enabled

    @property
    def secure_cookies(self) -> bool:
        return (
            self.is_production if self.refresh_cookie_secure is None else self.refresh_cookie_secure
        )

    def check_production_safety(self) -> None:
        """Refuse to run in production with development defaults."""
        if not self.is_production:
            return
        problems: list[str] = []
        if self.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET:
            problems.append("JWT_SECRET is the development default")
        if self.api_key_salt.get_secret_value() == DEFAULT_API_KEY_SALT:
            problems.append("API_KEY_SALT is the development default")
        if self.data_encryption_key.get_secret_value() == DEFAULT_DATA_KEY:
            problems.append("DATA_ENCRYPTION_KEY is the development default")
        for name in ("jwt_secret", "api_key_salt", "data_encryption_key"):
            secret: SecretStr = getattr(self, name)
            if len(secret.get_secret_value()) < 32:
                problems.append(f"{name.upper()} must be at least 32 characters")
        if self.is_sqlite:
            problems.append("DATABASE_URL points at SQLite; production needs PostgreSQL")
        if not [h for h in self.allowed_hosts if h.strip()] or "*" in self.allowed_hosts:
            problems.append("ALLOWED_HOSTS must list this service's host names, not '*'")
        if problems:
            raise ConfigurationError(
                "Refusing to start with ENV=production: " + "; ".join(dict.fromkeys(problems))
            )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, built once on first use."""
    return Settings()
