"""The five sample programmes load completely and exactly as reviewed."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from lotrinh.core.text import collapse_whitespace, nfc
from lotrinh.indicators.models import Baseline, Indicator, Programme, Target
from lotrinh.indicators.services import SAMPLE_DIR, load_sample_programmes
from lotrinh.orgunits.models import Structure

pytestmark = pytest.mark.django_db

PROGRAMMES = SAMPLE_DIR / "programmes"
CODES = {
    "binh-dinh.txt": "binh-dinh-05-nq-tu",
    "ben-tre.txt": "ben-tre-01-nq-tu",
    "hoa-binh.txt": "hoa-binh-08-nq-tu",
    "phu-yen.txt": "phu-yen-1728-qd-ubnd",
    "bac-giang.txt": "bac-giang-111-nq-tu",
}


def seed_records(pattern: str) -> list[tuple[str, int, dict]]:
    records = []
    for path in sorted(Path(PROGRAMMES).glob(pattern)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                records.append((path.name, number, json.loads(line)))
    return records


def test_five_programmes_with_142_targets_and_20_baselines_are_loaded():
    assert Programme.objects.count() == 5
    assert Target.objects.count() == 142
    assert Baseline.objects.count() == 20


def test_each_programme_belongs_to_its_legacy_province():
    owners = dict(Programme.objects.values_list("code", "org_unit__short_name"))
    assert owners == {
        "binh-dinh-05-nq-tu": "Bình Định",
        "ben-tre-01-nq-tu": "Bến Tre",
        "hoa-binh-08-nq-tu": "Hòa Bình",
        "phu-yen-1728-qd-ubnd": "Phú Yên",
        "bac-giang-111-nq-tu": "Bắc Giang",
    }
    assert set(Programme.objects.values_list("org_unit__structure", flat=True)) == {
        Structure.LEGACY
    }


@pytest.mark.parametrize(
    ("file", "line", "record"),
    seed_records("*.targets.jsonl"),
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_reviewed_target_is_stored_unaltered(file, line, record):
    target = Target.objects.select_related("programme").get(
        programme__code=CODES[record["doc"]], source_line=line
    )
    assert target.value == Decimal(str(record["value"]))
    assert target.value_max == (
        Decimal(str(record["value_max"])) if "value_max" in record else None
    )
    assert target.year == record["year"]
    assert target.level == (record["level"] or "")
    assert target.comparator == record["comparator"]
    assert target.is_strict == record.get("strict", False)
    assert target.unit == record["unit"]
    assert target.pillar == record["pillar"]
    assert target.indicator_name == record["indicator"]
    assert target.rank_total == record.get("rank_total")
    assert target.period == record.get("period", "")
    assert target.is_restatement == record.get("restatement", False)
    assert target.is_borderline == record.get("borderline", False)
    assert target.text == nfc(record["text"])
    cited = target.programme.document_text[target.text_start : target.text_end]
    assert collapse_whitespace(cited) == collapse_whitespace(nfc(record["text"]))


def test_baselines_are_stored_with_their_programme_and_source():
    by_doc = {CODES[r["doc"]]: 0 for _, _, r in seed_records("baselines.jsonl")}
    for _, _, record in seed_records("baselines.jsonl"):
        by_doc[CODES[record["doc"]]] += 1
    stored = {code: Baseline.objects.filter(programme__code=code).count() for code in by_doc}
    assert stored == by_doc == {"binh-dinh-05-nq-tu": 2, "phu-yen-1728-qd-ubnd": 18}


def test_the_same_quantity_in_different_programmes_is_one_indicator():
    indicator = Indicator.objects.get(name="Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng")
    programmes = set(
        Target.objects.filter(indicator=indicator).values_list("programme__code", flat=True)
    )
    assert len(programmes) >= 4
    assert indicator.computation == "ratio" and indicator.numerator and indicator.denominator
    assert indicator.pillar == "government" and indicator.unit_kind == "percent"


def test_every_target_points_to_an_indicator_of_its_pillar():
    mismatched = [
        t for t in Target.objects.select_related("indicator") if t.indicator.pillar != t.pillar
    ]
    assert mismatched == []


def test_loading_the_samples_again_duplicates_nothing():
    before = (
        Programme.objects.count(),
        Target.objects.count(),
        Baseline.objects.count(),
        Indicator.objects.count(),
    )
    results = load_sample_programmes()
    assert not any(r.created for r in results)
    after = (
        Programme.objects.count(),
        Target.objects.count(),
        Baseline.objects.count(),
        Indicator.objects.count(),
    )
    assert after == before
