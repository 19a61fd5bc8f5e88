"""Exponential smoothing (ETS) fitted by a vectorised grid search (numpy only).

Every form ``ETS(E,T,S)`` with error E in {A, M}, trend T in {N, A, Ad} and season S in
{N, A, M} shares one recursion: the point forecasts of additive- and multiplicative-error
models are the same for the same smoothing parameters; only the likelihood (and so the
chosen parameters) and the prediction intervals differ. So one pass over the series,
vectorised over a grid of (alpha, beta, gamma, phi) for every form at once, yields both
families' likelihoods at every time step. Selecting the best grid point by AICc at each
backtest origin uses the running sums up to that origin, so the whole rolling-origin
backtest costs one pass (plus one per origin for nothing: states are snapshotted).

Initial states are heuristic (Hyndman et al. 2008, sec. 2.6.1): a centred moving average
over the first two cycles for the seasonal indices, a regression line through the first
deseasonalised values for level and slope. Prediction intervals are simulated (1,000 paths,
fixed seed) from the chosen form, its state and its error variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

ALPHAS = (0.02, 0.06, 0.12, 0.2, 0.3, 0.45, 0.6, 0.8, 0.97)
BETAS = (0.002, 0.02, 0.06, 0.15)
GAMMAS = (0.002, 0.05, 0.15, 0.3)
PHIS = (0.85, 0.93, 0.98)
SIM_PATHS = 1000
SEED = 20240101


@dataclass(frozen=True)
class Form:
    trend: str  # N | A | Ad
    season: str  # N | A | M

    def label(self, error: str) -> str:
        return f"ETS({error},{self.trend},{self.season})"

    @property
    def n_params(self) -> int:
        return 2 + (self.trend != "N") + (self.trend == "Ad") + (self.season != "N")


@dataclass
class Grid:
    form: npt.NDArray[np.int64]
    alpha: FloatArray
    beta: FloatArray
    gamma: FloatArray
    phi: FloatArray
    mul: npt.NDArray[np.bool_]


@dataclass
class State:
    """A fitted ETS model at one origin: form, parameters and the state at that time."""

    form: Form
    error: str
    alpha: float
    beta: float
    gamma: float
    phi: float
    level: float
    slope: float
    season: FloatArray  # season[j] applies to times t with t % m == j
    sigma: float
    time: int  # index of the next (first forecast) time step
    aicc: float

    @property
    def label(self) -> str:
        return self.form.label(self.error)


def forms_for(seasonal: bool, positive: bool) -> list[Form]:
    seasons = ["N"] + (["A"] if seasonal else []) + (["M"] if seasonal and positive else [])
    return [Form(t, s) for s in seasons for t in ("N", "A", "Ad")]


def build_grid(forms: list[Form]) -> Grid:
    cols: list[tuple[int, float, float, float, float, bool]] = []
    for k, form in enumerate(forms):
        betas = BETAS if form.trend != "N" else (0.0,)
        gammas = GAMMAS if form.season != "N" else (0.0,)
        phis = PHIS if form.trend == "Ad" else (1.0,)
        for a in ALPHAS:
            for b in betas:
                if b > a:
                    continue
                for g in gammas:
                    if g > 1 - a:
                        continue
                    for p in phis:
                        cols.append((k, a, b, g, p, form.season == "M"))
    arr = np.array(cols, dtype=np.float64)
    return Grid(
        form=arr[:, 0].astype(np.int64),
        alpha=arr[:, 1],
        beta=arr[:, 2],
        gamma=arr[:, 3],
        phi=arr[:, 4],
        mul=arr[:, 5].astype(bool),
    )


def _regression(values: FloatArray) -> tuple[float, float]:
    """Intercept (at t = 0) and slope of a line through values at t = 1..k."""
    t = np.arange(1, len(values) + 1, dtype=np.float64)
    if len(values) < 2:
        return float(values[0]), 0.0
    slope, intercept = np.polyfit(t, values, 1)
    return float(intercept), float(slope)


def initial_states(
    y: FloatArray, m: int, season: str, points: int = 10
) -> tuple[FloatArray, float, float]:
    """Heuristic seasonal indices (length m), level and slope at time 0 (from ``y[:points]``
    without a season, from the first two cycles with one)."""
    if season == "N" or m <= 1:
        seasonal = np.zeros(max(m, 1))
        deseason = y[: max(1, min(len(y), points))]
    else:
        first = y[: 2 * m]
        weights = np.ones(m + 1 if m % 2 == 0 else m)
        if m % 2 == 0:
            weights[[0, -1]] = 0.5
        weights /= m
        trend = np.convolve(first, weights, mode="valid")
        offset = (len(weights) - 1) // 2
        idx = np.arange(offset, offset + len(trend))
        raw = first[idx] - trend if season == "A" else first[idx] / trend
        seasonal = np.zeros(m)
        seasonal[idx % m] = raw
        if season == "A":
            seasonal -= seasonal.mean()
            deseason = first - seasonal[np.arange(2 * m) % m]
        else:
            seasonal /= seasonal.mean()
            deseason = first / seasonal[np.arange(2 * m) % m]
        deseason = deseason[: max(10, m)]
    level, slope = _regression(np.asarray(deseason, dtype=np.float64))
    return seasonal, level, slope


class Fitter:
    """One vectorised pass over ``y`` that snapshots the best state per family at origins."""

    def __init__(self, y: FloatArray, m: int, seasonal: bool, init_points: int = 10) -> None:
        self.y = y
        self.init_points = init_points
        self.m = m if seasonal else 1
        self.positive = bool((y > 0).all())
        self.forms = forms_for(seasonal, self.positive)
        self.grid = build_grid(self.forms)

    def run(self, origins: list[int]) -> dict[int, dict[str, State]]:
        """Best state of each error family ('A', 'M') at every origin (training length)."""
        y, m, grid, forms = self.y, self.m, self.grid, self.forms
        g = len(grid.alpha)
        level = np.empty(g)
        slope = np.empty(g)
        season = np.empty((g, m))
        for k, form in enumerate(forms):
            s0, l0, b0 = initial_states(y, m, form.season, self.init_points)
            rows = grid.form == k
            level[rows] = l0
            slope[rows] = b0 if form.trend != "N" else 0.0
            season[rows] = s0 if form.season != "N" else 0.0
        n_params = np.array([forms[k].n_params for k in grid.form], dtype=np.float64)
        not_mul = ~grid.mul
        sse = np.zeros(g)
        rel = np.zeros(g)
        logs = np.zeros(g)
        bad = np.zeros(g, dtype=bool)
        wanted = set(origins)
        snaps: dict[int, dict[str, State]] = {}
        alpha, beta, gamma, phi = grid.alpha, grid.beta, grid.gamma, grid.phi
        with np.errstate(all="ignore"):
            for t in range(len(y) + 1):
                if t in wanted:
                    snaps[t] = self._snapshot(
                        t, level, slope, season, sse, rel, logs, bad, n_params
                    )
                if t == len(y):
                    break
                j = t % m
                s = season[:, j]
                if not self.positive:  # additive seasons only: no per-element branching
                    damped = phi * slope
                    mu = level + damped
                    e = y[t] - (mu + s)
                    level = mu + alpha * e
                    slope = damped + beta * e
                    season[:, j] = s + gamma * e
                    sse += e * e
                    continue
                mu = level + phi * slope
                yhat = np.where(grid.mul, mu * s, mu + s)
                e = y[t] - yhat
                inv_s = np.where(not_mul, 1.0, 1.0 / s)
                level = mu + alpha * e * inv_s
                slope = phi * slope + beta * e * inv_s
                season[:, j] = s + gamma * e * np.where(not_mul, 1.0, 1.0 / mu)
                sse += e * e
                r = e / yhat
                rel += r * r
                logs += np.log(np.abs(yhat))
                bad |= yhat <= 0
        return snaps

    def _snapshot(
        self,
        t: int,
        level: FloatArray,
        slope: FloatArray,
        season: FloatArray,
        sse: FloatArray,
        rel: FloatArray,
        logs: FloatArray,
        bad: npt.NDArray[np.bool_],
        n_params: FloatArray,
    ) -> dict[str, State]:
        n = float(t)
        k = n_params + 1.0
        denom = np.maximum(n - k - 1.0, 1.0)
        penalty = 2.0 * k + 2.0 * k * (k + 1.0) / denom
        tiny = 1e-12 * (float(np.mean(self.y[:t] ** 2)) + 1e-300)
        out: dict[str, State] = {}
        crit_a = n * np.log((sse + tiny) / n) + penalty
        families = [("A", crit_a, sse)]
        if self.positive:
            crit_m = n * np.log((rel + 1e-24) / n) + 2.0 * logs + penalty
            crit_m = np.where(bad, np.inf, crit_m)
            families.append(("M", crit_m, rel))
        for error, crit, resid in families:
            crit = np.where(np.isfinite(crit), crit, np.inf)
            idx = int(np.argmin(crit))
            if not math.isfinite(float(crit[idx])):
                continue
            g = self.grid
            out[error] = State(
                form=self.forms[int(g.form[idx])],
                error=error,
                alpha=float(g.alpha[idx]),
                beta=float(g.beta[idx]),
                gamma=float(g.gamma[idx]),
                phi=float(g.phi[idx]),
                level=float(level[idx]),
                slope=float(slope[idx]),
                season=season[idx].copy(),
                sigma=math.sqrt(float(resid[idx]) / n),
                time=t,
                aicc=float(crit[idx]),
            )
        return out


def project(state: State, horizon: int) -> FloatArray:
    """Point forecasts ``horizon`` steps ahead of a state."""
    steps = np.arange(1, horizon + 1)
    damp = np.cumsum(state.phi**steps) if state.form.trend != "N" else np.zeros(horizon)
    mu = state.level + damp * state.slope
    m = len(state.season)
    s = state.season[(state.time + steps - 1) % m]
    if state.form.season == "M":
        return np.asarray(mu * s, dtype=np.float64)
    return np.asarray(mu + s, dtype=np.float64)


def simulate(state: State, horizon: int, paths: int = SIM_PATHS) -> FloatArray:
    """Sample paths (paths x horizon) from the state-space model with Gaussian errors."""
    rng = np.random.default_rng(SEED)
    level = np.full(paths, state.level)
    slope = np.full(paths, state.slope)
    season = np.tile(state.season, (paths, 1))
    m = season.shape[1]
    mul = state.form.season == "M"
    out = np.empty((paths, horizon))
    with np.errstate(all="ignore"):
        for k in range(horizon):
            j = (state.time + k) % m
            s = season[:, j]
            mu = level + state.phi * slope
            yhat = mu * s if mul else mu + s
            z = rng.standard_normal(paths) * state.sigma
            e = yhat * z if state.error == "M" else z
            out[:, k] = yhat + e
            inv_s = 1.0 / s if mul else 1.0
            level = mu + state.alpha * e * inv_s
            slope = state.phi * slope + state.beta * e * inv_s
            season[:, j] = s + state.gamma * e * (1.0 / mu if mul else 1.0)
    return out
