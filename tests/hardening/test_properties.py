"""Property tests (Hypothesis) for token handling and pagination: any input is either accepted
or refused with a 4xx problem, never a 500.

Examples are derived from a fixed seed (`derandomize`), so a failure reproduces exactly.
"""

from __future__ import annotations

import json
import string
import uuid
from typing import Any

import httpx2
import jwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.credentials import AccessClaims, decode_access_token
from pintar_ekspor.core.errors import AuthenticationError
from pintar_ekspor.core.pagination import MAX_LIMIT, MAX_OFFSET

PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
CLAIM_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner)
)
CLAIM_NAMES = st.sampled_from(["sub", "exp", "iat", "nbf", "iss", "aud", "jti", "type", "sid"])
# What an HTTP header can carry (latin-1, no control characters).
HEADER_TEXT = st.text(alphabet=string.printable.strip() + " ", max_size=300)


def _decode(settings_: Settings, token: str) -> AccessClaims | None:
    try:
        return decode_access_token(settings_, token)
    except AuthenticationError as exc:
        refused = exc
    assert refused.status_code == 401
    assert refused.code in ("invalid_token", "token_expired")
    return None


@PROPERTY
@given(token=st.text(max_size=400) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_decoding_any_string_is_claims_or_a_401(settings: Settings, token: str) -> None:
    assert _decode(settings, token) is None  # nothing random is a validly signed token


@PROPERTY
@given(claims=st.dictionaries(CLAIM_NAMES, CLAIM_VALUES, max_size=9))
def test_decoding_any_signed_payload_is_claims_or_a_401(
    settings: Settings, claims: dict[str, Any]
) -> None:
    """Correctly signed tokens with arbitrary claim values: the checks, not a crash, decide."""
    # Signed below PyJWT's claim checks, so even an `iss` that is a list reaches the decoder.
    token = jwt.PyJWS().encode(
        json.dumps(claims).encode(),
        settings.jwt_secret.get_secret_value(),
        algorithm=settings.jwt_algorithm,
    )
    decoded = _decode(settings, token)
    if decoded is not None:
        assert decoded.user_id == uuid.UUID(str(claims["sub"]))


@PROPERTY
@given(value=HEADER_TEXT, scheme=st.sampled_from(["Bearer", "bearer", "ApiKey", "Basic", ""]))
async def test_any_authorization_header_is_never_a_500(
    client: httpx2.AsyncClient, value: str, scheme: str
) -> None:
    header = f"{scheme} {value}".strip()
    response = await client.get("/api/v1/users/me", headers={"Authorization": header})
    assert response.status_code in (401, 403), (header, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")


BIG = st.integers(min_value=-(2**70), max_value=2**70)


@PROPERTY
@given(
    limit=st.one_of(st.integers(min_value=-5, max_value=MAX_LIMIT + 5), BIG),
    offset=st.one_of(
        st.integers(min_value=0, max_value=50), st.just(MAX_OFFSET), st.just(MAX_OFFSET + 1), BIG
    ),
)
async def test_pagination_accepts_exactly_its_bounds(
    client: httpx2.AsyncClient, limit: int, offset: int
) -> None:
    response = await client.get("/api/v1/courses", params={"limit": limit, "offset": offset})
    valid = 1 <= limit <= MAX_LIMIT and 0 <= offset <= MAX_OFFSET
    if valid:
        assert response.status_code == 200, response.text
        page = response.json()
        assert (page["limit"], page["offset"]) == (limit, offset)
        assert len(page["items"]) <= limit
        assert len(page["items"]) == max(0, min(limit, page["total"] - offset))
    else:
        assert response.status_code == 422, response.text
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields <= {"limit", "offset"}
        assert fields


@PROPERTY
@given(text=st.text(max_size=60))
async def test_any_search_text_is_a_page_or_a_422(client: httpx2.AsyncClient, text: str) -> None:
    response = await client.get("/api/v1/courses", params={"q": text})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert {e["field"] for e in response.json()["errors"]} == {"q"}
