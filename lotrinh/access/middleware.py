"""Holds a signed-in user at the second-factor pages until `two_factor.step_needed` is satisfied."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_noop

from lotrinh.access.two_factor import VERIFY, step_needed

# The pages a user held for a second factor may still open.
OPEN_WHILE_HELD = frozenset(
    {"two-factor-verify", "two-factor-setup", "logout", "set_language", "javascript-catalog"}
)
SECOND_FACTOR_NEEDED = gettext_noop(
    "This session has not answered its second factor yet: open the site, type the code of your "
    "authenticator app, then try again."
)


class SecondFactorRequired:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = step_needed(request)
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from lotrinh.api.errors import in_both_languages

            return JsonResponse(in_both_languages(SECOND_FACTOR_NEEDED), status=403)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in OPEN_WHILE_HELD:
            return self.get_response(request)
        page = reverse("two-factor-verify" if step == VERIFY else "two-factor-setup")
        following = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{page}?{urlencode({'next': following})}")
