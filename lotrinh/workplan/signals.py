"""Signals other apps may listen to (dashboards, review reports) when a task's state changes."""

from django.dispatch import Signal

# Sent once an approval or a return of a task's progress is committed; argument: progress.
progress_decided = Signal()
