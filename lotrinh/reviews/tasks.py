"""The review's background task: a draft asked for on the page is written off the request."""

from __future__ import annotations

from django_tasks import task

from lotrinh.core.tasks import retry_later
from lotrinh.reviews.services import draft_pending, mark_failed


@task()
def draft_review(document_id: int, user_id: int, ip_address: str | None, attempt: int = 1) -> None:
    """Write one pending draft; tried again later on failure, then marked failed."""
    try:
        draft_pending(document_id, user_id, ip_address)
    except Exception:
        if not retry_later(draft_review, attempt, document_id, user_id, ip_address):
            mark_failed(document_id)
        raise
