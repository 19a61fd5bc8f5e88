"""Email delivery backends: console (local files), SMTP and an HTTP email API.

A backend sends one rendered message and signals failures with `DeliveryError`:
`permanent=True` means retrying cannot help (the recipient was refused, the API rejected the
request); anything else is retried later by the outbox worker.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Protocol

import aiosmtplib
import httpx2
import structlog

from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings

log = structlog.get_logger("pintar_ekspor.notifications")


class DeliveryError(Exception):
    """Sending failed; `permanent` says whether a later attempt could succeed."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingEmail:
    """A rendered message, ready to hand to a backend. Never persisted."""

    outbox_id: uuid.UUID
    sender: str
    to: str
    subject: str
    text: str
    html: str

    def to_mime(self) -> EmailMessage:
        """multipart/alternative: plain text first, HTML preferred by capable clients."""
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = f"<{self.outbox_id}@pintar-ekspor>"
        msg["X-Pintar-Outbox-Id"] = str(self.outbox_id)
        msg.set_content(self.text)
        msg.add_alternative(self.html, subtype="html")
        return msg


class EmailBackend(Protocol):
    """What the worker needs from a backend."""

    name: str

    async def send(self, email: OutgoingEmail) -> None: ...

    async def aclose(self) -> None: ...


class ConsoleBackend:
    """Development backend: logs the message and writes `<outbox id>.eml` to a folder."""

    name = "console"

    def __init__(self, outbox_dir: Path) -> None:
        self.outbox_dir = outbox_dir

    def _write(self, email: OutgoingEmail) -> Path:
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        path = self.outbox_dir / f"{email.outbox_id}.eml"
        tmp = path.with_suffix(".eml.tmp")
        # The file may hold an API key: readable by the owner only.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(email.to_mime().as_bytes())
        tmp.replace(path)
        return path

    async def send(self, email: OutgoingEmail) -> None:
        try:
            path = await asyncio.to_thread(self._write, email)
        except OSError as exc:
            raise DeliveryError(f"cannot write {self.outbox_dir}: {exc}") from exc
        # The body is not logged: it may contain an API key. Read the .eml file instead.
        log.info("email.console", to=email.to, subject=email.subject, path=str(path))

    async def aclose(self) -> None:
        return None


# Codes after which the same message to the same recipient will never be accepted.
_PERMANENT_SMTP_CODES = range(500, 600)


class SmtpBackend:
    """SMTP via aiosmtplib (plain, STARTTLS or implicit TLS, optional login)."""

    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, email: OutgoingEmail) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                email.to_mime(),
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                use_tls=s.smtp_tls,
                start_tls=s.smtp_starttls,
                timeout=s.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            permanent = bool(codes) and all(c in _PERMANENT_SMTP_CODES for c in codes)
            detail = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            raise DeliveryError(f"SMTP recipient refused: {detail}", permanent=permanent) from exc
        except aiosmtplib.SMTPRecipientRefused as exc:
            raise DeliveryError(
                f"SMTP recipient refused: {exc.code} {exc.message}",
                permanent=exc.code in _PERMANENT_SMTP_CODES,
            ) from exc
        except aiosmtplib.SMTPDataError as exc:
            # 5xx after DATA: the server rejected this message (size, content policy).
            raise DeliveryError(
                f"SMTP message rejected: {exc.code} {exc.message}",
                permanent=exc.code in _PERMANENT_SMTP_CODES,
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Connection, TLS, authentication or sender problems: configuration or an
            # outage, not this message. Retry later rather than losing the email.
            raise DeliveryError(f"SMTP error: {type(exc).__name__}: {exc}") from exc

    async def aclose(self) -> None:
        return None


class HttpApiBackend:
    """The seed's HTTP email API: a cached bearer token and a JSON send endpoint.

    `POST {base}/auth/token` with `X-API-Key` returns `{"access_token", "expires_in"}`; the
    token is reused until shortly before it expires, and refreshed once when the send
    endpoint answers 401. 5xx and network errors are retryable, other 4xx are permanent.
    """

    name = "http"
    # Refresh this long before the announced expiry (bounded by a fraction of the lifetime).
    EXPIRY_MARGIN_SECONDS = 30.0

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        if not settings.email_api_base_url:
            raise ValueError("EMAIL_API_BASE_URL is required when EMAIL_BACKEND=http")
        if settings.email_api_key is None:
            raise ValueError("EMAIL_API_KEY is required when EMAIL_BACKEND=http")
        self._api_key = settings.email_api_key.get_secret_value()
        self._clock = clock or Clock()
        self._client = httpx2.AsyncClient(
            base_url=settings.email_api_base_url.rstrip("/"),
            timeout=settings.email_api_timeout_seconds,
            transport=transport,
        )
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._lock = asyncio.Lock()
        self.token_fetches = 0  # observable in tests and logs

    async def _fetch_token(self) -> None:
        try:
            resp = await self._client.post("/auth/token", headers={"X-API-Key": self._api_key})
        except httpx2.HTTPError as exc:
            raise DeliveryError(f"email API token request failed: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            # Bad credentials are a configuration problem, not the message's: retry later.
            raise DeliveryError(f"email API token request answered {resp.status_code}")
        try:
            body: Any = resp.json()
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryError("email API token response is malformed") from exc
        margin = min(self.EXPIRY_MARGIN_SECONDS, lifetime * 0.1)
        self._token = token
        self._token_expires_at = self._clock.time() + lifetime - margin
        self.token_fetches += 1
        log.info("email.http.token", expires_in=lifetime)

    async def _get_token(self, *, stale: str | None = None) -> str:
        """A valid token; `stale` names one the server refused, so it is replaced."""
        async with self._lock:  # concurrent sends share one refresh
            if (
                self._token is None
                or self._token == stale
                or self._clock.time() >= self._token_expires_at
            ):
                await self._fetch_token()
            assert self._token is not None
            return self._token

    async def _post(self, token: str, email: OutgoingEmail) -> httpx2.Response:
        try:
            return await self._client.post(
                "/secure/send-email",
                headers={
                    "Authorization": f"Bearer {token}",
                    # Lets a provider that supports it drop a duplicate after a lost reply.
                    "Idempotency-Key": str(email.outbox_id),
                },
                json={
                    "to": email.to,
                    "subject": email.subject,
                    "html": email.html,
                    "text": email.text,
                },
            )
        except httpx2.HTTPError as exc:
            raise DeliveryError(f"email API request failed: {type(exc).__name__}") from exc

    async def send(self, email: OutgoingEmail) -> None:
        token = await self._get_token()
        resp = await self._post(token, email)
        if resp.status_code == 401:
            token = await self._get_token(stale=token)
            resp = await self._post(token, email)
        status = resp.status_code
        if 200 <= status < 300:
            return
        detail = f"email API answered {status}: {resp.text[:200]}"
        if status == 401 or status == 429 or status >= 500:
            raise DeliveryError(detail)
        raise DeliveryError(detail, permanent=True)

    async def aclose(self) -> None:
        await self._client.aclose()


def build_backend(settings: Settings, *, clock: Clock | None = None) -> EmailBackend:
    """The backend chosen by `EMAIL_BACKEND`."""
    if settings.email_backend == "smtp":
        return SmtpBackend(settings)
    if settings.email_backend == "http":
        return HttpApiBackend(settings, clock=clock)
    return ConsoleBackend(settings.email_outbox_dir)
