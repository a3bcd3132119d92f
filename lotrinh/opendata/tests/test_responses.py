"""Answers kept for anonymous requests of the open data: the same as made, for nobody signed in,
bounded, and left behind as soon as the published data changes."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse

from lotrinh.indicators.models import DataElement, Indicator
from lotrinh.opendata.catalogue import publication
from lotrinh.opendata.responses import LARGEST_SHARE, ResponseKeeper, request_key, shareable

pytestmark = pytest.mark.django_db

GIA_LAI = "ho-so-cong-viec-truc-tuyen-gia-lai"
ADDRESSES = [
    "/api/3/action/package_search?q=ho+so&rows=10",
    f"/api/3/action/datastore_search?resource_id={GIA_LAI}-csv&limit=100",
    f"/api/3/action/package_show?id={GIA_LAI}",
    "/api/3/action/package_list?callback=nhan",
    "/data.json",
    "/catalog.ttl",
    f"/dataset/{GIA_LAI}/download/csv",
    f"/en/dataset/{GIA_LAI}/",
]
ORIGIN = {"Origin": "https://du-lieu.example.org"}


def _answer(client, address, method="get", **headers):
    """An answer, and whether anything behind the open data's middleware ran for it."""
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
        autospec=True,
        side_effect=_open_session,
    ) as sessions:
        response = getattr(client, method)(address, headers=headers)
    return response, sessions.called


def _open_session(middleware, request):
    request.session = middleware.SessionStore(None)


def _comparable(response):
    headers = {k: v for k, v in response.headers.items() if k != "Date"}
    # The policy's directives come in no fixed order.
    headers["Content-Security-Policy"] = sorted(headers["Content-Security-Policy"].split("; "))
    return headers, response.content


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_kept_answer_is_the_answer_the_view_makes(client, settings, address):
    settings.LOTRINH_OPEN_DATA_CACHE_ENTRIES = 0
    made, ran = _answer(client, address, **ORIGIN)
    assert made.status_code == 200 and ran
    assert len(publication().responses) == 0

    settings.LOTRINH_OPEN_DATA_CACHE_ENTRIES = 1000
    publication().responses.max_entries = 1000
    first, ran_first = _answer(client, address, **ORIGIN)
    again, ran_again = _answer(client, address, **ORIGIN)
    assert ran_first and not ran_again, "the second request is answered from the kept answers"
    assert _comparable(again) == _comparable(first) == _comparable(made)
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"
    assert again["X-Content-Type-Options"] == "nosniff"


def test_a_kept_answer_is_revalidated_and_limited_like_any_other(client, settings):
    address = ADDRESSES[1]
    first, _ran = _answer(client, address)
    etag = first["ETag"]
    since = first["Last-Modified"]
    not_modified, ran = _answer(client, address, If_None_Match=etag)
    assert not ran and not_modified.status_code == 304 and not_modified["ETag"] == etag
    assert _answer(client, address, If_Modified_Since=since)[0].status_code == 304
    head, ran = _answer(client, address, method="head")
    assert ran and head.status_code == 200 and head["ETag"] == etag
    assert not _answer(client, address, method="head")[1]

    settings.LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE = 2
    from django.core.cache import caches

    from lotrinh.core.throttle import PROCESS_CACHE

    caches[PROCESS_CACHE].clear()
    answers = [_answer(client, address)[0].status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_nobody_signed_in_or_holding_a_cookie_reads_or_fills_the_kept_answers(client):
    address = ADDRESSES[0]
    user = User.objects.create_user("nguoi-dung-od", "nd@example.vn", "x")
    client.force_login(user)
    signed_in, ran = _answer(client, address)
    assert signed_in.status_code == 200 and ran
    assert len(publication().responses) == 0

    client.logout()
    client.cookies.clear()
    _answer(client, address)
    assert len(publication().responses) == 1
    client.force_login(user)
    assert _answer(client, address)[1], "a signed-in user's request is made by the view"
    client.logout()
    client.cookies.clear()
    assert _answer(client, address, Authorization="Bearer thu")[1]
    client.cookies["csrftoken"] = "a" * 32
    assert _answer(client, address)[1]


def test_a_change_of_the_published_data_leaves_the_kept_answers_behind(client):
    address = f"/api/3/action/datastore_search?resource_id={GIA_LAI}-csv&limit=32000"
    indicator = Indicator.objects.get(code="ho-so-cong-viec-truc-tuyen")
    before, _ran = _answer(client, address)
    assert '"numerator"' in before.content.decode() and _answer(client, address)[1] is False
    DataElement.objects.filter(pk=indicator.numerator_id).update(is_confidential=True)
    after, ran = _answer(client, address)
    assert ran and after.status_code == 404


def test_the_kept_answers_are_bounded_in_number_and_bytes():
    keeper = ResponseKeeper(entries=3, size=LARGEST_SHARE * 1000)
    for n in range(4):
        keeper.put(("GET", f"http://s/{n}"), HttpResponse(b"x" * 100))
    assert len(keeper) == 3 and keeper.get(("GET", "http://s/0")) is None
    assert keeper.get(("GET", "http://s/1")) is not None  # now the most recently used
    keeper.put(("GET", "http://s/big"), HttpResponse(b"x" * 1000))
    assert keeper.get(("GET", "http://s/big")) is None, "larger than its share: not kept"
    keeper.max_entries = 100
    for n in range(4, 16):
        keeper.put(("GET", f"http://s/{n}"), HttpResponse(b"x" * 700))
    assert keeper.size <= LARGEST_SHARE * 1000
    assert keeper.get(("GET", "http://s/15")).content == b"x" * 700
    assert keeper.get(("GET", "http://s/1")) is None


def test_an_answer_setting_a_cookie_or_private_is_not_shared():
    assert shareable(HttpResponse(b"{}"))
    with_cookie = HttpResponse(b"{}")
    with_cookie.set_cookie("csrftoken", "x")
    private = HttpResponse(b"{}", headers={"Cache-Control": "private, max-age=0"})
    varying = HttpResponse(b"{}", headers={"Vary": "*"})
    refused = HttpResponse(b"{}", status=404)
    assert not any(shareable(r) for r in (with_cookie, private, varying, refused))


def test_an_answer_is_kept_per_language_asked_for(rf):
    # The API's addresses have no language prefix: a view may answer in the language asked for,
    # which the locale middleware activates from Accept-Language.
    address = ADDRESSES[1]
    english = request_key(rf.get(address, headers={"Accept-Language": "en"}))
    vietnamese = request_key(rf.get(address, headers={"Accept-Language": "vi"}))
    assert english and vietnamese and english != vietnamese
    assert request_key(rf.get(address, headers={"Accept-Language": "en"})) == english
