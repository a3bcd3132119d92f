"""Error pages and the admin's title speak Vietnamese (English under /en/) in the site's layout."""

import pytest
from django.db import connections
from django.test import Client, override_settings


@pytest.mark.django_db
def test_a_missing_page_says_so_in_vietnamese_in_the_site_layout(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert 'class="brand"' in page  # the site's header
    assert "Not Found" not in page


@pytest.mark.django_db
def test_a_missing_page_under_en_says_so_in_english(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_page_says_so_in_vietnamese(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("no_role"))
    response = client.get("/reports/approvals/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_bad_request_is_explained_in_vietnamese_and_english():
    response = Client(HTTP_HOST="bad host").get("/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page
    assert "Bad request" in page
    assert "Bad Request (400)" not in page


@override_settings(ROOT_URLCONF="lotrinh.core.tests.error_urls")
def test_a_server_error_page_is_shown_in_both_languages_without_the_database(monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page must not touch the database")

    for connection in connections.all():
        monkeypatch.setattr(connection, "ensure_connection", no_database)
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi máy chủ" in page
    assert "Server error" in page


@pytest.mark.django_db
def test_the_admin_is_titled_with_the_product_name(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "Quản trị Lộ Trình" in page
    assert "Django" not in page.split("<body")[0]  # the <title>
    assert "Lộ Trình administration" in admin_client.get("/en/admin/").content.decode()
