"""Signals other apps listen to (the assessment refreshes when approved data change)."""

import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent after an approval or a reopening is committed; argument: report.
report_decided = Signal()
# Sent once per save of figures (a form or API save, a whole import), after it is committed;
# arguments: report_ids, channel.
values_written = Signal()


def keep_usual_ranges(sender: Any, report: Any, **kwargs: Any) -> None:
    """Keep the unit's usual ranges for the periods after the decided report. They are only a
    shortcut (an import computes what is missing or stale), so a failure here must not turn a
    committed decision into an error page."""
    from lotrinh.reporting.usual_ranges import refresh_after_decision

    try:
        with transaction.atomic():
            refresh_after_decision(report)
    except DatabaseError:
        logger.exception("Could not keep the usual ranges after report %s", report.pk)
