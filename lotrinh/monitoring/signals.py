"""Signals of the monitoring plan (the assessment refreshes when a source changes)."""

from django.dispatch import Signal

# Sent after a change to a province's plan is committed; argument: province.
plan_changed = Signal()
