"""The traffic-light rule: red when enough tasks are overdue, yellow at risk, green otherwise."""

import pytest

from lotrinh.workplan.lights import GREEN, NONE, RED, YELLOW, LightRule, light


@pytest.mark.parametrize(
    ("total", "overdue", "at_risk", "rule", "expected"),
    [
        (0, 0, 0, LightRule(), NONE),
        (5, 0, 0, LightRule(), GREEN),
        (5, 0, 2, LightRule(), YELLOW),
        (5, 1, 0, LightRule(), RED),
        (5, 1, 0, LightRule(red_overdue=3), YELLOW),
        (5, 3, 0, LightRule(red_overdue=3), RED),
    ],
)
def test_light(total, overdue, at_risk, rule, expected):
    assert light(total, overdue, at_risk, rule) == expected
