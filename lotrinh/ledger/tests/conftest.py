"""The reporting tests' people and periods, and a commune of Gia Lai with no report this period."""

import pytest

from lotrinh.orgunits.models import Tier
from lotrinh.reporting.importing.tests.conftest import clean_period  # noqa: F401  (fixture)
from lotrinh.reporting.models import Report
from lotrinh.reporting.tests.conftest import (  # noqa: F401  (fixtures)
    GOOD,
    approver,
    gia_lai,
    open_period,
    regime,
    reporter,
)

# Every figure explained, so that the unit's illustrative history raises no unexplained warning.
EXPLAINED = dict.fromkeys(GOOD, "Số liệu đã kiểm tra.")


@pytest.fixture
def commune(gia_lai, regime, open_period):  # noqa: F811  (the imported fixtures)
    started = Report.objects.filter(regime=regime, period=open_period).values("org_unit_id")
    return (
        gia_lai.children.filter(tier=Tier.COMMUNE).exclude(pk__in=started).order_by("code").first()
    )
