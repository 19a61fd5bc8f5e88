from sqlalchemy import select

from pintar_ekspor.notifications.models import EmailOutbox
from pintar_ekspor.notifications.service import enqueue_email


async def test_enqueue_smoke(db_session):
    row = await enqueue_email(db_session, to="a@example.com", template="developer_upgrade", locale="en",
                              context={"full_name": "A", "key_prefix": "p", "key_name": "n"},
                              secret_context={"api_key": "secret-value"})
    got = (await db_session.scalars(select(EmailOutbox))).one()
    assert got.id == row.id
    assert "secret-value" not in (got.secret_ciphertext or "")
