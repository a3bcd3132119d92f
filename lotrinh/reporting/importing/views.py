"""Import pages: download a template, upload a filled one for a dry run, then apply it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template import TemplateDoesNotExist, engines, loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotrinh.core.client import client_address
from lotrinh.core.concurrency import BusyError, heavy_request
from lotrinh.core.errors import UserFacingError
from lotrinh.core.jobs import File, deliver
from lotrinh.reporting.importing import uploads
from lotrinh.reporting.importing.apply import apply_plan
from lotrinh.reporting.importing.context import plan_file, template_spec, write_check
from lotrinh.reporting.importing.forms import (
    ApplyForm,
    ImportTargetForm,
    TemplateForm,
    UploadForm,
    period_choices,
)
from lotrinh.reporting.importing.limits import MAX_SHOWN_CHANGES, MAX_SHOWN_ISSUES
from lotrinh.reporting.importing.plan import ImportPlan
from lotrinh.reporting.importing.template import build_csv, build_xlsx
from lotrinh.reporting.models import ReportingRegime
from lotrinh.reporting.services import Actor

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
SESSION_KEY = "lotrinh_imports"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render(
    request: HttpRequest, name: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render one of this package's templates, found by Django when the package is an installed
    app, or else read from its directory and rendered by the project's engine (same base.html,
    tags and context processors)."""
    try:
        template = loader.get_template(name)
    except TemplateDoesNotExist:
        source = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        template = engines["django"].from_string(source)
    return HttpResponse(template.render(context, request), status=status)


def _index(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "template_form": forms.get("template_form") or TemplateForm(user=request.user),
        "upload_form": forms.get("upload_form") or UploadForm(),
        "message": forms.get("message", ""),
    }
    return render(request, "importing/index.html", context, status=status)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@login_required
def period_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of the period select for the chosen regime (fetched when it changes)."""
    code = request.GET.get("regime", "")
    regime = ReportingRegime.objects.filter(is_active=True, code=code).first()
    return render(request, "importing/_period_options.html", {"choices": period_choices(regime)})


def template_file(user: AbstractBaseUser | AnonymousUser, arguments: dict[str, Any]) -> File:
    """The template for the chosen regime, period and units (a producer of lotrinh.core.jobs)."""
    form = TemplateForm(arguments, user=user)
    if not form.is_valid():
        raise PermissionDenied
    data = form.cleaned_data
    spec = template_spec(data["regime"], data["period_obj"], write_check(user), data["within"])
    name = f"{spec.regime_code}_{spec.period_code}"
    if data["format"] == "csv":
        return File(f"{name}.csv", "text/csv", build_csv(spec).encode("utf-8-sig"))
    return File(f"{name}.xlsx", XLSX_TYPE, build_xlsx(spec))


@login_required
def download_template(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.GET, user=request.user)
    if not form.is_valid():
        return _index(request, 400, template_form=form)
    data = form.cleaned_data
    spec = template_spec(
        data["regime"], data["period_obj"], write_check(request.user), data["within"]
    )
    if not spec.rows:
        message = _("You report for none of this period's units, so there is no template to fill.")
        return _index(request, 403, template_form=form, message=message)
    return deliver(
        request,
        template_file,
        {name: request.GET.get(name, "") for name in form.fields},
        rows=len(spec.rows),
        title=_("Import template %(regime)s %(period)s")
        % {"regime": spec.regime_code, "period": spec.period_code},
    )


def _dry_run(
    request: HttpRequest, plan: ImportPlan, pending: dict[str, str], **extra: Any
) -> HttpResponse:
    context = {
        "plan": plan,
        "pending": pending,
        "regime_name": ReportingRegime.objects.filter(code=pending["regime"])
        .values_list("name", flat=True)
        .first()
        or pending["regime"],
        "changes": plan.changes[:MAX_SHOWN_CHANGES],
        "errors": plan.errors[:MAX_SHOWN_ISSUES],
        "warnings": plan.warnings[:MAX_SHOWN_ISSUES],
        "fingerprint": plan.fingerprint(),
        **extra,
    }
    return render(request, "importing/dry_run.html", context)


def _refused(request: HttpRequest, error: Exception, status: int = 400) -> HttpResponse:
    text = error.bilingual() if isinstance(error, UserFacingError) else str(error)
    return render(request, "importing/refused.html", {"reason": text}, status=status)


# A slot outlives the slowest import it guards; it is released as soon as the request ends.
HEAVY_HOLD_SECONDS = 300


def _one_at_a_time(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Run an import step only while the user has no other extraction or import running."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        try:
            with heavy_request(request.user.pk, hold_seconds=HEAVY_HOLD_SECONDS):
                return view(request)
        except BusyError as exc:
            return _refused(request, exc, 429)

    return wrapper


@login_required
@require_POST
@_one_at_a_time
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, 400, upload_form=form)
    data, uploaded = form.cleaned_data, form.cleaned_data["file"]
    try:
        # The size is the upload handler's count: the file is refused before it is parsed.
        plan = plan_file(
            data["regime"],
            data["period_obj"],
            write_check(request.user),
            uploaded.name or "",
            uploaded,
            uploaded.size or 0,
        )
    except UserFacingError as exc:
        return _refused(request, exc)
    pending = {
        "regime": data["regime"].code,
        "period": data["period_obj"].code,
        "name": uploaded.name or "",
    }
    if plan.can_apply:
        uploaded.seek(0)
        pending["token"] = uploads.store_upload(uploaded)
        request.session.setdefault(SESSION_KEY, {})[pending["token"]] = pending
        request.session.modified = True
    return _dry_run(request, plan, pending)


@login_required
@require_POST
@_one_at_a_time
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST)
    pending = request.session.get(SESSION_KEY, {}).get(request.POST.get("token", ""))
    path = uploads.upload_path(pending["token"]) if pending else None
    if not form.is_valid() or pending is None or path is None:
        return _refused(
            request, UserFacingError(_("This upload has expired. Upload the file again.")), 404
        )
    target = ImportTargetForm({"regime": pending["regime"], "period": pending["period"]})
    if not target.is_valid():  # the period was locked, or the regime ended, since the dry run
        reason = "\n".join(str(m) for messages in target.errors.values() for m in messages)
        return render(request, "importing/refused.html", {"reason": reason}, status=400)
    regime, period = target.cleaned_data["regime"], target.cleaned_data["period_obj"]
    try:
        with path.open("rb") as stream:
            plan = plan_file(
                regime,
                period,
                write_check(request.user),
                pending["name"],
                stream,
                path.stat().st_size,
            )
        if plan.fingerprint() != form.cleaned_data["fingerprint"]:
            return _dry_run(request, plan, pending, changed_meanwhile=True)
        actor = Actor(request.user, client_address(request), "import")
        result = apply_plan(actor, regime, period, plan)
    except (UserFacingError, PermissionDenied) as exc:
        return _refused(request, exc, 403 if isinstance(exc, PermissionDenied) else 400)
    uploads.discard(pending["token"])
    request.session[SESSION_KEY].pop(pending["token"], None)
    request.session.modified = True
    return render(request, "importing/done.html", {"result": result, "pending": pending})
