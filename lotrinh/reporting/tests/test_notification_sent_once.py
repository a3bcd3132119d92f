"""The database keeps one notification per key: a second copy is refused, and the migration that
brought the rule removed the copies stored before it, keeping the one read first."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lotrinh.reporting.models import Notification

BEFORE = [("reporting", "0012_formfield_tiers_rule_validity")]
AFTER = [("reporting", "0013_notification_sent_once")]


@pytest.mark.django_db
def test_a_second_copy_of_a_notification_is_refused_and_keyless_ones_are_not():
    user = User.objects.create_user("nhac", password="x")
    Notification.objects.create(user=user, text="a", dedupe_key="soon:k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=user, text="a again", dedupe_key="soon:k")
    Notification.objects.create(user=user, text="returned")
    Notification.objects.create(user=user, text="returned again")
    assert Notification.objects.filter(user=user).count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_one_copy_of_each_key_the_one_read_first():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_notification = old.get_model("reporting", "Notification")
    user = old.get_model("auth", "User").objects.create(username="nhac")
    read = timezone.now() - datetime.timedelta(hours=1)

    def stored(key: str, read_at: datetime.datetime | None = None) -> int:
        return old_notification.objects.create(
            user_id=user.pk, text=key, dedupe_key=key, read_at=read_at
        ).pk

    unread_first = stored("soon:k1")
    read_later = stored("soon:k1", read)
    stored("soon:k1", read + datetime.timedelta(minutes=5))  # read too, but after
    oldest = stored("soon:k2")
    stored("soon:k2")
    alone = stored("soon:k3")
    keyless = [stored(""), stored("")]

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    kept = sorted(Notification.objects.filter(user_id=user.pk).values_list("pk", flat=True))
    assert kept == sorted([read_later, oldest, alone, *keyless])
    assert unread_first not in kept
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user_id=user.pk, text="again", dedupe_key="soon:k2")
