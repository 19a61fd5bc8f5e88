"""Engine time of reading + analysing small files WITHOUT a forecast (the web request path).

    .venv/bin/python bench/analytics_ingest.py                 # the original's 5,000-row sample
    .venv/bin/python bench/analytics_ingest.py --repeat 9 FILE.csv

Prints, per file, the best and median wall time (parse, analysis, total) over ``--repeat``
warm runs in this process (the first, cold run is reported apart: it pays for imports and
caches, which a worker process pays once). Target: the original Pintar Ekspor's 5,000-row
sample file (``/work/shared/bench-data/original-sample.csv``) analysed in less than ~0.25 s,
the time the original takes on this machine. Also times a generated BPS-style file
(title lines, ``Tahun;Bulan``, HS code x destination, Indonesian number format, cp1252).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pintar_ekspor.analytics.engine import (
    AnalysisParams,
    IngestOptions,
    parse_upload,
    run_analysis,
)

SAMPLE = Path("/work/shared/bench-data/original-sample.csv")
MONTHS = [
    *("Januari", "Februari", "Maret", "April", "Mei", "Juni"),
    *("Juli", "Agustus", "September", "Oktober", "November", "Desember"),
]


def bps_file(codes: int = 20, countries: int = 10, years: int = 5) -> bytes:
    lines = ["Ekspor menurut Kode HS dan Negara Tujuan", "Sumber: BPS", ""]
    lines.append("Tahun;Bulan;Kode HS;Negara Tujuan;Nilai FOB (US$);Berat Bersih (Kg)")
    for h in range(codes):
        for c in range(countries):
            for m in range(12 * years):
                value = 812_345 + 100_003 * h + 7_919 * c + 1_301 * m
                grouped = f"{value:,}".replace(",", ".")
                lines.append(
                    f"{2019 + m // 12};{MONTHS[m % 12]};{h:04d};Negara {c};{grouped},50;{m},5"
                )
    lines.append(";;;Jumlah;1.000.000;")
    return "\n".join(lines).encode("cp1252")


def time_once(data: bytes, name: str, options: IngestOptions) -> tuple[float, float, float]:
    """Wall seconds of parse and analysis, and the CPU seconds of both (less noisy)."""
    c0, t0 = time.process_time(), time.perf_counter()
    dataset = parse_upload(data, filename=name, options=options)
    t1 = time.perf_counter()
    run_analysis(dataset, AnalysisParams(include_forecast=False))
    t2, c2 = time.perf_counter(), time.process_time()
    return t1 - t0, t2 - t1, c2 - c0


def report(label: str, data: bytes, name: str, repeat: int, options: IngestOptions) -> None:
    cold = time_once(data, name, options)
    runs = [time_once(data, name, options) for _ in range(repeat)]
    totals = [p + a for p, a, _ in runs]
    best = min(range(repeat), key=lambda k: totals[k])
    cpu = [c for _, _, c in runs]
    print(
        f"{label:<34} {len(data) / 1e3:>6.0f} kB  cold {cold[0] + cold[1]:6.3f} s  "
        f"best {totals[best]:6.3f} s (parse {runs[best][0]:.3f} + analysis "
        f"{runs[best][1]:.3f})  median {statistics.median(totals):6.3f} s  "
        f"CPU best {min(cpu):6.3f} s median {statistics.median(cpu):6.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    files = args.files or ([SAMPLE] if SAMPLE.exists() else [])
    for path in files:
        report(path.name, path.read_bytes(), path.name, args.repeat, IngestOptions())
    bps = bps_file()
    options = IngestOptions(category_columns=["Kode HS"])
    report("BPS-style 12,000 rows, 20 HS codes", bps, "bps.csv", args.repeat, options)


if __name__ == "__main__":
    main()
