"""The programme's review page: the letterhead form, drafts made, downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lotrinh.access.permissions import (
    can_manage_programme,
    require_manage_programme,
    require_view_programme,
)
from lotrinh.core.client import client_address
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Programme
from lotrinh.reporting.services import Actor
from lotrinh.reviews.forms import ReviewForm
from lotrinh.reviews.models import DraftState, ReviewDocument
from lotrinh.reviews.services import documents_of, remembered_metadata, request_review

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def file_response(document: ReviewDocument) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=CONTENT_TYPES[document.format])
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("org_unit"), code=code)
    require_view_programme(request.user, programme.org_unit)
    may_generate = can_manage_programme(request.user, programme.org_unit)
    error = ""
    if request.method == "POST":
        require_manage_programme(request.user, programme.org_unit)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                document = request_review(
                    Actor(request.user, client_address(request), "web"),
                    programme,
                    form.cleaned_data["as_of_day"],
                    form.cleaned_data["format"],
                    form.cleaned_data,
                )
            except UserFacingError as refused:
                error = refused.bilingual()
            else:
                return redirect(f"{request.path}?made={document.pk}")
    else:
        initial = remembered_metadata(programme)
        initial |= {"as_of": timezone.localdate().strftime("%d/%m/%Y"), "format": "docx"}
        form = ReviewForm(initial=initial)
    documents = documents_of(request.user, programme)
    context = {
        "programme": programme,
        "form": form,
        "error": error,
        "may_generate": may_generate,
        "documents": documents,
        "made": request.GET.get("made", ""),
        "drafting": any(d.state == DraftState.PENDING for d in documents),
    }
    return render(
        request, "reviews/review_page.html", context, status=400 if form.errors or error else 200
    )


@login_required
def review_file(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    require_view_programme(request.user, programme.org_unit)
    return file_response(
        get_object_or_404(
            ReviewDocument, programme=programme, pk=document_id, state=DraftState.READY
        )
    )
