"""Password policy and Argon2id hashing off the event loop.

Argon2 is deliberately slow and memory-hungry (64 MiB per hash by default), so every hash and
verify runs in a worker thread, and a capacity limiter bounds how many run at once: a burst of
logins queues instead of exhausting memory or starving the threads other work needs.
"""

from __future__ import annotations

import asyncio
import os
from functools import lru_cache, partial

import anyio
import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from pintar_ekspor.accounts.common_passwords import COMMON_PASSWORDS
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import FieldError, ValidationFailedError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_DUMMY_PASSWORD = "not-a-real-password-only-for-timing"  # noqa: S105


class PasswordHasher:
    """Argon2id with fixed parameters; async methods run in bounded worker threads."""

    def __init__(self, *, time_cost: int, memory_kib: int, max_concurrency: int) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib),))
        self._max_concurrency = max_concurrency
        self._limiter: anyio.CapacityLimiter | None = None
        self._limiter_loop: asyncio.AbstractEventLoop | None = None
        self._dummy_hash: str | None = None

    def _capacity(self) -> anyio.CapacityLimiter:
        # A limiter belongs to one event loop; tests and the CLI may run several in turn.
        loop = asyncio.get_running_loop()
        if self._limiter is None or self._limiter_loop is not loop:
            self._limiter = anyio.CapacityLimiter(self._max_concurrency)
            self._limiter_loop = loop
        return self._limiter

    def hash_sync(self, password: str) -> str:
        """Hash on the calling thread (CLI and factories only)."""
        return self._hash.hash(password)

    async def hash(self, password: str) -> str:
        """Hash a new password."""
        return await anyio.to_thread.run_sync(self._hash.hash, password, limiter=self._capacity())

    async def verify_and_update(self, password: str, hashed: str) -> tuple[bool, str | None]:
        """Check a password; the second value is a new hash when the parameters changed."""
        try:
            return await anyio.to_thread.run_sync(
                partial(self._hash.verify_and_update, password, hashed),
                limiter=self._capacity(),
            )
        except ValueError:
            # A malformed stored hash must read as a wrong password, never as a 500.
            return False, None

    async def verify(self, password: str, hashed: str) -> bool:
        """Check a password against a stored hash."""
        valid, _ = await self.verify_and_update(password, hashed)
        return valid

    async def dummy_verify(self, password: str) -> None:
        """Spend the time of a real verify, so an unknown email answers as slowly as a known one."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(_DUMMY_PASSWORD)
        await self.verify_and_update(password, self._dummy_hash)


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost,
        memory_kib=memory_kib,
        max_concurrency=max(1, min(4, os.cpu_count() or 1)),
    )


def get_password_hasher(settings: Settings) -> PasswordHasher:
    """The process-wide hasher for the configured Argon2 cost."""
    return _hasher(settings.password_hash_time_cost, settings.password_hash_memory_kib)


def password_problems(password: str, *, email: str) -> list[str]:
    """Every password rule the candidate breaks, as messages a person can act on."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    lowered = password.strip().lower()
    email = email.strip().lower()
    local_part = email.split("@", 1)[0]
    if lowered in {email, local_part}:
        problems.append("The password must not be the same as the email address.")
    if lowered in COMMON_PASSWORDS:
        problems.append("The password is too common; choose one that is harder to guess.")
    return problems


def check_password_policy(password: str, *, email: str, field: str = "password") -> None:
    """Raise a 422 naming each broken rule when the password is not acceptable."""
    problems = password_problems(password, email=email)
    if not problems:
        return
    errors = [
        FieldError(loc=["body", field], field=field, message=msg, type="password_policy")
        for msg in problems
    ]
    raise ValidationFailedError(
        "The password does not meet the policy: " + " ".join(problems),
        code="weak_password",
        extra={"errors": [e.model_dump() for e in errors]},
    )
