"""Review reports: remember a programme's letterhead, and draft the report for a cut-off.

`generate_review` is a plain function (permission, assessment as of the cut-off, content,
rendering, storage, audit) so that a background task can call it as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lotrinh.access.permissions import AnyUser, require_manage_programme, require_view_programme
from lotrinh.assessment.services import assessments_as_of, check_cutoffs
from lotrinh.core.audit import record
from lotrinh.core.errors import UserFacingError
from lotrinh.indicators.models import Programme
from lotrinh.orgunits.models import OrgUnit, Tier
from lotrinh.reporting.services import Actor
from lotrinh.reviews.content import build_review
from lotrinh.reviews.metadata import Metadata, parse_metadata
from lotrinh.reviews.models import DraftState, Format, ReviewDocument, ReviewSettings
from lotrinh.reviews.render_docx import render_docx
from lotrinh.reviews.render_pdf import render_pdf

RENDERERS = {Format.DOCX: render_docx, Format.PDF: render_pdf}


def _province_now(programme: Programme) -> OrgUnit:
    """The province that reviews the programme today: the one its legacy province merged into."""
    successor = OrgUnit.objects.filter(
        predecessor_links__predecessor=programme.org_unit, tier=Tier.PROVINCE
    ).first()
    return successor or programme.org_unit


def default_metadata(programme: Programme, layout: str | None = None) -> dict[str, str]:
    """A first letterhead from the programme: a party resolution ("…-NQ/TU") is reviewed by the
    provincial party committee, anything else by the provincial people's committee."""
    layout = layout or ("party" if programme.number.upper().endswith("/TU") else "state")
    province = _province_now(programme)
    name = province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    today = timezone.localdate()
    document = "Nghị quyết" if "NQ" in programme.number else "Quyết định"
    common = {
        "layout": layout,
        "number": "1",
        "place": name,
        "issued_on": today.strftime("%d/%m/%Y"),
        "title": f"Sơ kết việc thực hiện {document} số {programme.number}",
        "signer_name": "[Họ và tên]",
    }
    if layout == "party":
        return common | {
            "parent_body": "",
            "issuing_body": f"Tỉnh ủy {name}",
            "symbol": "BC/TU",
            "signer_authority": "T/M Ban Thường vụ",
            "signer_title": "Phó Bí thư Thường trực",
            "recipients": "Ban Thường vụ Tỉnh ủy\nCác sở, ban, ngành",
        }
    return common | {
        "parent_body": "",
        "issuing_body": f"Ủy ban nhân dân tỉnh {name}",
        "symbol": "BC-UBND",
        "signer_authority": "TM. Ủy ban nhân dân",
        "signer_title": "Chủ tịch",
        "recipients": f"Thường trực Tỉnh ủy {name}\nCác sở, ban, ngành",
    }


def remembered_metadata(programme: Programme) -> dict[str, str]:
    """The letterhead last saved for the programme, else the default one."""
    stored = ReviewSettings.objects.filter(programme=programme).first()
    if stored is None:
        return default_metadata(programme)
    found = {
        name: str(getattr(stored, name))
        for name in (
            "layout",
            "parent_body",
            "issuing_body",
            "number",
            "symbol",
            "place",
            "title",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
        )
    }
    found["issued_on"] = stored.issued_on.strftime("%d/%m/%Y")
    return found


def _audit(actor: Actor, action: str, programme_id: int, value: str) -> None:
    record(
        action,
        "programme",
        programme_id,
        user=actor.user,
        ip_address=actor.ip_address,
        channel=actor.channel,
        new=value,
    )


def save_metadata(actor: Actor, programme: Programme, raw: Mapping[str, object]) -> Metadata:
    """Check and remember the programme's letterhead (MetadataError names each bad field)."""
    require_manage_programme(actor.user, programme.org_unit)
    meta = parse_metadata(raw)
    values = meta.as_json()
    values["recipients"] = "\n".join(meta.recipients)
    values["issued_on"] = meta.issued_on
    with transaction.atomic():
        ReviewSettings.objects.update_or_create(
            programme=programme,
            defaults=values | {"updated_by_id": actor.user.pk},
        )
        _audit(actor, "review_settings_saved", programme.pk, f"{meta.number}/{meta.symbol}")
    return meta


def _checked(
    actor: Actor,
    programme: Programme,
    as_of: datetime.date,
    fmt: str,
    raw: Mapping[str, object] | None,
    language: str | None,
) -> ReviewDocument:
    """An unsaved draft record once everything asked for is usable; the letterhead given is
    remembered. Raises (bilingual, nothing generated) on a wrong letterhead, cut-off or format."""
    require_manage_programme(actor.user, programme.org_unit)
    if fmt not in RENDERERS:
        raise UserFacingError(_("The format must be docx or pdf, not “%(format)s”."), format=fmt)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise UserFacingError(
            _("The language must be vi or en, not “%(language)s”."), language=language
        )
    check_cutoffs([as_of], timezone.localdate())
    meta = (
        save_metadata(actor, programme, raw)
        if raw is not None
        else parse_metadata(remembered_metadata(programme))
    )
    return ReviewDocument(
        programme=programme,
        as_of=as_of,
        layout=meta.layout,
        format=fmt,
        language=language,
        metadata=meta.as_json(),
        created_by_id=actor.user.pk,
    )


def _draft(document: ReviewDocument, actor: Actor) -> ReviewDocument:
    """Write the draft's file from the assessments as of its cut-off, keep it ready and audit it."""
    meta = Metadata.from_json(document.metadata)
    assessments = assessments_as_of(document.programme, document.as_of)
    with translation.override(document.language):
        content = build_review(document.programme, document.as_of, meta, assessments)
        data = RENDERERS[Format(document.format)](content)
    with transaction.atomic():
        document.content, document.state = data, DraftState.READY
        document.save()
        value = f"{document.format} {document.as_of.isoformat()} {meta.layout}"
        _audit(actor, "review_generated", document.programme_id, value)
    return document


def generate_review(
    actor: Actor,
    programme: Programme,
    as_of: datetime.date,
    fmt: str,
    raw: Mapping[str, object] | None = None,
    *,
    language: str | None = None,
) -> ReviewDocument:
    """Draft the programme's review with figures up to `as_of` in DOCX or PDF, from the given
    letterhead (remembered) or the remembered one, keep it and return it. Nothing is generated
    when the letterhead or the cut-off is wrong."""
    return _draft(_checked(actor, programme, as_of, fmt, raw, language), actor)


def request_review(
    actor: Actor,
    programme: Programme,
    as_of: datetime.date,
    fmt: str,
    raw: Mapping[str, object] | None = None,
    *,
    language: str | None = None,
) -> ReviewDocument:
    """Check what is asked for now (a wrong letterhead is refused at once), keep a pending draft
    and let a background task write it: the page shows it as being drafted until it is ready."""
    from lotrinh.reviews.tasks import draft_review

    document = _checked(actor, programme, as_of, fmt, raw, language)
    with transaction.atomic():
        document.state = DraftState.PENDING
        document.save()
        # Queued in the draft's transaction: with the database backend both are kept or neither.
        assert document.created_by_id is not None  # a signed-in programme officer asked
        draft_review.enqueue(document.pk, document.created_by_id, actor.ip_address)
    return document


def draft_pending(document_id: int, user_id: int, ip_address: str | None) -> None:
    """Write a pending draft (what the background task runs)."""
    document = (
        ReviewDocument.objects.select_related("programme")
        .filter(pk=document_id, state=DraftState.PENDING)
        .first()
    )
    if document is None:
        return
    user = get_user_model().objects.get(pk=user_id)
    _draft(document, Actor(user, ip_address, "web"))


def mark_failed(document_id: int) -> None:
    ReviewDocument.objects.filter(pk=document_id, state=DraftState.PENDING).update(
        state=DraftState.FAILED
    )


def documents_of(user: AnyUser, programme: Programme) -> list[ReviewDocument]:
    """The drafts kept for a programme, newest first, without their bytes."""
    require_view_programme(user, programme.org_unit)
    return list(
        ReviewDocument.objects.filter(programme=programme)
        .defer("content")
        .select_related("created_by", "programme")[:50]
    )
