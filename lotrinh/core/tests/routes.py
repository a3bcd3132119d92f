"""Walking the URL configuration in tests: every address pattern, and a real address for each.

Shared by the tests that must reach every page and endpoint (confidential figures, authorisation),
so that a new address is walked by all of them without being listed anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

_PATH_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespace, name, full route (with <placeholders>) and parameters."""

    namespace: str | None
    name: str | None
    route: str
    parameters: tuple[str, ...]

    @property
    def key(self) -> str:
        """`namespace:name`, or the route itself for an unnamed pattern."""
        if self.name is None:
            return self.route
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    def address(self, values: Mapping[str, str]) -> str:
        """The path of this pattern with each parameter taken from `values`, in the active
        language (Vietnamese has no prefix, English has /en/)."""
        missing = [p for p in self.parameters if p not in values]
        if missing:
            raise KeyError(f"no test value for {missing} of {self.key} ({self.route})")
        if self.name is not None:
            return reverse(self.key, kwargs={p: values[p] for p in self.parameters})
        filled = _REGEX_PARAMETER.sub(lambda m: values[m.group(1)], self.route)
        filled = _PATH_PARAMETER.sub(lambda m: values[m.group(1)], filled)
        return "/" + filled.replace("^", "").replace("$", "")


def routes(
    patterns: list[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: str | None = None,
) -> Iterator[Route]:
    """Every address pattern of the site, in resolution order."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else pattern.namespace or namespace
            )
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield Route(
                namespace,
                pattern.name,
                prefix + str(pattern.pattern),
                tuple(pattern.pattern.regex.groupindex),
            )
