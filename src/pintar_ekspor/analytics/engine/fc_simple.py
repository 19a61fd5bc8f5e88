"""Theta and intermittent-demand methods (Croston with the SBA correction, TSB); numpy only.

Theta (Hyndman & Billah 2003): simple exponential smoothing with drift equal to half the
slope of a regression line, on the seasonally adjusted series when the lag-``m``
autocorrelation is significant (90 %); classical multiplicative decomposition for positive
series, additive otherwise. Intervals: those of SES, ``sigma sqrt(1 + (h - 1) alpha^2)``.

Croston/SBA: demand sizes ``z`` and inter-demand intervals ``p`` are smoothed at every
non-zero period; the forecast is ``(1 - alpha / 2) z / p``. TSB: ``z`` smoothed at non-zero
periods, the demand probability ``pi`` smoothed every period; the forecast is ``pi z``.
Smoothing constants minimise the in-sample one-step squared error over a small grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SES_ALPHAS = np.array([0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 0.95])
INTERMITTENT_ALPHAS = (0.05, 0.1, 0.2, 0.3)


@dataclass
class Fitted:
    mean: FloatArray
    spread: FloatArray  # one standard deviation per step
    label: str


def ses_grid(y: FloatArray) -> tuple[float, float, float]:
    """Best alpha of SES (level starts at y[0]); returns alpha, final level, residual sd."""
    level = np.full(len(SES_ALPHAS), y[0])
    sse = np.zeros(len(SES_ALPHAS))
    for value in y[1:]:
        e = value - level
        sse += e * e
        level = level + SES_ALPHAS * e
    idx = int(np.argmin(sse))
    sigma = math.sqrt(float(sse[idx]) / max(len(y) - 1, 1))
    return float(SES_ALPHAS[idx]), float(level[idx]), sigma


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
    best: tuple[float, float, float] | None = None
    for alpha in INTERMITTENT_ALPHAS:
        preds, last = _croston_path(y, alpha, tsb)
        sse = float(np.sum((y - preds) ** 2))
        if best is None or sse < best[0]:
            best = (sse, alpha, last)
    assert best is not None
    sse, _, last = best
    sigma = math.sqrt(sse / max(len(y), 1))
    return Fitted(
        np.full(horizon, last),
        np.full(horizon, sigma),
        "TSB" if tsb else "Croston (SBA)",
    )
