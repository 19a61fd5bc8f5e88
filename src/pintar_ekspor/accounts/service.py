"""Account services: users, passwords, sessions. No FastAPI imports here."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.accounts.security import build_password_hasher
from pintar_ekspor.core.config import Settings


def normalise_email(email: str) -> str:
    """Trim and lower-case an email address; uniqueness is case-insensitive."""
    return email.strip().lower()


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    stmt = select(User).where(func.lower(User.email) == normalise_email(email))
    return (await session.scalars(stmt)).one_or_none()


async def ensure_admin(
    session: AsyncSession, settings: Settings, *, email: str, password: str | None
) -> tuple[User, bool]:
    """Create an admin, or promote an existing user; returns (user, created)."""
    user = await get_user_by_email(session, email)
    hasher = build_password_hasher(settings)
    if user is None:
        if not password:
            raise ValueError("a password is needed to create a new admin")
        user = User(
            email=normalise_email(email),
            full_name="Administrator",
            password_hash=hasher.hash(password),
            role=Role.ADMIN,
        )
        session.add(user)
        await session.flush()
        return user, True
    user.role = Role.ADMIN
    user.is_active = True
    if password:
        user.password_hash = hasher.hash(password)
    await session.flush()
    return user, False
