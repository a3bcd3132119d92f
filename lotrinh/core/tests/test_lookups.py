"""`__among` selects the same rows as `__in`, with one parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from lotrinh.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


@given(st.lists(st.integers(min_value=-5, max_value=20_000), max_size=300))
@settings(max_examples=40, deadline=None)
def test_among_is_in(ids):
    among = set(OrgUnit.objects.filter(pk__among=ids).values_list("pk", flat=True))
    assert among == set(OrgUnit.objects.filter(pk__in=ids).values_list("pk", flat=True))


def test_thousands_of_ids_are_one_parameter_on_postgresql():
    ids = list(OrgUnit.objects.values_list("pk", flat=True)[:3000])
    assert len(ids) == 3000
    with CaptureQueriesContext(connection) as queries:
        found = OrgUnit.objects.filter(parent_id__among=ids).count()
    assert found == OrgUnit.objects.filter(parent_id__in=ids).count() > 0
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries[0]["sql"] and " IN (" not in queries[0]["sql"]


def test_a_single_value_is_refused():
    with pytest.raises(TypeError):
        list(OrgUnit.objects.filter(pk__among="12"))
