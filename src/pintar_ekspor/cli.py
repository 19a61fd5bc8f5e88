"""Command-line interface of the platform (`pintar-ekspor --help`)."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.core.config import ConfigurationError, Settings, get_settings
from pintar_ekspor.core.db import create_engine, create_session_factory

app = typer.Typer(help="Pintar Ekspor platform commands.", no_args_is_help=True)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")

T = TypeVar("T")


def _settings() -> Settings:
    try:
        settings = get_settings()
        settings.check_production_safety()
    except ConfigurationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    return settings


def _ensure_sqlite_dir(settings: Settings) -> None:
    if settings.is_sqlite and ":memory:" not in settings.database_url:
        path = settings.database_url.split("///", 1)[-1]
        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def _with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(settings.database_url)
    try:
        factory = create_session_factory(engine)
        async with factory() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Serve the API, the web app and the background worker."""
    import uvicorn

    settings = _settings()
    _ensure_sqlite_dir(settings)
    if workers > 1 and settings.is_sqlite:
        typer.echo(
            "note: SQLite supports one process; use PostgreSQL for several workers.", err=True
        )
    uvicorn.run(
        "pintar_ekspor.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        proxy_headers=False,
        log_config=None,
        server_header=False,
        # SIGTERM: stop accepting, let in-flight requests finish (up to the grace period),
        # then the lifespan releases what the background workers had claimed.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds or None,
        # Longer than nginx's upstream keepalive_timeout, so nginx never reuses a connection
        # the app is closing at that very moment.
        timeout_keep_alive=75,
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    from pintar_ekspor.migrations.runner import upgrade_async

    settings = _settings()
    _ensure_sqlite_dir(settings)

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade_async(engine, revision)
        finally:
            await engine.dispose()

    asyncio.run(run())
    typer.echo(f"database upgraded to {revision}")


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="Admin email")],
    password: Annotated[
        str | None,
        typer.Option(envvar="ADMIN_PASSWORD", help="Password (prompted when omitted)"),
    ] = None,
) -> None:
    """Create an admin account, or promote an existing user to admin."""
    from pintar_ekspor.accounts import service as accounts_service

    settings = _settings()
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    from pintar_ekspor.accounts.passwords import password_problems

    problems = password_problems(password, email=email)
    if problems:
        typer.echo("error: " + " ".join(problems), err=True)
        raise typer.Exit(code=2)

    async def work(session: AsyncSession) -> bool:
        _, created = await accounts_service.ensure_admin(
            session, settings, email=email, password=password
        )
        return created

    created = asyncio.run(_with_session(settings, work))
    typer.echo(f"admin {'created' if created else 'promoted'}: {email}")


@app.command("seed-demo")
def seed_demo() -> None:
    """Create the demo admin (credentials printed once) and the demo courses. Idempotent."""
    from pintar_ekspor import seed

    settings = _settings()
    _ensure_sqlite_dir(settings)
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    generated = password is None
    password = password or secrets.token_urlsafe(12)

    async def work(session: AsyncSession) -> seed.SeedReport:
        return await seed.seed_demo(session, settings, admin_password=password)

    report = asyncio.run(_with_session(settings, work))
    if report.admin_created:
        typer.echo("")
        typer.echo("  Admin account created (shown once, store it now):")
        typer.echo(f"    email:    {settings.admin_email}")
        typer.echo(f"    password: {password}" + ("  (generated)" if generated else ""))
        typer.echo("")
    for line in report.lines:
        typer.echo(line)


emails_app = typer.Typer(help="Email outbox commands.", no_args_is_help=True)
app.add_typer(emails_app, name="emails")


@app.command("worker")
def worker() -> None:
    """Run the email delivery worker alone (no HTTP server) until Ctrl-C."""
    from pintar_ekspor.notifications.worker import run_standalone

    settings = _settings()
    _ensure_sqlite_dir(settings)
    typer.echo(f"email worker running (backend: {settings.email_backend}); Ctrl-C to stop")
    asyncio.run(run_standalone(settings))


@emails_app.command("send-due")
def emails_send_due() -> None:
    """Deliver every email that is due now, once, and exit."""
    from pintar_ekspor.notifications.worker import run_standalone

    settings = _settings()
    _ensure_sqlite_dir(settings)
    result = asyncio.run(run_standalone(settings, once=True))
    assert result is not None
    typer.echo(
        f"claimed {result.claimed}: sent {result.sent}, retry later {result.retried}, "
        f"failed {result.failed}"
    )


audit_app = typer.Typer(help="Audit trail commands.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the audit hash chain; report the first broken link and exit 1 if there is one."""
    from pintar_ekspor.audit import service as audit_service

    settings = _settings()
    report = asyncio.run(_with_session(settings, audit_service.verify_chain))
    if not report.ok:
        typer.echo(
            f"audit chain BROKEN at seq {report.broken_seq} (id {report.broken_id}): "
            f"{report.reason}. {report.rows_checked} rows before it verified.",
            err=True,
        )
        raise typer.Exit(code=1)
    typer.echo(f"audit chain intact: {report.rows_checked} rows, head hash {report.head_hash}")


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(app())
