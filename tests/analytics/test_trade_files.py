"""Real-looking Indonesian trade files (BPS-style exports) are read exactly as written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pintar_ekspor.analytics.engine import (
    AnalysisParams,
    AnalyticsInputError,
    IngestOptions,
    parse_upload,
    run_analysis,
)

MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
HS_CODES = ("0901", "901", "09011110")
COUNTRIES = ("Jepang", "Amerika Serikat", "Côte d’Ivoire")


def id_number(value: Decimal) -> str:
    """Indonesian format: thousands dots, decimal comma only when there are cents."""
    whole, _, cents = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped if cents == "00" else f"{grouped},{cents}"


def fob(hs: int, country: int, month: int) -> Decimal:
    """Values under and over a million, some with cents, some with months left out."""
    base = Decimal(812_345 + 1_700_000 * hs + 355_000 * country + 12_345 * month)
    if (hs + country + month) % 4 == 0:
        base += Decimal("0.89")
    return base


def bps_file() -> tuple[bytes, dict[str, Decimal], Decimal]:
    """A BPS-style monthly export over 24 months; returns the bytes and the file's totals."""
    lines = [
        "Ekspor Kopi Indonesia menurut Kode HS dan Negara Tujuan, 2022-2023",
        "Sumber: Badan Pusat Statistik (BPS), diolah",
        "",
        "Tahun;Bulan;Kode HS;Negara Tujuan;Nilai FOB (US$);Berat Bersih (Kg)",
    ]
    per_hs = {code: Decimal(0) for code in HS_CODES}
    for h, code in enumerate(HS_CODES):
        for m in range(24):
            for c, country in enumerate(COUNTRIES):
                if code == "09011110" and c == 2 and m % 5 == 3:
                    continue  # no shipment that month
                value = fob(h, c, m)
                per_hs[code] += value
                weight = Decimal(1000 + 37 * m + 11 * c) + Decimal("0.5")
                year, month = 2022 + m // 12, MONTHS_ID[m % 12]
                lines.append(
                    f"{year};{month};{code};{country};{id_number(value)};{id_number(weight)}"
                )
            if m == 11:
                lines.append("")  # a blank line between the years
        lines.append(f";;{code};Jumlah;{id_number(per_hs[code])};")
    grand = sum(per_hs.values(), Decimal(0))
    lines.append(f"Jumlah/Total;;;;{id_number(grand)};")
    return "\r\n".join(lines).encode("cp1252"), per_hs, grand


def file_totals(data: bytes) -> dict[str, Decimal]:
    """The subtotal figures the file itself states, read back from its 'Jumlah' rows."""
    totals = {}
    for line in data.decode("cp1252").splitlines():
        cells = line.split(";")
        if len(cells) == 6 and cells[3] == "Jumlah":
            totals[cells[2]] = Decimal(cells[4].replace(".", "").replace(",", "."))
    return totals


def test_totals_per_hs_code_equal_the_files_own_figures() -> None:
    data, per_hs, grand = bps_file()
    dataset = parse_upload(data, options=IngestOptions(category_columns=["Kode HS"]))
    result = run_analysis(dataset, AnalysisParams())
    totals = {c["category"]: c["summary"]["total"] for c in result["categories"]}
    stated = file_totals(data)
    assert set(totals) == set(HS_CODES)  # 0901, 901 and 09011110 stay apart
    for code in HS_CODES:
        assert round(totals[code], 2) == float(stated[code]) == float(per_hs[code])
    assert round(result["cross_category"]["grand_total"], 2) == float(grand)


def test_bps_file_is_read_as_written_and_reported() -> None:
    data, _, _ = bps_file()
    dataset = parse_upload(data, options=IngestOptions(category_columns=["Kode HS"]))
    report = dataset.report
    assert report.encoding == "windows-1252"
    assert report.delimiter == ";"
    assert report.title_lines == [
        "Ekspor Kopi Indonesia menurut Kode HS dan Negara Tujuan, 2022-2023",
        "Sumber: Badan Pusat Statistik (BPS), diolah",
    ]
    assert report.columns.date == ["Tahun", "Bulan"]
    assert report.columns.categories == ["Kode HS"]
    assert report.columns.summed_over == ["Negara Tujuan"]
    assert report.columns.values == ["Nilai FOB (US$)"]
    assert report.columns.measures == ["Berat Bersih (Kg)"]
    assert report.number_formats == {"Nilai FOB (US$)": "id"}
    assert [r.text for r in report.total_rows] == ["Jumlah"] * 3 + ["Jumlah/Total"]
    assert report.blank_rows == 3
    assert report.bad_rows.total == 0
    assert report.duplicates_combined == 0  # the destinations are summed, not "duplicates"
    assert dataset.granularity == "M"
    result = run_analysis(dataset)
    assert result["meta"]["frequency"] == "M"
    text = " ".join(result["cleaning"]["reading"] + result["cleaning"]["changes"])
    for fragment in (
        "Windows-1252",
        "2 title lines",
        "values were summed over 'Negara Tujuan'",
        "'Berat Bersih (Kg)' as another measure",
        "Indonesian format",
        "4 total or subtotal rows",
        "gap_fill=zero",
    ):
        assert fragment in text, fragment


def test_first_dimension_by_default_and_combinations_on_request() -> None:
    data, _, _ = bps_file()
    by_default = parse_upload(data)
    assert by_default.report.columns.categories == ["Kode HS"]
    assert by_default.report.columns.summed_over == ["Negara Tujuan"]
    assert by_default.categories == sorted(HS_CODES)
    options = IngestOptions(category_columns=["Kode HS", "Negara Tujuan"])
    dataset = parse_upload(data, options=options)
    assert dataset.report.columns.categories == ["Kode HS", "Negara Tujuan"]
    assert len(dataset.categories) == 9
    assert "0901 | Côte d’Ivoire" in dataset.categories
    assert "901 | Jepang" in dataset.categories
    result = run_analysis(dataset)
    intermittent = next(
        c for c in result["cleaning"]["per_category"] if c["category"] == "09011110 | Côte d’Ivoire"
    )
    assert intermittent["gaps_filled"] == 4  # months 3, 8, 13, 18 (23 is the end: not a gap)
    series = next(
        c for c in result["charts"]["categories"] if c["category"] == "09011110 | Côte d’Ivoire"
    )
    filled = [p["value"] for p in series["series"] if p["is_filled"]]
    assert filled == [0.0] * 4


def test_second_measure_is_analysed_when_picked() -> None:
    data, _, _ = bps_file()
    dataset = parse_upload(
        data,
        options=IngestOptions(category_columns=["Kode HS"], value_column="Berat Bersih (Kg)"),
    )
    assert dataset.report.columns.values == ["Berat Bersih (Kg)"]
    assert dataset.report.columns.measures == ["Nilai FOB (US$)"]
    first = dataset.frame[dataset.frame["category"] == "0901"]["value"].iloc[0]
    assert first == pytest.approx(3 * 1000.5 + 11 + 22)  # three destinations in January 2022


def test_ambiguous_number_column_is_refused_naming_it() -> None:
    data = (
        b"Tahun;Bulan;Kode HS;Nilai FOB (US$)\n"
        b"2023;Januari;0901;812.345\n2023;Februari;0901;1.250\n2023;Maret;0901;7\n"
    )
    with pytest.raises(AnalyticsInputError) as caught:
        parse_upload(data)
    err = caught.value
    assert (err.code, err.status) == ("ambiguous_numbers", 422)
    assert "'Nilai FOB (US$)'" in err.message
    assert "decimal=','" in err.message
    assert err.details["column"] == "Nilai FOB (US$)"
    as_id = parse_upload(data, options=IngestOptions(decimal=","))
    assert as_id.frame["value"].tolist() == [812345.0, 1250.0, 7.0]
    as_en = parse_upload(data, options=IngestOptions(decimal="."))
    assert as_en.frame["value"].tolist() == [812.345, 1.25, 7.0]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["2.512.345", "812.345", "1.234.567,89"], [2512345.0, 812345.0, 1234567.89]),
        (["1,234,567.89", "812,345", "12.5"], [1234567.89, 812345.0, 12.5]),
        (["2512345", "812345", "-7"], [2512345.0, 812345.0, -7.0]),
        (["Rp 2.512.345", "US$ 1.000.000", "0,5"], [2512345.0, 1000000.0, 0.5]),
    ],
)
def test_number_locales_are_detected_per_column(cells: list[str], expected: list[float]) -> None:
    rows = "".join(f'2023-0{i + 1};"{cell}"\n' for i, cell in enumerate(cells))
    dataset = parse_upload(f"tanggal;nilai\n{rows}".encode())
    assert dataset.frame["value"].tolist() == expected


def test_mixed_number_formats_in_one_column_are_refused() -> None:
    data = b'tanggal;nilai\n2023-01;"1.234.567,89"\n2023-02;"1,234,567.89"\n'
    with pytest.raises(AnalyticsInputError) as caught:
        parse_upload(data)
    assert caught.value.code == "ambiguous_numbers"
    assert "mixes number formats" in caught.value.message


def test_too_many_bad_rows_refuse_the_file_with_the_likely_cause() -> None:
    bad = '"1.234,5"'
    rows = "".join(f"2023-{m:02d},Kopi,{bad if m > 2 else '7'}\n" for m in range(1, 13))
    data = f"date,category,value\n{rows}".encode()
    with pytest.raises(AnalyticsInputError) as caught:
        parse_upload(data, options=IngestOptions(decimal="."))
    err = caught.value
    assert err.code == "non_numeric_values"
    assert "10 of 12 rows" in err.message
    assert "decimal=','" in err.message  # the likely cause is named


def test_value_scale_multiplies_and_is_reported() -> None:
    data = b"tanggal,nilai\n2023-01,1.5\n2023-02,2\n2023-03,3\n"
    dataset = parse_upload(data, options=IngestOptions(value_scale=1000))
    assert dataset.frame["value"].tolist() == [1500.0, 2000.0, 3000.0]
    result = run_analysis(dataset)
    assert any("multiplied by 1,000" in c for c in result["cleaning"]["changes"])


@pytest.mark.parametrize(
    "months",
    [
        ["January", "February", "March"],
        ["Jan", "Feb", "Mar"],
        ["1", "2", "3"],
        ["Januari", "Februari", "Maret"],
        ["Jan.", "Peb", "Mar"],
    ],
)
def test_year_and_month_columns(months: list[str]) -> None:
    rows = "".join(f"2024,{m},5\n" for m in months)
    dataset = parse_upload(f"Year,Month,Value\n{rows}".encode())
    assert list(dataset.frame["date"].astype(str)) == ["2024-01-01", "2024-02-01", "2024-03-01"]


def test_codes_keep_leading_zeros_in_csv_and_json() -> None:
    csv_data = b"date,hs_code,value\n2024-01,0901,1\n2024-01,901,2\n2024-01,09011110,3\n"
    assert parse_upload(csv_data).categories == ["0901", "09011110", "901"]
    json_data = (
        b'[{"date":"2024-01","hs_code":"0901","value":1},'
        b'{"date":"2024-01","hs_code":901,"value":2}]'
    )
    assert parse_upload(json_data).categories == ["0901", "901"]


def test_tab_delimited_file_with_notes_line_below() -> None:
    data = (
        b"periode\tnegara\tnilai\n2024-01\tJepang\t10\n2024-02\tJepang\t11\n"
        b"Catatan: angka sementara\t\t\n"
    )
    dataset = parse_upload(data)
    assert dataset.report.delimiter == "\t"
    assert [r.text for r in dataset.report.note_rows] == ["Catatan: angka sementara"]
    assert dataset.report.bad_rows.total == 0
