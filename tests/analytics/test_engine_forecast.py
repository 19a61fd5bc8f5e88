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
    """El Niño sea temperatures: no model beats seasonal naive in the backtest."""
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
    models = [c for c in forecast["candidates"] if c["model"] != "seasonal_naive"]
    assert any(c["model"].startswith("ETS") for c in models)
    assert all(c["mase"] >= forecast["baseline_mase"] for c in models if c["status"] == "ok")


def test_backtest_scores_match_a_manual_computation() -> None:
    y = np.array([10.0, 12, 14, 11, 13, 15, 12, 14, 16, 13, 15, 17, 14, 16, 18], dtype=float)
    result = fc.forecast_series(y, horizon=3, period=3, max_points=730)
    origins, step = fc.plan_origins(len(y), 3, fc.MIN_TRAIN)
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


def test_short_series_get_extra_origins_with_shorter_test_windows() -> None:
    assert fc.plan_origins(36, 12, 24) == ([24, 28, 32], 12)
    assert fc.plan_origins(120, 12, 24) == ([84, 96, 108], 12)
    assert fc.plan_origins(20, 12, 24) == ([], 0)


def test_36_months_with_trend_and_season_get_a_seasonal_trending_forecast() -> None:
    """Three years of a rising seasonal flow: next year is higher and keeps the pattern."""
    rng = np.random.default_rng(7)
    t = np.arange(36)
    pattern = np.array([0, 5, 12, 20, 15, 8, 3, -4, -10, -6, 0, 9], dtype=float)
    values = 100 + 2.0 * t + pattern[t % 12] + rng.normal(0, 1.0, 36)
    series = pd.Series(values, index=pd.date_range("2021-01-01", periods=36, freq="MS"))
    forecast = forecast_of(series)
    assert forecast["model"] != "seasonal_naive"
    assert forecast["beats_baseline"]
    assert forecast["backtest_origins"] == 3
    ok = {c["model"] for c in forecast["candidates"] if c["status"] == "ok"}
    assert {"ETS (additive errors)", "Theta"} <= ok
    mean = np.array([p["mean"] for p in forecast["points"]])
    naive = values[-12:]
    # trending: next year is about 24 higher than last year (2 per month), not a copy
    assert 15 < float(np.mean(mean - naive)) < 33
    # seasonal: without the trend the forecast keeps the yearly pattern (peak in April,
    # trough in September)
    detrended = mean - 2.0 * np.arange(12)
    assert int(np.argmax(detrended)) == 3
    assert int(np.argmin(detrended)) == 8
    truth = 100 + 2.0 * np.arange(36, 48) + pattern
    assert float(np.mean(np.abs(mean - truth))) < float(np.mean(np.abs(naive - truth))) / 3


def test_intermittent_series_use_croston_or_tsb_and_stay_non_negative() -> None:
    rng = np.random.default_rng(3)
    shipped = rng.random(72) < 0.3
    values = np.where(shipped, rng.integers(50, 150, 72), 0).astype(float)
    result = fc.forecast_series(values, horizon=12, period=12, max_points=730)
    names = {c["model"] for c in result["candidates"]}
    assert {"Croston (SBA)", "TSB"} <= names
    assert "ARIMA" not in names
    assert result["model"] in {"Croston (SBA)", "TSB"}
    assert result["beats_baseline"]
    assert any("RMSSE" in note for note in result["notes"])
    for band in result["bands"].values():
        assert (band >= 0).all()
    # Croston-type forecasts: the mean demand per period, flat
    assert 0 < result["bands"]["mean"][0] < values.max()
    assert np.ptp(result["bands"]["mean"]) == pytest.approx(0.0, abs=1e-9)


def test_croston_sba_matches_a_hand_computation() -> None:
    from pintar_ekspor.analytics.engine import fc_simple

    y = np.array([0, 0, 10, 0, 20, 0, 0, 0, 30], dtype=float)
    _, last = fc_simple._croston_path(y, 0.1, tsb=False)
    size, interval = 10.0, 3.0  # first demand 10 after 3 periods
    size += 0.1 * (10 - size)
    interval += 0.1 * (3 - interval)
    size += 0.1 * (20 - size)
    interval += 0.1 * (2 - interval)
    size += 0.1 * (30 - size)
    interval += 0.1 * (4 - interval)
    assert last == pytest.approx(0.95 * size / interval)


def test_multiplicative_error_ets_is_a_candidate_for_positive_series() -> None:
    y = co2_monthly().to_numpy()[:120]
    result = fc.forecast_series(y, horizon=12, period=12, max_points=730)
    ok = {c["model"] for c in result["candidates"] if c["status"] == "ok"}
    assert {"ETS (additive errors)", "ETS (multiplicative errors)", "ARIMA", "Theta"} <= ok
    assert "Ensemble" in ok
    negative = fc.forecast_series(y - 340, horizon=12, period=12, max_points=730)
    assert "ETS (multiplicative errors)" not in {c["model"] for c in negative["candidates"]}


def test_forecast_step_is_fast_relative_to_a_plain_ets_fit() -> None:
    """The whole backtested choice costs less than one statsmodels ETS fit of the series."""
    import time

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = co2_monthly().to_numpy()[:120]
    fc.forecast_series(y, horizon=12, period=12, max_points=730)
    start = time.process_time()
    for _ in range(3):
        fc.forecast_series(y, horizon=12, period=12, max_points=730)
    ours = (time.process_time() - start) / 3
    start = time.process_time()
    ETSModel(pd.Series(y), error="add", trend="add", seasonal="add", seasonal_periods=12).fit(
        disp=False
    )
    plain = time.process_time() - start
    assert ours < plain, (ours, plain)


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
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise FloatingPointError("boom")

    from pintar_ekspor.analytics.engine import fc_arima, fc_ets, fc_simple

    monkeypatch.setattr(fc_ets, "project", broken)
    monkeypatch.setattr(fc_arima, "forecast", broken)
    monkeypatch.setattr(fc_simple, "theta", broken)
    monkeypatch.setattr(fc.THETA, "backtest", broken)
    y = co2_monthly().to_numpy()[:120]
    result = fc.forecast_series(y, horizon=12, period=12, max_points=730)
    assert result["model"] == "seasonal_naive"
    failed = [c for c in result["candidates"] if c["status"] == "failed"]
    assert {c["model"] for c in failed} == {
        "ETS (additive errors)",
        "ETS (multiplicative errors)",
        "ARIMA",
        "Theta",
    }
    assert all("boom" in c["note"] for c in failed)


def test_final_fit_failure_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    from pintar_ekspor.analytics.engine import fc_ets

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("no intervals today")

    monkeypatch.setattr(fc_ets, "simulate", failing)
    y = co2_monthly().to_numpy()[:120]
    result = fc.forecast_series(y, horizon=12, period=12, max_points=730)
    assert result["model"] == "seasonal_naive"
    assert any("failed on the final fit" in note for note in result["notes"])


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
