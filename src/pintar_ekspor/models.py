"""Import every ORM model so `Base.metadata` knows all tables (Alembic, tests)."""

from pintar_ekspor.accounts import models as accounts_models
from pintar_ekspor.analytics import models as analytics_models
from pintar_ekspor.audit import models as audit_models
from pintar_ekspor.courses import models as courses_models
from pintar_ekspor.learning import models as learning_models
from pintar_ekspor.notifications import models as notifications_models

__all__ = [
    "accounts_models",
    "analytics_models",
    "audit_models",
    "courses_models",
    "learning_models",
    "notifications_models",
]
