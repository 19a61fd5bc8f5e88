"""Import every ORM model so `Base.metadata` knows all tables (Alembic, tests)."""

from pintar_ekspor.accounts import models as accounts_models

__all__ = ["accounts_models"]
