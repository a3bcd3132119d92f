"""The page where an officer uploads a DHIS2 dataValueSets (JSON) or ADX (XML) file: a dry run of
every period in it, through the import's own checks, then "Apply" writes all periods or none."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lotrinh.core.client import client_address
from lotrinh.core.errors import UserFacingError
from lotrinh.opendata.exchange import (
    MAX_EXCHANGE_BYTES,
    ExchangeError,
    ExchangePlan,
    plan_exchange,
    read_adx,
    read_data_value_set,
)
from lotrinh.reporting.importing import uploads
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import write_check
from lotrinh.reporting.importing.limits import MAX_SHOWN_CHANGES, MAX_SHOWN_ISSUES
from lotrinh.reporting.models import ReportingRegime
from lotrinh.reporting.services import Actor

SESSION_KEY = "lotrinh_exchange_imports"  # token -> {regime, name, fingerprints}
TEMPLATE = "opendata/exchange_import.html"


class ExchangeUploadForm(forms.Form):
    regime = forms.ModelChoiceField(
        ReportingRegime.objects.filter(is_active=True),
        to_field_name="code",
        label=_("Reporting regime"),
        empty_label=None,
    )
    file = forms.FileField(
        label=_("DHIS2 dataValueSets (.json) or ADX (.xml) file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xml"}),
    )


def read_exchange_file(raw: bytes) -> list[Any]:
    """ADX when the file is XML, dataValueSets JSON otherwise; raises ExchangeError."""
    return read_adx(raw) if raw.lstrip().startswith(b"<") else read_data_value_set(raw)


def _plans(request: HttpRequest, raw: bytes, regime: ReportingRegime) -> list[ExchangePlan]:
    return plan_exchange(read_exchange_file(raw), regime, write_check(request.user))


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("form", ExchangeUploadForm())
    return render(request, TEMPLATE, context, status=status)


def _refused(request: HttpRequest, error: UserFacingError, status: int = 400) -> HttpResponse:
    return _page(request, status, refused=(error.text("vi"), error.text("en")))


def _dry_run(
    request: HttpRequest, plans: list[ExchangePlan], name: str, token: str, **extra: Any
) -> HttpResponse:
    periods = [
        {
            "period": found.period,
            "plan": found.plan,
            "errors": found.plan.errors[:MAX_SHOWN_ISSUES],
            "warnings": found.plan.warnings[:MAX_SHOWN_ISSUES],
            "changes": found.plan.changes[:MAX_SHOWN_CHANGES],
        }
        for found in plans
    ]
    wrong = sum(len(found.plan.errors) for found in plans)
    context = {"periods": periods, "name": name, "token": token, "wrong": wrong, **extra}
    return _page(request, 400 if wrong else 200, **context)


@login_required
def exchange_import(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with a file: its dry run. POST with a token: apply it."""
    if request.method != "POST":
        return _page(request)
    if request.POST.get("token"):
        return _apply(request)
    form = ExchangeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, 400, form=form)
    uploaded, regime = form.cleaned_data["file"], form.cleaned_data["regime"]
    # The upload handler's count: an oversized file is refused before it is read.
    if (uploaded.size or 0) > MAX_EXCHANGE_BYTES:
        return _refused(
            request,
            UserFacingError(_("The file is over %(limit)s MB."), limit=MAX_EXCHANGE_BYTES // 2**20),
        )
    try:
        plans = _plans(request, uploaded.read(), regime)
    except ExchangeError as error:
        return _refused(request, error)
    token = ""
    if plans and not any(found.plan.errors for found in plans):
        uploaded.seek(0)
        token = uploads.store_upload(uploaded)
        request.session.setdefault(SESSION_KEY, {})[token] = {
            "regime": regime.code,
            "name": uploaded.name or "",
            "fingerprints": [found.plan.fingerprint() for found in plans],
        }
        request.session.modified = True
    return _dry_run(request, plans, uploaded.name or "", token)


def _apply(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token)
    path = uploads.upload_path(token) if pending else None
    regime = (
        ReportingRegime.objects.filter(is_active=True, code=pending["regime"]).first()
        if pending
        else None
    )
    if pending is None or path is None or regime is None:
        return _refused(
            request, UserFacingError(_("This upload has expired. Upload the file again.")), 404
        )
    try:
        plans = _plans(request, path.read_bytes(), regime)
        if [found.plan.fingerprint() for found in plans] != pending["fingerprints"]:
            return _dry_run(request, plans, pending["name"], "", changed_meanwhile=True)
        actor = Actor(request.user, client_address(request), "import")
        with transaction.atomic():  # every period of the file, or none of them
            results = [
                (found.period, apply_plan(actor, regime, found.period, found.plan))
                for found in plans
            ]
    except UserFacingError as error:
        return _refused(request, error)
    except PermissionDenied as error:
        return _refused(request, UserFacingError(str(error)), 403)
    uploads.discard(token)
    request.session[SESSION_KEY].pop(token, None)
    request.session.modified = True
    return _page(request, applied=results, name=pending["name"])
