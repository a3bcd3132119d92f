"""Pages of target extraction: read a document, review the proposed targets, save them.

Step 1 (`document_upload`) reads pasted text or a file and answers with the review page; step 2
(`targets_save`) stores the accepted rows through `save_reviewed_targets` and redirects to the
programme's page. Nothing is kept on the server between the steps: the document travels in a signed
field. Every step needs a signed-in user; saving also needs the right to manage the province.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lotrinh.access.permissions import (
    AnyUser,
    can_manage_programme,
    memberships_of,
    require_manage_any_unit,
)
from lotrinh.core.concurrency import BusyError, heavy_request
from lotrinh.core.jobs import File, prepared_of, start
from lotrinh.core.models import PreparedState
from lotrinh.core.text import search_key
from lotrinh.extraction.documents import ExtractionError, check_size
from lotrinh.extraction.forms import (
    ProgrammeForm,
    ProposalFormSet,
    ReviewState,
    SourceForm,
    comparator_pair,
    proposal_initial,
    review_state,
    sign_review,
    unsign_review,
)
from lotrinh.extraction.limits import current_limits
from lotrinh.extraction.parsing import ExtractionResult, extract_document, match_indicator
from lotrinh.extraction.reasons import is_doubtful, reasons
from lotrinh.extraction.services import (
    NewProgramme,
    ReviewedRow,
    ReviewError,
    save_reviewed_targets,
)
from lotrinh.indicators.highlight import highlight
from lotrinh.indicators.models import Indicator, Pillar, Programme
from lotrinh.indicators.queries import list_programmes
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

PREFIX = "t"
# The form around an upload adds a few kilobytes; anything beyond this cannot be a valid file.
FORM_BYTES = 1024 * 1024


def _size_error(request: HttpRequest) -> str | None:
    """The message for a request whose declared size is over the limit, before its body is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    largest = current_limits().largest_upload
    if length <= largest + FORM_BYTES:
        return None
    try:
        check_size(length, largest)
    except ExtractionError as error:
        return error.bilingual()
    return None


def _render_source(
    request: HttpRequest,
    form: SourceForm,
    *,
    errors: list[str] | None = None,
    notes: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "errors": errors or [], "notes": notes or []}
    return render(request, "extraction/document_upload.html", context, status=status)


class _Catalogue:
    """The shared indicators, read once per request: select options and name matching."""

    def __init__(self) -> None:
        self.indicators = list(Indicator.objects.only("pk", "name", "aliases", "pillar"))
        self.by_pk = {str(indicator.pk): indicator for indicator in self.indicators}
        # Matching compares diacritic-free keys; folding the catalogue once here (rather than
        # for every proposal) gives the same result and makes a long document's review fast.
        self.names = [
            (search_key(indicator.name), [search_key(alias) for alias in indicator.aliases])
            for indicator in self.indicators
        ]

    def choices(self) -> list[Any]:
        groups: list[Any] = []
        for pillar, label in Pillar.choices:
            options = [(str(i.pk), i.name) for i in self.indicators if i.pillar == pillar]
            if options:
                groups.append((label, sorted(options, key=lambda option: option[1])))
        return groups

    def match(self, name: str) -> int | None:
        index = match_indicator(search_key(name), self.names)
        return None if index is None else self.indicators[index].pk


def _destinations(user: AnyUser) -> tuple[list[tuple[str, str]], list[OrgUnit]]:
    """(programme choices, provinces) the user may save into: current provinces first."""
    programmes = [
        (str(p.pk), f"{p.number} — {p.title[:80]} ({p.org_unit.name})")
        for p in list_programmes()
        if can_manage_programme(user, p.org_unit)
    ]
    provinces = [
        unit
        for unit in OrgUnit.objects.filter(tier=Tier.PROVINCE).order_by("structure", "name")
        if can_manage_programme(user, unit)
    ]
    return programmes, provinces


def _programme_form(request: HttpRequest, data: Any = None) -> ProgrammeForm:
    programmes, provinces = _destinations(request.user)
    choices = [
        (
            str(unit.pk),
            unit.name
            if unit.structure == Structure.CURRENT
            else f"{unit.name} ({_('until 30/06/2025')})",
        )
        for unit in provinces
    ]
    # A province's officer also keeps the programmes of the provinces merged into it; a new
    # resolution is most likely their own province's, so it is chosen first.
    current = [unit for unit in provinces if unit.structure == Structure.CURRENT]
    initial = {"province": str(current[0].pk)} if len(current) == 1 else {}
    return ProgrammeForm(
        data, programme_choices=programmes, province_choices=choices, initial=initial
    )


def _render_review(
    request: HttpRequest,
    token: str,
    state: ReviewState,
    formset: Any,
    programme_form: ProgrammeForm,
    *,
    errors: list[str] | None = None,
    notes: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    spans = [(p["start"], p["end"], str(n)) for n, p in enumerate(state.proposals, start=1)]
    rows = []
    for n, (form, proposal) in enumerate(zip(formset.forms, state.proposals, strict=True), 1):
        shown = {name: form[name].value() for name in ("year", "level", "text")}
        rows.append(
            {
                "number": n,
                "form": form,
                "proposal": proposal,
                "reasons": reasons(proposal, shown, state.document),
                "doubtful": is_doubtful(proposal, shown),
            }
        )
    # The rows a reviewer should check come first; the numbers keep the document's order.
    rows.sort(key=lambda row: (not row["doubtful"], row["number"]))
    context = {
        "token": token,
        "formset": formset,
        "rows": rows,
        "segments": highlight(state.document, spans),
        "programme_form": programme_form,
        "errors": errors or [],
        "notes": notes or [],
    }
    if not programme_form.has_destinations:  # say why saving is refused, and what the user is
        context["roles"] = [
            f"{m.get_role_display()}: {m.org_unit.name}" for m in memberships_of(request.user)
        ]
    return render(request, "extraction/review.html", context, status=status)


def _review_start(result: ExtractionResult, catalogue: _Catalogue) -> dict[str, Any]:
    """What the review page starts from: the signed state, each row's first values and the
    notes (JSON, so that a document read in the background is shown the same way)."""
    # Past figures are offered as baselines beside the targets, in the document's order.
    proposals = sorted([*result.targets, *result.baselines], key=lambda found: found.start)
    initial = [proposal_initial(t, catalogue.match(t.indicator)) for t in proposals]
    return {
        "token": sign_review(review_state(result.document, proposals)),
        "initial": [
            {**row, "value": str(row["value"]), "value_max": _text(row["value_max"])}
            for row in initial
        ],
        "notes": [str(note) for note in result.notes],
        "has_targets": bool(result.targets),
    }


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _render_started(
    request: HttpRequest, start: dict[str, Any], form: SourceForm | None = None
) -> HttpResponse:
    """The review page of `_review_start`'s data; the source form with the notes when the
    document proposed no target, or with the error when it could not be read."""
    if start.get("error"):
        return _render_source(request, form or SourceForm(), errors=[start["error"]], status=400)
    if not start["has_targets"]:
        return _render_source(request, form or SourceForm(), notes=start["notes"])
    state = unsign_review(start["token"])
    if state is None:  # kept longer than a review may last
        return redirect("extraction:document-upload")
    initial = [
        {
            **row,
            "value": Decimal(row["value"]),
            "value_max": Decimal(row["value_max"]) if row["value_max"] else None,
        }
        for row in start["initial"]
    ]
    formset = ProposalFormSet(
        initial=initial, prefix=PREFIX, form_kwargs={"indicator_choices": _Catalogue().choices()}
    )
    return _render_review(
        request, start["token"], state, formset, _programme_form(request), notes=start["notes"]
    )


def review_start_file(user: AnyUser, arguments: dict[str, Any]) -> File:
    """Read a long document off the request (a producer of lotrinh.core.jobs): the review's
    start as JSON, shown by `prepared_review` once ready."""
    require_manage_any_unit(user)
    try:
        result = extract_document(arguments["document"], current_limits())
    except ExtractionError as error:
        start: dict[str, Any] = {"error": error.bilingual()}
    else:
        start = _review_start(result, _Catalogue())
    return File("review.json", "application/json", json.dumps(start).encode("utf-8"))


@login_required
def prepared_review(request: HttpRequest, prepared_id: int) -> HttpResponse:
    """The review page of a document read in the background (its user's only)."""
    require_manage_any_unit(request.user)
    prepared = prepared_of(request.user, prepared_id)
    if prepared.state != PreparedState.READY:
        return redirect("core:prepared-file", prepared.pk)
    return _render_started(request, json.loads(bytes(prepared.content)))


@csrf_exempt  # the CSRF check reads the whole body; the size is checked first, then CSRF (below)
@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the document form; on POST, the review page of the proposed targets."""
    require_manage_any_unit(request.user)
    size_error = _size_error(request) if request.method == "POST" else None
    if size_error:
        return _render_source(request, SourceForm(), errors=[size_error], status=413)
    if request.method != "POST":
        return _render_source(request, SourceForm())
    limits = current_limits()
    try:
        # Reading and extracting are the heavy part: one at a time per user.
        with heavy_request(request.user.pk, hold_seconds=2 * int(limits.seconds) + 30):
            answer = _document_upload(request)
        if isinstance(answer, _LongDocument):  # read by the worker, which holds the slot
            prepared = start(
                request.user,
                review_start_file,
                {"document": answer.document},
                _("Reading the document"),
                opens="extraction:prepared-review",
            )
            return redirect("core:prepared-file", prepared.pk)
        return answer
    except BusyError as error:
        return _render_source(request, SourceForm(), errors=[error.bilingual()], status=429)


class _LongDocument(HttpResponse):
    """Not sent: tells `document_upload` to have a document longer than
    LOTRINH_BACKGROUND_CHARACTERS read in the background, once the request's slot is free."""

    def __init__(self, document: str) -> None:
        super().__init__(status=202)
        self.document = document


@csrf_protect
def _document_upload(request: HttpRequest) -> HttpResponse:
    """The review page, or a `_LongDocument`."""
    try:
        form = SourceForm(request.POST, request.FILES)
        is_valid = form.is_valid()
    except (RequestDataTooBig, TooManyFieldsSent):
        message = _("The pasted text is too long for this form. Upload it as a file instead.")
        return _render_source(request, SourceForm(), errors=[message], status=413)
    if not is_valid:
        return _render_source(request, form)
    document: str = form.cleaned_data["document"]
    if len(document) > settings.LOTRINH_BACKGROUND_CHARACTERS:
        return _LongDocument(document)
    try:
        result = extract_document(document, current_limits())
    except ExtractionError as error:
        return _render_source(request, form, errors=[error.bilingual()], status=400)
    return _render_started(request, _review_start(result, _Catalogue()), form)


def _reviewed_rows(
    formset: Any, state: ReviewState, catalogue: _Catalogue
) -> tuple[list[ReviewedRow], list[int]]:
    """The accepted rows for the service, and the form index of each."""
    rows: list[ReviewedRow] = []
    positions: list[int] = []
    for index, (form, proposal) in enumerate(zip(formset.forms, state.proposals, strict=True)):
        if not form.is_accepted():
            continue
        data = form.cleaned_data
        comparator, strict = comparator_pair(data["comparator"])
        year_source = proposal["year_source"]
        if data["year"] is None:
            year_source = "none"
        elif year_source == "none":
            year_source = "explicit"  # the reviewer gave the year
        rows.append(
            ReviewedRow(
                indicator=catalogue.by_pk.get(data["indicator"] or ""),
                indicator_name=data["name"],
                pillar=data["pillar"],
                level=data["level"] or "",
                year=data["year"],
                comparator=comparator,
                strict=strict,
                value=data["value"],
                value_max=data["value_max"],
                unit=data["unit"],
                text=data["text"],
                rank_total=proposal["rank_total"],
                period=proposal["period"],
                year_source=year_source,
                is_baseline=data["kind"] == "baseline",
                direction=data["direction"],
            )
        )
        positions.append(index)
    return rows, positions


_FORM_FIELDS = {"indicator_name": "name", "strict": "comparator"}


def _destination(
    programme_form: ProgrammeForm,
) -> NewProgramme | Programme:
    data = programme_form.cleaned_data
    if data["destination"] == "existing":
        return Programme.objects.select_related("org_unit").get(pk=data["existing"])
    return NewProgramme(
        code=data["code"],
        number=data["number"],
        title=data["title"],
        document_type=data["document_type"],
        issuer=data["issuer"],
        issued_on=data["issued_on"],
        province=OrgUnit.objects.get(pk=data["province"]),
    )


def _show_problems(
    error: ReviewError, formset: Any, positions: list[int], programme_form: ProgrammeForm
) -> list[str]:
    """Put each problem beside its field; return those that belong to no field."""
    general: list[str] = []
    for problem in error.problems:
        if problem.row is None:
            if problem.field in programme_form.fields:
                programme_form.add_error(problem.field, problem.message)
            else:
                general.append(problem.message)
            continue
        form = formset.forms[positions[problem.row]]
        field = _FORM_FIELDS.get(problem.field, problem.field)
        form.add_error(field if field in form.fields else None, problem.message)
    return general


@login_required
@require_POST
def targets_save(request: HttpRequest) -> HttpResponse:
    """Step 2: save the accepted rows, then show the programme; on a problem, the review again."""
    require_manage_any_unit(request.user)
    token = request.POST.get("review", "")
    state = unsign_review(token)
    catalogue = _Catalogue()
    formset = ProposalFormSet(
        request.POST, prefix=PREFIX, form_kwargs={"indicator_choices": catalogue.choices()}
    )
    if state is None or formset.total_form_count() != len(state.proposals):
        message = _("This review was changed or is too old. Please read the document again.")
        return _render_source(request, SourceForm(), errors=[message], status=400)
    programme_form = _programme_form(request, request.POST)
    if not (formset.is_valid() and programme_form.is_valid()):
        return _render_review(request, token, state, formset, programme_form)
    rows, positions = _reviewed_rows(formset, state, catalogue)
    try:
        saved = save_reviewed_targets(
            request.user,
            programme=_destination(programme_form),
            document_text=state.document,
            rows=rows,
        )
    except ReviewError as error:
        general = _show_problems(error, formset, positions, programme_form)
        errors = [error.text(get_language() or "vi"), *general]
        return _render_review(request, token, state, formset, programme_form, errors=errors)
    return redirect("indicators:programme-detail", code=saved.programme.code)
