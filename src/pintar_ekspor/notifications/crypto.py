"""Encryption of outbox secrets (API keys) at rest.

The Fernet key is derived with HKDF-SHA256 from `DATA_ENCRYPTION_KEY`, so that one setting
can serve several purposes without reusing the same key material for each.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pintar_ekspor.core.db import session_settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

_INFO = b"pintar-ekspor/email-outbox/secret-context/v1"


class SecretDecryptionError(RuntimeError):
    """The stored secret cannot be decrypted (key changed or data corrupted)."""


@lru_cache(maxsize=8)
def _fernet(master_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        master_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_secrets(master_key: str, values: dict[str, str]) -> str:
    """Encrypt a small dict of secret strings into an ASCII Fernet token."""
    return _fernet(master_key).encrypt(json.dumps(values).encode("utf-8")).decode("ascii")


def decrypt_secrets(master_key: str, token: str) -> dict[str, str]:
    """Decrypt a token made by `encrypt_secrets`."""
    try:
        raw = _fernet(master_key).decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise SecretDecryptionError("cannot decrypt the stored email secrets") from exc
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise SecretDecryptionError("stored email secrets are not an object")
    return {str(k): str(v) for k, v in data.items()}


def current_data_key(session: AsyncSession) -> str:
    """The key for new outbox secrets: that of the app whose session this is.

    Each app's session factory carries its settings (`core.db.session_settings`), so two apps
    in one process never share a key.
    """
    return session_settings(session).data_encryption_key.get_secret_value()
