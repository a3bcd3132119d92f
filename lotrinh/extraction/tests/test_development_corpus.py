"""The extractor on other provinces' documents it was not written for: the shared development
corpus beside the project (`../shared/seeds/provinces`), which CI always has."""

from pathlib import Path

import pytest

from lotrinh.extraction.evaluation import DocumentScore, evaluate_directory

# Both corpora give every matched target the reviewers' pillar; one target more or less than
# that (0.5 and 1.1 points) still passes.
PILLAR_FLOOR = 0.98

PROVINCES = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "provinces"


@pytest.mark.skipif(
    not PROVINCES.is_dir(),
    reason="The provinces' development corpus (../shared/seeds/provinces) is not beside the project.",
)
def test_the_provinces_corpus_stays_above_the_f1_and_pillar_goals():
    evaluation = evaluate_directory(PROVINCES)
    assert evaluation.overall.f1 >= 0.95, [(s.name, round(s.f1, 3)) for s in evaluation.documents]
    _assert_pillars(evaluation.overall, evaluation.documents)


NATIONAL = PROVINCES.parent / "extra"


@pytest.mark.skipif(
    not NATIONAL.is_dir(),
    reason="The national development documents (../shared/seeds/extra) are not beside the project.",
)
def test_the_national_documents_stay_above_the_f1_and_pillar_goals():
    """Three long national texts: a resolution, a decision with an indicator annex and a task
    annex, and a progress report."""
    evaluation = evaluate_directory(NATIONAL)
    assert evaluation.overall.f1 >= 0.95, [(s.name, round(s.f1, 3)) for s in evaluation.documents]
    _assert_pillars(evaluation.overall, evaluation.documents)


def _assert_pillars(overall: DocumentScore, documents: list[DocumentScore]) -> None:
    assert overall.accuracy(overall.pillar_right) >= PILLAR_FLOOR, [
        (s.name, round(s.accuracy(s.pillar_right), 2)) for s in documents
    ]
