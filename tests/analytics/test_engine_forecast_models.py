"""The numpy forecasting models: ARIMA estimation, the one-pass intermittent methods, the
backtest's honesty and the outlier flags the forecasts are fitted on."""

from __future__ import annotations

import numpy as np
import pytest

from pintar_ekspor.analytics.engine import fc_arima, fc_simple
from pintar_ekspor.analytics.engine import forecast as fc
from pintar_ekspor.analytics.engine.cleaning import (
    CleanSeries,
    decompose,
    flag_outliers,
    season_positions,
)


def ar2_cycle(n: int, seed: int = 5) -> np.ndarray:
    """A long stationary cycle like the sunspots: AR(2) with phi = (1.5, -0.85), period ~11."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n + 100)
    e = rng.normal(0, 10, n + 100)
    for t in range(2, n + 100):
        y[t] = 1.5 * y[t - 1] - 0.85 * y[t - 2] + e[t]
    return 100 + y[100:]


def test_arima_estimates_a_long_cycle_by_least_squares() -> None:
    y = ar2_cycle(300)
    model = fc_arima.Fitter(y, 1, len(y), stationary=True).run([len(y)])[len(y)]
    assert model.d == 0
    # the AR(2) part is recovered (AICc may add small extra lags)
    assert model.ar[0] == pytest.approx(1.5, abs=0.15)
    assert model.ar[1] == pytest.approx(-0.85, abs=0.15)
    assert len(model.ma) <= 2
    # its forecast keeps cycling instead of flattening: it turns within one cycle
    path = fc_arima.forecast(model, y, 12)
    steps = np.sign(np.diff(path))
    assert (steps[:-1] != steps[1:]).any()


def test_arima_chosen_on_a_cycle_beats_the_flat_models() -> None:
    y = ar2_cycle(280, seed=11)
    result = fc.forecast_series(y, horizon=5, period=None, max_points=730)
    scores = {c["model"]: c["mase"] for c in result["candidates"] if c["status"] == "ok"}
    arima = min(v for k, v in scores.items() if k.startswith("ARIMA"))
    assert arima < scores["ETS (additive errors)"]
    assert arima < scores["Theta"]
    assert "ARIMA" in result["model"]


def test_backtest_fits_use_only_the_data_before_each_origin() -> None:
    """Changing the data after an origin changes none of the forecasts made from it."""
    y = ar2_cycle(200, seed=3)
    origins = [150, 170, 190]
    later = y.copy()
    later[171:] += np.linspace(0, 500, len(y) - 171)
    for stationary in (False, True):
        before = fc_arima.Fitter(y, 1, origins[0], stationary=stationary).run(origins)
        after = fc_arima.Fitter(later, 1, origins[0], stationary=stationary).run(origins)
        for origin in (150, 170):
            assert np.array_equal(
                fc_arima.forecast(before[origin], y[:origin], 5),
                fc_arima.forecast(after[origin], later[:origin], 5),
            )
        assert not np.array_equal(before[190].residuals, after[190].residuals)
    for tsb in (False, True):
        one = fc_simple.IntermittentFitter(np.where(y > 100, y, 0.0), tsb)
        two = fc_simple.IntermittentFitter(np.where(later > 100, later, 0.0), tsb)
        assert one.fitted(170, 5).mean.tolist() == two.fitted(170, 5).mean.tolist()


def test_chosen_model_is_the_one_the_backtest_ranks_first() -> None:
    y = ar2_cycle(240, seed=8)
    result = fc.forecast_series(y, horizon=5, period=None, max_points=730)
    ok = [c for c in result["candidates"] if c["status"] == "ok" and c["model"] != "naive"]
    best = min(ok, key=lambda c: c["mase"])
    ensemble = next((c for c in ok if c["model"] == "Ensemble"), None)
    if result["model"].startswith("Ensemble("):
        assert ensemble is not None
        assert result["mase"] == ensemble["mase"]
        singles = [c for c in ok if c["model"] != "Ensemble"]
        assert min(c["mase"] for c in singles) >= fc.SINGLE_MODEL_MARGIN * ensemble["mase"]
    else:
        assert result["mase"] == best["mase"]
    assert result["mase"] < result["baseline_mase"]


@pytest.mark.parametrize("tsb", [False, True])
def test_one_pass_croston_and_tsb_match_the_plain_loop_on_every_prefix(tsb: bool) -> None:
    rng = np.random.default_rng(21)
    y = np.where(rng.random(90) < 0.35, rng.integers(5, 200, 90), 0).astype(float)
    fitter = fc_simple.IntermittentFitter(y, tsb)
    for length in range(1, len(y) + 1):
        best: tuple[float, float] | None = None
        for alpha in fc_simple.INTERMITTENT_ALPHAS:
            preds, last = fc_simple._croston_path(y[:length], alpha, tsb)
            sse = float(np.sum((y[:length] - preds) ** 2))
            if best is None or sse < best[0] * (1 - 1e-9):
                best = (sse, last)
        assert best is not None
        got = fitter.fitted(length, 3)
        assert got.mean[0] == pytest.approx(best[1], rel=1e-9, abs=1e-12)


def weekly_series(values: np.ndarray) -> CleanSeries:
    n = len(values)
    start = 7 * 1500 + 4  # a Monday (days since 1970-01-01)
    days = start + 7 * np.arange(n, dtype=np.int64)
    periods = np.floor_divide(days + 3, 7).astype(np.int64)
    return CleanSeries(
        category="x",
        freq="W",
        periods=periods,
        days=days,
        value=values.astype(float),
        raw=values.astype(float),
        gap_fill="zero",
        filled=np.zeros(n, dtype=bool),
        observations=n,
        duplicates_merged=0,
        duplicate_days=np.zeros(0, dtype=np.int64),
        aggregated=0,
    )


def test_a_planted_spike_is_flagged_and_the_seasonal_peak_is_not() -> None:
    rng = np.random.default_rng(4)
    t = np.arange(52 * 6)
    week = t % 52
    peak = np.where((week >= 47) & (week <= 50), 400.0, 0.0)  # every year's December rush
    values = 1000 + 2.0 * t + peak + rng.normal(0, 15, len(t))
    values[130] += 900  # one spike
    series = weekly_series(values)
    positions, _ = season_positions(series.periods, series.days, "W")
    series.decomposition = decompose(series.value, positions, 52)
    flag_outliers(series, replace=False)
    flagged = set(np.flatnonzero(series.outlier).tolist())
    assert 130 in flagged
    peaks = set(np.flatnonzero(peak > 0).tolist())
    assert not flagged & peaks
    assert series.treated[130] == pytest.approx(series.expected[130])
    assert abs(series.treated[130] - (1000 + 2.0 * 130)) < 100


def test_expected_values_of_a_never_negative_flow_are_not_negative() -> None:
    """Sparse shipments: a spike's expected value is never below zero, so the forecast
    input stays a non-negative (intermittent) flow."""
    rng = np.random.default_rng(9)
    shipped = rng.random(52 * 5) < 0.4
    values = np.where(shipped, rng.uniform(500, 1500, len(shipped)), 0.0)
    values[[40, 120, 200]] = [20_000.0, 25_000.0, 22_000.0]
    series = weekly_series(values)
    positions, _ = season_positions(series.periods, series.days, "W")
    series.decomposition = decompose(series.value, positions, 52)
    flag_outliers(series, replace=False)
    assert series.outlier[[40, 120, 200]].all()
    assert (series.expected >= 0).all()
    assert (series.treated >= 0).all()
    assert fc_simple.is_intermittent(series.treated)
