"""Forecast speed and accuracy.

    .venv/bin/python bench/analytics_forecast.py
    STATSFORECAST_PYTHON=/path/to/venv/bin/python .venv/bin/python bench/analytics_forecast.py

1. CPU seconds per series of the forecast step (backtest, choice, final fit, intervals) for
   10, 100 and 500 monthly series of 120 months (trend + season + noise), and of the whole
   analysis (cleaning, statistics and forecast) per series.
2. Holdout MASE (scaled by the in-sample seasonal-naive MAE) of the chosen forecast next to
   seasonal naive, AutoETS, AutoARIMA and AutoTheta on real series shipped inside installed
   packages (statsmodels' datasets and test data), two holdout windows per series (the last
   cycle and the one before), and the geometric mean over all cases.

The reference models are statsforecast's when it can be imported here or in the interpreter
named by ``STATSFORECAST_PYTHON`` (statsforecast needs pandas < 3, which this project does
not pin, so it usually lives in a separate virtual environment); otherwise statsmodels'
equivalents (ETSModel by AICc over the forms, SARIMAX airline model, ThetaModel) are used
and labelled as such.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from typing import Any

import numpy as np

CASES_PER_SERIES = 2


def datasets() -> list[tuple[str, np.ndarray, int]]:
    import pandas as pd
    import statsmodels
    from statsmodels.datasets import co2, elec_equip, elnino, macrodata, nile, sunspots
    from statsmodels.tsa.statespace.tests.results.results_sarimax import air2_data

    co2_series = co2.load_pandas().data["co2"]
    housing = pd.read_csv(
        os.path.join(
            os.path.dirname(statsmodels.__file__),
            "tsa/holtwinters/tests/results/housing-data.csv",
        )
    )["HOUSTNSA"]
    el = elnino.load_pandas().data.iloc[:, 1:].to_numpy().ravel()
    macro = macrodata.load_pandas().data
    return [
        ("air passengers (monthly)", np.asarray(air2_data, dtype=float), 12),
        ("CO2 Mauna Loa (monthly)", co2_series.resample("MS").mean().interpolate().to_numpy(), 12),
        ("CO2 Mauna Loa (quarterly)", co2_series.resample("QS").mean().interpolate().to_numpy(), 4),
        ("electrical equipment (monthly)", elec_equip.load().data.iloc[:, 0].to_numpy(), 12),
        ("US housing starts (monthly)", housing.to_numpy(dtype=float), 12),
        ("El Nino sea temperature (monthly)", el.astype(float), 12),
        ("US real GDP (quarterly)", macro["realgdp"].to_numpy(), 4),
        ("US unemployment (quarterly)", macro["unemp"].to_numpy(), 4),
        ("US CPI (quarterly)", macro["cpi"].to_numpy(), 4),
        ("Nile flow (yearly)", nile.load_pandas().data["volume"].to_numpy(dtype=float), 1),
        ("sunspots (yearly)", sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(), 1),
    ]


def cases() -> list[dict[str, Any]]:
    out = []
    for name, series, m in datasets():
        h = m if m > 1 else 5
        for k in range(CASES_PER_SERIES):
            end = len(series) - k * h
            out.append(
                {
                    "name": f"{name} -{k * h}" if k else name,
                    "train": series[: end - h].tolist(),
                    "test": series[end - h : end].tolist(),
                    "m": m,
                    "h": h,
                }
            )
    return out


# --------------------------------------------------------------------------- references


def statsforecast_references(items: list[dict[str, Any]]) -> dict[str, list[list[float]]]:
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    out: dict[str, list[list[float]]] = {"AutoETS": [], "AutoARIMA": [], "AutoTheta": []}
    for item in items:
        y = np.asarray(item["train"], dtype=float)
        for name, model in (
            ("AutoETS", AutoETS),
            ("AutoARIMA", AutoARIMA),
            ("AutoTheta", AutoTheta),
        ):
            try:
                mean = model(season_length=item["m"]).forecast(y=y, h=item["h"])["mean"]
            except Exception:  # a reference that fails scores like seasonal naive
                mean = seasonal_naive(y, item["h"], item["m"])
            out[name].append(np.asarray(mean, dtype=float).tolist())
    return out


def statsmodels_references(items: list[dict[str, Any]]) -> dict[str, list[list[float]]]:
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.forecasting.theta import ThetaModel
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    warnings.simplefilter("ignore")
    out: dict[str, list[list[float]]] = {"ETS (AICc)": [], "SARIMA airline": [], "Theta": []}
    for item in items:
        y = np.asarray(item["train"], dtype=float)
        m, h = item["m"], item["h"]
        best: tuple[float, np.ndarray] | None = None
        for trend in (None, "add"):
            for damped in (False, True) if trend else (False,):
                for seasonal in (None, "add", "mul") if m > 1 else (None,):
                    if seasonal == "mul" and (y <= 0).any():
                        continue
                    try:
                        fit = ETSModel(
                            y,
                            error="add",
                            trend=trend,
                            damped_trend=damped,
                            seasonal=seasonal,
                            seasonal_periods=m if seasonal else None,
                        ).fit(disp=False)
                        if best is None or fit.aicc < best[0]:
                            best = (fit.aicc, np.asarray(fit.forecast(h)))
                    except Exception:
                        continue
        out["ETS (AICc)"].append((best[1] if best else seasonal_naive(y, h, m)).tolist())
        order, seasonal_order = (0, 1, 1), ((0, 1, 1, m) if m > 1 else (0, 0, 0, 0))
        try:
            fc = SARIMAX(y, order=order, seasonal_order=seasonal_order).fit(disp=False)
            out["SARIMA airline"].append(np.asarray(fc.forecast(h)).tolist())
        except Exception:
            out["SARIMA airline"].append(seasonal_naive(y, h, m).tolist())
        theta = ThetaModel(y, period=m if m > 1 else None).fit()
        out["Theta"].append(np.asarray(theta.forecast(h)).tolist())
    return out


def references(items: list[dict[str, Any]]) -> tuple[str, dict[str, list[list[float]]]]:
    try:
        return "statsforecast", statsforecast_references(items)
    except ImportError:
        pass
    other = os.environ.get("STATSFORECAST_PYTHON")
    if other:
        done = subprocess.run(
            [other, __file__, "--references"],
            input=json.dumps(items),
            capture_output=True,
            text=True,
            check=True,
        )
        return "statsforecast (" + other + ")", json.loads(done.stdout)
    return "statsmodels (statsforecast not installed)", statsmodels_references(items)


# --------------------------------------------------------------------------- measures


def seasonal_naive(y: np.ndarray, h: int, m: int) -> np.ndarray:
    return y[len(y) - m + (np.arange(h) % m)]


def holdout_mase(item: dict[str, Any], forecast: list[float] | np.ndarray) -> float:
    y = np.asarray(item["train"], dtype=float)
    m = item["m"]
    scale = float(np.mean(np.abs(y[m:] - y[:-m])))
    return float(np.mean(np.abs(np.asarray(item["test"]) - np.asarray(forecast)))) / scale


def synthetic(count: int, months: int = 120) -> list[np.ndarray]:
    rng = np.random.default_rng(count)
    t = np.arange(months)
    return [
        1000
        + rng.uniform(-3, 6) * t
        + rng.uniform(20, 200) * np.sin(2 * np.pi * (t + rng.integers(12)) / 12)
        + rng.normal(0, rng.uniform(5, 60), months)
        for _ in range(count)
    ]


def speed() -> None:
    from pintar_ekspor.analytics.engine import AnalysisParams, parse_records, run_analysis
    from pintar_ekspor.analytics.engine.forecast import forecast_series

    print("CPU seconds per monthly series of 120 months")
    print(f"{'series':>7} {'forecast step':>14} {'whole analysis':>15}")
    for count in (10, 100, 500):
        series = synthetic(count)
        start = time.process_time()
        for y in series:
            forecast_series(y, horizon=12, period=12, max_points=730)
        step = (time.process_time() - start) / count
        records = [
            {"date": f"{2000 + k // 12}-{k % 12 + 1:02d}", "category": f"c{i}", "value": float(v)}
            for i, y in enumerate(series)
            for k, v in enumerate(y)
        ]
        start = time.process_time()
        run_analysis(parse_records(records), AnalysisParams(include_forecast=True))
        whole = (time.process_time() - start) / count
        print(f"{count:>7} {step:>14.4f} {whole:>15.4f}")


def accuracy() -> None:
    from pintar_ekspor.analytics.engine.forecast import forecast_series

    items = cases()
    source, refs = references(items)
    ours: list[list[float]] = []
    chosen: list[str] = []
    for item in items:
        y = np.asarray(item["train"], dtype=float)
        result = forecast_series(y, horizon=item["h"], period=item["m"], max_points=730)
        ours.append(result["bands"]["mean"].tolist())
        chosen.append(result["model"])
    methods = {"chosen": ours, "seasonal naive": [], **refs}
    for item in items:
        y = np.asarray(item["train"], dtype=float)
        methods["seasonal naive"].append(seasonal_naive(y, item["h"], item["m"]).tolist())
    print(f"\nHoldout MASE; references: {source}")
    header = f"{'series':<40}" + "".join(f"{name:>15}" for name in methods)
    print(header + "  chosen model")
    logs: dict[str, list[float]] = {name: [] for name in methods}
    for k, item in enumerate(items):
        row = f"{item['name']:<40}"
        for name, forecasts in methods.items():
            value = holdout_mase(item, forecasts[k])
            logs[name].append(math.log(max(value, 1e-9)))
            row += f"{value:>15.3f}"
        print(row + "  " + chosen[k])
    geo = "".join(f"{math.exp(float(np.mean(v))):>15.3f}" for v in logs.values())
    print(f"{'geometric mean':<40}" + geo)
    best_ref = min(math.exp(float(np.mean(v))) for name, v in logs.items() if name != "chosen")
    ours_geo = math.exp(float(np.mean(logs["chosen"])))
    print(f"chosen / best reference: {ours_geo / best_ref:.3f} (target <= 1)")


if __name__ == "__main__":
    if "--references" in sys.argv:
        print(json.dumps(statsforecast_references(json.load(sys.stdin))))
        sys.exit(0)
    speed()
    accuracy()
