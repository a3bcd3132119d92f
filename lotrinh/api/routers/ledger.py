"""A report's ledger receipt, for those who may see the report (docs/security.md, "Ledger")."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from lotrinh.access.permissions import require_view_unit
from lotrinh.api.auth import api_auth, principal_of
from lotrinh.api.schemas.ledger import ReceiptOut
from lotrinh.api.schemas.reporting import ErrorOut
from lotrinh.ledger.services import make_receipt
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Report

router = Router(tags=["ledger"], auth=api_auth)


@router.get(
    "/reports/{regime}/{period}/{structure}/{unit_code}/receipt",
    response={200: ReceiptOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="reports_receipt",
)
def reports_receipt(
    request: HttpRequest, regime: str, period: str, structure: str, unit_code: str
) -> dict[str, Any]:
    """The report's last ledger entry, the figures it records, its inclusion proof and a signed
    tree head; check it offline with `lotrinh ledger verify-receipt FILE`. 404 for a draft."""
    user = principal_of(request).user
    unit = get_object_or_404(OrgUnit, structure=structure, code=unit_code)
    require_view_unit(user, unit)
    report = get_object_or_404(
        Report.objects.select_related("org_unit"),
        regime__code=regime,
        period__code=period,
        org_unit=unit,
    )
    return make_receipt(user, report)
