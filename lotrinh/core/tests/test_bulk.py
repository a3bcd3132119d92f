"""Plain-row inserts store exactly what the ORM would."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from lotrinh.core.bulk import insert_rows
from lotrinh.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_inserted_rows_read_back_like_orm_rows():
    now = timezone.now().replace(microsecond=123000)
    count = insert_rows(
        AuditEvent,
        [
            "at",
            "actor_id",
            "ip_address",
            "channel",
            "action",
            "target_type",
            "target_id",
            "field",
            "old_value",
            "new_value",
            "reason",
        ],
        [(now, None, "10.0.0.1", "import", "value_changed", "report", 7, "x", "", "12.5", "")] * 3,
    )
    assert count == 3
    event = AuditEvent.objects.filter(target_id=7, channel="import").first()
    assert event.at == now and event.at.tzinfo is not None and event.new_value == "12.5"
    assert event.at - now == datetime.timedelta(0) and Decimal(event.new_value) == Decimal("12.5")
