"""Write or compare the OpenAPI snapshot (lotrinh/api/openapi.json): `make openapi-snapshot` writes it.

A test compares the live schema with the snapshot, so a change to the API is always deliberate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "openapi.json"


def current_schema() -> str:
    from lotrinh.api.api import api

    return (
        json.dumps(
            api.get_openapi_schema(path_prefix="/api/v1/"),
            indent=2,
            ensure_ascii=False,
            sort_keys=True,
        )
        + "\n"
    )


def main() -> None:
    import django

    django.setup()
    if "--write" in sys.argv:
        SNAPSHOT.write_text(current_schema(), encoding="utf-8")
        print(f"Wrote {SNAPSHOT.name}")


if __name__ == "__main__":
    main()
