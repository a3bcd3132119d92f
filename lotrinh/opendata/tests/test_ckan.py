"""The CKAN Action API: CKAN's envelopes, errors and field names, read by CKAN's own client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest

from lotrinh.opendata.catalogue import list_datasets

pytestmark = pytest.mark.django_db

GIA_LAI_RECORDS = "ho-so-cong-viec-truc-tuyen-gia-lai"


def call(client, name, method="get", **params):
    if method == "post":
        return client.post(f"/api/3/action/{name}", params, content_type="application/json")
    return client.get(f"/api/3/action/{name}", params)


def test_package_list_names_every_dataset_at_both_addresses(client):
    names = [d.name for d in list_datasets()]
    for address in ("/api/3/action/package_list", "/api/action/package_list"):
        response = client.get(address)
        assert response.status_code == 200, address
        body = response.json()
        assert body["success"] is True and body["result"] == names
        assert body["help"].endswith("/api/3/action/help_show?name=package_list")


def test_package_show_by_name_and_by_id_give_the_same_package(client):
    by_name = call(client, "package_show", id=GIA_LAI_RECORDS).json()["result"]
    by_id = call(client, "package_show", "post", id=by_name["id"]).json()["result"]
    assert by_name == by_id
    assert by_name["organization"]["name"] == "gia-lai"
    assert by_name["license_id"] == "cc-by" and by_name["isopen"] is True
    formats = [r["format"] for r in by_name["resources"]]
    assert formats == ["CSV", "XLSX", "JSON", "SDMX-CSV", "SDMX-JSON"]
    assert "T" in by_name["metadata_modified"] and "+" not in by_name["metadata_modified"]


def test_errors_use_ckans_statuses_and_types(client):
    missing = call(client, "package_show", id="khong-co")
    assert missing.status_code == 404
    assert missing.json()["error"]["__type"] == "Not Found Error"
    no_id = call(client, "package_show", "post")
    assert no_id.status_code == 409
    assert no_id.json()["error"]["__type"] == "Validation Error" and "id" in no_id.json()["error"]
    unknown = client.get("/api/3/action/package_delete")
    assert unknown.status_code == 400 and isinstance(unknown.json(), str)
    bad_json = client.post("/api/3/action/package_list", "{nope", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json.json().startswith("Bad request - JSON Error")
    bad_query = call(client, "package_search", q="khong_co_truong:x")
    assert bad_query.status_code == 400
    assert bad_query.json()["error"]["__type"] == "Search Query Error"


def test_package_search_pages_filters_and_counts_facets(client):
    everything = call(client, "package_search", rows=1000).json()["result"]
    assert everything["count"] == len(list_datasets())
    found = call(
        client,
        "package_search",
        "post",
        q="ho so cong viec",
        fq="organization:gia-lai",
        rows=1,
        **{"facet.field": ["organization", "res_format"]},
    ).json()["result"]
    assert found["count"] >= 1 and len(found["results"]) == 1
    assert found["facets"]["organization"] == {"gia-lai": found["count"]}
    assert found["search_facets"]["res_format"]["items"][0]["count"] == found["count"]
    beyond = call(client, "package_search", q="gia lai", start=10_000).json()["result"]
    assert beyond["results"] == [] and beyond["count"] > 0
    excluded = call(client, "package_search", q="-organization:gia-lai", rows=1000).json()
    assert all(p["organization"]["name"] != "gia-lai" for p in excluded["result"]["results"])


def test_datastore_search_filters_sorts_and_links_pages(client):
    result = call(
        client,
        "datastore_search",
        resource_id=f"{GIA_LAI_RECORDS}-csv",
        limit=2,
        sort="period_end desc",
    ).json()["result"]
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert len(result["records"]) == min(2, result["total"])
    days = [r["period_end"] for r in result["records"]]
    assert days == sorted(days, reverse=True)
    assert "offset=2" in result["_links"]["next"]
    year = result["records"][0]["year"]
    filtered = call(
        client,
        "datastore_search",
        "post",
        resource_id=f"{GIA_LAI_RECORDS}-csv",
        filters={"year": year},
    ).json()["result"]
    assert filtered["total"] >= 1 and {r["year"] for r in filtered["records"]} == {year}
    unknown = call(client, "datastore_search", resource_id=f"{GIA_LAI_RECORDS}-csv", sort="x")
    assert unknown.status_code == 409


def test_api_addresses_are_never_redirected(client):
    for address in ("/api/3/action/package_list", "/api/action/status_show", "/api/3"):
        assert client.get(address).status_code == 200, address


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_ckanapi_client_and_command_read_the_portal(live_server, tmp_path):
    # Closed at the end of the block: an open keep-alive connection would hold a server thread.
    with ckanapi.RemoteCKAN(live_server.url) as portal:
        names = portal.action.package_list()
        assert GIA_LAI_RECORDS in names
        found = portal.action.package_search(q="ho so cong viec", rows=5, start=0, sort="name asc")
        assert found["count"] >= 1
        with pytest.raises(ckanapi.NotFound):
            portal.action.package_show(id="khong-co")
        fields = portal.action.datastore_search(resource_id=f"{GIA_LAI_RECORDS}-csv", limit=0)
        assert fields["records"] == [] and fields["total"] > 0

    command = Path(sys.executable).parent / "ckanapi"
    environment = {**os.environ, "PATH": f"{command.parent}{os.pathsep}{os.environ['PATH']}"}

    def run(*arguments):
        done = subprocess.run(  # noqa: S603 -- the client's own command, with fixed arguments
            [str(command), *arguments, "-r", live_server.url],
            capture_output=True,
            text=True,
            env=environment,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert json.loads(run("action", "package_list", "-g")) == names
    searched = [json.loads(line) for line in run("search", "datasets", "q=gia lai").splitlines()]
    assert searched and all("gia" in p["name"] or "Gia" in p["title"] for p in searched)
    dumped = tmp_path / "datasets.jsonl"
    run("dump", "datasets", "--all", "-O", str(dumped), "-q")
    packages = [json.loads(line) for line in dumped.read_text().splitlines()]
    assert sorted(p["name"] for p in packages) == sorted(names)


def test_package_search_gives_the_packages_package_show_gives_and_only_the_fields_asked(client):
    found = call(client, "package_search", q="ho so cong viec", fq="organization:gia-lai")
    package = found.json()["result"]["results"][0]
    shown = call(client, "package_show", id=package["name"]).json()["result"]
    assert package == shown
    narrow = call(client, "package_search", "post", q="gia lai", rows=3, fl=["name", "title"])
    results = narrow.json()["result"]["results"]
    assert results and all(set(p) == {"name", "title"} for p in results)
    listed = call(client, "package_search", q="gia lai", rows=3, fl="name,id").json()["result"]
    assert all(set(p) == {"name", "id"} for p in listed["results"])


def test_the_catalogue_page_and_package_search_find_the_same_datasets(client):
    found = call(client, "package_search", q="ho so", fq="year:2025", rows=1000, sort="name asc")
    names = [p["name"] for p in found.json()["result"]["results"]]
    page = client.get("/dataset/", {"q": "ho so", "year": "2025"}).content.decode()
    assert names and f"{len(names)} " in page
    assert all(f"/dataset/{name}/" in page for name in names[:25])


def test_datastore_search_gives_records_as_objects_lists_or_csv_and_distinct_values(client):
    resource = f"{GIA_LAI_RECORDS}-csv"
    objects = call(client, "datastore_search", resource_id=resource, fields="_id,year,value")
    records = objects.json()["result"]["records"]
    assert records and set(records[0]) == {"_id", "year", "value"}
    lists = call(
        client,
        "datastore_search",
        resource_id=resource,
        fields="_id,year,value",
        records_format="lists",
    ).json()["result"]
    assert lists["records_format"] == "lists"
    assert lists["records"] == [[r["_id"], r["year"], r["value"]] for r in records]
    as_csv = call(
        client,
        "datastore_search",
        resource_id=resource,
        fields="_id,year",
        records_format="csv",
    ).json()["result"]["records"]
    assert as_csv.splitlines() == [f"{r['_id']},{r['year']}" for r in records]
    years = call(
        client, "datastore_search", resource_id=resource, fields="year", distinct="true"
    ).json()["result"]
    assert sorted(r["year"] for r in years["records"]) == sorted({r["year"] for r in records})
    assert years["total"] == len({r["year"] for r in records})
    wrong = call(client, "datastore_search", resource_id=resource, records_format="xml")
    assert wrong.status_code == 409 and "records_format" in wrong.json()["error"]


def test_datastore_search_pages_by_key_with_next_page(client):
    resource = f"{GIA_LAI_RECORDS}-csv"
    first = call(
        client, "datastore_search", "post", resource_id=resource, limit=2, include_next_page=True
    ).json()["result"]
    assert first["total"] > 2, "the dataset has more than one page of two"
    assert first["next_page"] == {"_id": {"gt": first["records"][-1]["_id"]}}
    second = call(
        client,
        "datastore_search",
        "post",
        resource_id=resource,
        limit=2,
        filters=first["next_page"],
    ).json()["result"]
    assert second["records"][0]["_id"] == first["records"][-1]["_id"] + 1
    assert "offset=2" in first["_links"]["next"]


def test_the_datastore_dump_gives_a_resource_as_csv_tsv_or_json(client):
    import csv
    import io

    resource = f"{GIA_LAI_RECORDS}-csv"
    total = call(client, "datastore_search", resource_id=resource, limit=0).json()["result"]
    response = client.get(f"/datastore/dump/{resource}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == total["total"] and list(rows[0])[0] == "_id"
    tsv = client.get(f"/datastore/dump/{resource}", {"format": "tsv", "limit": 2}).content
    assert tsv.decode().splitlines()[0].split("\t")[:2] == ["_id", "period_end"]
    assert len(tsv.decode().splitlines()) == 3
    document = client.get(f"/datastore/dump/{resource}", {"format": "json"}).json()
    assert document["fields"][0]["id"] == "_id" and len(document["records"]) == total["total"]
    with_bom = client.get(f"/datastore/dump/{resource}", {"bom": "true"}).content
    assert with_bom.startswith(b"\xef\xbb\xbf")
    assert client.get("/datastore/dump/khong-co-csv").status_code == 404
    assert client.get(f"/datastore/dump/{resource}", {"format": "exe"}).status_code == 400


def _jsonp_body(response, callback):
    """The JSON a JSONP answer passes to `callback`."""
    text = response.content.decode()
    prefix, suffix = f"/**/{callback}(", ");"
    assert text.startswith(prefix) and text.endswith(suffix), text[:80]
    return json.loads(text[len(prefix) : -len(suffix)])


def test_a_get_with_a_callback_is_answered_as_jsonp_as_ckan_does(client):
    plain = call(client, "package_show", id=GIA_LAI_RECORDS)
    wrapped = call(client, "package_show", id=GIA_LAI_RECORDS, callback="jQuery3710_1733$cb")
    assert wrapped.status_code == 200
    assert wrapped["Content-Type"] == "application/javascript;charset=utf-8"
    assert wrapped["X-Content-Type-Options"] == "nosniff"
    assert _jsonp_body(wrapped, "jQuery3710_1733$cb") == plain.json()
    # Errors come wrapped too, with their own status, so the page's function sees them.
    missing = call(client, "package_show", id="khong-co", callback="cb")
    assert missing.status_code == 404
    assert _jsonp_body(missing, "cb")["error"]["__type"] == "Not Found Error"
    records = call(client, "datastore_search", resource_id=f"{GIA_LAI_RECORDS}-csv", callback="f")
    assert _jsonp_body(records, "f")["result"]["records"]
    # A POST's callback is not read, as in CKAN: the answer stays JSON.
    posted = client.post(
        "/api/3/action/package_list?callback=cb", "{}", content_type="application/json"
    )
    assert posted["Content-Type"].startswith("application/json")
    assert posted.json()["success"] is True


@pytest.mark.parametrize(
    "callback",
    [
        "",
        "alert(1)",
        "a.b",
        "1abc",
        "cb;alert(1)//",
        "<script>",
        "ham_số",  # a letter outside ASCII
        "function",
        "x" * 129,
        "cb\n",
    ],
)
def test_a_callback_that_is_not_a_plain_javascript_identifier_is_refused(client, callback):
    response = call(client, "package_list", callback=callback)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == "Validation Error"
    message = body["error"]["callback"][0]
    assert "định danh JavaScript" in message and "JavaScript identifier" in message
    assert callback not in response.content.decode() or not callback
