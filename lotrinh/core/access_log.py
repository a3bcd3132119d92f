"""gunicorn's access log without password reset links: `lotrinh serve` logs every request's path,
and a reset path holds a working token for someone's account."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

RESET_TOKEN = re.compile(r"(/reset/[^/\s]+/)(?!set-password/)[^/\s?]+")


def hide_reset_tokens(text: str) -> str:
    return RESET_TOKEN.sub(r"\1[hidden]", text)


class TokenHidingLogger(Logger):
    """gunicorn's logger, with reset tokens taken out of every logged request field."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {k: hide_reset_tokens(v) if isinstance(v, str) else v for k, v in atoms.items()}
