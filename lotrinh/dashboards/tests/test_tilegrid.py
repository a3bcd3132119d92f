"""The tile-grid layout of provinces."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotrinh.dashboards.tilegrid import fitted_grid, tile_grid
from lotrinh.orgunits.models import OrgUnit, Structure, Tier


@pytest.mark.django_db
@pytest.mark.parametrize(("structure", "count"), [(Structure.LEGACY, 63), (Structure.CURRENT, 34)])
def test_every_province_gets_its_own_tile(structure, count):
    centres = list(
        OrgUnit.objects.filter(structure=structure, tier=Tier.PROVINCE).values_list(
            "code", "latitude", "longitude"
        )
    )
    tiles = tile_grid(centres)
    assert len(tiles) == count == len({(t.column, t.row) for t in tiles})


@pytest.mark.django_db
def test_the_north_stays_north_of_the_south():
    centres = list(
        OrgUnit.objects.filter(structure=Structure.CURRENT, tier=Tier.PROVINCE).values_list(
            "code", "latitude", "longitude"
        )
    )
    rows = {t.code: t.row for t in tile_grid(centres)}
    hanoi, hcmc, ca_mau = rows["01"], rows["79"], rows["96"]
    assert hanoi < hcmc <= ca_mau


@given(st.lists(st.tuples(st.floats(8.5, 23.4), st.floats(102.1, 109.5)), min_size=1, max_size=70))
def test_tiles_never_overlap(points):
    tiles = tile_grid([(str(i), lat, lon) for i, (lat, lon) in enumerate(points)])
    assert len({(t.column, t.row) for t in tiles}) == len(points)


@given(
    st.lists(st.tuples(st.floats(10.0, 23.0), st.floats(102.5, 109.0)), min_size=1, max_size=180)
)
def test_a_fitted_grid_gives_every_unit_its_own_cell_inside_the_grid(points):
    centres = [(str(i), lat, lon) for i, (lat, lon) in enumerate(points)]
    columns, tiles = fitted_grid(centres)
    assert len(tiles) == len(centres) == len({(t.column, t.row) for t in tiles})
    assert all(0 <= t.column < columns and t.row >= 0 for t in tiles)
