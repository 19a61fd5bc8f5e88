"""Property tests: any CSV or JSON either reads to a consistent frame or is a 4xx error."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pintar_ekspor.analytics.engine import (
    AnalyticsInputError,
    Dataset,
    IngestOptions,
    parse_upload,
)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADERS = [
    "date", "tanggal", "Tahun", "Bulan", "kategori", "Kode HS", "Negara Tujuan", "nilai",
    "Nilai FOB (US$)", "Berat Bersih (Kg)", "value", "x", "",
]  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(
        [
            "2024-01", "2024-02-30", "2023", "Januari", "Q1 2024", "0901", "901", "Jumlah",
            "Total", "1.234.567,89", "1,234,567.89", "812.345", "1,5", "-", "NA", "", "abc",
            "1e400", "Rp 5.000", "=1+1", "2024-03-01T10:00:00Z", "12", "\u00a0", "Côte",
        ]
    ),
    st.text(alphabet="0123456789.,-;\t\"' aZ/|Q\n", max_size=12),
)  # fmt: skip
DELIMS = st.sampled_from([",", ";", "\t", "|"])


def check_consistent(dataset: Dataset) -> None:
    frame = dataset.frame
    assert list(frame.columns) == ["row", "date", "category", "value"]
    assert np.isfinite(frame["value"].to_numpy()).all()
    assert frame["category"].cat.categories.tolist() == sorted(dataset.categories)
    assert not frame.duplicated(["category", "date"]).any()
    keys = list(zip(frame["category"].cat.codes, frame["date"], strict=True))
    assert keys == sorted(keys)
    assert dataset.report.observations_used == len(frame)
    assert (frame["row"] >= 1).all()


def read(data: bytes, **kwargs: Any) -> None:
    error: AnalyticsInputError | None = None
    try:
        dataset = parse_upload(data, options=IngestOptions(max_bad_share=1.0), **kwargs)
    except AnalyticsInputError as exc:  # any other exception fails the test
        error = exc
    if error is None:
        check_consistent(dataset)
        return
    assert 400 <= error.status < 500
    assert error.code
    assert error.message
    json.dumps(error.to_dict())


@SETTINGS
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=7), max_size=25),
    delimiter=DELIMS,
    title=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_csv_reads_or_is_a_4xx(
    header: list[str], rows: list[list[str]], delimiter: str, title: bool, encoding: str
) -> None:
    lines = ([f"Ekspor menurut negara{delimiter}"] if title else []) + [delimiter.join(header)]
    lines += [delimiter.join(row) for row in rows]
    text = "\n".join(lines)
    data = text.encode(encoding, errors="replace")
    read(data, filename="upload.csv")


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    CELLS,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


@SETTINGS
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from(HEADERS), JSON_VALUES, min_size=0, max_size=5),
        max_size=20,
    ),
    wrap=st.booleans(),
)
def test_any_json_reads_or_is_a_4xx(records: list[dict[str, Any]], wrap: bool) -> None:
    body: Any = {"data": records} if wrap else records
    read(json.dumps(body).encode(), content_type="application/json")


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_read_or_are_a_4xx(data: bytes) -> None:
    read(data)


@SETTINGS
@given(
    values=st.lists(
        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        min_size=3,
        max_size=30,
    ),
    style=st.sampled_from(["id", "en", "plain"]),
)
def test_written_numbers_read_back_exactly(values: list[Any], style: str) -> None:
    def write(v: Any) -> str:
        text = f"{v:,.2f}"
        if style == "id":
            return text.replace(",", "_").replace(".", ",").replace("_", ".")
        return text if style == "en" else f"{v:.2f}"

    rows = "".join(
        f'{ts.strftime("%Y-%m")};"{write(v)}"\n'
        for ts, v in zip(
            pd.date_range("2000-01", periods=len(values), freq="MS"), values, strict=True
        )
    )
    data = f"tanggal;nilai\n{rows}".encode()
    decimal = {"id": ",", "en": ".", "plain": "."}[style]
    dataset = parse_upload(data, options=IngestOptions(decimal=decimal))  # type: ignore[arg-type]
    assert dataset.frame["value"].tolist() == [float(v) for v in values]
