"""Write the web app's sample dataset: monthly Indonesian export values (FOB, thousand USD).

    .venv/bin/python scripts/make_sample_exports.py   # writes frontend/public/samples/...

The figures are synthetic but shaped like the real series published by BPS: five HS
commodities, each shipped to three or four destinations, January 2019 to December 2025 (seven
years). Each series has its own level, trend and seasonal pattern, the 2020 pandemic dip, the
2022 coal price boom and the palm-oil export ban of May 2022 (a genuine outlier). Two rows are
deliberately broken (an unreadable value and an impossible month) so the cleaning report has
something to say. The random generator is seeded: running the script again gives the same file.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "frontend/public/samples/ekspor-indonesia-bulanan.csv"
START_YEAR, END_YEAR = 2019, 2025

# (commodity, HS code, yearly trend, seasonal amplitude, peak month,
#  {destination: level in thousand USD per month})
COMMODITIES: list[tuple[str, str, float, float, int, dict[str, float]]] = [
    (
        "Minyak kelapa sawit",
        "1511",
        0.04,
        0.12,
        10,
        {"Tiongkok": 310_000, "India": 280_000, "Pakistan": 120_000, "Amerika Serikat": 90_000},
    ),
    (
        "Batu bara",
        "2701",
        0.03,
        0.08,
        12,
        {"Tiongkok": 820_000, "India": 560_000, "Jepang": 210_000, "Korea Selatan": 170_000},
    ),
    (
        "Kopi",
        "0901",
        0.06,
        0.35,
        7,
        {"Amerika Serikat": 28_000, "Jepang": 11_000, "Malaysia": 9_000, "Mesir": 7_500},
    ),
    (
        "Karet alam",
        "4001",
        -0.05,
        0.10,
        4,
        {"Amerika Serikat": 95_000, "Jepang": 70_000, "Tiongkok": 45_000},
    ),
    (
        "Udang beku",
        "0306",
        0.05,
        0.18,
        11,
        {"Amerika Serikat": 120_000, "Jepang": 38_000, "Tiongkok": 16_000},
    ),
]


def shock(commodity: str, year: int, month: int) -> float:
    """Multiplicative events seen in the real series."""
    factor = 1.0
    if year == 2020 and 4 <= month <= 7:
        factor *= 0.78  # pandemic: ports and buyers slowed down
    if commodity == "Batu bara" and (year == 2022 or (year == 2023 and month <= 3)):
        factor *= 1.65  # coal price boom after the energy crisis
    if commodity == "Minyak kelapa sawit" and year == 2022 and month == 5:
        factor *= 0.08  # the export ban of 28 April - 23 May 2022
    return factor


def rows() -> list[list[str]]:
    rng = random.Random(20261201)
    out: list[list[str]] = []
    for year in range(START_YEAR, END_YEAR + 1):
        for month in range(1, 13):
            t = (year - START_YEAR) + (month - 1) / 12
            for name, hs, trend, amplitude, peak, destinations in COMMODITIES:
                season = 1 + amplitude * math.cos(2 * math.pi * (month - peak) / 12)
                for country, level in destinations.items():
                    noise = rng.gauss(1.0, 0.05)
                    value = level * (1 + trend) ** t * season * noise * shock(name, year, month)
                    out.append([f"{year}-{month:02d}", name, hs, country, f"{value:.1f}"])
    # Two broken rows, as real exports from spreadsheets have: an unreadable value and an
    # impossible month. The analysis leaves them out and reports their row numbers.
    out[137][4] = "n/a"
    out.insert(901, ["2023-13", "Kopi", "0901", "Jepang", "10450.0"])
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["tanggal", "komoditas", "kode_hs", "negara_tujuan", "nilai_fob"])
        writer.writerows(rows())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
