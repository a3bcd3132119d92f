"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def language_links(request: HttpRequest) -> dict[str, object]:
    """Links to this page in the other languages (/programmes/ ⇄ /en/programmes/).

    Plain links rather than Django's set_language form: the URL prefix decides the language, and
    set_language cannot translate a prefixed URL back to the unprefixed default language.
    """
    current = get_language()
    links = [
        {
            "code": code,
            "name": {"vi": "Tiếng Việt", "en": "English"}.get(code, code),
            "url": translate_url(request.get_full_path(), code),
        }
        for code, _name in settings.LANGUAGES
        if code != current
    ]
    return {"language_links": links}
