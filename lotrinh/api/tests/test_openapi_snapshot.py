"""The API's OpenAPI schema only changes on purpose (run `make openapi-snapshot` and commit)."""

from lotrinh.api.snapshot import SNAPSHOT, current_schema


def test_openapi_schema_matches_the_snapshot():
    assert SNAPSHOT.exists(), "Run `make openapi-snapshot` to create lotrinh/api/openapi.json."
    assert current_schema() == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API changed: review the difference, then run `make openapi-snapshot`."
    )
