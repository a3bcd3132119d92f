"""Illustrative (made-up, clearly labelled) progress of the sample programmes' tasks.

Deterministic: each task's outcome follows from its programme and line. About two in five tasks
are done (some after their deadline), a quarter in progress, one in ten blocked, a few awaiting
approval, and the rest not reported, so "who is behind" and the map have something real to show.
"""

from __future__ import annotations

import datetime
import random
import zlib

from django.db import transaction
from django.utils import timezone

from lotrinh.reporting.periods import period_code
from lotrinh.workplan.models import ApprovalState, ProgressStatus, Task, TaskProgress

BLOCKED_REASONS = [
    "Chưa được bố trí kinh phí thực hiện.",
    "Chờ hướng dẫn của bộ, ngành trung ương.",
    "Đang kiện toàn tổ chức bộ máy sau sắp xếp từ 01/07/2025.",
]


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))  # noqa: S311 - made-up data


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _progress(task: Task, today: datetime.date) -> TaskProgress | None:
    rng = _rng(task.programme.code, str(task.source_line))
    draw = rng.random()
    start = task.programme.issued_on
    if draw < 0.25:
        return None
    if draw < 0.65:
        last = min(today, (task.due_on or today) + datetime.timedelta(days=rng.randint(-120, 90)))
        as_of = _day_between(rng, start, max(last, start))
        status, percent = ProgressStatus.DONE, 100
    elif draw < 0.9:
        as_of = _day_between(rng, today - datetime.timedelta(days=200), today)
        status, percent = ProgressStatus.IN_PROGRESS, rng.choice([20, 35, 50, 60, 75, 90])
    else:
        as_of = _day_between(rng, today - datetime.timedelta(days=200), today)
        status, percent = ProgressStatus.BLOCKED, None
    as_of = max(as_of, start)
    state = ApprovalState.SUBMITTED if rng.random() < 0.1 else ApprovalState.APPROVED
    return TaskProgress(
        task=task,
        period_code=period_code("quarterly", as_of.year, (as_of.month - 1) // 3 + 1),
        as_of=as_of,
        status=status,
        percent=percent,
        evidence_number=f"{rng.randint(10, 480)}/KH-UBND" if status == ProgressStatus.DONE else "",
        blocked_reason=rng.choice(BLOCKED_REASONS) if status == ProgressStatus.BLOCKED else "",
        is_illustrative=True,
        state=state,
    )


def generate_illustrative_progress(today: datetime.date | None = None) -> int:
    """Add illustrative progress to the sample tasks that have none; returns how many were added."""
    today = today or timezone.localdate()
    tasks = Task.objects.filter(source_line__isnull=False, progress__isnull=True).select_related(
        "programme"
    )
    rows = [row for task in tasks if (row := _progress(task, today)) is not None]
    with transaction.atomic():
        TaskProgress.objects.bulk_create(rows)
    return len(rows)
