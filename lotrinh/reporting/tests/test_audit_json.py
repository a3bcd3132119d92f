"""An import's audit JSON, made as text, is exactly what json.dumps makes of the changes."""

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lotrinh.reporting.services import audit_text, figures_json

codes = st.text(min_size=1, max_size=12)  # any text: quotes, backslashes, Vietnamese, controls
figures = st.none() | st.decimals(
    min_value=Decimal("-1e16"), max_value=Decimal("1e16"), places=4, allow_nan=False
)


@given(st.dictionaries(codes, st.tuples(figures, figures), max_size=8))
def test_figures_json_is_json_dumps_of_the_changes(changes):
    keys = {code: json.dumps(code) for code in changes}
    old = {code: before for code, (before, _after) in changes.items() if before is not None}
    values = {code: after for code, (_before, after) in changes.items()}
    made = figures_json(keys, old, values)
    assert made == json.dumps(
        {code: [audit_text(old.get(code)), audit_text(value)] for code, value in values.items()}
    )
    assert json.loads(made) == {
        code: [
            "" if before is None else audit_text(before),
            "" if after is None else audit_text(after),
        ]
        for code, (before, after) in changes.items()
    }


def test_figures_json_of_whole_and_decimal_figures():
    keys = {"a": '"a"', "b": '"b"'}
    assert (
        figures_json(keys, {"a": Decimal("120.0000")}, {"a": Decimal("7.5000"), "b": None})
        == '{"a": ["120", "7.5"], "b": ["", ""]}'
    )
