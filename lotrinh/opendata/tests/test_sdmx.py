"""SDMX downloads read back by the SDMX libraries: pysdmx (SDMX-CSV 2.0) and sdmx1 (SDMX-JSON 1.0)."""

from __future__ import annotations

import csv
import io

import pytest

pysdmx_io = pytest.importorskip("pysdmx.io", reason="pysdmx[data] is not installed")
sdmx = pytest.importorskip("sdmx", reason="sdmx1 is not installed")

pytestmark = pytest.mark.django_db

GIA_LAI_RECORDS = "ho-so-cong-viec-truc-tuyen-gia-lai"


def our_figures(client):
    body = client.get(f"/dataset/{GIA_LAI_RECORDS}/download/csv").content.decode("utf-8-sig")
    return {
        (r["period_end"], round(float(r["value"]), 4)) for r in csv.DictReader(io.StringIO(body))
    }


def test_pysdmx_reads_the_sdmx_csv_with_the_same_figures(client, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(client.get(f"/dataset/{GIA_LAI_RECORDS}/download/sdmx-csv").content)
    message = pysdmx_io.read_sdmx(str(path))
    frame = message.data[0].data
    assert "LOTRINH:DF_INDICATORS(1.0)" in message.data[0].short_urn
    read = {(r.TIME_PERIOD, round(float(r.OBS_VALUE), 4)) for r in frame.itertuples()}
    assert read == our_figures(client)
    assert set(frame.REF_AREA) == {"S2025_52"}


def test_sdmx1_reads_the_sdmx_json_with_the_same_figures(client, tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(client.get(f"/dataset/{GIA_LAI_RECORDS}/download/sdmx-json").content)
    message = sdmx.read_sdmx(str(path))
    series = sdmx.to_pandas(message.data[0])
    read = {(key[-1], round(float(value), 4)) for key, value in series.items()}
    assert read == our_figures(client)


def test_a_programme_has_no_sdmx_download(client):
    assert client.get("/dataset/chi-tieu-binh-dinh-05-nq-tu/download/sdmx-csv").status_code == 404


STRUCTURE = "/sdmx/datastructure/LOTRINH/DSD_INDICATORS/1.0"


def test_sdmx1_reads_the_structure_and_with_it_the_sdmx_csv(client, tmp_path):
    response = client.get(STRUCTURE)
    assert response["Content-Type"].startswith("application/vnd.sdmx.structure+xml")
    path = tmp_path / "structure.xml"
    path.write_bytes(response.content)
    message = sdmx.read_sdmx(str(path))
    structure = message.structure["DSD_INDICATORS"]
    assert [d.id for d in structure.dimensions] == ["INDICATOR", "REF_AREA", "TIME_PERIOD"]
    assert [m.id for m in structure.measures] == ["OBS_VALUE"]
    assert message.dataflow["DF_INDICATORS"].structure is structure
    assert "S2025_52" in message.codelist["CL_AREA"]
    assert "ho-so-cong-viec-truc-tuyen" in message.codelist["CL_INDICATOR"]

    data = tmp_path / "data.csv"
    data.write_bytes(client.get(f"/dataset/{GIA_LAI_RECORDS}/download/sdmx-csv").content)
    series = sdmx.to_pandas(sdmx.read_sdmx(str(data), structure=structure).data[0])
    read = {(key[-1], round(float(value), 4)) for key, value in series.items()}
    assert read == our_figures(client)


def test_each_indicator_dataset_lists_its_sdmx_files_as_resources(client):
    package = client.get("/api/3/action/package_show", {"id": GIA_LAI_RECORDS}).json()["result"]
    resources = {r["format"]: r for r in package["resources"]}
    assert resources["SDMX-CSV"]["mimetype"] == "application/vnd.sdmx.data+csv"
    assert resources["SDMX-JSON"]["url"].endswith(f"/dataset/{GIA_LAI_RECORDS}/download/sdmx-json")
    assert STRUCTURE in resources["SDMX-CSV"]["description"]
    body = client.get(resources["SDMX-CSV"]["url"].split("testserver", 1)[-1]).content
    assert body.startswith(b"STRUCTURE,STRUCTURE_ID")
