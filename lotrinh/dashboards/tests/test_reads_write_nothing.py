"""Reading a page never writes: with assessments missing, every dashboard page and the assessment
API show what is stored (and say the assessment is coming) without computing or storing anything."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotrinh.assessment.models import Assessment

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
PAGES = [
    "/",
    "/programmes/",
    "/programmes/binh-dinh-05-nq-tu/",
    "/en/programmes/binh-dinh-05-nq-tu/",
    "/programmes/binh-dinh-05-nq-tu/progress/",
    "/programmes/binh-dinh-05-nq-tu/progress/?format=csv",
    "/programmes/binh-dinh-05-nq-tu/progress/?status=on_track",
    "/units/2025/52/overview/",
    "/indicators/kiem-tra-qua-moi-truong-so/map/",
    "/behind/",
    "/api/v1/programmes/binh-dinh-05-nq-tu/assessments",
]


@pytest.mark.parametrize("address", PAGES)
def test_a_read_with_no_stored_assessment_writes_nothing(client, address):
    Assessment.objects.all().delete()
    client.force_login(User.objects.create_superuser("boss", "b@example.invalid", "x"))
    client.get("/")  # the session's first request may record the sign-in; not what is measured
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert not Assessment.objects.exists()


def test_the_progress_page_says_the_assessment_is_coming(client):
    Assessment.objects.all().delete()
    client.force_login(User.objects.create_superuser("boss", "b@example.invalid", "x"))
    page = client.get("/en/programmes/binh-dinh-05-nq-tu/progress/").content.decode()
    assert "not been assessed yet" in page
