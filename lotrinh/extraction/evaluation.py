"""Score proposed targets against reviewed ones: precision, recall, F1 and attribute accuracy.

A proposal matches a reviewed record when `year`, `level`, `value`, `value_max` and `unit` agree
and their text spans overlap in the document (whitespace is ignored when locating the reviewed
text). Each reviewed record is matched at most once. Records marked `borderline` (or
`implicit_value`) are neither required nor penalised. A record marked `restatement` forms one
target with the record it restates: finding either counts once. Proposals that match nothing are
false positives; those that equal a reviewed baseline are counted separately as well.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lotrinh.core.text import collapse_whitespace
from lotrinh.extraction.naming import match_indicator, name_similarity
from lotrinh.extraction.parsing import ProposedTarget, extract_document
from lotrinh.extraction.segments import normalise_document

INDICATOR_MATCH = 0.5
Catalogue = Sequence[tuple[str, Sequence[str]]]


@dataclass(frozen=True)
class Reviewed:
    """A reviewed target (or baseline) located in the normalised document."""

    year: int | None
    level: str | None
    value: Decimal
    value_max: Decimal | None
    unit: str
    comparator: str
    strict: bool
    pillar: str
    indicator: str
    spans: tuple[tuple[int, int], ...]
    optional: bool = False
    restatement: bool = False


@dataclass
class DocumentScore:
    """The counts and accuracies for one document."""

    name: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    baselines_proposed: int = 0
    comparator_right: int = 0
    pillar_right: int = 0
    indicator_right: int = 0
    # Matched pairs whose proposed name finds the catalogue entry the reviewed name finds (both
    # none counts: the officer then rightly creates a new indicator).
    catalogue_right: int = 0
    matched_pairs: int = 0
    misses: list[Reviewed] = field(default_factory=list)
    extras: list[ProposedTarget] = field(default_factory=list)
    # Proposed baselines against the reviewed ones: found, wrongly proposed, missed.
    baselines_found: int = 0
    baselines_wrong: int = 0
    baselines_missed: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def accuracy(self, right: int) -> float:
        return right / self.matched_pairs if self.matched_pairs else 1.0

    def add(self, other: DocumentScore) -> None:
        for name in (
            "true_positives",
            "false_positives",
            "false_negatives",
            "baselines_proposed",
            "comparator_right",
            "pillar_right",
            "indicator_right",
            "catalogue_right",
            "matched_pairs",
            "baselines_found",
            "baselines_wrong",
            "baselines_missed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_baselines(
    score: DocumentScore, proposals: Sequence[ProposedTarget], baselines: Sequence[Reviewed]
) -> None:
    """Count the proposed baselines that match a reviewed one (each matched once)."""
    used: set[int] = set()
    for proposal in proposals:
        match = next(
            (
                i
                for i, record in enumerate(baselines)
                if i not in used and _agrees(proposal, record)
            ),
            None,
        )
        if match is None:
            score.baselines_wrong += 1
        else:
            used.add(match)
            score.baselines_found += 1
    score.baselines_missed += len(baselines) - len(used)


def _spans(document: str, fragment: str) -> tuple[tuple[int, int], ...]:
    words = normalise_document(fragment).split()
    if not words:
        return ()
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return tuple((match.start(), match.end()) for match in pattern.finditer(document))


def _decimal(raw: Any) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


def reviewed_records(document: str, records: Iterable[dict[str, Any]]) -> list[Reviewed]:
    """Turn reviewed JSON records into `Reviewed` values located in the normalised document."""
    found = []
    for record in records:
        value = _decimal(record["value"])
        assert value is not None
        found.append(
            Reviewed(
                year=record.get("year"),
                level=record.get("level"),
                value=value,
                value_max=_decimal(record.get("value_max")),
                unit=_unit_key(record["unit"]),
                comparator=record.get("comparator", "="),
                strict=bool(record.get("strict", False)),
                pillar=record.get("pillar", ""),
                indicator=record.get("indicator", ""),
                spans=_spans(document, record["text"]),
                optional=bool(record.get("borderline") or record.get("implicit_value")),
                restatement=bool(record.get("restatement")),
            )
        )
    return found


def _unit_key(unit: str) -> str:
    return collapse_whitespace(unit).casefold()


def _agrees(proposal: ProposedTarget, record: Reviewed) -> bool:
    if (proposal.year, proposal.level) != (record.year, record.level):
        return False
    if proposal.value != record.value or proposal.value_max != record.value_max:
        return False
    if _unit_key(proposal.unit) != record.unit:
        return False
    return any(proposal.start < end and start < proposal.end for start, end in record.spans)


def _groups(records: Sequence[Reviewed]) -> list[int]:
    """A group number per record: a restatement joins the record it restates."""
    group = list(range(len(records)))
    for index, record in enumerate(records):
        if not record.restatement:
            continue
        for other, candidate in enumerate(records):
            same = (
                candidate.year,
                candidate.level,
                candidate.value,
                candidate.unit,
                candidate.indicator,
            )
            if other != index and same == (
                record.year,
                record.level,
                record.value,
                record.unit,
                record.indicator,
            ):
                group[index] = group[other]
                break
        else:
            # "Xây dựng 3 đô thị" restates "ít nhất ba đô thị": same quantity, other comparator.
            for other, candidate in enumerate(records):
                if (
                    other != index
                    and not candidate.restatement
                    and (candidate.year, candidate.value, candidate.unit)
                    == (record.year, record.value, record.unit)
                    and name_similarity(candidate.indicator, record.indicator) >= INDICATOR_MATCH
                ):
                    group[index] = group[other]
                    break
    return group


def read_catalogue(path: Path) -> list[tuple[str, list[str]]]:
    """(name, aliases) of each indicator of a catalogue file, as `match_indicator` takes them."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("indicator", [])
    return [(entry["name"], list(entry.get("aliases", []))) for entry in entries]


def score_document(
    name: str,
    proposals: Sequence[ProposedTarget],
    targets: Sequence[Reviewed],
    baselines: Sequence[Reviewed] = (),
    catalogue: Catalogue = (),
) -> DocumentScore:
    """Score one document's proposals against its reviewed targets and baselines; with a
    `catalogue`, also whether each matched proposal finds the reviewed name's catalogue entry.

    Which proposal stands for which record decides only the attribute accuracies: when two
    proposals could each stand for the other's record ("50% số xã đạt chuẩn tiêu chí số 8 …,
    50% số xã đạt chuẩn tiêu chí số 15 …"), they are paired by their names. The records found,
    and so precision and recall, do not change with the pairing."""
    score = DocumentScore(name)
    groups = _groups(targets)
    used: set[int] = set()
    found_groups: set[int] = set()
    chosen_for: dict[int, int] = {}
    for position, proposal in enumerate(proposals):
        candidates = [
            i for i, record in enumerate(targets) if i not in used and _agrees(proposal, record)
        ]
        # Prefer a required record, then one whose group is still unfound, then an optional one.
        candidates.sort(key=lambda i: (targets[i].optional, groups[i] in found_groups))
        if not candidates:
            score.false_positives += 1
            score.extras.append(proposal)
            if any(_agrees(proposal, baseline) for baseline in baselines):
                score.baselines_proposed += 1
            continue
        chosen = candidates[0]
        used.add(chosen)
        chosen_for[position] = chosen
        if not targets[chosen].optional:
            found_groups.add(groups[chosen])
    _pair_by_names(proposals, targets, chosen_for)
    counted: set[int] = set()
    for position, chosen in sorted(chosen_for.items(), key=lambda item: item[0]):
        record = targets[chosen]
        if record.optional or groups[chosen] in counted:
            continue
        counted.add(groups[chosen])
        proposal = proposals[position]
        score.true_positives += 1
        score.matched_pairs += 1
        score.comparator_right += proposal.comparator == record.comparator
        score.pillar_right += proposal.pillar == record.pillar
        score.indicator_right += (
            name_similarity(proposal.indicator, record.indicator) >= INDICATOR_MATCH
        )
        score.catalogue_right += match_indicator(proposal.indicator, catalogue) == match_indicator(
            record.indicator, catalogue
        )
    required_groups = {groups[i] for i, record in enumerate(targets) if not record.optional}
    missing = required_groups - counted
    score.false_negatives = len(missing)
    score.misses = [r for i, r in enumerate(targets) if groups[i] in missing and not r.restatement]
    return score


def _pair_by_names(
    proposals: Sequence[ProposedTarget], targets: Sequence[Reviewed], chosen_for: dict[int, int]
) -> None:
    """Swap the records of two matched proposals when each agrees with the other's record and
    the swap brings the names closer; the set of matched records stays the same."""
    positions = sorted(chosen_for)
    for first_at, first in enumerate(positions):
        for second in positions[first_at + 1 :]:
            a, b = chosen_for[first], chosen_for[second]
            if not (
                _agrees(proposals[first], targets[b]) and _agrees(proposals[second], targets[a])
            ):
                continue
            kept = name_similarity(proposals[first].indicator, targets[a].indicator) + (
                name_similarity(proposals[second].indicator, targets[b].indicator)
            )
            swapped = name_similarity(proposals[first].indicator, targets[b].indicator) + (
                name_similarity(proposals[second].indicator, targets[a].indicator)
            )
            if swapped > kept:
                chosen_for[first], chosen_for[second] = b, a


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Evaluation:
    """Scores for each document of a development set and for all of them together."""

    documents: list[DocumentScore]
    overall: DocumentScore


def evaluate_directory(directory: Path, catalogue: Catalogue = ()) -> Evaluation:
    """Score the extractor on every `NAME.txt` in `directory` that has a `NAME.targets.jsonl`.

    Baselines are read from `baselines.jsonl` in the same directory, matched to documents by
    their `doc` field; catalogue matching is scored against `catalogue`.
    """
    baselines = _read_jsonl(directory / "baselines.jsonl")
    scores = []
    for targets_path in sorted(directory.glob("*.targets.jsonl")):
        name = targets_path.name.removesuffix(".targets.jsonl")
        document_path = directory / f"{name}.txt"
        if not document_path.is_file():
            continue
        result = extract_document(document_path.read_text(encoding="utf-8"))
        document = result.document
        reviewed = reviewed_records(document, _read_jsonl(targets_path))
        negatives = reviewed_records(
            document, [b for b in baselines if b.get("doc") == document_path.name]
        )
        score = score_document(name, result.targets, reviewed, negatives, catalogue)
        score_baselines(score, result.baselines, negatives)
        scores.append(score)
    overall = DocumentScore("overall")
    for score in scores:
        overall.add(score)
    return Evaluation(scores, overall)
