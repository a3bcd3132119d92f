"""A real server and a real Chromium for the browser tests.

The server is the product as a user runs it: `lotrinh demo` prepares a fresh SQLite database in a
temporary data directory, then gunicorn serves it. Chromium is Debian's (Playwright's own browser
download needs the internet, which government networks and CI do not have).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from local_server import gunicorn  # noqa: E402

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    for candidate in (
        os.environ.get("LOTRINH_CHROMIUM"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("No Chromium found: run scripts/ensure-chromium or set LOTRINH_CHROMIUM.")


@pytest.fixture(scope="session")
def site_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a server over a fresh demo database in its own data directory."""
    data_dir = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k != "LOTRINH_DATABASE_URL"}
    env |= {"LOTRINH_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    geo = ROOT.parent / "shared" / "geo"  # boundary files for CI only; never part of the project
    if (geo / "vn-provinces-34.geojson").is_file():
        env["LOTRINH_BOUNDARY_GEOJSON_34"] = str(geo / "vn-provinces-34.geojson")
        env["LOTRINH_BOUNDARY_GEOJSON_63"] = str(geo / "vn-provinces-63.geojson")
    lotrinh = str(Path(sys.executable).with_name("lotrinh"))
    subprocess.run(
        [lotrinh, "demo", "--no-static"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return env


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving the site with `env`, at the address it yields, until the block ends."""
    with gunicorn(env, workers=2, threads=1, quiet=True) as (url, _pid):
        yield url


@pytest.fixture(scope="session")
def site_url(site_env: dict[str, str]) -> Iterator[str]:
    with serving(site_env) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()
