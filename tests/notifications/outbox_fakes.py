"""Real local servers and small fakes for the email outbox tests.

- `SmtpSink`: an aiosmtpd handler that stores what a real SMTP server received.
- `FakeEmailApi`: the seed's HTTP email API (token endpoint + send endpoint) as a Starlette
  app, served by uvicorn on 127.0.0.1 so the backend talks real HTTP.
- `RecordingBackend` / `FailingBackend`: in-process backends for worker logic tests.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pintar_ekspor.core.config import Settings
from pintar_ekspor.notifications.backends import DeliveryError, OutgoingEmail


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        content: str = body.get_content()
        return content


class SmtpSink:
    """aiosmtpd handler: refuses recipients in `refuse`, stores every accepted message."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        with self._lock:
            self.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"


@dataclass
class FakeEmailApi:
    """State and behaviour of the fake HTTP email API."""

    api_key: str = "test-email-api-key"
    expires_in: int = 300
    token_requests: int = 0
    send_requests: int = 0
    issued: set[str] = field(default_factory=set)
    revoked: set[str] = field(default_factory=set)
    # Status codes to answer the next send requests with, before behaving normally.
    scripted: list[int] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    per_key: Counter[str] = field(default_factory=Counter)
    # When set, send requests wait for it (to provoke client timeouts).
    hold: asyncio.Event | None = None
    # Held requests are answered 503 and not delivered (their client is gone by then).
    drop_held: bool = False
    base_url: str = ""

    def revoke_all(self) -> None:
        self.revoked |= self.issued

    async def token(self, request: Request) -> Response:
        self.token_requests += 1
        if request.headers.get("x-api-key") != self.api_key:
            return JSONResponse({"error": "invalid api key"}, status_code=401)
        token = uuid.uuid4().hex
        self.issued.add(token)
        return JSONResponse(
            {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
        )

    async def send(self, request: Request) -> Response:
        self.send_requests += 1
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ")
        if not auth.startswith("Bearer ") or token not in self.issued or token in self.revoked:
            return JSONResponse({"error": "invalid or expired token"}, status_code=401)
        if self.hold is not None:
            await self.hold.wait()
            if self.drop_held:
                return JSONResponse({"error": "client went away"}, status_code=503)
        if self.scripted:
            status = self.scripted.pop(0)
            return JSONResponse({"error": f"scripted {status}"}, status_code=status)
        body = await request.json()
        if not all(isinstance(body.get(k), str) and body[k] for k in ("to", "subject", "html")):
            return JSONResponse({"error": "to, subject and html are required"}, status_code=422)
        self.delivered.append(body)
        self.per_key[request.headers.get("idempotency-key", "")] += 1
        return JSONResponse({"id": uuid.uuid4().hex, "status": "queued"}, status_code=202)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/auth/token", self.token, methods=["POST"]),
                Route("/secure/send-email", self.send, methods=["POST"]),
            ]
        )


@asynccontextmanager
async def serve_email_api(api: FakeEmailApi) -> AsyncIterator[FakeEmailApi]:
    """Serve `api` with uvicorn on a free 127.0.0.1 port for the duration of the block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(api.app(), log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    api.base_url = f"http://127.0.0.1:{port}"
    try:
        yield api
    finally:
        if api.hold is not None:
            api.hold.set()
        server.should_exit = True
        await task
        sock.close()


class RecordingBackend:
    """Collects sent messages in memory."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []

    async def send(self, email: OutgoingEmail) -> None:
        self.sent.append(email)

    async def aclose(self) -> None:
        return None


class FailingBackend:
    """Fails every send (transient unless `permanent`)."""

    name = "failing"

    def __init__(self, message: str = "backend down", *, permanent: bool = False) -> None:
        self.message = message
        self.permanent = permanent
        self.calls = 0

    async def send(self, email: OutgoingEmail) -> None:
        self.calls += 1
        raise DeliveryError(self.message, permanent=self.permanent)

    async def aclose(self) -> None:
        return None


def http_settings(settings: Settings, api: FakeEmailApi, **extra: Any) -> Settings:
    """Settings pointing the http backend at the fake API."""
    values: dict[str, Any] = {
        "email_backend": "http",
        "email_api_base_url": api.base_url,
        "email_api_key": SecretStr(api.api_key),
        "email_api_timeout_seconds": 5.0,
    }
    values.update(extra)
    return settings.model_copy(update=values)
