"""Plain-row inserts store exactly what the ORM would."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotrinh.core.audit import EVENT_COLUMNS
from lotrinh.core.bulk import insert_grouped, insert_rows, update_rows
from lotrinh.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_inserted_rows_read_back_like_orm_rows():
    now = timezone.now().replace(microsecond=123000)
    count = insert_rows(
        AuditEvent,
        EVENT_COLUMNS,
        [(now, None, "10.0.0.1", "import", "value_changed", "report", 7, "x", "", "12.5", "", "{}")]
        * 3,
    )
    assert count == 3
    event = AuditEvent.objects.filter(target_id=7, channel="import").first()
    assert event.at == now and event.at.tzinfo is not None and event.new_value == "12.5"
    assert event.at - now == datetime.timedelta(0) and Decimal(event.new_value) == Decimal("12.5")


def test_a_null_is_stored_as_null_even_in_the_first_row():
    columns = ["ip_address", *(c for c in EVENT_COLUMNS if c != "ip_address")]
    row = (None, timezone.now(), None, "", "a", "null", 1, "", "", "", "", "{}")
    insert_rows(AuditEvent, columns, [row])
    assert AuditEvent.objects.get(target_type="null").ip_address is None


def test_grouped_rows_are_their_own_values_then_their_group_s():
    now = timezone.now()
    count = insert_grouped(
        AuditEvent,
        ["target_id", "new_value", "ip_address"],
        ["target_type", "action", "at", "changes", "actor_id", "channel", "field", "old_value"]
        + ["reason"],
        [
            (("first", "a\tb", now, "{}", None, "", "", "", ""), [(1, "x", None), (2, "", "::1")]),
            (("empty", "c", now, "{}", None, "", "", "", ""), []),
            (
                ("second", "d\ne", now, '{"k": [null, "1"]}', None, "", "", "", ""),
                [(3, "\\N", None)],
            ),
        ],
    )
    assert count == 3
    stored = AuditEvent.objects.filter(target_type__in=["first", "second"]).order_by("target_id")
    assert [
        (e.target_id, e.new_value, e.ip_address, e.target_type, e.action, e.at, e.changes)
        for e in stored
    ] == [
        (1, "x", None, "first", "a\tb", now, {}),
        (2, "", "::1", "first", "a\tb", now, {}),
        (3, "\\N", None, "second", "d\ne", now, {"k": [None, "1"]}),
    ]


def test_updated_rows_change_only_the_named_columns_of_the_named_rows():
    now = timezone.now()
    events = [
        AuditEvent.objects.create(
            action="a", target_type="t", target_id=n, old_value="o", new_value="n"
        )
        for n in range(3)
    ]
    count = update_rows(
        AuditEvent,
        ["id", "new_value", "at"],
        [(events[0].pk, "first", now), (events[2].pk, "third", now)],
    )
    assert count == 2
    after = {
        e.target_id: (e.new_value, e.old_value) for e in AuditEvent.objects.filter(target_type="t")
    }
    assert after == {0: ("first", "o"), 1: ("n", "o"), 2: ("third", "o")}
    assert AuditEvent.objects.get(pk=events[0].pk).at == now
    assert update_rows(AuditEvent, ["id", "new_value"], []) == 0


def test_rows_are_updated_by_a_key_of_several_columns():
    """A composite key (a figure's report and data element) matches rows on all its columns."""
    now = timezone.now()
    for target_type, target_id in [("a", 1), ("a", 2), ("b", 1)]:
        AuditEvent.objects.create(
            action="x", target_type=target_type, target_id=target_id, new_value="old"
        )
    count = update_rows(
        AuditEvent,
        ["target_type", "target_id", "new_value", "at"],
        [("a", 1, "new", now), ("b", 2, "nobody", now)],
        key=2,
    )
    assert count == 1
    after = {
        (e.target_type, e.target_id): e.new_value for e in AuditEvent.objects.filter(action="x")
    }
    assert after == {("a", 1): "new", ("a", 2): "old", ("b", 1): "old"}


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_is_stored_exactly(text):
    now = timezone.now()
    with transaction.atomic():
        insert_rows(
            AuditEvent,
            EVENT_COLUMNS,
            [
                (
                    now,
                    None,
                    None,
                    "",
                    "a",
                    "text",
                    1,
                    "",
                    "",
                    "",
                    text,
                    json.dumps({"x": [text, "\\N"]}),
                )
            ],
        )
        event = AuditEvent.objects.filter(target_type="text").latest("pk")
        assert (event.reason, event.changes, event.ip_address) == (text, {"x": [text, "\\N"]}, None)
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY's own encoding")
def test_values_of_other_types_or_naive_times_are_refused():
    naive = datetime.datetime(2025, 1, 1)  # noqa: DTZ001 - the point of the test
    for column, value in (("at", naive), ("reason", object())):
        with pytest.raises(TypeError), transaction.atomic():
            insert_rows(AuditEvent, [column], [(value,)])
