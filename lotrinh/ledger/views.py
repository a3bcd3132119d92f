"""The ledger's pages: the signed tree head and consistency proofs for anyone (sizes and hashes
only, each answer O(log² n) stored hashes), and a report's receipt for those who may see it."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lotrinh.access.permissions import require_view_unit
from lotrinh.ledger import services
from lotrinh.orgunits.models import OrgUnit
from lotrinh.reporting.models import Report


@require_GET
def tree_head(request: HttpRequest) -> JsonResponse:
    head = services.latest_tree_head()
    if head is None:
        return JsonResponse({"error": _("No tree head has been signed yet.")}, status=404)
    return JsonResponse(services.sth_json(head) | {"public_key": services.public_key_text()})


@require_GET
def consistency_proof(request: HttpRequest) -> JsonResponse:
    try:
        first, second = int(request.GET["first"]), int(request.GET["second"])
        return JsonResponse(services.consistency(first, second))
    except (KeyError, ValueError):
        message = _("Give two whole numbers: ?first=…&second=… (sizes of the log).")
    except services.LedgerError as exc:
        message = exc.bilingual()
    return JsonResponse({"error": message}, status=400)


@login_required
@require_GET
def receipt(
    request: HttpRequest, regime_code: str, period_code: str, structure: str, unit_code: str
) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, structure=structure, code=unit_code)
    require_view_unit(request.user, unit)
    report = get_object_or_404(
        Report.objects.select_related("org_unit"),
        regime__code=regime_code,
        period__code=period_code,
        org_unit=unit,
    )
    try:
        body = services.make_receipt(request.user, report)
    except services.LedgerError as exc:
        return JsonResponse({"error": exc.bilingual()}, status=exc.status_code)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
    name = f"bien-nhan-{regime_code}-{period_code}-{structure}-{unit_code}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
