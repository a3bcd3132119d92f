"""A deployment's own boundary files turn the province map into a true choropleth.

The boundary files used here are test fixtures kept outside the project (their licence does not
allow bundling them); without them the test is skipped and maps stay tile grids.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
GEO = Path(__file__).resolve().parents[4] / "shared" / "geo"


@pytest.fixture
def boundaries(settings):
    files = {"2025": GEO / "vn-provinces-34.geojson", "legacy": GEO / "vn-provinces-63.geojson"}
    if not all(path.is_file() for path in files.values()):
        pytest.skip("No boundary files beside the project (they are supplied by a deployment).")
    settings.BOUNDARY_GEOJSON = {key: str(path) for key, path in files.items()}
    settings.BOUNDARY_ATTRIBUTION = "Boundaries: test fixture (CC BY-SA 4.0)."
    return files


def test_without_boundary_files_the_map_is_a_tile_grid(client, settings):
    settings.BOUNDARY_GEOJSON = {"2025": "", "legacy": ""}
    page = client.get("/indicators/ho-so-cong-viec-truc-tuyen/map/").content.decode()
    assert 'data-chart="tilemap"' in page and "choropleth" not in page
    assert client.get("/boundaries/2025.geojson").status_code == 404


def test_with_boundary_files_the_map_is_a_choropleth_served_locally(client, boundaries):
    page = client.get("/indicators/ho-so-cong-viec-truc-tuyen/map/").content.decode()
    assert 'data-chart="choropleth"' in page and "/boundaries/2025.geojson" in page
    assert "CC BY-SA 4.0" in page
    response = client.get("/boundaries/legacy.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert b'"code"' in b"".join(response.streaming_content)
    tiles = client.get(
        "/indicators/ho-so-cong-viec-truc-tuyen/map/", {"view": "tiles"}
    ).content.decode()
    assert 'data-chart="tilemap"' in tiles
