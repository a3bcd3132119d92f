"""Logging filters: what the server log keeps of a request that went wrong."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """Drop the traceback of a 4xx response (a refused permission, a page not found).

    Django logs PermissionDenied with its exception; the refusal is expected behaviour, so one
    WARNING line with the path is enough and real 5xx tracebacks stay easy to find.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
