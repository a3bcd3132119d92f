"""At most one notification per `dedupe_key` (a reminder of a unit's report on a day, an
approver's digest), enforced by a unique index on the non-empty keys.

Two runs of the reminders at the same moment (the task worker's and a cron's) could each store a
copy before; those copies are removed first, keeping of each key the copy read first (so nothing
read comes back unread), or the oldest when none was read. Going back drops the index only.
"""

from django.conf import settings
from django.db import migrations, models


def keep_one_per_key(apps, schema_editor) -> None:
    Notification = apps.get_model("reporting", "Notification")
    repeated = (
        Notification.objects.exclude(dedupe_key="")
        .values("dedupe_key")
        .annotate(copies=models.Count("pk"))
        .filter(copies__gt=1)
        .values_list("dedupe_key", flat=True)
    )
    for key in list(repeated):
        copies = Notification.objects.filter(dedupe_key=key).order_by(
            models.F("read_at").asc(nulls_last=True), "pk"
        )
        kept = copies.values_list("pk", flat=True)[0]
        Notification.objects.filter(dedupe_key=key).exclude(pk=kept).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0012_formfield_tiers_rule_validity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_one_per_key, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dedupe_key", ""), _negated=True),
                fields=("dedupe_key",),
                name="notification_sent_once",
            ),
        ),
    ]
