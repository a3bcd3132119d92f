"""Regimes defined from a TOML file."""

import textwrap
from decimal import Decimal

import pytest

from lotrinh.core.errors import UserFacingError
from lotrinh.reporting.models import ReportingRegime
from lotrinh.reporting.regimes import SAMPLE_REGIMES, load_regimes

pytestmark = pytest.mark.django_db


def test_a_regime_file_may_set_the_regime_completeness_threshold(tmp_path, settings):
    settings.LOTRINH_COMPLETENESS_THRESHOLD = 0.8
    text = SAMPLE_REGIMES.read_text(encoding="utf-8")
    marker = 'code = "cds-dinh-ky-quy"\n'
    assert marker in text
    path = tmp_path / "regimes.toml"
    path.write_text(text.replace(marker, marker + "completeness_threshold = 0.95\n", 1), "utf-8")
    load_regimes(path)
    quarterly = ReportingRegime.objects.get(code="cds-dinh-ky-quy")
    annual = ReportingRegime.objects.get(code="cds-thong-ke-nam")
    assert quarterly.completeness_threshold == Decimal("0.95")
    assert (quarterly.required_completeness, annual.required_completeness) == (0.95, 0.8)


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


@pytest.mark.parametrize("threshold", ["1.5", "80", '"cao"'])
def test_a_threshold_that_is_not_a_share_is_refused_and_nothing_changes(tmp_path, threshold):
    before = ReportingRegime.objects.get(code="cds-dinh-ky-quy").completeness_threshold
    text = SAMPLE_REGIMES.read_text(encoding="utf-8")
    marker = 'code = "cds-dinh-ky-quy"\n'
    path = tmp_path / "regimes.toml"
    path.write_text(
        text.replace(marker, f"{marker}completeness_threshold = {threshold}\n", 1), "utf-8"
    )
    with pytest.raises(UserFacingError) as refused:
        load_regimes(path)
    assert "must be a share from 0 to 1" in refused.value.text("en")
    assert "phải là một tỷ lệ từ 0 đến 1" in refused.value.text("vi")
    assert ReportingRegime.objects.get(code="cds-dinh-ky-quy").completeness_threshold == before
