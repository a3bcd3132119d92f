"""The TOTP second factor: enrolment with a QR code and a typed key, verification after the
password, recovery codes, wrong codes, and administrators held until they enrol."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotrinh.access.models import Membership, Role
from lotrinh.access.two_factor import ENROLLED, RECOVERY_RENEWED, RESET
from lotrinh.core.models import AuditEvent
from lotrinh.orgunits.models import OrgUnit, Structure
from lotrinh.reporting.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-local-password"


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` 30-second steps later)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{value:0{device.digits}d}"


def _signed_in(username: str = "officer", **fields) -> tuple[Client, User]:
    user = User.objects.create_user(username, password=PASSWORD, **fields)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client, user


def _enrol(client: Client, user: User) -> list[str]:
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/two-factor/", {"code": _code(device), "next": "/reports/"})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.text)


def test_enrolment_shows_a_qr_code_and_the_key_then_confirms_with_a_code_from_the_app():
    client, user = _signed_in()
    page = client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.search(r"<figure class=\"qr-code\"><svg [^>]*>", page.text)  # inline, made here
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert base64.b32decode(secret) == device.bin_key  # typed by hand, the same key as the QR code

    codes = _enrol(client, user)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(codes)
    assert AuditEvent.objects.filter(action=ENROLLED, target_id=user.pk).count() == 1
    assert client.get("/reports/").status_code == 200  # this session counts as verified


def test_a_wrong_code_at_enrolment_is_refused_in_both_languages_and_confirms_nothing():
    client, user = _signed_in()
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 400
    assert "Mã này không đúng" in response.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # kept, not rolled back with the refusal
    device.throttle_reset()
    english = client.post("/en/accounts/two-factor/", {"code": wrong})
    assert "This code is not right" in english.text
    # A guesser is slowed down: right after a wrong code, even the right one waits.
    again = client.post("/en/accounts/two-factor/", {"code": _code(device)})
    assert again.status_code == 400 and "Too many wrong codes in a row" in again.text
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_after_the_password_the_code_is_asked_before_any_page():
    client, user = _signed_in()
    codes = _enrol(client, user)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})

    held = client.get("/reports/")
    assert held.status_code == 302
    assert held["Location"] == "/accounts/two-factor/verify/?next=%2Freports%2F"
    api = client.get("/api/v1/reports")
    assert api.status_code == 403 and "second factor" in api.json()["detail_en"]

    wrong = client.post("/accounts/two-factor/verify/", {"code": "000000", "next": "/reports/"})
    assert wrong.status_code == 400 and "Mã này không đúng" in wrong.text
    assert client.get("/reports/").status_code == 302  # still held

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    for waited in (device, StaticDevice.objects.get(user=user)):  # as if a minute had passed
        waited.throttle_reset()
    # The app's next code: the one used at enrolment cannot be replayed.
    response = client.post(
        "/accounts/two-factor/verify/", {"code": _code(device, steps_ahead=1), "next": "/reports/"}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert client.get("/reports/").status_code == 200

    # A recovery code works once, in another session.
    other = Client()
    other.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert other.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
    third = Client()
    third.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert third.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 400


def test_the_verification_page_never_sends_to_another_site():
    client, user = _signed_in()
    _enrol(client, user)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    code = StaticToken.objects.filter(device__user=user).first().token
    response = client.post(
        "/accounts/two-factor/verify/", {"code": code, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def _province_administrator() -> tuple[Client, User]:
    client, user = _signed_in("tinh_admin")
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52")
    Membership.objects.create(user=user, org_unit=province, role=Role.ADMINISTRATOR)
    return client, user


@override_settings(LOTRINH_REQUIRE_2FA_FOR_ADMINS=True)
@pytest.mark.parametrize("kind", ["membership", "superuser"])
def test_administrators_must_enrol_before_anything_else_when_the_setting_is_on(kind):
    if kind == "membership":
        client, user = _province_administrator()
    else:
        client, user = _signed_in("root", is_superuser=True, is_staff=True)
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    assert client.get("/admin/").status_code == 302
    setup = client.get("/accounts/two-factor/")
    assert "Quản trị viên phải thiết lập xác thực hai lớp" in setup.text
    _enrol(client, user)
    assert client.get("/reports/").status_code == 200


@override_settings(LOTRINH_REQUIRE_2FA_FOR_ADMINS=True)
def test_other_roles_are_not_held_when_the_setting_is_on():
    client, user = _signed_in("xa")
    Membership.objects.create(
        user=user,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, code="52"),
        role=Role.APPROVER,
    )
    assert client.get("/reports/").status_code == 200


@override_settings(LOTRINH_REQUIRE_2FA_FOR_ADMINS=False)
def test_administrators_are_not_held_when_the_setting_is_off():
    client, _user = _province_administrator()
    assert client.get("/reports/").status_code == 200


def test_every_page_s_header_links_a_signed_in_user_to_the_second_factor():
    client, _user = _signed_in()
    assert 'href="/accounts/two-factor/"' in client.get("/units/").text
    assert 'href="/accounts/two-factor/"' not in Client().get("/units/").text


def _proved(client: Client, proof: str = PASSWORD) -> None:
    response = client.post("/accounts/two-factor/", {"action": "prove", "proof": proof})
    assert response.status_code == 200, response.text


def test_replacing_the_app_needs_a_proof_then_a_code_from_the_new_app():
    client, user = _signed_in()
    old_codes = _enrol(client, user)
    old = TOTPDevice.objects.get(user=user, confirmed=True)

    page = client.get("/accounts/two-factor/")
    assert 'name="proof"' in page.text and "qr-code" not in page.text
    refused = client.post("/accounts/two-factor/", {"action": "replace"})
    assert refused.status_code == 400 and "Trước hết hãy xác nhận" in refused.text
    wrong = client.post("/en/accounts/two-factor/", {"action": "prove", "proof": "not-it"})
    assert wrong.status_code == 400 and "This is neither your password" in wrong.text
    assert "qr-code" not in client.post("/accounts/two-factor/", {"action": "replace"}).text
    assert TOTPDevice.objects.filter(user=user).count() == 1  # nothing started

    _proved(client)
    started = client.post("/accounts/two-factor/", {"action": "replace"})
    assert started.status_code == 200 and "qr-code" in started.text
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    old.refresh_from_db()
    assert old.confirmed  # the current app works until the new one is confirmed

    confirmed = client.post("/accounts/two-factor/", {"action": "confirm", "code": _code(new)})
    assert confirmed.status_code == 200
    new_codes = re.findall(r"<li><code>(\w+)</code></li>", confirmed.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(new_codes)
    event = AuditEvent.objects.filter(action=ENROLLED, target_id=user.pk).latest("pk")
    assert event.changes == {"replaced": True}
    # The proof is spent: another replacement asks again.
    again = client.post("/accounts/two-factor/", {"action": "replace"})
    assert again.status_code == 400


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once():
    client, user = _signed_in()
    old_codes = _enrol(client, user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    refused = client.post("/accounts/two-factor/", {"action": "recovery"})
    assert refused.status_code == 400
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(old_codes)

    _proved(client, _code(device, steps_ahead=1))  # the app's code proves it as well
    response = client.post("/accounts/two-factor/", {"action": "recovery"})
    assert response.status_code == 200 and "Đã tạo mã khôi phục mới" in response.text
    new_codes = re.findall(r"<li><code>(\w+)</code></li>", response.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(new_codes)
    assert AuditEvent.objects.filter(action=RECOVERY_RENEWED, target_id=user.pk).count() == 1
    assert "<li><code>" not in client.get("/accounts/two-factor/").text  # shown once

    other = Client()
    other.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert other.post("/accounts/two-factor/verify/", {"code": old_codes[1]}).status_code == 400
    StaticDevice.objects.get(user=user).throttle_reset()
    assert other.post("/accounts/two-factor/verify/", {"code": new_codes[1]}).status_code == 302


def test_wrong_proofs_are_limited_even_when_the_right_one_follows():
    caches["shared"].clear()
    client, user = _signed_in()
    _enrol(client, user)
    for _attempt in range(5):
        wrong = client.post("/accounts/two-factor/", {"action": "prove", "proof": "guess"})
        assert wrong.status_code == 400
    blocked = client.post("/en/accounts/two-factor/", {"action": "prove", "proof": PASSWORD})
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text
    assert client.post("/accounts/two-factor/", {"action": "recovery"}).status_code == 400
    caches["shared"].clear()


def _enrolled_person(username: str, *units: tuple[str, str], **fields) -> User:
    """A person with an app and recovery codes, a member of the units (structure-less codes)."""
    person = User.objects.create_user(username, password=PASSWORD, **fields)
    for code, role in units:
        unit = OrgUnit.objects.get(structure=Structure.CURRENT, code=code)
        Membership.objects.create(user=person, org_unit=unit, role=role)
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    StaticDevice.objects.create(user=person, name="codes").token_set.create(token="abc12345")
    return person


def _devices(user: User) -> int:
    return (
        TOTPDevice.objects.filter(user=user).count()
        + StaticDevice.objects.filter(user=user).count()
    )


def _gia_lai_commune() -> str:
    commune = (
        OrgUnit.objects.filter(structure=Structure.CURRENT, path__startswith="2025/52/")
        .exclude(code="52")
        .order_by("code")
        .first()
    )
    assert commune is not None
    return commune.code


def test_an_administrator_resets_the_second_factor_of_a_person_of_their_units(
    django_capture_on_commit_callbacks, mailoutbox
):
    client, admin = _province_administrator()
    person = _enrolled_person(
        "xa_lost_phone", (_gia_lai_commune(), Role.REPORTER), email="xa@example.invalid"
    )
    assert 'href="/accounts/two-factor/reset/"' in client.get("/accounts/two-factor/").text
    assert client.get("/accounts/two-factor/reset/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/two-factor/reset/", {"username": "xa_lost_phone"})
    assert response.status_code == 200 and "xa_lost_phone" in response.text
    assert _devices(person) == 0
    event = AuditEvent.objects.get(action=RESET, target_id=person.pk)
    assert event.actor == admin and len(event.changes["removed"]) == 2
    notice = Notification.objects.get(user=person)
    assert "tinh_admin" in notice.text and notice.url == "/accounts/two-factor/"
    assert [m.to for m in mailoutbox] == [["xa@example.invalid"]]
    # The person signs in with the password alone and may set up a new app.
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "xa_lost_phone", "password": PASSWORD})
    assert fresh.get("/reports/").status_code == 200


@pytest.mark.parametrize(
    "case", ["unknown", "other-province", "also-elsewhere", "staff", "not-an-administrator"]
)
def test_no_one_resets_a_second_factor_outside_their_units_and_nothing_changes(case):
    client, admin = _province_administrator()
    if case == "not-an-administrator":
        Membership.objects.filter(user=admin).update(role=Role.APPROVER)
    commune = _gia_lai_commune()
    units = {
        "other-province": [("01", Role.REPORTER)],
        "also-elsewhere": [(commune, Role.REPORTER), ("01", Role.VIEWER)],
        "staff": [(commune, Role.REPORTER)],
        "not-an-administrator": [(commune, Role.REPORTER)],
    }.get(case, [(commune, Role.REPORTER)])
    person = _enrolled_person("nguoi", *units, is_staff=case == "staff")
    events = AuditEvent.objects.count()
    name = "no-such-person" if case == "unknown" else "nguoi"
    response = client.post("/en/accounts/two-factor/reset/", {"username": name})
    if case == "not-an-administrator":
        assert response.status_code == 403
        assert "/accounts/two-factor/reset/" not in client.get("/accounts/two-factor/").text
    else:
        assert response.status_code == 400
        assert f"No account you administer has the user name {name}" in response.text
    assert _devices(person) == 2 and AuditEvent.objects.count() == events
    assert not Notification.objects.filter(user=person).exists()


def test_a_superuser_resets_anyone_even_staff():
    client, _root = _signed_in("root", is_superuser=True, is_staff=True)
    person = _enrolled_person("nhan_vien", is_staff=True)
    assert client.post("/accounts/two-factor/reset/", {"username": "nhan_vien"}).status_code == 200
    assert _devices(person) == 0
