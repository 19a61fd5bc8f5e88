"""Theta and intermittent-demand methods (Croston with the SBA correction, TSB); numpy only.

Theta (Hyndman & Billah 2003): simple exponential smoothing with drift equal to half the
slope of a regression line, on the seasonally adjusted series when the lag-``m``
autocorrelation is significant (90 %); classical multiplicative decomposition for positive
series, additive otherwise. Intervals: those of SES, ``sigma sqrt(1 + (h - 1) alpha^2)``.

Croston/SBA: demand sizes ``z`` and inter-demand intervals ``p`` are smoothed at every
non-zero period; the forecast is ``(1 - alpha / 2) z / p``. TSB: ``z`` smoothed at non-zero
periods, the demand probability ``pi`` smoothed every period; the forecast is ``pi z``.
Smoothing constants minimise the in-sample one-step squared error over a small grid.

Every smoother here is a first-order linear filter (``scipy.signal.lfilter``), so a whole
grid of smoothing constants costs a few vectorised calls instead of a Python loop per
period, and the running sums of squared errors give the best constant for every prefix of
the series (every backtest origin) from the same pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

FloatArray = npt.NDArray[np.float64]

SES_ALPHAS = np.array([0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 0.95])
INTERMITTENT_ALPHAS = (0.05, 0.1, 0.2, 0.3)


@dataclass
class Fitted:
    mean: FloatArray
    spread: FloatArray  # one standard deviation per step
    label: str


def smooth(x: FloatArray, alpha: float, start: float) -> FloatArray:
    """Exponential smoothing ``s_k = s_(k-1) + alpha (x_k - s_(k-1))`` from ``s_0 = start``;
    returns ``s_1 .. s_len(x)``."""
    if len(x) == 0:
        return np.zeros(0)
    out = lfilter([alpha], [1.0, alpha - 1.0], x, zi=[(1.0 - alpha) * start])[0]
    return np.asarray(out, dtype=np.float64)


def ses_grid(y: FloatArray) -> tuple[float, float, float]:
    """Best alpha of SES (level starts at y[0]); returns alpha, final level, residual sd."""
    best: tuple[float, float, float] | None = None
    for alpha in SES_ALPHAS:
        levels = smooth(y[1:], float(alpha), float(y[0]))
        previous = np.r_[y[0], levels[:-1]] if len(levels) else levels
        e = y[1:] - previous
        sse = float(np.dot(e, e))
        if best is None or sse < best[0]:
            best = (sse, float(alpha), float(levels[-1]) if len(levels) else float(y[0]))
    assert best is not None
    sse, alpha, level = best
    return alpha, level, math.sqrt(sse / max(len(y) - 1, 1))


def _acf(y: FloatArray, lag: int) -> float:
    x = y - y.mean()
    denom = float(np.dot(x, x))
    if denom <= 0 or lag >= len(y):
        return 0.0
    return float(np.dot(x[lag:], x[:-lag])) / denom


def seasonal_indices(y: FloatArray, m: int, multiplicative: bool) -> FloatArray | None:
    """Classical decomposition indices (position t % m), or None when not significant."""
    n = len(y)
    if m <= 1 or n < 2 * m:
        return None
    r = np.array([_acf(y, k) for k in range(1, m + 1)])
    limit = 1.645 * math.sqrt((1 + 2 * float(np.sum(r[:-1] ** 2))) / n)
    if abs(r[-1]) <= limit:
        return None
    weights = np.ones(m + 1 if m % 2 == 0 else m)
    if m % 2 == 0:
        weights[[0, -1]] = 0.5
    weights /= m
    trend = np.convolve(y, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    idx = np.arange(offset, offset + len(trend))
    ratio = y[idx] / trend if multiplicative else y[idx] - trend
    out = np.array([ratio[idx % m == j].mean() for j in range(m)])
    normalised: FloatArray = out / out.mean() if multiplicative else out - out.mean()
    return normalised


def theta(y: FloatArray, horizon: int, m: int) -> Fitted:
    n = len(y)
    multiplicative = bool((y > 0).all())
    season = seasonal_indices(y, m, multiplicative)
    pos = np.arange(n) % max(m, 1)
    adjusted = y
    if season is not None:
        adjusted = y / season[pos] if multiplicative else y - season[pos]
    alpha, level, sigma = ses_grid(adjusted)
    slope = float(np.polyfit(np.arange(n, dtype=np.float64), adjusted, 1)[0]) if n > 1 else 0.0
    h = np.arange(1, horizon + 1, dtype=np.float64)
    drift = 0.5 * slope * ((h - 1) + 1 / alpha - (1 - alpha) ** n / alpha)
    mean = level + drift
    spread = sigma * np.sqrt(1 + (h - 1) * alpha**2)
    if season is not None:
        future = season[(n + h.astype(int) - 1) % m]
        if multiplicative:
            mean, spread = mean * future, spread * future
        else:
            mean = mean + future
    return Fitted(np.asarray(mean), np.asarray(spread), "Theta")


def is_intermittent(y: FloatArray) -> bool:
    """Many zero periods (at least 30 %), never negative, and at least two demands."""
    return bool((y >= 0).all() and np.mean(y == 0) >= 0.3 and np.count_nonzero(y) >= 2)


def _croston_path(y: FloatArray, alpha: float, tsb: bool) -> tuple[FloatArray, float]:
    """One-step forecasts before each period and the forecast after the last one."""
    nonzero = np.flatnonzero(y)
    size = float(y[nonzero[0]]) if len(nonzero) else 0.0
    interval = float(nonzero[0] + 1) if len(nonzero) else 1.0
    prob = 1.0 / interval
    since = 0
    preds = np.empty(len(y))
    correction = 1.0 - alpha / 2.0
    for t, value in enumerate(y):
        preds[t] = prob * size if tsb else correction * size / interval
        since += 1
        if value > 0:
            size += alpha * (value - size)
            if not tsb:
                interval += alpha * (since - interval)
            since = 0
        if tsb:
            prob += alpha * (float(value > 0) - prob)
    last = prob * size if tsb else correction * size / interval
    return preds, last


def intermittent(y: FloatArray, horizon: int, tsb: bool) -> Fitted:
    return IntermittentFitter(y, tsb).fitted(len(y), horizon)


class IntermittentFitter:
    """Croston (SBA) or TSB for every smoothing constant at once, for every prefix of ``y``.

    Matches :func:`_croston_path` (the plain loop, kept as the definition) on every prefix
    that contains the first demand; shorter prefixes are computed directly.
    """

    def __init__(self, y: FloatArray, tsb: bool) -> None:
        self.y = y
        self.tsb = tsb
        nonzero = np.flatnonzero(y)
        self.first = int(nonzero[0]) if len(nonzero) else len(y)
        n = len(y)
        alphas = np.asarray(INTERMITTENT_ALPHAS, dtype=np.float64)
        self.preds = np.zeros((len(alphas), n))  # one-step forecast before each period
        self.after = np.zeros((len(alphas), n + 1))  # forecast after each prefix
        if len(nonzero) == 0:
            self.cums = np.zeros((len(alphas), n + 1))
            return
        sizes = y[nonzero]
        gaps = np.diff(np.r_[-1, nonzero]).astype(np.float64)
        # demands seen before period t (t = 0..n): state index into the smoothed arrays
        seen = np.searchsorted(nonzero, np.arange(n + 1), side="left")
        for k, alpha in enumerate(alphas):
            a = float(alpha)
            size = np.r_[sizes[0], smooth(sizes, a, float(sizes[0]))][seen]
            if tsb:
                shipped = (y > 0).astype(np.float64)
                prob = np.r_[1.0 / (self.first + 1), smooth(shipped, a, 1.0 / (self.first + 1))]
                forecast = prob * size
            else:
                interval = np.r_[gaps[0], smooth(gaps, a, float(gaps[0]))][seen]
                forecast = (1.0 - a / 2.0) * size / interval
            self.after[k] = forecast
            self.preds[k] = forecast[:n]
        errors = (y[None, :] - self.preds) ** 2
        self.cums = np.concatenate([np.zeros((len(alphas), 1)), np.cumsum(errors, axis=1)], 1)

    def fitted(self, length: int, horizon: int) -> Fitted:
        """The model fitted on ``y[:length]`` (best constant by in-sample squared error)."""
        label = "TSB" if self.tsb else "Croston (SBA)"
        if length <= self.first:
            best: tuple[float, float] | None = None
            for alpha in INTERMITTENT_ALPHAS:
                preds, last = _croston_path(self.y[:length], alpha, self.tsb)
                sse = float(np.sum((self.y[:length] - preds) ** 2))
                if best is None or sse < best[0]:
                    best = (sse, last)
            assert best is not None
            sse, last = best
        else:
            sums = self.cums[:, length]
            # the first of (numerically) tied constants, as the plain loop's strict "<" picks
            idx = int(np.flatnonzero(sums <= sums.min() * (1 + 1e-9) + 1e-300)[0])
            sse, last = float(self.cums[idx, length]), float(self.after[idx, length])
        sigma = math.sqrt(sse / max(length, 1))
        return Fitted(np.full(horizon, last), np.full(horizon, sigma), label)
