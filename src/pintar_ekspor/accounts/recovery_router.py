"""Routes of password reset and e-mail verification (single-use links sent by e-mail)."""

from __future__ import annotations

from fastapi import APIRouter, status

from pintar_ekspor.accounts import recovery
from pintar_ekspor.accounts.dependencies import SignedInPerson
from pintar_ekspor.accounts.models import AccountTokenPurpose, User
from pintar_ekspor.accounts.schemas import (
    AcceptedRead,
    EmailVerificationConfirm,
    PasswordResetConfirm,
    PasswordResetRequest,
    UserRead,
)
from pintar_ekspor.core.deps import AppClock, AppSettings, DbSession
from pintar_ekspor.core.errors import ConflictError, problem_responses

router = APIRouter()

RESET_ACCEPTED = (
    "If an account uses this address, a link to reset its password is on its way. "
    "It works once, for 30 minutes."
)


@router.post(
    "/auth/password-reset",
    operation_id="requestPasswordReset",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AcceptedRead,
    tags=["auth"],
    responses=problem_responses(422, 429),
)
async def request_password_reset(
    body: PasswordResetRequest, session: DbSession, settings: AppSettings, clock: AppClock
) -> AcceptedRead:
    """E-mail a reset link. The answer is the same whether or not the address has an account
    (rate limited with the other `/auth` routes)."""
    await recovery.request_password_reset(session, settings, body.email, now=clock.now())
    return AcceptedRead(detail=RESET_ACCEPTED)


@router.post(
    "/auth/password-reset/confirm",
    operation_id="confirmPasswordReset",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["auth"],
    responses=problem_responses(422, 429),
)
async def confirm_password_reset(
    body: PasswordResetConfirm, session: DbSession, settings: AppSettings, clock: AppClock
) -> None:
    """Set a new password with the link's token (same policy as registration); every
    session of the account is signed out."""
    await recovery.reset_password(session, settings, body.token, body.new_password, now=clock.now())


@router.post(
    "/auth/verify-email",
    operation_id="verifyEmail",
    response_model=UserRead,
    tags=["auth"],
    responses=problem_responses(422, 429),
)
async def verify_email(body: EmailVerificationConfirm, session: DbSession, clock: AppClock) -> User:
    """Confirm the address with the token from the verification e-mail."""
    return await recovery.verify_email(session, body.token, now=clock.now())


@router.post(
    "/users/me/verification-email",
    operation_id="resendVerificationEmail",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AcceptedRead,
    tags=["users"],
    responses=problem_responses(401, 403, 409, 429),
)
async def resend_verification(
    session: DbSession, settings: AppSettings, clock: AppClock, user: SignedInPerson
) -> AcceptedRead:
    """Send the verification e-mail again (the previous link stops working)."""
    if user.email_verified_at is not None:
        raise ConflictError("This address is already verified.", code="email_already_verified")
    await recovery.send_link(
        session, settings, user, AccountTokenPurpose.EMAIL_VERIFICATION, now=clock.now()
    )
    return AcceptedRead(detail="A new verification link is on its way.")
