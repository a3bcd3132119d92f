"""The ledger's background task: signing a tree head after the ledger grew
(`services.request_tree_head` queues it once per burst of appends)."""

from __future__ import annotations

from django_tasks import task

from lotrinh.core.tasks import retry_later
from lotrinh.ledger.services import sign_awaited_tree_head


@task()
def sign_tree_head_task(attempt: int = 1) -> int:
    """Sign a head of the log as it stands; returns its size. On failure the request stays and the
    task is tried again later."""
    try:
        return sign_awaited_tree_head().tree_size
    except Exception:
        retry_later(sign_tree_head_task, attempt)
        raise
