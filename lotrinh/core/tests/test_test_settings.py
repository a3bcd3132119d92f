"""The test settings never open the checkout's own SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Run in a fresh interpreter: this process's settings are already rewritten by pytest-django.
PROBE = """
import django
django.setup()
from django.db import connection
connection.ensure_connection()
print(connection.is_in_memory_db())
"""


def test_test_settings_without_a_data_dir_use_an_in_memory_database():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LOTRINH_DATA_DIR", "LOTRINH_DATABASE_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert probe.stdout.strip() == "True"
