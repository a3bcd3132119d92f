"""A large download prepared in the background: its page (refreshing until ready) and its file."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lotrinh.core.jobs import File, file_response, prepared_of
from lotrinh.core.models import PreparedState


@login_required
def prepared_file(request: HttpRequest, prepared_id: int) -> HttpResponse:
    prepared = prepared_of(request.user, prepared_id)
    if prepared.state == PreparedState.READY and prepared.opens:
        return redirect(prepared.opens, prepared.pk)
    context = {
        "prepared": prepared,
        "pending": prepared.state == PreparedState.PENDING,
        "keep_hours": settings.LOTRINH_BACKGROUND_KEEP_HOURS,
    }
    return render(request, "core/prepared_file.html", context)


@login_required
def prepared_file_download(request: HttpRequest, prepared_id: int) -> HttpResponse:
    prepared = prepared_of(request.user, prepared_id)
    if prepared.state != PreparedState.READY:
        return prepared_file(request, prepared_id)
    return file_response(File(prepared.filename, prepared.content_type, bytes(prepared.content)))
