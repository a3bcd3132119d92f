"""Receipts: downloaded by those who may see the report, checked offline with no database."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from lotrinh.ledger import merkle, receipts, services
from lotrinh.ledger.models import TreeHead
from lotrinh.reporting import services as reporting

from .conftest import EXPLAINED, GOOD

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def submitted(reporter, regime, open_period, commune):
    report = reporting.open_report(reporter, regime, open_period, commune)
    reporting.save_values(reporter, report, dict(GOOD), EXPLAINED)
    return reporting.submit_report(reporter, report).report


def _url(report) -> str:
    unit = report.org_unit
    return reverse(
        "ledger:receipt", args=[report.regime.code, report.period.code, unit.structure, unit.code]
    )


def test_the_reporter_downloads_a_receipt_that_verifies(client, reporter, submitted):
    client.force_login(reporter.user)
    response = client.get(_url(submitted))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    receipt = json.loads(response.content)
    assert receipt["entry"]["action"] == "submitted"
    assert json.loads(receipt["content"])["figures"]["so_dvctt"] == "90"
    key = services.public_key_bytes()
    assert receipts.check_receipt(receipt, trusted_key=key).ok


def test_a_receipt_with_a_changed_figure_or_another_key_fails(reporter, submitted):
    receipt = services.make_receipt(reporter.user, submitted)
    forged = dict(receipt, content=str(receipt["content"]).replace('"90"', '"95"'))
    assert not receipts.check_receipt(forged).ok
    assert not receipts.check_receipt(receipt, trusted_key=bytes(32)).ok


def test_a_user_of_another_unit_gets_no_receipt(client, submitted):
    outsider = User.objects.create_user("ngoai", password="x")
    client.force_login(outsider)
    assert client.get(_url(submitted)).status_code == 403


def test_a_draft_has_no_receipt(client, reporter, regime, open_period, commune):
    reporting.open_report(reporter, regime, open_period, commune)
    client.force_login(reporter.user)
    unit = commune
    url = reverse("ledger:receipt", args=[regime.code, open_period.code, unit.structure, unit.code])
    response = client.get(url)
    assert response.status_code == 404
    assert "ledger" in response.json()["error"]


def test_verify_receipt_runs_without_settings_or_database(reporter, submitted, tmp_path):
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(services.make_receipt(reporter.user, submitted)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "LOTRINH"))}
    env["LOTRINH_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"  # unreachable
    command = [sys.executable, "-c", "import sys; from lotrinh.cli import main; sys.exit(main())"]
    ok = subprocess.run(
        [
            *command,
            "ledger",
            "verify-receipt",
            str(path),
            "--public-key",
            services.public_key_text(),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "django" not in ok.stderr.lower()
    path.write_text(path.read_text().replace('\\"90\\"', '\\"95\\"'))
    bad = subprocess.run(
        [*command, "ledger", "verify-receipt", str(path)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert bad.returncode == 1 and "FAIL" in bad.stdout


def test_public_tree_head_and_consistency_proof_hold_no_figures(client, submitted):
    first = services.sign_tree_head()
    heads = TreeHead.objects.count()
    reporting_size = first.tree_size
    head = client.get(reverse("ledger:sth")).json()
    assert head["tree_size"] == reporting_size and "content" not in json.dumps(head)
    proof = client.get(reverse("ledger:consistency"), {"first": 1, "second": reporting_size})
    assert proof.status_code == 200 and set(proof.json()) == {"first", "second", "consistency"}
    bad = client.get(reverse("ledger:consistency"), {"first": 2, "second": reporting_size + 5})
    assert bad.status_code == 400 and str(reporting_size) in bad.json()["error"]
    assert TreeHead.objects.count() == heads  # reading signs nothing


def test_the_api_gives_the_same_receipt_as_the_page(client, reporter, submitted):
    client.force_login(reporter.user)
    unit = submitted.org_unit
    address = (
        f"/api/v1/reports/{submitted.regime.code}/{submitted.period.code}/"
        f"{unit.structure}/{unit.code}/receipt"
    )
    from_api = client.get(address).json()
    from_page = json.loads(client.get(_url(submitted)).content)
    assert from_api == from_page
    assert receipts.check_receipt(from_api, trusted_key=services.public_key_bytes()).ok


def test_a_later_tree_head_is_proved_to_extend_an_earlier_one(client, approver, submitted):
    first = services.sth_json(services.sign_tree_head())
    reporting.approve_report(approver, submitted)
    second = services.sth_json(services.sign_tree_head())
    assert second["tree_size"] == first["tree_size"] + 1
    answer = client.get(
        reverse("ledger:consistency"),
        {"first": first["tree_size"], "second": second["tree_size"]},
    ).json()
    proof = [base64.b64decode(h) for h in answer["consistency"]]
    roots = [base64.b64decode(h["sha256_root_hash"]) for h in (first, second)]
    sizes = first["tree_size"], second["tree_size"]
    assert merkle.verify_consistency(*sizes, *roots, proof)
    assert not merkle.verify_consistency(*sizes, roots[0], bytes(32), proof)
    key = services.public_key_bytes()
    assert receipts.verify_tree_head(first, key) and receipts.verify_tree_head(second, key)
