"""Keep assessments fresh: re-assess the programmes a decided report belongs to, in the background,
once per burst of approvals.

An approval or a reopening marks each programme covering the report's unit (`PendingRefresh`) and
queues one `refresh_programme` task for a programme that had no mark. The task removes the mark,
then reads the data, so an approval committed after it started marks the programme again and queues
the next run: the last run always sees the last approval. 4,000 approvals in an hour in one
province cost as many re-assessments as the worker can finish, not 4,000.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lotrinh.assessment.models import PendingRefresh
from lotrinh.assessment.services import assess_programme, refresh_kept_history
from lotrinh.core.tasks import retry_later
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

# A mark older than this whose task never ran (a worker's queue was emptied by hand) is queued again
# by the next approval instead of waiting for ever.
STALE_MARK = datetime.timedelta(minutes=10)


def programmes_covering(unit: OrgUnit) -> list[Programme]:
    """Programmes of the unit's province, and, for a current unit, of the legacy provinces merged
    into its province (their targets are followed on the new territory)."""
    province_code = unit.path.split("/")[1]
    province = OrgUnit.objects.get(structure=unit.structure, tier=Tier.PROVINCE, code=province_code)
    owners = [province.pk]
    if province.structure == Structure.CURRENT:
        owners += list(
            OrgUnit.objects.filter(
                successor_links__successor=province, tier=Tier.PROVINCE
            ).values_list("pk", flat=True)
        )
    return list(Programme.objects.filter(org_unit_id__in=owners))


def request_refresh(programme_ids: Iterable[int]) -> int:
    """Mark programmes for re-assessment and queue a task for each one not already waiting (or
    waiting since longer than STALE_MARK). Returns how many tasks were queued."""
    queued = 0
    for programme_id in sorted(set(programme_ids)):
        now = timezone.now()
        with transaction.atomic():
            mark, created = PendingRefresh.objects.get_or_create(
                programme_id=programme_id, defaults={"marked_at": now}
            )
            if not created:
                if now - mark.marked_at < STALE_MARK:
                    continue
                PendingRefresh.objects.filter(pk=programme_id).update(marked_at=now)
            # Queued in the mark's transaction: with the database backend both are kept or neither.
            refresh_programme.enqueue(programme_id)
        queued += 1
    return queued


@task()
def refresh_programme(programme_id: int, attempt: int = 1) -> int:
    """Re-assess one marked programme; returns the number of targets assessed (0 when another run
    already took the mark). On failure the mark is put back and the task tried again later."""
    taken, _ = PendingRefresh.objects.filter(programme_id=programme_id).delete()
    programme = Programme.objects.filter(pk=programme_id).first()
    if not taken or programme is None:
        return 0
    try:
        assessed = len(assess_programme(programme).assessments)
        refresh_kept_history(programme)  # cut-offs kept before a published figure changed
        return assessed
    except Exception:
        _, marked_again = PendingRefresh.objects.get_or_create(
            programme_id=programme_id, defaults={"marked_at": timezone.now()}
        )
        if marked_again:  # otherwise an approval meanwhile queued its own run
            retry_later(refresh_programme, attempt, programme_id)
        raise


def on_plan_changed(sender: Any, province: OrgUnit, **kwargs: Any) -> None:
    """A changed source changes the "thiếu dữ liệu" reasons of the programmes the province follows."""
    request_refresh([programme.pk for programme in programmes_covering(province)])


def on_report_decided(sender: Any, report: Any, **kwargs: Any) -> None:
    request_refresh(p.pk for p in programmes_covering(report.org_unit))
