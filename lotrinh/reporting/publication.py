"""What may be published: the one filter every public page, CSV and API answer reads figures through.

A reported figure is published when its report is approved and its data element is not
confidential. A figure derived from a confidential one is confidential too: an indicator whose
numerator, denominator or reported data element is confidential is a confidential indicator,
and its published figures (observations) are not shown either, since they would give it away.
Signed-in users authorised for a unit read its figures through their own, permission-checked
pages; nothing here applies to them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lotrinh.indicators.models import Indicator, Observation
from lotrinh.reporting.models import DataValue, Status

_CONFIDENTIAL_INDICATOR = (
    Q(numerator__is_confidential=True)
    | Q(denominator__is_confidential=True)
    | Q(reported_as__is_confidential=True)
)


def confidential_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(_CONFIDENTIAL_INDICATOR)


def published_values() -> QuerySet[DataValue]:
    """Figures of approved reports whose data element is not confidential."""
    return DataValue.objects.filter(
        report__status=Status.APPROVED, data_element__is_confidential=False
    )


def published_observations(
    observations: QuerySet[Observation] | None = None,
) -> QuerySet[Observation]:
    """`observations` (all by default) without those of confidential indicators."""
    found = Observation.objects.all() if observations is None else observations
    return found.exclude(indicator__in=confidential_indicators())
