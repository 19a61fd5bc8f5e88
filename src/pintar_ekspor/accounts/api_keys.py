"""API keys: generation, hashing and authentication. (Filled in by the accounts work.)"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import AuthenticationError


async def authenticate(
    session: AsyncSession, settings: Settings, raw_key: str
) -> tuple[User, uuid.UUID]:
    """Resolve a presented API key to its active owner and the key id."""
    raise AuthenticationError("The API key is invalid.", code="invalid_api_key")
