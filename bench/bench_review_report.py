"""Benchmark: drafting a review report (DOCX and PDF) for the largest sample programme, and
keeping the whole sample history of assessments per quarter end.

On a scratch PostgreSQL database loaded like `lotrinh demo` (or, without a PostgreSQL server, the
configured database, loaded the same way if empty), prints, each the median of RUNS:
- the baseline: assessing the largest programme's targets from today's data (what every approved
  report triggers for the dashboards);
- drafting its review as of 31/12/2025 as DOCX and then PDF (goal: both together under 5 s), with
  the ratio to the baseline: first with no assessment kept for the cut-off (the DOCX assesses the
  programme as of it, the PDF reuses that), then with it kept (as after `lotrinh assess-history`);
- recomputing every quarter end of all five programmes (`lotrinh assess-history`), once.

`--reuse` keeps a database a previous run loaded.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import scratch_database  # noqa: E402

DATABASE = "lotrinh_bench_review"
RUNS = 3
AS_OF = datetime.date(2025, 12, 31)


def _median(work: Callable[[], object]) -> float:
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database of a previous run")
    arguments = parser.parse_args()
    url = scratch_database(DATABASE, reuse=arguments.reuse)
    if url:
        os.environ["LOTRINH_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db.models import Count

    from lotrinh.assessment.models import PastAssessment
    from lotrinh.assessment.services import assess_history, assess_programme
    from lotrinh.indicators.models import Programme
    from lotrinh.reporting.services import Actor
    from lotrinh.reviews.services import default_metadata, generate_review

    call_command("migrate", verbosity=0)
    if not Programme.objects.exists():
        started = time.perf_counter()
        call_command("demo", no_static=True, verbosity=0)
        print(f"loaded the sample data in {time.perf_counter() - started:.0f} s")
    programme = Programme.objects.annotate(targets=Count("target")).order_by("-targets")[0]
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-review", password=None
    )
    actor = Actor(user, channel="command")
    letterhead = default_metadata(programme) | {"signer_name": "Nguyễn Văn An"}
    print(f"programme {programme.code}: {programme.targets} targets, cut-off {AS_OF:%d/%m/%Y}")

    def both() -> None:
        generate_review(actor, programme, AS_OF, "docx", letterhead)
        generate_review(actor, programme, AS_OF, "pdf", letterhead)

    def first_time() -> None:
        PastAssessment.objects.filter(target__programme=programme, as_of=AS_OF).delete()
        both()

    baseline = _median(lambda: assess_programme(programme))
    cold = _median(first_time)
    kept = _median(both)
    print(f"baseline, assessing the programme from today's data: {baseline:.2f} s")
    print(
        f"DOCX and PDF together, nothing kept for the cut-off: {cold:.2f} s (goal < 5 s), "
        f"{cold / baseline:.1f}× the baseline"
    )
    print(
        f"DOCX and PDF together, assessment kept: {kept:.2f} s, {kept / baseline:.1f}× the baseline"
    )
    started = time.perf_counter()
    cutoffs = sum(len(assess_history(p)) for p in Programme.objects.all())
    history = time.perf_counter() - started
    print(
        f"history of all {Programme.objects.count()} programmes: {cutoffs} quarter ends in "
        f"{history:.1f} s ({history / cutoffs * 1000:.0f} ms per programme and quarter end), "
        f"{history / cutoffs / baseline:.1f}× the baseline per quarter end"
    )


if __name__ == "__main__":
    main()
