"""Read Vietnam's administrative units and the 2025 crosswalk from the `vietnamadminunits` package.

Pure reading: returns plain records keyed by GSO codes and touches no database of ours. The
package (MIT) ships the GSO tables of both structures and the official conversion tables.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from vietnamadminunits.database import query


@dataclass(frozen=True)
class UnitRecord:
    structure: str
    tier: str
    code: str
    name: str
    short_name: str
    unit_type: str
    parent_code: str | None
    latitude: float | None
    longitude: float | None
    area_km2: float | None = None


@dataclass(frozen=True)
class LinkRecord:
    predecessor: tuple[str, str]  # (structure, code)
    successor: tuple[str, str]
    kind: str
    is_default: bool


@dataclass
class PackageUnits:
    units: list[UnitRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def _province_type(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _legacy_units(rows: Iterable[dict[str, Any]]) -> list[UnitRecord]:
    provinces: dict[str, UnitRecord] = {}
    districts: dict[str, UnitRecord] = {}
    communes: list[UnitRecord] = []
    for row in rows:
        pcode, dcode, wcode = row["provinceCode"], row["districtCode"], row["wardCode"]
        provinces.setdefault(
            pcode,
            UnitRecord(
                "legacy",
                "province",
                pcode,
                row["province"],
                row["provinceShort"],
                _province_type(row["province"]),
                None,
                row["provinceLat"],
                row["provinceLon"],
            ),
        )
        districts.setdefault(
            dcode,
            UnitRecord(
                "legacy",
                "district",
                dcode,
                row["district"],
                row["districtShort"],
                row["districtType"],
                pcode,
                row["districtLat"],
                row["districtLon"],
            ),
        )
        if (
            wcode
        ):  # five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no wards
            communes.append(
                UnitRecord(
                    "legacy",
                    "commune",
                    wcode,
                    row["ward"],
                    row["wardShort"],
                    row["wardType"],
                    dcode,
                    row["wardLat"],
                    row["wardLon"],
                )
            )
    return [*provinces.values(), *districts.values(), *communes]


def _current_units(rows: Iterable[dict[str, Any]]) -> list[UnitRecord]:
    provinces: dict[str, UnitRecord] = {}
    communes: list[UnitRecord] = []
    for row in rows:
        pcode = row["provinceCode"]
        provinces.setdefault(
            pcode,
            UnitRecord(
                "2025",
                "province",
                pcode,
                row["province"],
                row["provinceShort"],
                _province_type(row["province"]),
                None,
                row["provinceLat"],
                row["provinceLon"],
            ),
        )
        communes.append(
            UnitRecord(
                "2025",
                "commune",
                row["wardCode"],
                row["ward"],
                row["wardShort"],
                row["wardType"],
                pcode,
                row["wardLat"],
                row["wardLon"],
                row["wardAreaKm2"],
            )
        )
    return [*provinces.values(), *communes]


def _load_converter() -> dict[str, Any]:
    data_dir = resources.files("vietnamadminunits") / "data"
    return json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))


class _Keys:
    """The converter names units by ASCII keys; these maps turn keys into GSO codes."""

    def __init__(self, legacy_rows: list[dict[str, Any]], current_rows: list[dict[str, Any]]):
        self.legacy_province = {r["provinceKey"]: r["provinceCode"] for r in legacy_rows}
        self.legacy_ward: dict[str, str] = {}
        self.legacy_district: dict[str, str] = {}
        for r in legacy_rows:
            full = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
            if r["wardCode"]:
                self.legacy_ward[full] = r["wardCode"]
            else:
                self.legacy_district[full] = r["districtCode"]
        self.ward_province = {
            r["wardCode"]: r["provinceCode"] for r in legacy_rows if r["wardCode"]
        }
        self.ward_district = {
            r["wardCode"]: r["districtCode"] for r in legacy_rows if r["wardCode"]
        }
        self.current_province = {r["provinceKey"]: r["provinceCode"] for r in current_rows}
        self.current_ward = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in current_rows}
        self.new_ward_province = {r["wardCode"]: r["provinceCode"] for r in current_rows}


def _commune_links(
    converter: dict[str, Any], keys: _Keys, result: PackageUnits
) -> dict[tuple[str, str], LinkRecord]:
    """Old commune → new commune links. Whole transfers first; partial ones override them."""
    links: dict[tuple[str, str], LinkRecord] = {}
    for new_prov, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            new_code = keys.current_ward[(new_prov, new_ward)]
            for old_key in old_keys:
                if old_key in keys.legacy_ward:
                    old = ("legacy", keys.legacy_ward[old_key])
                    tier_kind = "merged"
                elif old_key in keys.legacy_district:  # ward-less island district → đặc khu
                    old = ("legacy", keys.legacy_district[old_key])
                    tier_kind = "merged"
                else:
                    result.unresolved.append(old_key)
                    continue
                links[(old[1], new_code)] = LinkRecord(old, ("2025", new_code), tier_kind, True)
    for new_prov, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            old_code = keys.legacy_ward.get(old_key)
            if old_code is None:
                result.unresolved.append(old_key)
                continue
            for target in targets:
                new_code = keys.current_ward[(new_prov, target["newWardKey"])]
                links[(old_code, new_code)] = LinkRecord(
                    ("legacy", old_code),
                    ("2025", new_code),
                    "partly",
                    bool(target["isDefaultNewWard"]),
                )
    return links


def _higher_tier_links(
    commune_links: Iterable[LinkRecord], converter: dict[str, Any], keys: _Keys
) -> list[LinkRecord]:
    """Province → province links from the official table, plus partial transfers seen in the
    commune links; and district → new province links (districts were abolished on 1/7/2025)."""
    links: list[LinkRecord] = []
    official: set[tuple[str, str]] = set()
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            pair = (keys.legacy_province[old_key], keys.current_province[new_key])
            official.add(pair)
            links.append(LinkRecord(("legacy", pair[0]), ("2025", pair[1]), "merged", True))
    district_targets: dict[str, Counter[str]] = defaultdict(Counter)
    partial: set[tuple[str, str]] = set()
    for link in commune_links:
        old_code, new_code = link.predecessor[1], link.successor[1]
        new_province = keys.new_ward_province[new_code]
        if old_code in keys.ward_province:
            pair = (keys.ward_province[old_code], new_province)
            if pair not in official:
                partial.add(pair)
            district_targets[keys.ward_district[old_code]][new_province] += 1
        else:  # an island district linked directly
            district_targets[old_code][new_province] += 1
    links += [LinkRecord(("legacy", o), ("2025", n), "partly", False) for o, n in sorted(partial)]
    for district, counter in district_targets.items():
        main_province = counter.most_common(1)[0][0]
        links += [
            LinkRecord(
                ("legacy", district), ("2025", province), "abolished", province == main_province
            )
            for province in sorted(counter)
        ]
    return links


def read_package_units() -> PackageUnits:
    """Return every unit of both structures and every crosswalk link, as plain records."""
    legacy_rows = query(
        "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    current_rows = query("SELECT * FROM admin_units ORDER BY provinceCode, wardCode")
    result = PackageUnits()
    result.units = _legacy_units(legacy_rows) + _current_units(current_rows)
    converter = _load_converter()
    keys = _Keys(legacy_rows, current_rows)
    communes = _commune_links(converter, keys, result)
    result.links = list(communes.values()) + _higher_tier_links(communes.values(), converter, keys)
    return result
