"""Every LOTRINH_* setting read anywhere is documented in docs/configuration.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_documented():
    used: set[str] = set()
    for path in [
        *ROOT.glob("config/**/*.py"),
        *ROOT.glob("lotrinh/**/*.py"),
        *ROOT.glob("scripts/*"),
    ]:
        if path.is_file() and "tests" not in path.parts:
            used |= set(re.findall(r"\bLOTRINH_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    documented = set(
        re.findall(r"`(LOTRINH_[A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text())
    )
    assert used - documented == set(), "Document these in docs/configuration.md"
    assert documented - used == set(), "These documented settings are not used anywhere"
