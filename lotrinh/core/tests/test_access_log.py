"""The server's access log never holds a working password reset link."""

import datetime
from types import SimpleNamespace

from gunicorn.config import Config

from lotrinh.core.access_log import TokenHidingLogger, hide_reset_tokens

TOKEN_PATH = "/accounts/reset/MQ/cj1x7k-2a4e0f3b9c8d7e6f5a4b3c2d1e0f9a8b/"


def test_reset_tokens_are_hidden_and_other_paths_kept():
    assert hide_reset_tokens(TOKEN_PATH) == "/accounts/reset/MQ/[hidden]/"
    assert hide_reset_tokens("/en/accounts/reset/MQ/set-password/") == (
        "/en/accounts/reset/MQ/set-password/"
    )
    assert hide_reset_tokens("/programmes/binh-dinh-05-nq-tu/") == "/programmes/binh-dinh-05-nq-tu/"


def test_the_served_access_log_line_has_no_token():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": TOKEN_PATH,
        "PATH_INFO": TOKEN_PATH,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_REFERER": "https://lotrinh.example" + TOKEN_PATH,
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = TokenHidingLogger(Config()).atoms(
        response, request, environ, datetime.timedelta(milliseconds=5)
    )
    assert "cj1x7k" not in repr(atoms)
    assert atoms["U"] == "/accounts/reset/MQ/[hidden]/"
