"""Ingestion: formats, column names, dates, numbers, limits and row-numbered errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pintar_ekspor.analytics.engine import (
    AnalyticsInputError,
    IngestOptions,
    parse_records,
    parse_upload,
)


def frame_of(data: bytes, **options: object) -> pd.DataFrame:
    dataset = parse_upload(data, options=IngestOptions(**options))  # type: ignore[arg-type]
    return dataset.frame


def error_of(data: bytes, **options: object) -> AnalyticsInputError:
    with pytest.raises(AnalyticsInputError) as caught:
        parse_upload(data, options=IngestOptions(**options))  # type: ignore[arg-type]
    return caught.value


def test_long_csv_is_sorted_and_typed() -> None:
    data = b"date,category,value\n2024-03-01,B,3\n2024-01-01,A,1.5\n2024-02-01,A,-2\n"
    frame = frame_of(data)
    assert list(frame["category"].astype(str)) == ["A", "A", "B"]
    assert list(frame["date"].astype(str)) == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert frame["value"].tolist() == [1.5, -2.0, 3.0]
    assert frame["row"].tolist() == [2, 3, 1]


def test_semicolon_decimal_comma_bom_and_indonesian_columns() -> None:
    text = "\ufeffTanggal;Komoditas;Nilai FOB\n2024-01;Kopi;1.234,5\n2024-02;Kopi;2,25\n"
    dataset = parse_upload(text.encode("utf-8"), options=IngestOptions(decimal=","))
    report = dataset.report
    assert report.delimiter == ";"
    assert report.encoding == "utf-8-sig"
    assert report.columns.date == ["Tanggal"]
    assert report.columns.category == "Komoditas"
    assert report.columns.values == ["Nilai FOB"]
    assert dataset.frame["value"].tolist() == [1234.5, 2.25]
    assert list(dataset.frame["date"].astype(str)) == ["2024-01-01", "2024-02-01"]
    assert dataset.granularity == "M"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(delimiter: str) -> None:
    rows = (
        ["periode", "negara", "nilai"],
        ["2024-01-01", "Jepang", "10"],
        ["2024-01-02", "Jepang", "11"],
    )
    data = "\n".join(delimiter.join(r) for r in rows).encode()
    dataset = parse_upload(data)
    assert dataset.report.delimiter == delimiter
    assert dataset.frame["value"].tolist() == [10.0, 11.0]
    assert dataset.categories == ["Jepang"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2023-Q1", "2023-01-01"),
        ("2023 Q3", "2023-07-01"),
        ("2023Q4", "2023-10-01"),
        ("Q2 2023", "2023-04-01"),
        ("2023", "2023-01-01"),
        ("2023-07", "2023-07-01"),
        ("07/2023", "2023-07-01"),
        ("Agustus 2023", "2023-08-01"),
        ("2023-05-17", "2023-05-17"),
        ("2023/5/17", "2023-05-17"),
        ("2023-05-17T23:10:00+07:00", "2023-05-17"),
    ],
)
def test_date_formats(label: str, expected: str) -> None:
    frame = frame_of(f"date,value\n{label},1\n".encode())
    assert str(frame["date"].iloc[0])[:10] == expected


def test_quarter_and_year_granularity() -> None:
    assert parse_upload(b"date,value\n2020-Q1,1\n2020-Q2,2\n").granularity == "Q"
    assert parse_upload(b"tahun,jumlah\n2019,1\n2020,2\n").granularity == "Y"


def test_year_and_month_in_separate_columns() -> None:
    data = b"tahun,bulan,produk,nilai\n2024,1,Teh,5\n2024,Februari,Teh,6\n2024,12,Teh,7\n"
    frame = frame_of(data)
    assert list(frame["date"].astype(str)) == ["2024-01-01", "2024-02-01", "2024-12-01"]


def test_no_category_column_means_total() -> None:
    dataset = parse_upload(b"Date,Value\n2024-01-01,1\n2024-01-02,2\n")
    assert dataset.categories == ["total"]
    assert dataset.report.layout == "long"


def test_wide_format_melts_to_the_same_observations_as_long() -> None:
    wide = b"date,Japan,China\n2024-01,1,10\n2024-02,2,\n2024-03,3,30\n"
    long = b"date,country,value\n2024-01,Japan,1\n2024-01,China,10\n2024-02,Japan,2\n" + (
        b"2024-03,Japan,3\n2024-03,China,30\n"
    )
    w, lg = parse_upload(wide), parse_upload(long)
    assert w.report.layout == "wide"
    assert w.report.empty_cells == 1
    pd.testing.assert_frame_equal(w.frame.drop(columns="row"), lg.frame.drop(columns="row"))


def test_wide_text_column_is_ignored() -> None:
    dataset = parse_upload(b"date,A,notes\n2024-01,1,hello\n2024-02,2,world\n")
    assert dataset.categories == ["A"]
    assert dataset.report.columns.ignored == ["notes"]


def test_json_array_and_data_wrapper_give_the_same_frame() -> None:
    records = [
        {"tanggal": "2024-01", "kategori": "A", "nilai": 1.25},
        {"tanggal": "2024-02", "kategori": "A", "nilai": "2.5"},
    ]
    a = parse_upload(json.dumps(records).encode(), filename="x.json")
    b = parse_records({"data": records})
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.frame["value"].tolist() == [1.25, 2.5]
    assert a.report.source == "json"


def test_json_booleans_are_not_numbers() -> None:
    dataset = parse_records(
        [{"date": "2024", "value": True}, {"date": "2025", "value": 3}],
        IngestOptions(max_bad_share=1.0),
    )
    assert dataset.report.bad_rows.by_reason == {"non_numeric_value": 1}
    assert dataset.frame["value"].tolist() == [3.0]


def test_bad_rows_are_skipped_and_reported_by_row_number() -> None:
    data = (
        b"date,category,value\n"
        b"2024-01,A,1\n"  # row 1
        b"2024-13,A,2\n"  # row 2: invalid month
        b"2024-03,A,abc\n"  # row 3: not a number
        b"2024-04,A,\n"  # row 4: missing
        b"2024-05,,5\n"  # row 5: no category
        b"2024-06,A,6\n"
    )
    dataset = parse_upload(data, options=IngestOptions(max_bad_share=1.0))
    bad = dataset.report.bad_rows
    assert bad.total == 4
    assert bad.by_reason == {
        "invalid_date": 1,
        "missing_category": 1,
        "missing_value": 1,
        "non_numeric_value": 1,
    }
    assert [(b.row, b.reason, b.value) for b in bad.first] == [
        (2, "invalid_date", "2024-13"),
        (3, "non_numeric_value", "abc"),
        (4, "missing_value", None),
        (5, "missing_category", None),
    ]
    assert dataset.frame["row"].tolist() == [1, 6]
    assert dataset.report.observations_used == 2


def test_reject_mode_names_the_rows() -> None:
    data = b"date,value\n2024-01,1\n2024-02,x\n2024-03,3\n2024-04,y\n"
    err = error_of(data, on_bad_rows="reject")
    assert err.code == "non_numeric_values"
    assert err.details["rows"] == [2, 4]
    assert "rows 2, 4" in err.message
    err = error_of(b"date,value\n2024-01,1\n31/01/2024,2\n", on_bad_rows="reject")
    assert err.code == "invalid_dates"
    assert err.details["rows"] == [2]


def test_only_first_twenty_bad_rows_are_listed() -> None:
    lines = ["date,value"] + [f"2024-01-{d:02d},x" for d in range(1, 31)] + ["2024-02-01,1"]
    dataset = parse_upload("\n".join(lines).encode(), options=IngestOptions(max_bad_share=1.0))
    assert dataset.report.bad_rows.total == 30
    assert [b.row for b in dataset.report.bad_rows.first] == list(range(1, 21))


def test_blank_lines_keep_row_numbers() -> None:
    data = b"date,value\n2024-01,1\n\n2024-03,x\n2024-04,4\n"
    dataset = parse_upload(data, options=IngestOptions(max_bad_share=1.0))
    assert dataset.report.blank_rows == 1
    assert [b.row for b in dataset.report.bad_rows.first] == [3]


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (b"", "empty_file", 422),
        (b"   \n\n", "empty_file", 422),
        (b"date,category,value\n", "empty_file", 422),
        (b"[]", "empty_file", 422),
        (b"date,value\n2024-01,\x81\x8d\n", "invalid_encoding", 422),
        (b"date,value\n2024-01,1\x00\n", "invalid_encoding", 422),
        ("date,value\n2024-01,1\n".encode("utf-16"), "invalid_encoding", 422),
        (b'{"data": [1, 2', "malformed_json", 422),
        (b'{"rows": []}', "malformed_json", 422),
        (b"[1, 2]", "malformed_json", 422),
        (b"date,category,value\n2024-01,A,1,extra\n", "malformed_csv", 422),
        (b"foo,bar\n1,2\n", "missing_columns", 422),
        (b"date,country,a,b\n2024-01,A,1,2\n", "missing_columns", 422),
        (b"date,value\nx,1\ny,2\n", "invalid_dates", 422),
        (b"date,value\n2024-01,a\n2024-02,b\n", "non_numeric_values", 422),
    ],
)
def test_input_errors_have_codes(data: bytes, code: str, status: int) -> None:
    err = error_of(data)
    assert (err.code, err.status) == (code, status), err.message
    assert err.message


def test_wrong_encoding_message() -> None:
    err = error_of(b"date,value\n2024-01,\x8f1\n")
    assert "not text in UTF-8 or Windows-1252" in err.message
    assert err.details["line"] == 2


def test_windows_1252_is_read_with_a_note() -> None:
    data = "tanggal;negara;nilai\n2024-01;Côte d’Ivoire;1\n2024-02;Côte d’Ivoire;2\n"
    dataset = parse_upload(data.encode("cp1252"))
    assert dataset.report.encoding == "windows-1252"
    assert dataset.categories == ["Côte d’Ivoire"]


def test_missing_columns_names_expected_and_found() -> None:
    err = error_of(b"foo,bar\n1,2\n")
    assert "tanggal" in err.message
    assert "foo, bar" in err.message
    assert err.details["found"] == ["foo", "bar"]


def test_size_row_and_category_limits() -> None:
    data = b"date,category,value\n" + b"".join(
        f"2024-01-{d:02d},C{d % 3},{d}\n".encode() for d in range(1, 29)
    )
    assert error_of(data, max_bytes=100).code == "file_too_large"
    assert error_of(data, max_bytes=100).status == 413
    err = error_of(data, max_rows=10)
    assert (err.code, err.status) == ("too_many_rows", 413)
    err = error_of(data, max_categories=2)
    assert (err.code, err.status) == ("too_many_categories", 422)
    assert len(parse_upload(data, options=IngestOptions(category=["C1"])).frame) == 10


def test_category_filter_and_unknown_category() -> None:
    data = b"date,category,value\n2024-01,Kopi,1\n2024-01,Teh,2\n"
    assert parse_upload(data, options=IngestOptions(category="kopi")).categories == ["Kopi"]
    err = error_of(data, category=["Coklat"])
    assert err.code == "unknown_category"
    assert "Coklat" in err.message
    assert err.details["available"] == ["Kopi", "Teh"]


def test_mixed_number_formats_are_refused_unless_the_decimal_is_given() -> None:
    data = b'date,value\n2024-01,"1,234,567.5"\n2024-02,"1,5"\n'
    err = error_of(data)
    assert err.code == "ambiguous_numbers"
    assert "'value'" in err.message
    assert "decimal" in err.message
    dataset = parse_upload(data, options=IngestOptions(decimal=".", max_bad_share=1.0))
    assert dataset.frame["value"].tolist() == [1234567.5]
    assert dataset.report.bad_rows.first[0].value == "1,5"


def test_csv_and_json_parse_to_identical_floats() -> None:
    rng = np.random.default_rng(3)
    values = rng.normal(1e6, 3e5, 200)
    lines = ["date,value"] + [
        f"{2000 + i // 12}-{i % 12 + 1:02d},{float(v)!r}" for i, v in enumerate(values)
    ]
    records = [
        {"date": f"{2000 + i // 12}-{i % 12 + 1:02d}", "value": float(v)}
        for i, v in enumerate(values)
    ]
    from_csv = parse_upload("\n".join(lines).encode()).frame
    from_json = parse_upload(json.dumps(records).encode()).frame
    assert np.array_equal(from_csv["value"].to_numpy(), from_json["value"].to_numpy())
