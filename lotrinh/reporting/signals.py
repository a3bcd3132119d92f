"""Signals other apps listen to (the assessment refreshes when approved data change)."""

from django.dispatch import Signal

# Sent after an approval or a reopening is committed; argument: report.
report_decided = Signal()
