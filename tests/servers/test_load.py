"""Thirty seconds of reporters and approvers at once on PostgreSQL: nothing lost, nothing doubled.

The short version of `bench/bench_load_reporters.py` (200 reporters and 20 approvers for five
minutes; figures in docs/performance.md): 40 reporters and 5 approvers against a gunicorn with
three workers, then every acknowledged write is counted in the audit trail and the ledger.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_load_reporters import run  # noqa: E402

from tests.servers.support import World, assert_consistent, server_env  # noqa: E402


def test_thirty_seconds_of_reporters_and_approvers_lose_and_double_nothing(
    world_template: World, tmp_path: Path
) -> None:
    with world_template.copy("lotrinh_load") as url:
        env = server_env(url, tmp_path)
        outcome = run(env, reporters=40, approvers=5, seconds=30, world=world_template.people)
        print("\n".join(outcome.lines))
        report = "\n".join(outcome.lines)
        assert (outcome.lost, outcome.duplicated, outcome.unresolved) == (0, 0, 0), report
        # The run did what it says: reports went round the whole cycle, under load.
        assert outcome.acknowledged["submitted"] >= 40, report
        assert outcome.acknowledged["approved"] > 0 and outcome.acknowledged["returned"] > 0
        assert_consistent(env)
