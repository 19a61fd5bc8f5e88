"""Encryption of outbox secrets (API keys) at rest.

The Fernet key is derived with HKDF-SHA256 from `DATA_ENCRYPTION_KEY`, so that one setting
can serve several purposes without reusing the same key material for each.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

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


_configured_key: str | None = None


def configure_data_key(master_key: str) -> None:
    """Set the key `enqueue_email` encrypts with (the app calls this with its settings).

    `enqueue_email` has no settings parameter (callers pass only a session), so the app
    registers its key once at creation; outside an app the process settings are used.
    """
    global _configured_key
    _configured_key = master_key


def current_data_key() -> str:
    """The key for new outbox secrets: the configured one, else the process settings'."""
    if _configured_key is not None:
        return _configured_key
    from pintar_ekspor.core.config import get_settings

    return get_settings().data_encryption_key.get_secret_value()
