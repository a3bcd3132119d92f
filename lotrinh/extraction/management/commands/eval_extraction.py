"""`lotrinh eval-extraction [--documents DIR]`: score the extractor against reviewed targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotrinh.extraction.evaluation import DocumentScore, evaluate_directory, read_catalogue
from lotrinh.indicators.services import SAMPLE_CATALOGUE

SAMPLE_PROGRAMMES = Path(__file__).resolve().parents[3] / "sample_data" / "programmes"


class Command(BaseCommand):
    help = "Print precision, recall and F1 of target extraction per document and overall."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=Path, default=SAMPLE_PROGRAMMES)

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["documents"])
        if not directory.is_dir():
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": directory})
        evaluation = evaluate_directory(directory, read_catalogue(SAMPLE_CATALOGUE))
        if not evaluation.documents:
            raise CommandError(
                _("No NAME.txt with NAME.targets.jsonl was found in %(path)s.")
                % {"path": directory}
            )
        header = (
            f"{'document':<28}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"
            f"{'base':>6}{'comparator':>12}{'pillar':>8}{'indicator':>11}{'catalogue':>11}"
        )
        self.stdout.write(header)
        for score in [*evaluation.documents, evaluation.overall]:
            self.stdout.write(_row(score))
        overall = evaluation.overall
        proposed = overall.baselines_found + overall.baselines_wrong
        reviewed = overall.baselines_found + overall.baselines_missed
        precision = overall.baselines_found / proposed if proposed else 1.0
        recall = overall.baselines_found / reviewed if reviewed else 1.0
        self.stdout.write(
            f"baselines: {overall.baselines_found} found, {overall.baselines_wrong} wrong, "
            f"{overall.baselines_missed} missed (P {precision:.3f}, R {recall:.3f})"
        )


def _row(score: DocumentScore) -> str:
    return (
        f"{score.name:<28}{score.precision:>7.3f}{score.recall:>7.3f}{score.f1:>7.3f}"
        f"{score.true_positives:>5}{score.false_positives:>5}{score.false_negatives:>5}"
        f"{score.baselines_proposed:>6}{score.accuracy(score.comparator_right):>12.2f}"
        f"{score.accuracy(score.pillar_right):>8.2f}{score.accuracy(score.indicator_right):>11.2f}"
        f"{score.accuracy(score.catalogue_right):>11.2f}"
    )
