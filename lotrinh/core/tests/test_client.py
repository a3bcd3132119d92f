"""Per-client limits count the real client, and a client cannot pick the address it is counted as."""

from django.test import RequestFactory

from lotrinh.core.client import client_address


def request(remote="10.0.0.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_forwarded_addresses_are_ignored(settings):
    settings.LOTRINH_TRUSTED_PROXIES = 0
    assert client_address(request(forwarded="203.0.113.9")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.LOTRINH_TRUSTED_PROXIES = 1
    assert client_address(request(forwarded="203.0.113.9")) == "203.0.113.9"


def test_addresses_a_client_wrote_itself_are_ignored(settings):
    settings.LOTRINH_TRUSTED_PROXIES = 1
    assert client_address(request(forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    settings.LOTRINH_TRUSTED_PROXIES = 2
    assert client_address(request(forwarded="1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_request_that_skipped_the_proxies_counts_as_its_own_address(settings):
    settings.LOTRINH_TRUSTED_PROXIES = 2
    assert client_address(request(forwarded="203.0.113.9")) == "10.0.0.1"


def test_a_request_without_an_address_has_none(settings):
    settings.LOTRINH_TRUSTED_PROXIES = 0
    bare = RequestFactory().get("/")
    del bare.META["REMOTE_ADDR"]
    assert client_address(bare) is None
