"""Regimes defined from a TOML file."""

import textwrap

from lotrinh.reporting.regimes import load_regimes


def test_a_regime_file_can_let_the_submitter_approve(db, regime, tmp_path):
    assert regime.approver_must_differ  # the default: four eyes
    path = tmp_path / "regimes.toml"
    path.write_text(
        textwrap.dedent(
            """
            [[regime]]
            code = "cds-dinh-ky-quy"
            name = "Báo cáo định kỳ về chuyển đổi số"
            content = "-"
            frequency = "quarterly"
            receiving_unit = "-"
            approver_must_differ = false
              [[regime.field]]
              element = "so_dvctt"
            """
        ),
        encoding="utf-8",
    )
    load_regimes(path)
    regime.refresh_from_db()
    assert regime.approver_must_differ is False
