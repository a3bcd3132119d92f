"""Review reports (sơ kết / tổng kết) of a programme: list the drafts, make one, download one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router

from lotrinh.access.permissions import require_view_programme
from lotrinh.api.auth import api_auth, principal_of
from lotrinh.api.idempotency import run_idempotent
from lotrinh.api.routers.reporting import IdempotencyKey
from lotrinh.api.schemas.reviews import ReviewIn, ReviewOut
from lotrinh.indicators.models import Programme
from lotrinh.reporting.services import Actor
from lotrinh.reviews.models import ReviewDocument
from lotrinh.reviews.services import documents_of, generate_review
from lotrinh.reviews.views import file_response

router = Router(tags=["reviews"], auth=api_auth)
ONE = "/programmes/{code}/reviews/{document_id}/file"


def _out(document: ReviewDocument) -> ReviewOut:
    return ReviewOut(
        id=document.pk,
        as_of=document.as_of,
        layout=document.layout,
        format=document.format,
        language=document.language,
        created_at=document.created_at,
        created_by=document.created_by.get_username() if document.created_by else "",
        size=len(document.content) if "content" in document.__dict__ else 0,
        download=f"/api/v1/programmes/{document.programme.code}/reviews/{document.pk}/file",
    )


@router.get("/programmes/{code}/reviews", response=list[ReviewOut], operation_id="reviews_list")
def reviews_list(request: HttpRequest, code: str) -> list[ReviewOut]:
    """The drafts kept for the programme, newest first (at most 50)."""
    programme = get_object_or_404(Programme, code=code)
    return [_out(d) for d in documents_of(principal_of(request).user, programme)]


@router.post("/programmes/{code}/reviews", response={200: ReviewOut}, operation_id="reviews_create")
def reviews_create(
    request: HttpRequest, code: str, body: ReviewIn, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """Draft the review with figures up to `as_of` (programme officers). A letterhead that cannot
    be used (a number "abc", a date 31/02, no signer) answers 400 in both languages and nothing
    is made."""
    programme = get_object_or_404(Programme, code=code)

    def operation() -> ReviewOut:
        actor = Actor(principal_of(request).user, channel="api")
        document = generate_review(
            actor, programme, body.as_of, body.format, body.metadata, language=body.language
        )
        return _out(document)

    return run_idempotent(request, principal_of(request), operation)


@router.get(ONE, operation_id="reviews_file")
def reviews_file(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    """The draft's file (DOCX or PDF)."""
    programme = get_object_or_404(Programme, code=code)
    require_view_programme(principal_of(request).user, programme.org_unit)
    return file_response(get_object_or_404(ReviewDocument, programme=programme, pk=document_id))
