"""Every page tells the browser what it may load and use."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/en/programmes/", "/accounts/login/", "/api/v1/docs"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in response["Content-Security-Policy"].split("; ")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert (
        "unsafe" not in policy["script-src"]
        and "unsafe-eval" not in response["Content-Security-Policy"]
    )


def test_pages_turn_off_browser_features_they_do_not_use(client):
    response = client.get("/")
    features = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in features
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
