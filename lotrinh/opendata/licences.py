"""The licences a deployment may publish its open data under (setting LOTRINH_OPEN_DATA_LICENCE)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Licence:
    id: str  # as CKAN names it
    title: str
    url: str
    is_open: bool = True


LICENCES = {
    "cc-by": Licence(
        "cc-by",
        "Creative Commons Attribution 4.0 (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "vn-open-data": Licence(
        "vn-open-data",
        "Điều khoản sử dụng dữ liệu mở của cơ quan nhà nước (Vietnamese open government data terms)",
        "https://data.gov.vn/",
    ),
}


def current_licence() -> Licence:
    chosen = settings.LOTRINH_OPEN_DATA_LICENCE
    if chosen not in LICENCES:
        raise ImproperlyConfigured(
            f"LOTRINH_OPEN_DATA_LICENCE must be one of {', '.join(LICENCES)}, not {chosen!r}."
        )
    return LICENCES[chosen]
