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


class NotFoundIsRoutine(logging.Filter):
    """Log a 404 at INFO, not WARNING: scanners and old links ask for missing addresses all day,
    and warnings should be what someone has to look at."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 404 and record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


# The line django-tasks writes when each task starts and when it ends.
TASK_LINE = "Task id=%s path=%s state=%s"


class TaskLinesOnlyWhenVerbose(logging.Filter):
    """Drop the two INFO lines per task (started, succeeded) unless the worker runs with
    `--verbosity 2`; a failed task is still logged with its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != TASK_LINE or record.levelno > logging.INFO:
            return True
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
