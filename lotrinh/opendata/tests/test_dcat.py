"""The DCAT-AP 3 catalogue: read by rdflib in every serialisation, valid against the official
shapes, paged with Hydra; and the Project Open Data data.json."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from lotrinh.opendata import dcat
from lotrinh.opendata.catalogue import list_datasets

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).parent / "data" / "dcat-ap-SHACL.ttl"
GIA_LAI_RECORDS = "ho-so-cong-viec-truc-tuyen-gia-lai"
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "xml": "xml"}


def graph_of(client, address, extension):
    response = client.get(address)
    assert response.status_code == 200, address
    return Graph().parse(data=response.content, format=FORMATS[extension])


@pytest.mark.parametrize("extension", FORMATS)
def test_the_catalogue_lists_every_dataset_in_each_serialisation(client, extension):
    graph = graph_of(client, f"/catalog.{extension}", extension)
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1
    listed = {str(d).rsplit("/", 1)[1] for d in graph.objects(catalogues[0], DCAT.dataset)}
    assert listed == {d.name for d in list_datasets()[: dcat.PER_PAGE]}


def test_the_catalogue_and_a_dataset_conform_to_dcat_ap_3():
    shapes = Graph().parse(SHAPES, format="turtle")
    for address, extension in (
        ("/catalog.ttl", "ttl"),
        (f"/dataset/{GIA_LAI_RECORDS}.jsonld", "jsonld"),
    ):
        graph = graph_of(Client(), address, extension)
        conforms, _graph, report = validate(graph, shacl_graph=shapes, inference="none")
        assert conforms, f"{address}:\n{report}"


def test_a_graph_missing_a_mandatory_title_fails_the_shapes(client):
    shapes = Graph().parse(SHAPES, format="turtle")
    graph = graph_of(client, f"/dataset/{GIA_LAI_RECORDS}.ttl", "ttl")
    graph.remove((None, DCTERMS.title, None))
    conforms, _graph, _report = validate(graph, shacl_graph=shapes, inference="none")
    assert not conforms


def test_a_dataset_carries_its_distributions_licence_and_publisher(client):
    graph = graph_of(client, f"/dataset/{GIA_LAI_RECORDS}.ttl", "ttl")
    dataset = URIRef(f"http://testserver/dataset/{GIA_LAI_RECORDS}")
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 5  # CSV, XLSX, JSON, SDMX-CSV, SDMX-JSON
    urls = {str(graph.value(d, DCAT.downloadURL)): d for d in distributions}
    assert f"http://testserver/dataset/{GIA_LAI_RECORDS}/download/csv" in urls
    sdmx_csv = urls[f"http://testserver/dataset/{GIA_LAI_RECORDS}/download/sdmx-csv"]
    structure = "http://testserver/sdmx/datastructure/LOTRINH/DSD_INDICATORS/1.0"
    assert str(graph.value(sdmx_csv, DCTERMS.conformsTo)) == structure
    licences = {str(graph.value(d, DCTERMS.license)) for d in distributions}
    assert licences == {"https://creativecommons.org/licenses/by/4.0/"}
    assert graph.value(dataset, DCTERMS.publisher) is not None


def test_the_catalogue_is_paged_with_hydra(client, monkeypatch):
    monkeypatch.setattr(dcat, "PER_PAGE", 2)
    hydra = dcat.HYDRA
    first = graph_of(client, "/catalog.ttl", "ttl")
    pages = list(first.subjects(RDF.type, hydra.PagedCollection))
    assert len(pages) == 1
    assert int(first.value(pages[0], hydra.totalItems)) == len(list_datasets())
    assert str(first.value(pages[0], hydra.nextPage)).endswith("/catalog.ttl?page=2")
    assert len(list(first.objects(None, DCAT.dataset))) == 2
    last = int(str(first.value(pages[0], hydra.lastPage)).rsplit("=", 1)[1])
    final = graph_of(client, f"/catalog.ttl?page={last}", "ttl")
    assert next(final.objects(None, hydra.nextPage), None) is None
    assert next(final.objects(None, hydra.previousPage), None) is not None


def test_an_unknown_dataset_has_no_rdf(client):
    assert client.get("/dataset/khong-co.ttl").status_code == 404


def test_data_json_follows_project_open_data(client):
    document = client.get("/data.json").json()
    assert document["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert len(document["dataset"]) == len(list_datasets())
    required = {
        "title",
        "description",
        "keyword",
        "modified",
        "publisher",
        "contactPoint",
        "identifier",
        "accessLevel",
    }
    for entry in document["dataset"]:
        assert required <= set(entry), entry["identifier"]
        assert entry["keyword"] and entry["contactPoint"]["hasEmail"].startswith("mailto:")
        assert all("/" in d["mediaType"] for d in entry["distribution"])


def test_the_catalogue_is_chosen_by_q_fq_and_modified_since(client):
    everything = graph_of(client, "/catalog.ttl?page=1", "ttl")
    searched = graph_of(client, "/catalog.ttl?q=ho+so&fq=organization:gia-lai", "ttl")
    names = {str(d).rsplit("/", 1)[1] for d in searched.objects(None, DCAT.dataset)}
    assert GIA_LAI_RECORDS in names and all("gia-lai" in n for n in names)
    assert len(names) < len(list(everything.objects(None, DCAT.dataset)))
    future = graph_of(client, "/catalog.ttl?modified_since=2999-01-01", "ttl")
    assert list(future.objects(None, DCAT.dataset)) == []
    past = graph_of(client, "/catalog.ttl?modified_since=2000-01-01T00:00:00", "ttl")
    assert len(list(past.objects(None, DCAT.dataset))) > 0
    wrong = client.get("/catalog.ttl", {"modified_since": "hôm qua"})
    assert wrong.status_code == 400 and "ISO 8601" in wrong.content.decode()
    assert client.get("/catalog.ttl", {"fq": "khong_co:x"}).status_code == 400


def test_the_catalogue_and_the_api_guide_link_the_ledgers_signed_tree_head(client):
    from rdflib.namespace import RDFS

    graph = graph_of(client, "/catalog.ttl", "ttl")
    assert str(graph.value(URIRef("http://testserver/"), RDFS.seeAlso)).endswith("/ledger/sth.json")
    assert 'href="/ledger/sth.json"' in client.get("/dataset/api/").content.decode()


POD_SCHEMAS = Path(__file__).parent / "data" / "pod-v1.1"
POD_BASE = "https://project-open-data.cio.gov/v1.1/schema/"


def test_data_json_is_valid_against_the_project_open_data_schema(client, settings):
    # The schema wants a contact address with a domain name (the default names localhost).
    settings.LOTRINH_OPEN_DATA_EMAIL = "du-lieu-mo@so-khcn.gialai.gov.vn"
    import json

    import jsonschema_rs

    catalogue = json.loads((POD_SCHEMAS / "catalog.json").read_text())
    dataset = json.loads((POD_SCHEMAS / "dataset-non-federal.json").read_text())
    registry = jsonschema_rs.Registry([(POD_BASE + "dataset-non-federal.json", dataset)])
    validator = jsonschema_rs.Draft4Validator(
        catalogue, registry=registry, validate_formats=True, base_uri=POD_BASE + "catalog.json"
    )
    document = client.get("/data.json").json()
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    broken = {**document, "dataset": [{**document["dataset"][0], "accessLevel": "open"}]}
    assert not validator.is_valid(broken)  # the schema does check each dataset
