"""The site menu offers each user only the pages they may use."""

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.dashboards.navigation import menu_items
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

PUBLIC = ["/programmes/", "/indicators/", "/units/", "/dataset/"]


def member(role):
    province = OrgUnit.objects.get(structure=Structure.CURRENT, code="52", tier=Tier.PROVINCE)
    unit = (
        province
        if role != Role.REPORTER
        else OrgUnit.objects.filter(parent=province, tier=Tier.COMMUNE).first()
    )
    user = User.objects.create_user(f"u-{role}", password="x")
    Membership.objects.create(user=user, org_unit=unit, role=role)
    return user


def urls(user):
    return [item.url for item in menu_items(user)]


def test_visitors_see_the_public_pages_only():
    from django.contrib.auth.models import AnonymousUser

    assert urls(AnonymousUser()) == PUBLIC


@pytest.mark.parametrize("role", [Role.REPORTER, Role.APPROVER, Role.VIEWER])
def test_reporters_approvers_and_viewers_see_reports_but_not_the_extractor_or_the_api(role):
    assert urls(member(role)) == [*PUBLIC, "/reports/", "/tasks/"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMINISTRATOR])
def test_officers_and_administrators_also_see_the_extractor_and_the_api(role):
    assert urls(member(role)) == [
        "/programmes/",
        "/extract/",
        "/indicators/",
        "/units/",
        "/dataset/",
        "/reports/",
        "/tasks/",
        "/api/v1/docs",
    ]


def test_a_superuser_sees_everything():
    admin = User.objects.create_superuser("quantri", password="x")
    assert "/extract/" in urls(admin) and "/api/v1/docs" in urls(admin)


def test_the_page_header_shows_a_reporter_neither_the_extractor_nor_the_api(client):
    client.force_login(member(Role.REPORTER))
    html = client.get("/units/").content.decode()
    menu = html[html.index('<ul id="site-menu">') : html.index("</nav>")]
    assert 'href="/reports/"' in menu
    assert 'href="/extract/"' not in html and 'href="/api/v1/docs"' not in html
    assert 'id="menu-button"' in html and 'aria-controls="site-menu"' in html


def test_the_page_header_shows_an_officer_the_extractor_and_the_api(client):
    client.force_login(member(Role.OFFICER))
    html = client.get("/units/").content.decode()
    assert 'href="/extract/"' in html and 'href="/api/v1/docs"' in html
