"""The catalogue in DCAT-AP 3 (RDF: Turtle, JSON-LD, RDF/XML), paged with Hydra as ckanext-dcat pages it.

URIs follow ckanext-dcat: the catalogue is the site's address, a dataset `<site>/dataset/<name>`,
a distribution `<site>/dataset/<name>/resource/<id>`. Objects of properties whose range DCAT-AP
names (publisher, licence, format, media type, frequency, theme) are typed in the graph, so that
the graph passes the official SHACL shapes on its own.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from lotrinh.opendata.catalogue import FORMATS, Dataset
from lotrinh.opendata.ckan import resource_dicts
from lotrinh.opendata.licences import current_licence

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
PER_PAGE = 100
# The EU file types have one entry for every SDMX format.
EU_FILE_TYPES = {"SDMX-CSV": "SDMX", "SDMX-JSON": "SDMX"}
CATALOGUE_TITLE = {"vi": "Lộ Trình — Cổng dữ liệu mở", "en": "Lộ Trình — open data portal"}
CATALOGUE_DESCRIPTION = {
    "vi": "Số liệu chuyển đổi số đã phê duyệt, không thuộc bí mật nhà nước, theo tỉnh, "
    "và mục tiêu của từng chương trình.",
    "en": "Approved, non-confidential digital-transformation figures by province, and every "
    "programme's targets.",
}
# RDF serialisations: (rdflib format, media type), by the address's extension.
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "xml": ("xml", "application/rdf+xml"),
    "rdf": ("xml", "application/rdf+xml"),
}


@dataclass(frozen=True)
class Page:
    number: int
    total: int

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.total / PER_PAGE))


def _bind(graph: Graph) -> None:
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("hydra", HYDRA),
    ):
        graph.bind(prefix, namespace)


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=language)))


def _typed(graph: Graph, uri: str, kind: URIRef) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, kind))
    return node


def _moment(value: datetime.datetime | None) -> Literal | None:
    if value is None:
        return None
    return Literal(value.astimezone(datetime.UTC).isoformat(), datatype=XSD.dateTime)


def _agent(graph: Graph, uri: str, name: str) -> URIRef:
    agent = _typed(graph, uri, FOAF.Agent)
    graph.add((agent, FOAF.name, Literal(name, lang="vi")))
    return agent


def add_dataset(graph: Graph, dataset: Dataset, site: str) -> URIRef:
    """The dataset's triples, with its publisher and distributions; returns its URI."""
    uri = URIRef(f"{site}/dataset/{dataset.name}")
    licence = _typed(graph, current_licence().url, DCTERMS.LicenseDocument)
    graph.add((uri, RDF.type, DCAT.Dataset))
    _texts(graph, uri, DCTERMS.title, {"vi": dataset.title, "en": dataset.title_en})
    graph.add((uri, DCTERMS.description, Literal(dataset.description, lang="vi")))
    graph.add((uri, DCTERMS.identifier, Literal(dataset.name)))
    for tag in dataset.tags:
        graph.add((uri, DCAT.keyword, Literal(tag)))
    for predicate, moment in (
        (DCTERMS.issued, dataset.created),
        (DCTERMS.modified, dataset.modified),
    ):
        if (literal := _moment(moment)) is not None:
            graph.add((uri, predicate, literal))
    page = _typed(graph, f"{site}/dataset/{dataset.name}/", FOAF.Document)
    graph.add((uri, DCAT.landingPage, page))
    organisation = dataset.organisation
    graph.add(
        (
            uri,
            DCTERMS.publisher,
            _agent(graph, f"{site}/organization/{organisation.name}", organisation.title),
        )
    )
    graph.add(
        (uri, DCTERMS.accrualPeriodicity, _typed(graph, f"{EU}frequency/IRREG", DCTERMS.Frequency))
    )
    theme = _typed(graph, f"{EU}data-theme/GOVE", SKOS.Concept)
    graph.add((theme, SKOS.prefLabel, Literal("Government and public sector", lang="en")))
    graph.add((uri, DCAT.theme, theme))
    graph.add((uri, DCTERMS.language, _typed(graph, f"{EU}language/VIE", DCTERMS.LinguisticSystem)))
    if dataset.years:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(datetime.date(dataset.years[0], 1, 1))))
        graph.add((period, DCAT.endDate, Literal(datetime.date(dataset.years[-1], 12, 31))))
        graph.add((uri, DCTERMS.temporal, period))
    for resource in resource_dicts(dataset, site):
        distribution = URIRef(f"{site}/dataset/{dataset.name}/resource/{resource['id']}")
        graph.add((uri, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(resource["name"], lang="vi")))
        graph.add((distribution, DCAT.accessURL, URIRef(resource["url"])))
        graph.add((distribution, DCAT.downloadURL, URIRef(resource["url"])))
        graph.add((distribution, DCTERMS.license, licence))
        file_kind = EU_FILE_TYPES.get(resource["format"], resource["format"])
        file_type = _typed(graph, f"{EU}file-type/{file_kind}", DCTERMS.MediaTypeOrExtent)
        graph.add((distribution, DCTERMS.format, file_type))
        media = _typed(graph, IANA + resource["mimetype"], DCTERMS.MediaType)
        graph.add((distribution, DCAT.mediaType, media))
        if resource["format"].startswith("SDMX"):
            standard = _typed(graph, site + reverse("sdmx-structure"), DCTERMS.Standard)
            graph.add((distribution, DCTERMS.conformsTo, standard))
    return uri


def add_catalogue(graph: Graph, site: str) -> URIRef:
    catalogue = URIRef(f"{site}/")
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(graph, catalogue, DCTERMS.title, CATALOGUE_TITLE)
    _texts(graph, catalogue, DCTERMS.description, CATALOGUE_DESCRIPTION)
    graph.add((catalogue, DCTERMS.publisher, _agent(graph, f"{site}/", "Lộ Trình")))
    graph.add(
        (catalogue, DCTERMS.language, _typed(graph, f"{EU}language/VIE", DCTERMS.LinguisticSystem))
    )
    graph.add(
        (catalogue, DCTERMS.license, _typed(graph, current_licence().url, DCTERMS.LicenseDocument))
    )
    graph.add((catalogue, FOAF.homepage, _typed(graph, f"{site}/dataset/", FOAF.Document)))
    # The ledger's signed tree head: anyone can check that published reports were not rewritten.
    graph.add((catalogue, RDFS.seeAlso, URIRef(site + reverse("ledger:sth"))))
    return catalogue


def catalogue_graph(datasets: list[Dataset], site: str, page: Page, address: str) -> Graph:
    """One page of the catalogue: the catalogue, this page's datasets and Hydra paging links
    (`address` is the page's own address without `page`)."""
    graph = Graph()
    _bind(graph)
    catalogue = add_catalogue(graph, site)
    for dataset in datasets:
        graph.add((catalogue, DCAT.dataset, add_dataset(graph, dataset, site)))
    if page.total > PER_PAGE:
        joined = "&" if "?" in address else "?"
        address += joined
        paged = URIRef(f"{address}page={page.number}")
        graph.add((paged, RDF.type, HYDRA.PagedCollection))
        graph.add((paged, HYDRA.totalItems, Literal(page.total)))
        graph.add((paged, HYDRA.itemsPerPage, Literal(PER_PAGE)))
        graph.add((paged, HYDRA.firstPage, Literal(f"{address}page=1")))
        graph.add((paged, HYDRA.lastPage, Literal(f"{address}page={page.last}")))
        if page.number < page.last:
            graph.add((paged, HYDRA.nextPage, Literal(f"{address}page={page.number + 1}")))
        if page.number > 1:
            graph.add((paged, HYDRA.previousPage, Literal(f"{address}page={page.number - 1}")))
    return graph


def dataset_graph(dataset: Dataset, site: str) -> Graph:
    graph = Graph()
    _bind(graph)
    add_dataset(graph, dataset, site)
    return graph


def serialise(graph: Graph, extension: str) -> bytes:
    rdflib_format, _media = SERIALISATIONS[extension]
    return graph.serialize(format=rdflib_format, encoding="utf-8")


__all__ = [
    "FORMATS",
    "PER_PAGE",
    "SERIALISATIONS",
    "Page",
    "catalogue_graph",
    "dataset_graph",
    "serialise",
]
