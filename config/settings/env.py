"""A typed reader for LOTRINH_* environment variables: the only place settings touch os.environ."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

PREFIX = "LOTRINH_"


def _raw(name: str) -> str | None:
    if not name.startswith(PREFIX):
        raise ValueError(f"Setting names start with {PREFIX}: {name}")
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_optional(name: str) -> str | None:
    return _raw(name)


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_hour(name: str, default: int) -> int:
    """An hour of the day, 0 to 23."""
    hour = env_int(name, default)
    if not 0 <= hour <= 23:
        raise ImproperlyConfigured(f"{name} must be an hour from 0 to 23, not {hour!r}.")
    return hour


def env_share(name: str, default: float) -> float:
    """A share between 0 and 1 (0.8 means 80 %)."""
    value = _raw(name)
    if value is None:
        return default
    try:
        share = float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a number between 0 and 1, not {value!r}."
        ) from exc
    if not 0 <= share <= 1:
        raise ImproperlyConfigured(f"{name} must be between 0 and 1, not {value!r}.")
    return share


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
