"""Forecasts: accuracy on real offline series, the baseline rule, intervals, fallbacks."""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.datasets import co2, elec_equip, elnino

from pintar_ekspor.analytics.engine import AnalysisParams, parse_records, run_analysis
from pintar_ekspor.analytics.engine import forecast as fc
from pintar_ekspor.analytics.engine.stats import trend


def co2_monthly() -> pd.Series:
    return co2.load_pandas().data["co2"].resample("MS").mean().interpolate()


def co2_quarterly() -> pd.Series:
    return co2.load_pandas().data["co2"].resample("QS").mean().interpolate()


def elec_equipment() -> pd.Series:
    return elec_equip.load().data.iloc[:, 0]


def housing_starts() -> pd.Series:
    """US housing starts, not seasonally adjusted (a data file shipped with statsmodels)."""
    path = os.path.join(
        os.path.dirname(statsmodels.__file__), "tsa/holtwinters/tests/results/housing-data.csv"
    )
    frame = pd.read_csv(path, parse_dates=["DATE"])
    return frame.set_index("DATE")["HOUSTNSA"]


def elnino_monthly() -> pd.Series:
    data = elnino.load_pandas().data
    values = data.iloc[:, 1:].to_numpy().ravel()
    start = f"{int(data['YEAR'].iloc[0])}-01-01"
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


def forecast_of(series: pd.Series, **params: Any) -> dict[str, Any]:
    records = [{"date": ts.strftime("%Y-%m-%d"), "value": float(v)} for ts, v in series.items()]
    result = run_analysis(parse_records(records), AnalysisParams(include_forecast=True, **params))
    assert result["forecast"] is not None
    return result["forecast"][0]  # type: ignore[no-any-return]


def holdout_mase(actual: np.ndarray, predicted: np.ndarray, train: np.ndarray, m: int) -> float:
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(actual - predicted)) / scale)


@pytest.mark.parametrize(
    ("name", "loader", "period"),
    [
        ("CO2 monthly", co2_monthly, 12),
        ("CO2 quarterly", co2_quarterly, 4),
        ("electrical equipment monthly", elec_equipment, 12),
        ("US housing starts monthly", housing_starts, 12),
    ],
)
def test_chosen_model_beats_seasonal_naive_on_the_last_cycle(
    name: str, loader: Any, period: int
) -> None:
    series = loader()
    train, test = series.iloc[:-period], series.to_numpy()[-period:]
    forecast = forecast_of(train)
    predicted = np.array([p["mean"] for p in forecast["points"]])
    assert [p["ts"] for p in forecast["points"]] == [
        ts.strftime("%Y-%m-%d") for ts in series.index[-period:]
    ]
    naive = train.to_numpy()[-period:]
    model_mase = holdout_mase(test, predicted, train.to_numpy(), period)
    naive_mase = holdout_mase(test, naive, train.to_numpy(), period)
    assert forecast["beats_baseline"], f"{name}: backtest kept the baseline"
    assert model_mase < naive_mase, (
        f"{name}: the chosen {forecast['model']} has holdout MASE {model_mase:.3f}, "
        f"not below seasonal naive's {naive_mase:.3f}"
    )


def test_baseline_is_returned_when_no_model_beats_it() -> None:
    """El Niño sea temperatures: no ETS model beats seasonal naive in the backtest."""
    series = elnino_monthly().iloc[:-12]
    forecast = forecast_of(series)
    assert forecast["model"] == "seasonal_naive"
    assert not forecast["beats_baseline"]
    assert forecast["message"] == (
        "The chosen model does not beat the seasonal naive baseline; "
        "the baseline forecast is returned."
    )
    assert [p["mean"] for p in forecast["points"]] == series.to_numpy()[-12:].tolist()
    assert forecast["mase"] == forecast["baseline_mase"]
    ets = [c for c in forecast["candidates"] if c["model"].startswith("ETS")]
    assert ets
    assert all(c["mase"] >= forecast["baseline_mase"] for c in ets if c["status"] == "ok")


def test_backtest_scores_match_a_manual_computation() -> None:
    y = np.array([10.0, 12, 14, 11, 13, 15, 12, 14, 16, 13, 15, 17, 14, 16, 18], dtype=float)
    result = fc.forecast_series(y, horizon=3, period=3, max_points=730)
    origins, step = fc.backtest_origins(len(y), 3, 10)
    assert (result["backtest_origins"], result["backtest_step"]) == (len(origins), step)
    mases, smapes = [], []
    for origin in origins:
        train, actual = y[:origin], y[origin : origin + 3]
        forecast = train[-3:]
        scale = np.mean(np.abs(train[3:] - train[:-3]))
        mases.append(np.mean(np.abs(actual - forecast)) / scale)
        smapes.append(
            np.mean(200 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast)))
        )
    assert result["baseline_mase"] == pytest.approx(np.mean(mases), rel=1e-9)
    assert result["baseline_smape"] == pytest.approx(np.mean(smapes), rel=1e-9)


def test_seasonal_naive_intervals_follow_the_documented_formula() -> None:
    y = np.sin(np.arange(30) * 2 * np.pi / 4) * 10 + np.arange(30)
    bands = fc.baseline_intervals(y, 9, 4)
    resid = y[4:] - y[:-4]
    sigma = math.sqrt(np.mean(resid**2))
    k = np.array([1, 1, 1, 1, 2, 2, 2, 2, 3])
    assert bands["mean"].tolist() == y[[26, 27, 28, 29, 26, 27, 28, 29, 26]].tolist()
    expected_upper95 = bands["mean"] + 1.959963984540054 * sigma * np.sqrt(k)
    assert bands["upper95"] == pytest.approx(expected_upper95, rel=1e-9)
    assert bands["lower80"] == pytest.approx(
        bands["mean"] - 1.2815515655446004 * sigma * np.sqrt(k)
    )


def test_long_series_are_fitted_on_the_latest_points() -> None:
    index = pd.date_range("2020-01-01", periods=900)
    values = 100 + np.sin(np.arange(900) * 2 * np.pi / 7) * 5 + np.arange(900) * 0.1
    forecast = forecast_of(pd.Series(values, index=index), forecast_max_points=200)
    assert forecast["fit_points"] == 200
    assert forecast["notes"] == ["Models were fitted on the last 200 of 900 points."]
    assert forecast["horizon"] == 7


def test_fit_failures_fall_back_to_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(y: Any, spec: Any, period: int) -> Any:
        raise fc.FitFailedError("ConvergenceWarning: boom")

    monkeypatch.setattr(fc, "_fit", broken)
    y = co2_monthly().to_numpy()[:120]
    result = fc.forecast_series(y, horizon=12, period=12, max_points=730)
    assert result["model"] == "seasonal_naive"
    assert {c["status"] for c in result["candidates"] if c["model"].startswith("ETS")} == {"failed"}
    assert all("boom" in c["note"] for c in result["candidates"] if c["status"] == "failed")


def test_final_fit_failure_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    original = fc._ets_intervals

    def failing(result: Any, n: int, horizon: int) -> Any:
        raise ValueError("no intervals today")

    monkeypatch.setattr(fc, "_ets_intervals", failing)
    y = co2_monthly().to_numpy()[:120]
    result = fc.forecast_series(y, horizon=12, period=12, max_points=730)
    assert result["model"] == "seasonal_naive"
    assert any("failed on the final fit" in note for note in result["notes"])
    assert original is not failing


def test_constant_and_tiny_series_never_raise() -> None:
    for y in (np.full(30, 5.0), np.array([1.0, 2.0, 3.0]), np.array([0.0, -1.0, 0.0, 1.0])):
        result = fc.forecast_series(y, horizon=4, period=4, max_points=730)
        bands = result["bands"]
        assert all(np.isfinite(v).all() for v in bands.values())


def assert_nested(bands: dict[str, np.ndarray]) -> None:
    for lower, upper in (
        ("lower95", "lower80"),
        ("lower80", "mean"),
        ("mean", "upper80"),
        ("upper80", "upper95"),
    ):
        assert (bands[lower] <= bands[upper]).all(), (lower, upper)
        assert np.isfinite(bands[lower]).all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=3, max_value=40),
    amplitude=st.floats(min_value=0, max_value=50),
    slope=st.floats(min_value=-5, max_value=5),
    noise=st.floats(min_value=0, max_value=20),
    seed=st.integers(min_value=0, max_value=10_000),
    positive=st.booleans(),
)
def test_forecast_intervals_are_nested(
    n: int, amplitude: float, slope: float, noise: float, seed: int, positive: bool
) -> None:
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    y = amplitude * np.sin(2 * np.pi * t / 4) + slope * t + rng.normal(0, noise + 1e-9, n)
    if positive:
        y = np.abs(y) + 1
    result = fc.forecast_series(y, horizon=6, period=4, max_points=730)
    assert len(result["bands"]["mean"]) == 6
    assert_nested(result["bands"])


@settings(max_examples=200, deadline=None)
@given(
    increments=st.lists(
        st.floats(min_value=1e-3, max_value=1e6, allow_nan=False), min_size=2, max_size=80
    ),
    start=st.floats(min_value=-1e6, max_value=1e6),
)
def test_strictly_increasing_series_have_upward_trend(
    increments: list[float], start: float
) -> None:
    y = start + np.cumsum(increments)
    y = y[np.r_[True, np.diff(y) > 0]]  # guard against float absorption at huge magnitudes
    if len(y) < 3:
        return
    got = trend(y, "M", 500)
    n = len(y)
    assert got["ols"]["slope"] > 0
    assert got["theil_sen"]["slope"] > 0
    assert got["mann_kendall"]["s"] == n * (n - 1) / 2
    assert got["mann_kendall"]["tau"] == pytest.approx(1.0)
    if n >= 10:
        assert got["mann_kendall"]["direction"] == "up"
    assert got["direction"] in ("up", "flat")


def test_strictly_increasing_series_through_the_pipeline() -> None:
    series = pd.Series(
        np.exp(np.linspace(0, 3, 40)), index=pd.date_range("2000", periods=40, freq="QS")
    )
    records = [{"date": ts.strftime("%Y-%m-%d"), "value": float(v)} for ts, v in series.items()]
    result = run_analysis(parse_records(records))
    assert result["categories"][0]["trend"]["direction"] == "up"
    assert result["categories"][0]["growth"]["cagr"]["value"] > 0
