"""A reporting world for tests and benchmarks that drive a real server over HTTP.

`prepare(env, reporters, approvers)` fills an empty database (migrations, Vietnam's units, the
catalogue, the sample regimes) and creates, for the open quarter of `cds-dinh-ky-quy`, one commune
reporter per unit with an API token, approvers with tokens on those communes' provinces, and a
superuser `importer` who signs in on the site with IMPORTER_PASSWORD. `call()` makes one API
request and says what the client was told, for the tests and benchmarks to compare with what the
database holds afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGIME = "cds-dinh-ky-quy"
IMPORTER_PASSWORD = "lotrinh-importer"  # noqa: S105 - of a throw-away test or benchmark database

# Figures that pass the regime's rules (the first reporter's; others add a little, see `figures`).
FIGURES = {
    "tong_ho_so_cong_viec": 300,
    "ho_so_cong_viec_dien_tu": 240,
    "tong_so_tthc": 110,
    "so_dvctt": 90,
    "so_dvctt_toan_trinh": 60,
    "tong_ho_so_tthc": 150,
    "ho_so_tthc_truc_tuyen": 120,
}

PREPARE = r"""
import json, sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from django.utils import timezone
from lotrinh.access.models import Membership, Role
from lotrinh.api.auth import issue_token
from lotrinh.indicators.services import load_catalogue
from lotrinh.orgunits.services import load_units
from lotrinh.reporting.models import FormField, ReportingRegime
from lotrinh.reporting.periods import period_containing
from lotrinh.reporting.queries import expected_units
from lotrinh.reporting.regimes import ensure_periods, load_regimes
reporters, approvers = int(sys.argv[1]), int(sys.argv[2])
load_units(); load_catalogue(); load_regimes()
regime = ReportingRegime.objects.get(code=sys.argv[3])
ensure_periods(regime, timezone.localdate())
period = regime.periods.get(code=period_containing(regime.frequency, timezone.localdate()).code)
communes = list(expected_units(regime, period).filter(tier="commune").order_by("code"))
out = {"regime": regime.code, "period": period.code, "reporters": [], "approvers": [],
       "communes": [unit.code for unit in communes],
       "fields": list(FormField.objects.filter(regime=regime).order_by("position")
                      .values_list("data_element__code", flat=True))}
for n, unit in enumerate(communes[:reporters]):
    user = User.objects.create_user(f"reporter{n}", password=None)
    Membership.objects.create(user=user, org_unit=unit, role=Role.REPORTER)
    out["reporters"].append({"token": issue_token(user, "load")[1], "unit": unit.code,
        "path": f"/api/v1/reports/{regime.code}/{period.code}/{unit.structure}/{unit.code}"})
provinces = {unit.parent_id for unit in communes[:reporters]}
for n in range(approvers):
    user = User.objects.create_user(f"approver{n}", password=None)
    for province in provinces:
        Membership.objects.create(user=user, org_unit_id=province, role=Role.APPROVER)
    out["approvers"].append({"token": issue_token(user, "load")[1]})
User.objects.create_superuser("importer", password=sys.argv[4])
print(json.dumps(out))
"""


def prepare(env: dict[str, str], reporters: int, approvers: int) -> dict[str, Any]:
    """Fill the (empty) database of `env`; returns the regime, period, tokens and report paths."""
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-c", PREPARE, str(reporters), str(approvers), REGIME, IMPORTER_PASSWORD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def figures(n: int) -> dict[str, int]:
    """Figures that pass the regime's rules, different for each `n`."""
    return {code: value + n for code, value in FIGURES.items()}


@dataclass(frozen=True)
class Answer:
    """What a client was told: an HTTP status (0 when the connection failed) and its JSON."""

    status: int
    body: Any
    seconds: float
    replayed: bool = False

    @property
    def failed(self) -> bool:
        """Told that the write did not happen (or not told anything): retry with the same key."""
        return self.status == 0 or self.status >= 500 or self.status == 409


def call(
    base: str,
    method: str,
    path: str,
    token: str,
    key: str | None = None,
    body: dict[str, Any] | None = None,
    timeout: float = 60,
) -> Answer:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - our own local server
        base + path, data=data, method=method, headers=headers
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
            replayed = response.headers.get("Idempotent-Replayed") == "true"
    except urllib.error.HTTPError as error:
        status, raw, replayed = error.code, error.read(), False
    except OSError:  # refused, reset, or cut off in the middle: the client was told nothing
        return Answer(0, None, time.perf_counter() - started)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return Answer(status, parsed, time.perf_counter() - started, replayed)


def import_csv(world: dict[str, Any], communes: list[str], shift: int = 0) -> bytes:
    """The regime's import template filled in for `communes`: the columns of `FIGURES` with
    figures that pass the rules, the form's other columns left empty."""
    regime, period, fields = world["regime"], world["period"], world["fields"]
    lines = [
        f"#lotrinh-import,template_version=1,regime={regime},period={period},structure=2025",
        "ma_don_vi,ten_don_vi," + ",".join(fields),
    ]
    for n, code in enumerate(communes):
        values = figures(shift + n % 50)
        lines.append(f"{code},," + ",".join(str(values.get(f, "")) for f in fields))
    return ("\n".join(lines) + "\n").encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] if ordered else 0.0
