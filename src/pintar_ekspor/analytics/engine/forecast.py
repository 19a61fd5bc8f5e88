"""Forecasts chosen by a rolling-origin backtest against a (seasonal) naive baseline.

Candidates (numpy only, see ``fc_ets``, ``fc_arima`` and ``fc_simple``):

- ``ETS (additive errors)`` and, for strictly positive series, ``ETS (multiplicative
  errors)``: every trend (none, additive, damped) and season (none, additive and, for
  positive series, multiplicative) form, the form and its smoothing parameters chosen by
  AICc at each origin;
- ``ARIMA``: seasonal ARIMA(p,d,q)(0,D,Q)[m] with p <= 5, q <= 2, Q <= 1 (auto.arima's
  default ``max.p``; non-seasonal when the history is shorter than three cycles plus four
  points), each order estimated by Hannan-Rissanen least squares, orders by AICc;
- ``Theta``: the standard Theta method on the seasonally adjusted series;
- for intermittent series (>= 30 % zero periods, never negative) ``Croston (SBA)``,
  ``TSB`` and additive-error ETS only;
- ``ARIMA (no differencing)``: the same without the first difference, when KPSS asked for
  one and there is no seasonal difference (long stationary cycles such as sunspots);
- ``Ensemble``: the mean of the candidates whose backtest error is at most twice the best
  one's (combinations are more accurate than any one model on average, and much less
  sensitive to a noisy backtest).

Seasonal models need two full cycles of history before the first backtest origin; a series
shorter than that (plus the test window) gets the non-seasonal candidates, and says so.
Baseline: seasonal naive (the value one cycle earlier) with two full cycles, else naive.

Backtest: up to 3 origins, the last one ``horizon`` points before the end, spaced by
``horizon`` (less when the series is short); when fewer than 3 such origins fit, later
origins with shorter test windows are added (a 36-month series with a 12-month horizon is
tested from months 24, 28 and 32). Each origin fits on the data before it. MASE divides the
mean absolute error by the in-sample MAE of the baseline on the same training data; sMAPE
is ``mean(200 |y - f| / (|y| + |f|))``. A model is chosen only when its mean MASE is
strictly below the baseline's; otherwise the baseline is returned with a plain sentence
saying so. Intermittent series are compared by RMSSE instead (the M5 competition's
measure: MAE would favour forecasting zero), and by the backtest alone; MASE is still
reported. Otherwise the ensemble is preferred: a single model is chosen over it only when its
backtest MASE is below ``SINGLE_MODEL_MARGIN`` (70 %) of the ensemble's. A candidate that
raises or forecasts non-finite values is dropped; if the chosen
model fails on the final fit, the baseline is returned with a note. Nothing here raises.

Intervals (80 % and 95 %): simulated sample paths for ETS (1,000, fixed seed), psi weights
for ARIMA, the SES variance for Theta, the in-sample one-step error for Croston/TSB, the
mean of the members' bounds for the ensemble, and ``mean ± z σ sqrt(k)`` for the baseline
(σ: root mean square of the in-sample baseline residuals, ``k``: seasons, or steps for
naive, completed at that step). Series that are never negative get non-negative forecasts
and bounds. Bounds are nested: lower95 ≤ lower80 ≤ mean ≤ upper80 ≤ upper95.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from . import fc_arima, fc_ets, fc_simple

FloatArray = npt.NDArray[np.float64]
Z80 = 1.2815515655446004  # standard normal quantile 0.90
Z95 = 1.959963984540054  # standard normal quantile 0.975
MAX_ORIGINS = 3
SINGLE_MODEL_MARGIN = 0.7
ENSEMBLE_SPREAD = 2.0  # members: candidates whose backtest error is at most twice the best
MIN_TRAIN = 8
SEED = fc_ets.SEED
NOT_BETTER = (
    "The chosen model does not beat the {baseline} baseline; the baseline forecast is returned."
)
ETS_A = "ETS (additive errors)"
ETS_M = "ETS (multiplicative errors)"


class FitFailedError(Exception):
    """A candidate model could not be fitted cleanly."""


def baseline_forecast(y: FloatArray, horizon: int, period: int) -> FloatArray:
    """Seasonal naive (``period`` > 1) or naive (``period`` = 1) point forecasts."""
    n = len(y)
    return y[n - period + (np.arange(horizon) % period)].astype(np.float64)


def baseline_intervals(y: FloatArray, horizon: int, period: int) -> dict[str, FloatArray]:
    mean = baseline_forecast(y, horizon, period)
    resid = y[period:] - y[:-period]
    sigma = float(np.sqrt(np.mean(resid**2))) if len(resid) else 0.0
    spread = sigma * np.sqrt(np.arange(horizon) // period + 1.0)
    return _normal_bands(mean, spread)


def _normal_bands(mean: FloatArray, spread: FloatArray) -> dict[str, FloatArray]:
    return {
        "mean": mean,
        "lower80": mean - Z80 * spread,
        "upper80": mean + Z80 * spread,
        "lower95": mean - Z95 * spread,
        "upper95": mean + Z95 * spread,
    }


def mase(actual: FloatArray, forecast: FloatArray, train: FloatArray, period: int) -> float:
    """Mean absolute error scaled by the in-sample baseline MAE of ``train``."""
    mae = float(np.mean(np.abs(actual - forecast)))
    for lag in dict.fromkeys((period, 1)):
        if len(train) > lag:
            scale = float(np.mean(np.abs(train[lag:] - train[:-lag])))
            if scale > 0:
                return mae / scale
    return 0.0 if mae == 0 else math.inf


def rmsse(actual: FloatArray, forecast: FloatArray, train: FloatArray, period: int) -> float:
    """Root mean squared error scaled by the in-sample baseline RMSE of ``train`` (M5)."""
    mse = float(np.mean((actual - forecast) ** 2))
    for lag in dict.fromkeys((period, 1)):
        if len(train) > lag:
            scale = float(np.mean((train[lag:] - train[:-lag]) ** 2))
            if scale > 0:
                return math.sqrt(mse / scale)
    return 0.0 if mse == 0 else math.inf


def smape(actual: FloatArray, forecast: FloatArray) -> float:
    denominator = np.abs(actual) + np.abs(forecast)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(denominator > 0, 200.0 * np.abs(actual - forecast) / denominator, 0.0)
    return float(np.mean(terms))


def backtest_origins(n: int, horizon: int, min_train: int) -> tuple[list[int], int]:
    """Training lengths of the full-horizon rolling origins (oldest first) and their spacing."""
    spare = n - horizon - min_train
    if spare < 0:
        return [], 0
    count = min(MAX_ORIGINS, spare + 1)
    step = horizon if count == 1 else max(1, min(horizon, spare // (count - 1)))
    return [n - horizon - k * step for k in reversed(range(count))], step


def plan_origins(n: int, horizon: int, min_train: int) -> tuple[list[int], int]:
    """Full-horizon origins, topped up with shorter test windows for short series."""
    origins, step = backtest_origins(n, horizon, min_train)
    if not origins or len(origins) >= MAX_ORIGINS:
        return origins, step
    gap = max(1, math.ceil(horizon / MAX_ORIGINS))
    nxt = origins[-1] + gap
    while len(origins) < MAX_ORIGINS and nxt <= n - gap:
        origins.append(nxt)
        nxt += gap
    return origins, step


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _nested(bands: dict[str, FloatArray]) -> dict[str, FloatArray]:
    mean = bands["mean"]
    lower80 = np.minimum(bands["lower80"], mean)
    upper80 = np.maximum(bands["upper80"], mean)
    return {
        "mean": mean,
        "lower80": lower80,
        "upper80": upper80,
        "lower95": np.minimum(bands["lower95"], lower80),
        "upper95": np.maximum(bands["upper95"], upper80),
    }


@dataclass
class Context:
    """One series and its backtest plan; caches the shared vectorised passes."""

    y: FloatArray
    horizon: int
    season: int
    origins: list[int]
    seasonal_models: bool
    intermittent: bool = False
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.y)

    def ets(self) -> dict[int, dict[str, fc_ets.State]]:
        if "ets" not in self.cache:
            fitter = fc_ets.Fitter(
                self.y,
                self.season,
                self.seasonal_models,
                init_points=min(10, self.origins[0]) if self.origins else 10,
            )
            self.cache["ets"] = fitter.run([*self.origins, self.n])
        result: dict[int, dict[str, fc_ets.State]] = self.cache["ets"]
        return result

    def arima_season(self) -> int:
        first = self.origins[0] if self.origins else self.n
        ok = self.seasonal_models and first >= fc_arima.min_train(self.season)
        return self.season if ok else 1

    def arima(self, stationary: bool = False) -> dict[int, fc_arima.Arima]:
        key = f"arima-{stationary}"
        if key not in self.cache:
            m = self.arima_season()
            fitter = fc_arima.Fitter(self.y, m, self.origins[0], stationary=stationary)
            self.cache[key] = fitter.run(self.origins)
        result: dict[int, fc_arima.Arima] = self.cache[key]
        return result


@dataclass
class Candidate:
    name: str
    backtest: Callable[[Context, int], FloatArray]  # (context, origin) -> point forecasts
    final: Callable[[Context], tuple[str, dict[str, FloatArray]]]


def _ets_state(ctx: Context, origin: int, error: str) -> fc_ets.State:
    state = ctx.ets()[origin].get(error)
    if state is None:
        raise FitFailedError(f"no stable ETS model with {error} errors")
    return state


def _ets_candidate(name: str, error: str) -> Candidate:
    def backtest(ctx: Context, origin: int) -> FloatArray:
        return fc_ets.project(_ets_state(ctx, origin, error), ctx.horizon)

    def final(ctx: Context) -> tuple[str, dict[str, FloatArray]]:
        state = _ets_state(ctx, ctx.n, error)
        mean = fc_ets.project(state, ctx.horizon)
        paths = fc_ets.simulate(state, ctx.horizon)
        q = np.quantile(paths, [0.025, 0.10, 0.90, 0.975], axis=0)
        bands = {"mean": mean, "lower95": q[0], "lower80": q[1], "upper80": q[2], "upper95": q[3]}
        return state.label, bands

    return Candidate(name, backtest, final)


def _arima_candidate(name: str, stationary: bool) -> Candidate:
    def backtest(ctx: Context, origin: int) -> FloatArray:
        model = ctx.arima(stationary).get(origin)
        if model is None:
            raise FitFailedError("too short for ARIMA")
        return fc_arima.forecast(model, ctx.y[:origin], ctx.horizon)

    def final(ctx: Context) -> tuple[str, dict[str, FloatArray]]:
        fitter = fc_arima.Fitter(ctx.y, ctx.arima_season(), ctx.n, stationary=stationary)
        model = fitter.run([ctx.n]).get(ctx.n)
        if model is None:
            raise FitFailedError("too short for ARIMA")
        mean = fc_arima.forecast(model, ctx.y, ctx.horizon)
        return model.label, _normal_bands(mean, fc_arima.spread(model, ctx.horizon))

    return Candidate(name, backtest, final)


def _simple(name: str, fit: Callable[[FloatArray, int, int], fc_simple.Fitted]) -> Candidate:
    def backtest(ctx: Context, origin: int) -> FloatArray:
        return fit(ctx.y[:origin], ctx.horizon, ctx.season if ctx.seasonal_models else 1).mean

    def final(ctx: Context) -> tuple[str, dict[str, FloatArray]]:
        fitted = fit(ctx.y, ctx.horizon, ctx.season if ctx.seasonal_models else 1)
        return fitted.label, _normal_bands(fitted.mean, fitted.spread)

    return Candidate(name, backtest, final)


def _intermittent_candidate(name: str, tsb: bool) -> Candidate:
    """Croston/TSB: one vectorised pass gives the fit at every origin and the final one."""

    def fitter(ctx: Context) -> fc_simple.IntermittentFitter:
        key = f"intermittent-{tsb}"
        if key not in ctx.cache:
            ctx.cache[key] = fc_simple.IntermittentFitter(ctx.y, tsb)
        found: fc_simple.IntermittentFitter = ctx.cache[key]
        return found

    def backtest(ctx: Context, origin: int) -> FloatArray:
        return fitter(ctx).fitted(origin, ctx.horizon).mean

    def final(ctx: Context) -> tuple[str, dict[str, FloatArray]]:
        fitted = fitter(ctx).fitted(ctx.n, ctx.horizon)
        return fitted.label, _normal_bands(fitted.mean, fitted.spread)

    return Candidate(name, backtest, final)


THETA = _simple("Theta", fc_simple.theta)
CROSTON = _intermittent_candidate("Croston (SBA)", tsb=False)
TSB = _intermittent_candidate("TSB", tsb=True)
ARIMA = _arima_candidate("ARIMA", stationary=False)
ARIMA_STATIONARY = _arima_candidate("ARIMA (no differencing)", stationary=True)


def candidates(ctx: Context) -> list[Candidate]:
    y = ctx.y
    additive = _ets_candidate(ETS_A, "A")
    if ctx.intermittent:
        return [CROSTON, TSB, additive]
    out = [additive]
    if (y > 0).all():
        out.append(_ets_candidate(ETS_M, "M"))
    out += [ARIMA, THETA]
    d, seasonal_d = fc_arima.orders(y[: ctx.origins[0]], ctx.arima_season())
    if d >= 1 and seasonal_d == 0:  # a stationary alternative when KPSS asked for a difference
        out.append(ARIMA_STATIONARY)
    return out


@dataclass
class Scored:
    candidate: Candidate
    forecasts: list[FloatArray]
    mase: float
    smape: float
    rank: float  # the metric models are compared on: MASE, or RMSSE for intermittent series


def _score(
    model: str, m_val: float | None, s_val: float | None, status: str, note: str | None
) -> dict[str, Any]:
    return {
        "model": model,
        "mase": _finite(m_val),
        "smape": _finite(s_val),
        "status": status,
        "note": note,
    }


def _metrics(ctx: Context, forecasts: list[FloatArray]) -> tuple[float, float, float]:
    m_vals, s_vals, r_vals = [], [], []
    for origin, forecast in zip(ctx.origins, forecasts, strict=True):
        train, actual = ctx.y[:origin], ctx.y[origin : origin + ctx.horizon]
        m_vals.append(mase(actual, forecast[: len(actual)], train, ctx.season))
        s_vals.append(smape(actual, forecast[: len(actual)]))
        r_vals.append(rmsse(actual, forecast[: len(actual)], train, ctx.season))
    m_val = float(np.mean(m_vals))
    return m_val, float(np.mean(s_vals)), float(np.mean(r_vals)) if ctx.intermittent else m_val


def _evaluate(ctx: Context, candidate: Candidate) -> Scored:
    forecasts = []
    for origin in ctx.origins:
        try:
            forecast = np.asarray(candidate.backtest(ctx, origin), dtype=np.float64)
        except FitFailedError:
            raise
        except Exception as exc:  # any numerical failure means "no fit"
            raise FitFailedError(f"{type(exc).__name__}: {exc}") from None
        if not np.isfinite(forecast).all():
            raise FitFailedError("non-finite forecast")
        forecasts.append(_clip(ctx, forecast))
    return Scored(candidate, forecasts, *_metrics(ctx, forecasts))


def _clip(ctx: Context, values: FloatArray) -> FloatArray:
    return np.maximum(values, 0.0) if ctx.cache.get("nonnegative") else values


def _ensemble(ctx: Context, ranked: list[Scored]) -> Scored | None:
    members = [s for s in ranked if s.rank <= ENSEMBLE_SPREAD * ranked[0].rank] if ranked else []
    if len(members) < 2:
        return None
    forecasts = [
        np.mean([m.forecasts[k] for m in members], axis=0) for k in range(len(ctx.origins))
    ]
    metrics = _metrics(ctx, forecasts)

    def final(c: Context) -> tuple[str, dict[str, FloatArray]]:
        fitted = [m.candidate.final(c) for m in members]
        keys = fitted[0][1].keys()
        bands = {k: np.mean([f[1][k] for f in fitted], axis=0) for k in keys}
        return "Ensemble(" + ", ".join(f[0] for f in fitted) + ")", bands

    def backtest(c: Context, origin: int) -> FloatArray:
        chosen: FloatArray = forecasts[c.origins.index(origin)]
        return chosen

    return Scored(Candidate("Ensemble", backtest, final), forecasts, *metrics)


def _prefer_ensemble(ranked: list[Scored], ensemble: Scored) -> list[Scored]:
    """The ensemble first unless a single model is clearly better; then the rest by MASE."""
    if ranked and ranked[0].rank < SINGLE_MODEL_MARGIN * ensemble.rank:
        return sorted([*ranked, ensemble], key=lambda s: s.rank)
    return [ensemble, *ranked]


def _plan(
    y: FloatArray, horizon: int, season: int, notes: list[str]
) -> tuple[list[int], int, bool, list[dict[str, Any]]]:
    """Origins and whether seasonal models take part; skipped rows for what cannot."""
    skipped: list[dict[str, Any]] = []
    n = len(y)
    if season > 1:
        origins, step = plan_origins(n, horizon, max(2 * season, MIN_TRAIN))
        if origins:
            return origins, step, True, skipped
        skipped.append(
            _score(
                "seasonal models",
                None,
                None,
                "skipped",
                f"a seasonal backtest needs {2 * season} points of history before it",
            )
        )
    origins, step = plan_origins(n, horizon, max(MIN_TRAIN, season + 1))
    if not origins:
        notes.append("The series is too short to backtest the models; the baseline is returned.")
    return origins, step, False, skipped


def forecast_series(
    values: FloatArray, *, horizon: int, period: int | None, max_points: int
) -> dict[str, Any]:
    """Backtest, choose and forecast one regular series; never raises.

    Returns the fields of :class:`~.schemas.ForecastResult` except ``category``, with
    ``bands`` (arrays ``mean``, ``lower80``, ``upper80``, ``lower95``, ``upper95``) in
    place of ``points``.
    """
    notes: list[str] = []
    y = np.asarray(values, dtype=np.float64)
    if len(y) > max_points:
        notes.append(f"Models were fitted on the last {max_points} of {len(y)} points.")
        y = y[-max_points:]
    n = len(y)
    seasonal = period is not None and period > 1 and n >= 2 * period
    season = period if seasonal and period is not None else 1
    baseline_name: Literal["seasonal_naive", "naive"] = "seasonal_naive" if seasonal else "naive"
    origins, step, seasonal_models, scores = _plan(y, horizon, season, notes)
    ctx = Context(y, horizon, season, origins, seasonal_models, fc_simple.is_intermittent(y))
    if ctx.intermittent and origins:
        notes.append(
            f"{np.mean(y == 0):.0%} of the periods are zero (intermittent flow): models are "
            "compared by RMSSE (root mean squared scaled error), because MAE favours "
            "forecasting zero."
        )
    ctx.cache["nonnegative"] = bool((y >= 0).all())
    ranked: list[Scored] = []
    if origins:
        for candidate in candidates(ctx):
            try:
                scored = _evaluate(ctx, candidate)
            except FitFailedError as exc:
                scores.append(_score(candidate.name, None, None, "failed", str(exc)[:200]))
                continue
            scores.append(_score(candidate.name, scored.mase, scored.smape, "ok", None))
            ranked.append(scored)
        ranked.sort(key=lambda s: s.rank)
        ensemble = _ensemble(ctx, ranked)
        if ensemble is not None:
            scores.append(_score("Ensemble", ensemble.mase, ensemble.smape, "ok", None))
            ranked = (
                sorted([*ranked, ensemble], key=lambda s: s.rank)
                if ctx.intermittent
                else _prefer_ensemble(ranked, ensemble)
            )
    base_mase, base_smape, base_rank = _baseline_scores(ctx)
    scores.append(
        _score(baseline_name, base_mase, base_smape, "ok" if origins else "skipped", None)
    )
    chosen = next(
        (s for s in ranked if base_rank is not None and s.rank < base_rank),
        None,
    )
    message: str | None = None
    if chosen is None and origins:
        message = NOT_BETTER.format(baseline=baseline_name.replace("_", " "))
    label, bands = _final(ctx, chosen, baseline_name, notes)
    if bands is None:
        chosen = None
        bands = baseline_intervals(y, horizon, season)
    if ctx.cache["nonnegative"]:
        bands = {k: np.maximum(v, 0.0) for k, v in bands.items()}
    return {
        "horizon": horizon,
        "model": label if chosen else baseline_name,
        "baseline_model": baseline_name,
        "beats_baseline": chosen is not None,
        "message": message,
        "mase": _finite(chosen.mase) if chosen else _finite(base_mase),
        "smape": _finite(chosen.smape) if chosen else _finite(base_smape),
        "baseline_mase": _finite(base_mase),
        "baseline_smape": _finite(base_smape),
        "backtest_origins": len(origins),
        "backtest_step": step,
        "candidates": scores,
        "fit_points": n,
        "notes": notes,
        "bands": _nested(bands),
    }


def forecast_packed(
    values: bytes, *, horizon: int, period: int | None, max_points: int
) -> dict[str, Any]:
    """:func:`forecast_series` of float64 values packed as bytes (sent between processes
    without pickling numpy arrays, so the sender needs no numpy)."""
    y = np.frombuffer(values, dtype=np.float64)
    return forecast_series(y, horizon=horizon, period=period, max_points=max_points)


def _final(
    ctx: Context, chosen: Scored | None, baseline_name: str, notes: list[str]
) -> tuple[str, dict[str, FloatArray] | None]:
    if chosen is None:
        return baseline_name, None
    try:
        label, bands = chosen.candidate.final(ctx)
        if not all(np.isfinite(v).all() for v in bands.values()):
            raise FitFailedError("non-finite prediction interval")
    except Exception as exc:  # never raise: the baseline is always available
        notes.append(
            f"{chosen.candidate.name} failed on the final fit ({str(exc)[:120]}); "
            "the baseline forecast is returned."
        )
        return baseline_name, None
    return label, bands


def _baseline_scores(ctx: Context) -> tuple[float | None, float | None, float | None]:
    if not ctx.origins:
        return None, None, None
    forecasts = [baseline_forecast(ctx.y[:o], ctx.horizon, ctx.season) for o in ctx.origins]
    return _metrics(ctx, forecasts)
