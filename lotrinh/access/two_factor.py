"""The optional second factor: a TOTP app (django-otp) with ten single-use recovery codes.

Who must answer it on which request is decided here once (`step_needed`), for the middleware
that enforces it and for the tests.
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from typing import cast

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotrinh.access.models import Membership, Role
from lotrinh.access.permissions import can_reset_second_factor
from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.core.throttle import Limit
from lotrinh.reporting.models import Notification

VERIFY, ENROL = "verify", "enrol"
RECOVERY_CODES = 10
ENROLLED = "two_factor_enrolled"
RECOVERY_RENEWED = "two_factor_recovery_renewed"
RESET = "two_factor_reset"
# When this session last proved, with a code or the password, that its user is at the keyboard:
# replacing the app or the recovery codes needs a proof younger than PROOF_VALID_SECONDS.
PROVED_AT = "two_factor_proved_at"
PROOF_VALID_SECONDS = 10 * 60
# Five wrong proofs per user in a quarter hour: a stolen session cannot guess the password.
PROOF_ATTEMPTS = Limit("two-factor-proof", attempts=5, seconds=15 * 60)
APP_NAME = "Lộ Trình app"
RECOVERY_NAME = "Lộ Trình recovery codes"

WRONG_CODE = _(
    "This code is not right. Type the 6 digits your authenticator app shows now (or one of your "
    "recovery codes), and check that your phone's clock is correct."
)
WRONG_PROOF = _(
    "This is neither your password nor a code of your authenticator app or a recovery code. "
    "Type one of them again."
)
PROOF_NEEDED = _(
    "Confirm it is you first: type your password, or a code of your authenticator app."
)
NOT_YOURS_TO_RESET = _(
    "No account you administer has the user name %(name)s. Check the name, or ask an "
    "administrator of that person's unit."
)
TOO_MANY_TRIES = _(
    "Too many wrong codes in a row. Wait a minute, then type the code your app shows now."
)


def must_have_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff, superusers and administrators of a unit, when LOTRINH_REQUIRE_2FA_FOR_ADMINS is on."""
    if not settings.LOTRINH_REQUIRE_2FA_FOR_ADMINS or not user.is_authenticated:
        return False
    return bool(
        getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
        or Membership.objects.filter(user_id=user.pk, role=Role.ADMINISTRATOR).exists()
    )


def step_needed(request: HttpRequest) -> str | None:
    """VERIFY when the signed-in user has a second factor this session has not answered, ENROL
    when they must have one and have none, else None. A session opened through the identity
    provider answers to its own second factor unless LOTRINH_OIDC_TRUST_PROVIDER_MFA is off."""
    user = request.user
    # django-otp's middleware gives every request's user `is_verified`.
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return None
    if (
        settings.LOTRINH_OIDC_TRUST_PROVIDER_MFA
        and request.session.get(BACKEND_SESSION_KEY) == "lotrinh.access.oidc.ProvinceOIDCBackend"
    ):
        return None
    # One query: recovery codes exist only beside a confirmed app (confirm_enrolment).
    if TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists():
        return VERIFY
    return ENROL if must_have_second_factor(user) else None


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into the app by hand
    qr_svg: str  # the otpauth:// address as an inline SVG QR code


def pending_enrolment(user: User) -> Enrolment:
    """The user's unconfirmed authenticator (made the first time), to show as QR code and text."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    qr = segno.make(device.config_url, error="m")
    return Enrolment(
        device=device,
        secret=b32encode(device.bin_key).decode(),
        qr_svg=qr.svg_inline(scale=5, border=2, dark="#000", light="#fff"),
    )


def _refusal(device: Device, code: str) -> UserFacingError | None:
    """Why the device refuses the code, or None when it accepts it (and records its use)."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return UserFacingError(TOO_MANY_TRIES)
    return None if device.verify_token(code) else UserFacingError(WRONG_CODE)


def _cleaned(code: str) -> str:
    return code.strip().replace(" ", "")


def confirm_enrolment(
    user: User, code: str, *, ip_address: str | None = None
) -> tuple[Device, list[str]]:
    """Confirms the pending authenticator with a code it shows and makes fresh recovery codes
    (returned once, in clear); a wrong code changes nothing but the device's failure count, which
    is kept (the refusal is raised after the transaction commits)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        refusal = (
            UserFacingError(WRONG_CODE) if device is None else _refusal(device, _cleaned(code))
        )
        if refusal is None and device is not None:
            codes = _confirm(user, device, ip_address)
    if refusal is not None or device is None:
        raise refusal or UserFacingError(WRONG_CODE)
    return device, codes


def _confirm(user: User, device: TOTPDevice, ip_address: str | None) -> list[str]:
    replaced, _deleted = TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _fresh_recovery_codes(user)
    _audit(user, user, ENROLLED, ip_address, replaced=bool(replaced))
    return codes


def _fresh_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes, in clear for showing once; every earlier one stops working."""
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def _audit(actor: User, user: User, action: str, ip_address: str | None, **changes: object) -> None:
    record(action, "user", user.pk, user=actor, ip_address=ip_address, changes=changes)


def verify(user: User, code: str) -> Device:
    """The device (app or recovery code) that accepts the code; a recovery code is used up.
    Failure counts are kept: the refusal is raised after the transaction commits."""
    refusals: list[UserFacingError] = []
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            refusal = _refusal(device, _cleaned(code))
            if refusal is None:
                return device
            refusals.append(refusal)
    locked = [r for r in refusals if r.message is TOO_MANY_TRIES]
    raise (locked or refusals or [UserFacingError(WRONG_CODE)])[0]


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def prove_identity(request: HttpRequest, proof: str) -> None:
    """Accept the signed-in user's password, a code of their app or a recovery code (used up) as
    proof that they are at the keyboard, for PROOF_VALID_SECONDS; refuse anything else, at most
    PROOF_ATTEMPTS times in a window."""
    user = cast(User, request.user)
    if PROOF_ATTEMPTS.exceeded(str(user.pk)):
        raise PROOF_ATTEMPTS.refusal()
    proof = proof.strip()
    proved = bool(proof) and user.has_usable_password() and user.check_password(proof)
    if not proved and proof:
        try:
            verify(user, proof)
            proved = True
        except UserFacingError:
            proved = False
    if not proved:
        PROOF_ATTEMPTS.record(str(user.pk))
        raise UserFacingError(WRONG_PROOF)
    request.session[PROVED_AT] = int(time.time())


def recently_proved(request: HttpRequest) -> bool:
    proved_at = request.session.get(PROVED_AT)
    return isinstance(proved_at, int) and 0 <= time.time() - proved_at <= PROOF_VALID_SECONDS


def _require_proof(request: HttpRequest) -> User:
    if not recently_proved(request):
        raise UserFacingError(PROOF_NEEDED)
    return cast(User, request.user)


def start_replacement(request: HttpRequest) -> Enrolment:
    """A new authenticator to scan, for a user who has one and has just proved who they are; the
    current one keeps working until the new one is confirmed (`confirm_enrolment`)."""
    return pending_enrolment(_require_proof(request))


def renew_recovery_codes(request: HttpRequest, *, ip_address: str | None = None) -> list[str]:
    """Ten new recovery codes (shown once) for a user who has just proved who they are; the old
    ones stop working."""
    user = _require_proof(request)
    if not has_second_factor(user):
        raise UserFacingError(PROOF_NEEDED)
    with transaction.atomic():
        codes = _fresh_recovery_codes(user)
        _audit(user, user, RECOVERY_RENEWED, ip_address)
    return codes


def reset_second_factor(actor: User, username: str, *, ip_address: str | None = None) -> User:
    """Remove a person's authenticator and recovery codes (a lost phone), as an administrator of
    every unit the person belongs to, or a superuser; audited, and the person is told in the app
    and by e-mail. An unknown name and a person one may not reset are refused alike."""
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not can_reset_second_factor(actor, user):
        raise UserFacingError(NOT_YOURS_TO_RESET, name=username.strip()[:150])
    with transaction.atomic():
        removed = [
            f"{device.__class__.__name__}:{device.name}"
            for model in (TOTPDevice, StaticDevice)
            for device in model.objects.filter(user=user)
        ]
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(actor, user, RESET, ip_address, removed=removed)
        with translation.override(settings.LANGUAGE_CODE):
            text = gettext(
                "An administrator (%(admin)s) removed the authenticator app of your account. "
                "Set up a new one on the page Second factor."
            ) % {"admin": actor.get_username()}
            subject = gettext("Lộ Trình: your second factor was reset")
        Notification.objects.create(user=user, text=text[:500], url=reverse("two-factor-setup"))
        if settings.EMAIL_ENABLED and user.email:
            transaction.on_commit(
                lambda: send_mail(
                    subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True
                )
            )
    return user
