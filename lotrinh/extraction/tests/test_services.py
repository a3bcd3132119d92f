"""Saving reviewed targets: permission, validation of every row, one transaction."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from lotrinh.access.models import Membership, Role
from lotrinh.core.models import AuditEvent
from lotrinh.extraction.services import (
    NewProgramme,
    ReviewedRow,
    ReviewError,
    save_reviewed_targets,
)
from lotrinh.indicators.models import Indicator, Programme, Target
from lotrinh.orgunits.models import OrgUnit, Tier

pytestmark = pytest.mark.django_db

DOCUMENT = """NGHỊ QUYẾT
Về chuyển đổi số tỉnh đến năm 2030

I. MỤC TIÊU ĐẾN NĂM 2025
- Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng đạt 90%.
- Kinh tế số chiếm tỷ trọng 20% GRDP của tỉnh.
- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt trên 80%.
"""
PAPERWORK = "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng"


def _province(structure: str = "2025", code: str = "52") -> OrgUnit:
    return OrgUnit.objects.get(structure=structure, code=code, tier=Tier.PROVINCE)


def _new(code: str = "thu-nghiem-01-nq-tu", **changes: object) -> NewProgramme:
    fields: dict[str, object] = {
        "code": code,
        "number": "01-NQ/TU",
        "title": "Nghị quyết về chuyển đổi số",
        "document_type": "resolution",
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "issued_on": datetime.date(2024, 3, 1),
        "province": _province(),
    }
    return NewProgramme(**(fields | changes))  # type: ignore[arg-type]


def _row(**changes: object) -> ReviewedRow:
    fields: dict[str, object] = {
        "indicator": Indicator.objects.get(name=PAPERWORK),
        "indicator_name": "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng",
        "pillar": "government",
        "level": "tỉnh",
        "year": 2025,
        "comparator": "=",
        "strict": False,
        "value": Decimal("90"),
        "value_max": None,
        "unit": "%",
        "text": "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng đạt 90%.",
        "year_source": "section",
    }
    return ReviewedRow(**(fields | changes))  # type: ignore[arg-type]


def _economy_row(**changes: object) -> ReviewedRow:
    return _row(
        indicator=None,
        indicator_name="Tỷ trọng kinh tế số trong GRDP của tỉnh (thử nghiệm)",
        pillar="economy",
        level="",
        value=Decimal("20"),
        unit="%GRDP",
        text="Kinh tế số chiếm tỷ trọng 20% GRDP của tỉnh.",
        **changes,
    )


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("quantri", password="x")


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("canbo", password="x")
    Membership.objects.create(user=user, org_unit=_province(), role=Role.OFFICER)
    return user


def _counts() -> tuple[int, int, int, int]:
    return (
        Programme.objects.count(),
        Target.objects.count(),
        Indicator.objects.count(),
        AuditEvent.objects.count(),
    )


def test_saving_into_a_new_programme_creates_it_with_located_targets(officer):
    saved = save_reviewed_targets(
        officer, programme=_new(), document_text=DOCUMENT, rows=[_row(), _economy_row()]
    )
    programme = Programme.objects.get(code="thu-nghiem-01-nq-tu")
    assert saved.created and saved.targets == 2 and saved.programme == programme
    assert programme.org_unit == _province() and programme.document_text == DOCUMENT
    targets = list(programme.target_set.order_by("source_line"))
    assert [t.source_line for t in targets] == [1, 2]
    for target in targets:
        assert DOCUMENT[target.text_start : target.text_end] == target.text
    assert targets[0].indicator.name == PAPERWORK and targets[0].level == "tỉnh"
    assert AuditEvent.objects.filter(
        action="targets_extracted", target_type="programme", target_id=programme.pk
    ).exists()


def test_a_row_marked_new_creates_one_indicator_and_a_second_row_reuses_it(admin):
    rows = [_economy_row(), _economy_row(year=2030)]
    before = Indicator.objects.count()
    saved = save_reviewed_targets(admin, programme=_new(), document_text=DOCUMENT, rows=rows)
    assert saved.new_indicators == 1 and Indicator.objects.count() == before + 1
    indicator = Indicator.objects.get(name="Tỷ trọng kinh tế số trong GRDP của tỉnh (thử nghiệm)")
    assert (indicator.pillar, indicator.unit_kind, indicator.unit) == (
        "economy",
        "grdp_share",
        "%GRDP",
    )
    assert set(
        Target.objects.filter(programme=saved.programme).values_list("indicator", flat=True)
    ) == {indicator.pk}


def test_a_new_indicator_takes_the_direction_the_reviewer_confirmed(admin):
    row = _row(
        indicator=None,
        indicator_name="Tỷ lệ hộ nghèo theo chuẩn đa chiều (thử nghiệm)",
        pillar="economy",
        level="",
        comparator="<=",
        direction="decrease",
    )
    save_reviewed_targets(admin, programme=_new(), document_text=DOCUMENT, rows=[row])
    indicator = Indicator.objects.get(name="Tỷ lệ hộ nghèo theo chuẩn đa chiều (thử nghiệm)")
    assert (indicator.direction, indicator.pillar, indicator.unit) == ("decrease", "economy", "%")


def test_a_new_indicator_named_like_a_catalogue_one_reuses_it(admin):
    before = Indicator.objects.count()
    row = _row(indicator=None, indicator_name=PAPERWORK.upper())
    saved = save_reviewed_targets(admin, programme=_new(), document_text=DOCUMENT, rows=[row])
    assert saved.new_indicators == 0 and Indicator.objects.count() == before
    assert saved.programme.target_set.get().indicator.name == PAPERWORK


def test_a_user_who_does_not_manage_the_province_saves_nothing(django_user_model):
    stranger = django_user_model.objects.create_user("nguoila", password="x")
    Membership.objects.create(user=stranger, org_unit=_province("2025", "01"), role=Role.OFFICER)
    before = _counts()
    with pytest.raises(ReviewError) as raised:
        save_reviewed_targets(stranger, programme=_new(), document_text=DOCUMENT, rows=[_row()])
    assert "Gia Lai" in raised.value.problems[0].message
    assert _counts() == before


def test_a_reporter_of_the_province_may_not_save(django_user_model):
    reporter = django_user_model.objects.create_user("baocao", password="x")
    Membership.objects.create(user=reporter, org_unit=_province(), role=Role.REPORTER)
    with pytest.raises(ReviewError):
        save_reviewed_targets(reporter, programme=_new(), document_text=DOCUMENT, rows=[_row()])


def test_one_bad_row_saves_nothing_and_every_problem_is_named(officer):
    rows = [
        _row(),
        _economy_row(year=2200),
        _row(comparator=">"),
        _row(value=Decimal("5"), value_max=Decimal("2")),
        _row(text="Câu này không có trong văn bản."),
        _row(pillar="space", unit=" "),
        _row(value=Decimal("1e12")),
        _row(value=Decimal("1.23456")),
        _economy_row(direction="sideways"),
    ]
    before = _counts()
    with pytest.raises(ReviewError) as raised:
        save_reviewed_targets(officer, programme=_new(), document_text=DOCUMENT, rows=rows)
    found = {(p.row, p.field) for p in raised.value.problems}
    assert found == {
        (1, "year"),
        (2, "comparator"),
        (3, "value_max"),
        (4, "text"),
        (5, "pillar"),
        (5, "unit"),
        (6, "value"),
        (7, "value"),
        (8, "direction"),
    }
    assert _counts() == before


def test_a_bad_new_programme_is_refused_field_by_field(admin):
    existing = Programme.objects.get(code="binh-dinh-05-nq-tu")
    bad = _new(
        code=existing.code,
        number="",
        document_type="memo",
        province=existing.org_unit.children.first(),
    )
    with pytest.raises(ReviewError) as raised:
        save_reviewed_targets(admin, programme=bad, document_text=DOCUMENT, rows=[_row()])
    found = {(p.row, p.field) for p in raised.value.problems}
    assert found == {(None, "code"), (None, "number"), (None, "document_type"), (None, "province")}


def test_nothing_accepted_is_refused(admin):
    with pytest.raises(ReviewError):
        save_reviewed_targets(admin, programme=_new(), document_text=DOCUMENT, rows=[])
    assert not Programme.objects.filter(code="thu-nghiem-01-nq-tu").exists()


def test_appending_to_an_existing_programme_locates_rows_in_its_own_document(admin):
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    count = programme.target_set.count()
    last = max(programme.target_set.values_list("source_line", flat=True))
    sample = programme.target_set.order_by("source_line").first()
    assert sample is not None
    row = _row(text=sample.text, year=2035, value=Decimal("99"))
    saved = save_reviewed_targets(
        admin, programme=programme, document_text="văn bản khác", rows=[row]
    )
    assert not saved.created and programme.target_set.count() == count + 1
    added = programme.target_set.get(source_line=last + 1)
    assert (added.text_start, added.text_end) == (sample.text_start, sample.text_end)
    programme.refresh_from_db()
    assert "văn bản khác" not in programme.document_text


def test_a_row_not_in_the_existing_programmes_document_is_refused(admin):
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    with pytest.raises(ReviewError) as raised:
        save_reviewed_targets(admin, programme=programme, document_text=DOCUMENT, rows=[_row()])
    assert [(p.row, p.field) for p in raised.value.problems] == [(0, "text")]


def test_a_target_already_in_the_programme_is_not_added_twice(admin):
    programme = Programme.objects.get(code="binh-dinh-05-nq-tu")
    sample = programme.target_set.order_by("source_line").first()
    assert sample is not None
    row = _row(
        text=sample.text,
        level=sample.level,
        year=sample.year,
        value=sample.value,
        value_max=sample.value_max,
        unit=sample.unit,
    )
    with translation.override("en"), pytest.raises(ReviewError) as raised:
        save_reviewed_targets(admin, programme=programme, document_text="", rows=[row])
    assert "already" in raised.value.problems[0].message


def test_rows_from_the_same_review_keep_their_unchanged_fields(admin):
    row = dataclasses.replace(
        _row(), period="annual", rank_total=None, year=None, year_source="none"
    )
    saved = save_reviewed_targets(admin, programme=_new(), document_text=DOCUMENT, rows=[row])
    target = saved.programme.target_set.get()
    assert (target.period, target.year, target.year_source) == ("annual", None, "none")
