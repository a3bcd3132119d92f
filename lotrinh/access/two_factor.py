"""The optional second factor: a TOTP app (django-otp) with ten single-use recovery codes.

Who must answer it on which request is decided here once (`step_needed`), for the middleware
that enforces it and for the tests.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotrinh.access.models import Membership, Role
from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError

VERIFY, ENROL = "verify", "enrol"
RECOVERY_CODES = 10
ENROLLED = "two_factor_enrolled"
APP_NAME = "Lộ Trình app"
RECOVERY_NAME = "Lộ Trình recovery codes"

WRONG_CODE = _(
    "This code is not right. Type the 6 digits your authenticator app shows now (or one of your "
    "recovery codes), and check that your phone's clock is correct."
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
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    record(ENROLLED, "user", user.pk, user=user, ip_address=ip_address)
    return codes


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
