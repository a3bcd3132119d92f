"""Errors whose message a user reads: always a full sentence, in Vietnamese and in English."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise


class UserFacingError(Exception):
    """An error caused by input, explained in Vietnamese and English.

    `message` is a lazy translatable string with named %-placeholders filled from `params`.
    `str(error)` gives the Vietnamese sentence, then the English one on the next line.
    """

    def __init__(self, message: Promise | str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text("vi"))

    def text(self, language: str) -> str:
        with translation.override(language):
            return str(self.message) % self.params if self.params else str(self.message)

    def bilingual(self) -> str:
        vietnamese, english = self.text("vi"), self.text("en")
        return vietnamese if vietnamese == english else f"{vietnamese}\n{english}"

    def __str__(self) -> str:
        return self.bilingual()
