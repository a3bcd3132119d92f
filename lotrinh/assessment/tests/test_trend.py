"""How a status moved between two cut-offs."""

from lotrinh.assessment.trend import Change, status_change


def test_a_better_status_is_progress_and_a_worse_one_falling_back():
    assert status_change("acceleration_needed", "on_track") == Change.PROGRESSED
    assert status_change("on_track", "acceleration_needed") == Change.FELL_BACK
    assert status_change("achieved", "not_achieved") == Change.FELL_BACK


def test_the_same_status_is_unchanged():
    assert status_change("limited", "limited") == Change.UNCHANGED


def test_insufficient_data_or_no_earlier_status_cannot_be_compared():
    assert status_change(None, "on_track") == Change.NOT_COMPARABLE
    assert status_change("insufficient_data", "on_track") == Change.NOT_COMPARABLE
    assert status_change("on_track", "insufficient_data") == Change.NOT_COMPARABLE
