"""A tile-grid map of provinces: one equal square each, laid out roughly where the province is.

Pure. Every province is equally visible (a choropleth makes big mountain provinces dominate and
hides small deltas), and no boundary data are needed: only each province's centre. Provinces are
placed from north to south on the free cell nearest to their scaled position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Vietnam's extent (with a margin), used to scale centres onto the grid.
LAT_RANGE = (8.4, 23.5)
LON_RANGE = (102.0, 109.6)


@dataclass(frozen=True)
class Tile:
    code: str
    column: int
    row: int  # 0 is the northernmost row


def grid_size(count: int) -> tuple[int, int]:
    """Columns and rows: about 7 × 18 for 63 provinces, 6 × 12 for 34."""
    columns = 7 if count > 40 else 6
    rows = max(6, math.ceil(count * 2.0 / columns))
    return columns, rows


def tile_grid(centres: Sequence[tuple[str, float, float]]) -> list[Tile]:
    """Place (code, latitude, longitude) centres on a grid, nearest free cell first, north to south."""
    columns, rows = grid_size(len(centres))
    return _place(centres, columns, rows, LAT_RANGE, LON_RANGE)


def fitted_grid(centres: Sequence[tuple[str, float, float]]) -> tuple[int, list[Tile]]:
    """The same placement for the units of one area (a province's communes): the grid spans the
    centres' own extent, with about 1.6 cells per unit in the area's proportions. Returns the
    number of columns and the tiles."""
    if not centres:
        return 1, []
    lats = [lat for _code, lat, _lon in centres]
    lons = [lon for _code, _lat, lon in centres]
    margin = 0.01
    lat_range = (min(lats) - margin, max(lats) + margin)
    lon_range = (min(lons) - margin, max(lons) + margin)
    aspect = (lon_range[1] - lon_range[0]) / (lat_range[1] - lat_range[0])
    cells = len(centres) * 1.6
    columns = max(3, min(20, round(math.sqrt(cells * aspect))))
    rows = max(3, math.ceil(cells / columns))
    return columns, _place(centres, columns, rows, lat_range, lon_range)


def _place(
    centres: Sequence[tuple[str, float, float]],
    columns: int,
    rows: int,
    lat_range: tuple[float, float],
    lon_range: tuple[float, float],
) -> list[Tile]:
    free = {(c, r) for c in range(columns) for r in range(rows)}
    tiles = []
    for code, lat, lon in sorted(centres, key=lambda item: (-item[1], item[2])):
        x = (lon - lon_range[0]) / (lon_range[1] - lon_range[0]) * (columns - 1)
        y = (lat_range[1] - lat) / (lat_range[1] - lat_range[0]) * (rows - 1)
        cell = min(
            free, key=lambda cell: ((cell[0] - x) ** 2 + (cell[1] - y) ** 2, cell[1], cell[0])
        )
        free.remove(cell)
        tiles.append(Tile(code, cell[0], cell[1]))
    return tiles
