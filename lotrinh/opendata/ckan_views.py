"""The CKAN Action API's address: reads the request as CKAN does and answers in CKAN's envelope.

Never redirects (clients post with redirects off), accepts GET with a query string and POST with
a JSON or form body, and needs no CSRF token: every action only reads published data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from lotrinh.opendata import ckan

JSON_TYPE = "application/json;charset=utf-8"
JSONP_TYPE = "application/javascript;charset=utf-8"
# A JSONP callback is one plain JavaScript identifier (as jQuery's `jQuery3710_1733…` is), never
# an expression: nothing but the name of a function the page defined may precede the answer.
CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]{0,127}")
# Words JavaScript reserves, which cannot name a function.
RESERVED = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "await",
        "arguments",
        "eval",
    ]
)


def site_address(request: HttpRequest) -> str:
    """The site's public address: the setting when given, else as the client reached it."""
    configured: str = settings.LOTRINH_SITE_URL
    return configured or request.build_absolute_uri("/").rstrip("/")


def _answer(body: object, status: int = 200) -> HttpResponse:
    text = ckan.encode(body)
    return HttpResponse(text, status=status, content_type=JSON_TYPE)


class BadRequest(Exception):  # noqa: N818 -- CKAN's bare-string 400
    pass


def _parameters(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST":
        if request.content_type == "application/json" or not request.POST:
            raw = request.body.decode("utf-8", errors="replace").strip()
            if not raw:
                return {}
            try:
                found = json.loads(raw)
            except ValueError as error:
                raise BadRequest(f"Bad request - JSON Error: {error}") from None
            if not isinstance(found, dict):
                raise BadRequest(
                    "Bad request - JSON Error: Request data JSON decoded to "
                    f"{found!r} but it needs to be a dictionary."
                )
            return found
        return {k: v[0] if len(v) == 1 else v for k, v in request.POST.lists()}
    return {k: v[0] if len(v) == 1 else v for k, v in request.GET.lists()}


def _failure(help_url: str, kind: str, message: str) -> dict[str, object]:
    return {"help": help_url, "success": False, "error": {"__type": kind, "message": message}}


def _callback(request: HttpRequest) -> str | None:
    """The JSONP callback a GET asks for (`callback`, as CKAN reads it), or None; a POST's is
    ignored, as CKAN does. Raises ValueError for anything but a plain JavaScript identifier."""
    if request.method not in ("GET", "HEAD") or "callback" not in request.GET:
        return None
    name = request.GET["callback"]
    if not CALLBACK.fullmatch(name) or name in RESERVED:
        raise ValueError(name)
    return name


def _jsonp(response: HttpResponse, callback: str) -> HttpResponse:
    """The answer as a call of `callback`, typed as JavaScript and never sniffed as anything
    else; the leading comment keeps the body from starting with the bytes the client chose
    (the Rosetta Flash defence)."""
    response.content = b"/**/" + callback.encode() + b"(" + response.content + b");"
    response["Content-Type"] = JSONP_TYPE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt
def action(request: HttpRequest, name: str, version: str = "3") -> HttpResponse:
    site = site_address(request)
    help_url = f"{site}/api/3/action/help_show?name={name}"
    try:
        callback = _callback(request)
    except ValueError:
        failure = {
            "__type": "Validation Error",
            "callback": [
                "Tên hàm callback phải là một định danh JavaScript (chữ cái Latinh, chữ số, _ "
                "hoặc $, không bắt đầu bằng chữ số, tối đa 128 ký tự) / The callback must be a "
                "JavaScript identifier (Latin letters, digits, _ or $, not starting with a "
                "digit, at most 128 characters)"
            ],
        }
        return _answer({"help": help_url, "success": False, "error": failure}, 400)
    response = _handled(request, name, site, help_url)
    return _jsonp(response, callback) if callback else response


def _handled(request: HttpRequest, name: str, site: str, help_url: str) -> HttpResponse:
    handler = ckan.ACTIONS.get(name)
    if handler is None:
        return _answer(f"Bad request - Action name not known: {name}", 400)
    if request.method not in ("GET", "POST", "HEAD"):
        return _answer(f"Bad request - Method not allowed: {request.method}", 405)
    try:
        params = _parameters(request)
    except BadRequest as error:
        return _answer(str(error), 400)
    try:
        result = handler(params, site)
    except ckan.NotFound as error:
        return _answer(_failure(help_url, "Not Found Error", f"Not found: {error}"), 404)
    except ckan.ValidationError as error:
        failure = {"__type": "Validation Error", **error.errors}
        return _answer({"help": help_url, "success": False, "error": failure}, 409)
    except ckan.SearchQueryError as error:
        message = f"Search Query is invalid: {error}"
        return _answer(_failure(help_url, "Search Query Error", message), 400)
    return _answer({"help": help_url, "success": True, "result": result})


def api_version(request: HttpRequest, version: str = "1") -> HttpResponse:
    return _answer({"version": int(version)})


DUMP_TYPES = {
    "csv": ("text/csv; charset=utf-8", ","),
    "tsv": ("text/tab-separated-values; charset=utf-8", "\t"),
}


def datastore_dump(request: HttpRequest, resource_id: str) -> HttpResponse:
    """A resource's records as a file, as CKAN's `/datastore/dump/<id>` gives them: CSV (the
    default), TSV or JSON, with `q`, `filters`, `sort`, `fields`, `limit`, `offset` and `bom`."""
    params: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in request.GET.lists()}
    params["resource_id"] = resource_id
    kind = str(params.get("format") or "csv").lower()
    if kind not in (*DUMP_TYPES, "json"):
        return _answer({"format": [f"csv, tsv or json, not {kind!r} (định dạng không có)"]}, 400)
    try:
        rows = ckan.datastore_rows(params)
        offset = ckan.integer(params, "offset", 0)
        limit = ckan.integer(params, "limit", len(rows.records))
    except ckan.NotFound as error:
        return _answer({"error": f"Not found: {error}"}, 404)
    except ckan.ValidationError as error:
        return _answer(error.errors, 400)
    records = rows.records[offset : offset + limit]
    if kind == "json":
        fields = ckan.datastore_fields(rows.columns, rows.shown)
        body = ckan.encode(
            {"fields": fields, "records": [[r[f] for f in rows.shown] for r in records]}
        )
        response = HttpResponse(body, content_type=JSON_TYPE)
    else:
        media, delimiter = DUMP_TYPES[kind]
        text = ckan.delimited([{f: f for f in rows.shown}], rows.shown, delimiter)
        text += ckan.delimited(records, rows.shown, delimiter)
        bom = "\ufeff" if ckan.boolean(params, "bom", False) else ""
        response = HttpResponse((bom + text).encode("utf-8"), content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{resource_id}.{kind}"'
    return response
