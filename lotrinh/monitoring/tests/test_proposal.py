"""From plan to form: the pure proposal of what a regime's form must gain."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotrinh.core.errors import UserFacingError
from lotrinh.monitoring.proposal import Element, Form, Wanted, propose

QUARTERLY = Form(
    "cds-dinh-ky-quy",
    "Báo cáo định kỳ",
    "quarterly",
    ("agency", "district", "commune"),
    ("tong_ho_so", "ho_so_dien_tu"),
    ("ho_so_dien_tu <= tong_ho_so",),
)
ANNUAL = Form("cds-thong-ke-nam", "Thống kê năm", "annual", ("province",), ("grdp",), ())
FORMS = (QUARTERLY, ANNUAL)
THON = Element("so_thon_wifi", "Số thôn có wifi")
TONG_THON = Element("tong_so_thon", "Tổng số thôn")
HE_THONG = Element("so_he_thong", "Số hệ thống thông tin")


def ratio(code="thon-wifi", how="commune", frequency="quarterly", num=THON, den=TONG_THON):
    return Wanted(code, code, how, frequency, numerator=num, denominator=den)


def direct(code="he-thong", how="agency", frequency="quarterly", element=HE_THONG):
    return Wanted(code, code, how, frequency, reported_as=element)


def test_a_ratio_becomes_its_numerator_and_denominator_with_the_rule_between_them():
    proposal = propose([ratio()], FORMS)
    (change,) = proposal.changes
    assert change.form is QUARTERLY
    assert [f.element.code for f in change.added] == ["so_thon_wifi", "tong_so_thon"]
    assert [r.expression for r in change.rules] == ["so_thon_wifi <= tong_so_thon"]
    assert change.rules[0].message_vi == "“Số thôn có wifi” không được lớn hơn “Tổng số thôn”."
    # Only communes report them: the departments and districts on the same form do not see them.
    assert [f.tiers for f in change.added] == [("commune",)] * 2
    (source,) = proposal.sources
    assert (source.kind, source.regime_code, source.tiers) == (
        "reported",
        "cds-dinh-ky-quy",
        ("commune",),
    )


def test_a_direct_figure_is_one_field_and_no_rule():
    (change,) = propose([direct()], FORMS).changes
    assert [f.element.code for f in change.added] == ["so_he_thong"]
    assert change.rules == []


def test_a_published_figure_changes_no_form():
    proposal = propose([Wanted("dti", "DTI", "published", "annual")], FORMS)
    assert proposal.changes == []
    assert [(s.indicator_code, s.kind, s.regime_code) for s in proposal.sources] == [
        ("dti", "published", "")
    ]


def test_fields_and_rules_already_on_the_form_are_unchanged():
    wanted = ratio(num=Element("ho_so_dien_tu", "a"), den=Element("tong_ho_so", "b"))
    (change,) = propose([wanted], FORMS).changes
    assert change.added == [] and change.rules == []
    assert change.unchanged == ["ho_so_dien_tu", "tong_ho_so"]
    assert not change.changes_anything


def test_an_element_two_targets_share_is_added_once_for_both_tiers():
    shared = [ratio(how="commune"), ratio(code="thon-wifi-2", how="district")]
    (change,) = propose(shared, FORMS).changes
    assert [f.element.code for f in change.added] == ["so_thon_wifi", "tong_so_thon"]
    assert change.added[0].tiers == ("district", "commune")
    assert change.added[0].for_indicators == ("thon-wifi", "thon-wifi-2")
    assert len(change.rules) == 1


def test_a_province_figure_goes_to_the_annual_regime():
    (change,) = propose([direct(how="province", frequency="annual")], FORMS).changes
    assert change.form is ANNUAL
    assert change.added[0].tiers == ()  # every tier of that regime reports it: no tier named


def test_an_annual_figure_of_departments_rides_on_the_quarterly_regime():
    (change,) = propose([direct(frequency="annual")], FORMS).changes
    assert change.form is QUARTERLY


@pytest.mark.parametrize(
    ("wanted", "words"),
    [
        (direct(frequency="monthly"), "Monthly"),
        (direct(how="province", frequency="quarterly"), "The province"),
        (direct(how="ward"), "ward"),
        (direct(frequency="weekly"), "weekly"),
        (Wanted("x", "Chỉ số X", "commune", "quarterly"), "Chỉ số X"),
    ],
)
def test_what_cannot_be_collected_is_refused_in_both_languages(wanted, words):
    with pytest.raises(UserFacingError) as refused:
        propose([wanted], FORMS)
    assert words in refused.value.text("en")
    assert refused.value.text("vi") != refused.value.text("en")


_elements = st.sampled_from(
    [THON, TONG_THON, HE_THONG, Element("tong_ho_so", "b"), Element("ho_so_dien_tu", "a")]
)
_wanted = st.one_of(
    st.builds(
        ratio,
        how=st.sampled_from(["commune", "district", "agency"]),
        num=_elements,
        den=_elements,
    ),
    st.builds(direct, how=st.sampled_from(["commune", "agency"]), element=_elements),
)


@given(st.lists(_wanted, max_size=6))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_rule_reads_fields_the_form_will_have_and_nothing_is_added_twice(wanted):
    for change in propose(wanted, FORMS).changes:
        added = [f.element.code for f in change.added]
        assert len(added) == len(set(added))
        assert not set(added) & set(change.form.field_codes)
        for rule in change.rules:
            names = set(rule.expression.split(" <= "))
            assert names <= set(added) | set(change.form.field_codes)


def test_a_field_on_the_form_for_other_tiers_only_is_refused_for_this_one():
    departments_only = Form(
        "cds-dinh-ky-quy",
        "Báo cáo định kỳ",
        "quarterly",
        ("agency", "district", "commune"),
        ("so_he_thong",),
        (),
        {"so_he_thong": ("agency",)},
    )
    with pytest.raises(UserFacingError) as refused:
        propose([direct(how="commune")], [departments_only])
    assert refused.value.text("en") == (
        "“so_he_thong” is on the form of “Báo cáo định kỳ” for other units only (agency), not "
        "for Communes: “he-thong” cannot be collected from them this way."
    )
    (change,) = propose([direct(how="agency")], [departments_only]).changes
    assert change.unchanged == ["so_he_thong"] and change.added == []
