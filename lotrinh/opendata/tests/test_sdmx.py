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
