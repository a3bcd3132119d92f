"""The extraction pages: read a document, review the proposals, save them; and every bad input."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter

from lotrinh.access.models import Membership, Role
from lotrinh.extraction.services import ReviewError, save_reviewed_targets
from lotrinh.indicators.models import Baseline, Indicator, Programme, Target
from lotrinh.orgunits.models import OrgUnit, Tier

pytestmark = pytest.mark.django_db

# English pages, so that the assertions do not depend on the Vietnamese translation.
START = "/en/extract/"
SAVE = "/en/extract/save/"
DOCUMENT = """NGHỊ QUYẾT
Về chuyển đổi số tỉnh đến năm 2030

I. MỤC TIÊU ĐẾN NĂM 2025
- Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng đạt 90%.
- Kinh tế số chiếm tỷ trọng 20% GRDP của tỉnh.
- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt trên 80%.
"""


def _province() -> OrgUnit:
    return OrgUnit.objects.get(structure="2025", code="52", tier=Tier.PROVINCE)


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    return client


def _page(response: Any) -> str:
    return response.content.decode()


def _review(client: Any, text: str = DOCUMENT) -> Any:
    response = client.post(START, {"text": text})
    assert response.status_code == 200
    assert "formset" in response.context, _page(response)
    return response


def _save_data(review: Any, **programme: str) -> dict[str, Any]:
    """The review form as the browser would send it, unchanged, into a new programme."""
    formset = review.context["formset"]
    data: dict[str, Any] = {"review": review.context["token"]}
    data |= {f"t-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name, value in form.initial.items():
            if name == "accept":
                if value:
                    data[f"{form.prefix}-accept"] = "on"
            elif value is not None:
                data[f"{form.prefix}-{name}"] = str(value)
    data |= {
        "destination": "new",
        "code": "thu-nghiem-01-nq-tu",
        "number": "01-NQ/TU",
        "document_type": "resolution",
        "title": "Nghị quyết về chuyển đổi số",
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "issued_on": "2024-03-01",
        "province": str(_province().pk),
    }
    return data | programme


def test_every_step_needs_a_signed_in_user(client):
    response = client.get(START)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(SAVE, {}).status_code == 302


def test_the_first_step_offers_a_text_box_and_a_file(admin_client):
    page = _page(admin_client.get(START))
    assert (
        'name="text"' in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    )


def test_pasted_text_gives_a_review_page_with_every_proposal_highlighted(admin_client):
    page = _page(_review(admin_client))
    assert page.count('<tr id="row-') == 3
    for number in (1, 2, 3):
        assert f'id="src-{number}"' in page and f'href="#src-{number}"' in page
    assert "<mark" in page and "đạt 90%.</mark>" in page


def test_the_catalogue_match_is_preselected_and_a_new_indicator_is_offered(admin_client):
    review = _review(admin_client)
    paperwork = Indicator.objects.get(name="Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng")
    first = review.context["formset"].forms[0]
    assert first.initial["indicator"] == str(paperwork.pk)
    page = _page(review)
    assert f'<option value="{paperwork.pk}" selected>' in page
    assert "New indicator" in page


def test_rows_are_accepted_by_default_and_enter_cannot_submit_the_review(admin_client):
    review = _review(admin_client)
    assert all(form.initial["accept"] for form in review.context["formset"].forms)
    page = _page(review)
    first_button = page.index("<button", page.index('id="review-form"'))
    assert page[first_button:].startswith('<button type="submit" disabled hidden')


def test_saving_creates_the_programme_and_shows_its_page(admin_client):
    data = _save_data(_review(admin_client))
    del data["t-1-accept"]
    response = admin_client.post(SAVE, data)
    assert response.status_code == 302
    assert response["Location"] == "/en/programmes/thu-nghiem-01-nq-tu/"
    programme = Programme.objects.get(code="thu-nghiem-01-nq-tu")
    assert programme.target_set.count() == 2 and programme.org_unit == _province()
    page = _page(admin_client.get(response["Location"]))
    assert page.count('<tr id="target-') == 2 and page.count("<mark") == 2


def test_a_rejected_row_is_not_checked(admin_client):
    data = _save_data(_review(admin_client))
    del data["t-2-accept"]
    data["t-2-value"] = "not a number"
    assert admin_client.post(SAVE, data).status_code == 302
    assert Target.objects.filter(programme__code="thu-nghiem-01-nq-tu").count() == 2


def test_a_bad_accepted_row_shows_the_review_again_and_saves_nothing(admin_client):
    data = _save_data(_review(admin_client), **{"t-1-year": "3000"})
    response = admin_client.post(SAVE, data)
    assert response.status_code == 200
    page = _page(response)
    assert "has-errors" in page and "3000" in page
    assert not Programme.objects.filter(code="thu-nghiem-01-nq-tu").exists()


def test_a_source_text_changed_to_something_not_in_the_document_is_refused(admin_client):
    data = _save_data(_review(admin_client), **{"t-0-text": "Một câu bịa ra."})
    response = admin_client.post(SAVE, data)
    assert "This excerpt is not in the document." in _page(response)
    assert not Programme.objects.filter(code="thu-nghiem-01-nq-tu").exists()


def test_a_new_programme_needs_its_facts(admin_client):
    before = Programme.objects.count()
    data = _save_data(_review(admin_client), number="", code="Not A Slug")
    page = _page(admin_client.post(SAVE, data))
    assert page.count('class="field-error"') == 2
    assert Programme.objects.count() == before


def test_a_changed_review_field_is_refused(admin_client):
    data = _save_data(_review(admin_client))
    data["review"] = data["review"][:-3] + "abc"
    response = admin_client.post(SAVE, data)
    assert response.status_code == 400 and "changed or is too old" in _page(response)
    data = _save_data(_review(admin_client), **{"t-TOTAL_FORMS": "4"})
    assert admin_client.post(SAVE, data).status_code == 400


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REPORTER, Role.APPROVER])
def test_users_who_load_no_programmes_may_not_use_the_extractor(client, django_user_model, role):
    user = django_user_model.objects.create_user("xem", password="x")
    Membership.objects.create(user=user, org_unit=_province(), role=role)
    client.force_login(user)
    page = client.get(START)
    assert page.status_code == 403 and "programme officers and administrators" in _page(page)
    assert client.post(START, {"text": DOCUMENT}).status_code == 403
    assert client.post(SAVE, {}).status_code == 403


def test_an_officer_who_manages_no_province_is_told_so(client, django_user_model):
    officer = django_user_model.objects.create_user("xa", password="x")
    commune = OrgUnit.objects.filter(parent=_province(), tier=Tier.COMMUNE).first()
    Membership.objects.create(user=officer, org_unit=commune, role=Role.OFFICER)
    client.force_login(officer)
    review = _review(client)
    assert 'id="may-not-save"' in _page(review)
    data = _save_data(review)
    page = _page(client.post(SAVE, data))
    assert "Select a valid choice" in page  # the province is not offered to a commune's officer
    assert not Programme.objects.filter(code="thu-nghiem-01-nq-tu").exists()


def test_an_officer_saves_into_their_province(client, django_user_model):
    officer = django_user_model.objects.create_user("canbo", password="x")
    Membership.objects.create(user=officer, org_unit=_province(), role=Role.OFFICER)
    client.force_login(officer)
    review = _review(client)
    assert 'id="may-not-save"' not in _page(review)
    assert review.context["programme_form"].initial == {"province": str(_province().pk)}
    assert client.post(SAVE, _save_data(review)).status_code == 302


def test_saving_into_an_existing_programme_appends(admin_client):
    data = _save_data(_review(admin_client))
    del data["t-1-accept"], data["t-2-accept"]
    assert admin_client.post(SAVE, data).status_code == 302
    programme = Programme.objects.get(code="thu-nghiem-01-nq-tu")
    data = _save_data(_review(admin_client), destination="existing", existing=str(programme.pk))
    del data["t-0-accept"]
    assert admin_client.post(SAVE, data).status_code == 302
    assert programme.target_set.count() == 3
    again = admin_client.post(SAVE, data)
    assert again.status_code == 200 and "already in the programme" in _page(again)


def _upload(client: Any, name: str, data: bytes) -> str:
    response = client.post(START, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in {200, 413}
    return _page(response)


def test_nothing_given_is_explained(admin_client):
    assert "Paste the text of the document or choose a file." in _page(
        admin_client.post(START, {"text": "  "})
    )


def test_an_empty_file_is_explained(admin_client):
    assert "The file is empty." in _upload(admin_client, "nghi-quyet.txt", b"")


def test_a_binary_file_named_txt_is_explained(admin_client):
    page = _upload(admin_client, "nghi-quyet.txt", bytes(range(256)) * 40)
    assert "This file is not text (it contains binary data)." in page


def test_a_docx_that_is_another_zip_is_explained(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/a.txt", "not word")
    page = _upload(admin_client, "nghi-quyet.docx", buffer.getvalue())
    assert "This .docx file is not a Word document." in page


def test_a_scanned_pdf_says_that_ocr_is_needed(admin_client):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    page = _upload(admin_client, "scan.pdf", buffer.getvalue())
    assert "OCR" in page and "<form" in page


def test_a_request_declared_over_the_limit_is_refused_before_it_is_read(admin_client):
    response = admin_client.post(START, {"text": "x"}, CONTENT_LENGTH=str(22 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than the limit of 20 MB" in _page(response)


def test_a_text_file_just_over_its_limit_is_refused(admin_client):
    page = _upload(admin_client, "big.txt", b"a" * (2 * 1024 * 1024 + 1))
    assert "larger than the limit of 2 MB" in page


def test_text_in_another_language_gives_a_note_and_no_targets(admin_client):
    english = (
        "The province will raise the share of online public services to 90% by 2025 and "
        "bring broadband to every commune; the digital economy will reach 20% of GRDP. " * 3
    )
    response = admin_client.post(START, {"text": english})
    page = _page(response)
    assert "does not look like Vietnamese" in page and 'id="extraction-notes"' in page
    assert "formset" not in response.context


def test_a_document_without_targets_says_so(admin_client):
    text = "Nghị quyết này có hiệu lực kể từ ngày ký. Các sở, ngành tổ chức thực hiện."
    page = _page(admin_client.post(START, {"text": text}))
    assert "No quantitative targets were found" in page


def test_an_approver_is_told_which_role_extracting_needs(client, django_user_model):
    approver = django_user_model.objects.create_user("pheduyet", password="x")
    Membership.objects.create(user=approver, org_unit=_province(), role=Role.APPROVER)
    client.force_login(approver)
    with translation.override("en"):
        response = client.post(START, {"text": DOCUMENT}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Only programme officers and administrators may extract and load targets" in (
        _page(response)
    )


def test_an_officer_of_the_merged_province_may_save_into_its_predecessors_programme(
    client, django_user_model
):
    binh_dinh = Programme.objects.get(code="binh-dinh-05-nq-tu")  # legacy Bình Định → Gia Lai
    officer = django_user_model.objects.create_user("canbo_gl", password="x")
    Membership.objects.create(user=officer, org_unit=_province(), role=Role.OFFICER)
    client.force_login(officer)
    offered = dict(_review(client).context["programme_form"].fields["existing"].choices)
    assert str(binh_dinh.pk) in offered
    # Allowed: the only problem is that no target was accepted.
    with translation.override("en"), pytest.raises(ReviewError) as refused:
        save_reviewed_targets(officer, programme=binh_dinh, document_text="", rows=[])
    assert [p.message for p in refused.value.problems] == ["Accept at least one target."]


def test_saving_into_another_provinces_programme_is_refused_with_the_rule(django_user_model):
    bac_giang = Programme.objects.get(code="bac-giang-111-nq-tu")
    officer = django_user_model.objects.create_user("canbo_gl2", password="x")
    Membership.objects.create(user=officer, org_unit=_province(), role=Role.OFFICER)
    with translation.override("en"), pytest.raises(ReviewError) as refused:
        save_reviewed_targets(officer, programme=bac_giang, document_text="", rows=[])
    [problem] = refused.value.problems
    assert problem.message.startswith(
        "Only programme officers and administrators of Tỉnh Bắc Giang (or of the province it "
        "merged into) may save targets into its programmes."
    )


def test_rows_to_check_come_first_and_every_row_says_why(admin_client):
    text = DOCUMENT + "\nII. KHÁC\nTỷ lệ hộ gia đình có cáp quang đạt 95%.\n"
    page = _page(_review(admin_client, text))
    rows = [page.index(f'<tr id="row-{n}"') for n in (1, 2, 3, 4)]
    assert rows[3] < rows[0] < rows[1] < rows[2]  # the row without a year first, then in order
    assert page.count('<details class="why"') == 4
    assert page.count('<details class="why" open>') == 1
    assert "No deadline year was found: enter it." in page
    assert "Year 2025 from the heading or lead-in above: “I. MỤC TIÊU ĐẾN NĂM 2025”." in page


def test_a_past_figure_is_offered_and_saved_as_a_baseline(admin_client):
    text = (
        DOCUMENT
        + "\nIII. HIỆN TRẠNG\nNăm 2023, tỷ lệ hồ sơ công việc cấp tỉnh xử lý trên môi trường mạng đạt 61%.\n"
    )
    review = _review(admin_client, text)
    kinds = [form.initial["kind"] for form in review.context["formset"].forms]
    assert kinds == ["target", "target", "target", "baseline"]
    response = admin_client.post(SAVE, _save_data(review))
    assert response.status_code == 302, _page(response)
    programme = Programme.objects.get(code="thu-nghiem-01-nq-tu")
    assert programme.target_set.count() == 3
    (baseline,) = Baseline.objects.filter(programme=programme)
    assert (baseline.year, baseline.value, baseline.unit) == (2023, 61, "%")


def test_an_unmatched_indicator_is_proposed_as_a_catalogue_entry_with_its_direction(admin_client):
    """A name the catalogue does not know becomes a new entry — name, unit, pillar and which way
    is better — that the reviewer confirms; a ceiling ("không quá 3%") is better when lower."""
    text = (
        "NGHỊ QUYẾT\nVề chuyển đổi số tỉnh\n\nI. MỤC TIÊU ĐẾN NĂM 2029\n"
        "- Tỷ lệ sự cố mất an toàn thông tin của hệ thống nội bộ không quá 3%.\n"
    )
    review = _review(admin_client, text)
    (form,) = review.context["formset"].forms
    assert (form.initial["indicator"], form.initial["unit"], form.initial["direction"]) == (
        "", "%", "decrease",
    )  # fmt: skip
    assert '<option value="decrease" selected>Lower is better</option>' in _page(review)
    response = admin_client.post(SAVE, _save_data(review))
    assert response.status_code == 302
    indicator = Programme.objects.get(code="thu-nghiem-01-nq-tu").target_set.get().indicator
    assert (indicator.name, indicator.direction) == (form.initial["name"], "decrease")
