"""Seasonal ARIMA(p,d,q)(0,D,Q)[m], p <= 5, q <= 2, Q <= 1, estimated in closed form.

``MAX_P`` = 5 is auto.arima's default ``max.p`` (Hyndman & Khandakar 2008); long stationary
cycles (sunspots: about 11 years) need more than two AR lags.

Differencing: D = 1 when the seasonal strength of a classical decomposition exceeds 0.64
(Hyndman's rule), then d = 1 when the KPSS statistic of the (seasonally differenced)
series exceeds its 5 % critical value 0.463 (d <= 2 without seasonal differencing).
A mean (d + D = 0) or drift (d + D = 1) is the sample mean of the differenced series.

The ARMA part on the differenced series ``w`` is
``(1 - phi_1 B - ... - phi_p B^p)(w_t - mu) = (1 + theta_1 B + ... + theta_q B^q)
(1 + Theta B^m) e_t``. Every order is estimated by Hannan-Rissanen regression (a long
autoregression gives residual estimates; least squares of ``w_t`` on its own lags and the
lagged residuals gives the coefficients, every order from one cross-product matrix; the
three AICc-best orders with MA terms are re-estimated once on their own conditional
residuals), which is exact least squares for pure AR models and needs no
iterative optimiser. Non-stationary or non-invertible estimates are dropped. The order is
chosen by AICc on the conditional sum of squares (one linear filter per model). At each
backtest origin the estimation uses only the data before it. Intervals use the psi
weights of the full (differenced) model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

FloatArray = npt.NDArray[np.float64]

MAX_P = 5
MAX_Q = 2
MIN_POINTS = 12  # differenced points needed to estimate any ARMA order


@dataclass
class Arima:
    d: int
    seasonal_d: int
    m: int
    mean: float
    ar: FloatArray  # phi_1 .. phi_p
    ma: FloatArray  # theta_1 .. theta_q
    seasonal_theta: float
    sigma: float
    residuals: FloatArray  # conditional residuals of the differenced training series
    aicc: float

    @property
    def label(self) -> str:
        core = f"ARIMA({len(self.ar)},{self.d},{len(self.ma)})"
        if self.m > 1:
            core += f"(0,{self.seasonal_d},{int(self.seasonal_theta != 0)})[{self.m}]"
        return core

    def ar_poly(self) -> FloatArray:
        return np.concatenate(([1.0], -self.ar))

    def ma_poly(self) -> FloatArray:
        poly = np.concatenate(([1.0], self.ma))
        if self.m > 1 and self.seasonal_theta != 0:
            seasonal = np.zeros(self.m + 1)
            seasonal[[0, -1]] = [1.0, self.seasonal_theta]
            poly = np.convolve(poly, seasonal)
        return poly

    def diff_poly(self) -> FloatArray:
        poly = np.array([1.0])
        for _ in range(self.d):
            poly = np.convolve(poly, [1.0, -1.0])
        for _ in range(self.seasonal_d):
            seasonal = np.zeros(self.m + 1)
            seasonal[[0, -1]] = [1.0, -1.0]
            poly = np.convolve(poly, seasonal)
        return poly


def difference(y: FloatArray, d: int, seasonal_d: int, m: int) -> FloatArray:
    w = y
    for _ in range(seasonal_d):
        w = w[m:] - w[:-m]
    for _ in range(d):
        w = np.diff(w)
    return w


def kpss(x: FloatArray) -> float:
    """KPSS level-stationarity statistic with a Newey-West long-run variance."""
    n = len(x)
    if n < 4:
        return 0.0
    e = x - x.mean()
    s = np.cumsum(e)
    lags = int(4 * (n / 100) ** 0.25)
    var = float(np.dot(e, e)) / n
    for k in range(1, lags + 1):
        var += 2 * (1 - k / (lags + 1)) * float(np.dot(e[k:], e[:-k])) / n
    if var <= 0:
        return 0.0
    return float(np.dot(s, s)) / (n * n * var)


def seasonal_strength(y: FloatArray, m: int) -> float:
    """1 - var(remainder) / var(seasonal + remainder) of a classical additive decomposition."""
    if m <= 1 or len(y) < 2 * m:
        return 0.0
    weights = np.ones(m + 1 if m % 2 == 0 else m)
    if m % 2 == 0:
        weights[[0, -1]] = 0.5
    weights /= m
    trend = np.convolve(y, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    idx = np.arange(offset, offset + len(trend))
    detrended = y[idx] - trend
    means = np.zeros(m)
    for j in range(m):
        vals = detrended[idx % m == j]
        means[j] = vals.mean() if len(vals) else 0.0
    means -= means.mean()
    remainder = detrended - means[idx % m]
    total = float(np.var(detrended))
    return 0.0 if total <= 0 else max(0.0, 1.0 - float(np.var(remainder)) / total)


def orders(y: FloatArray, m: int) -> tuple[int, int]:
    seasonal_d = int(m > 1 and seasonal_strength(y, m) > 0.64 and len(y) >= 3 * m)
    d = 0
    w = difference(y, 0, seasonal_d, m)
    while d < (1 if seasonal_d else 2) and len(w) > 8 and kpss(w) > 0.463:
        d += 1
        w = np.diff(w)
    return d, seasonal_d


def min_train(m: int) -> int:
    return 3 * m + 4 if m > 1 else 10


def _lags(x: FloatArray, lags: list[int], start: int) -> FloatArray:
    """Columns ``x[t - lag]`` for t = start .. len(x) - 1."""
    n = len(x)
    return np.column_stack([x[start - lag : n - lag] for lag in lags])


def _stable(poly_tail: FloatArray) -> bool:
    """All roots of ``1 + c_1 z + ... + c_k z^k`` lie outside the unit circle (margin 1 %)."""
    total = float(np.abs(poly_tail).sum())
    if total < 0.99:  # sufficient, and the common case
        return True
    roots = np.roots(np.concatenate(([1.0], poly_tail))[::-1])
    return bool(np.all(np.abs(roots) > 1.01))


REFINED = 3  # orders with MA terms re-estimated on their own residuals (best by AICc)


class Fitter:
    """Every ARMA order on one differencing choice; the AICc-best model per training length."""

    def __init__(self, y: FloatArray, m: int, fit_len: int, *, stationary: bool = False) -> None:
        self.y = y
        self.m = m
        self.d, self.seasonal_d = orders(y[:fit_len], m)
        if stationary:
            self.d = 0
        self.lost = self.d + self.seasonal_d * m
        w = difference(y, self.d, self.seasonal_d, m)
        w_fit = w[: fit_len - self.lost]
        self.with_mean = self.d + self.seasonal_d <= 1
        self.mean = float(w_fit.mean()) if self.with_mean and len(w_fit) else 0.0
        self.w = w - self.mean
        self._start = 0

    def orders(self, k: int) -> list[tuple[int, int, int]]:
        seasonal = (0, 1) if self.m > 1 and k >= 3 * self.m else (0,)
        return [
            (p, q, big_q)
            for p in range(MAX_P + 1)
            for q in range(MAX_Q + 1)
            for big_q in seasonal
            if p + q + big_q <= max(1, k // 10)
        ]

    def fit(self, k: int) -> Arima | None:
        """The AICc-best model estimated on the first ``k`` differenced points.

        Stage 1 (Hannan-Rissanen): residuals of a long autoregression stand in for the
        errors, and every order's least squares comes from one cross-product matrix. The
        best orders with MA terms are then re-estimated once on their own conditional
        residuals.
        """
        w = self.w[:k]
        if k < MIN_POINTS:
            return None
        m = self.m
        seasonal_lag = m if m > 1 and k >= 3 * m else 0
        long = min(max(MAX_P + MAX_Q + 2, seasonal_lag + 2), k // 3)
        resid0 = np.zeros(k)
        if long >= 1 and k - long > long + 2:
            lagged = _lags(w, list(range(1, long + 1)), long)
            long_coef = np.linalg.lstsq(lagged, w[long:], rcond=None)[0]
            resid0[long:] = w[long:] - lagged @ long_coef
        first = max(long, seasonal_lag + MAX_Q, MAX_P)
        if k - first < 2 * (MAX_P + MAX_Q + 1) + 4:
            return None
        lags_w = list(range(1, MAX_P + 1))
        lags_e = list(range(1, MAX_Q + 1)) + ([seasonal_lag] if seasonal_lag else [])
        design = np.hstack([_lags(w, lags_w, first), _lags(resid0, lags_e, first)])
        gram = design.T @ design
        cross = design.T @ w[first:]
        self._start = min(MAX_P, k // 4)  # conditional sums start at the same point for all
        scored: list[Arima] = []
        for p, q, big_q in self.orders(k):
            if big_q and not seasonal_lag:
                continue
            idx = list(range(p)) + [MAX_P + j for j in range(q)]
            if big_q:
                idx.append(MAX_P + MAX_Q)
            coef: FloatArray = np.zeros(0)
            if idx:
                try:
                    coef = np.asarray(
                        np.linalg.solve(gram[np.ix_(idx, idx)], cross[idx]), dtype=np.float64
                    )
                except np.linalg.LinAlgError:
                    continue
            model = self._model(w, coef, p, q, big_q)
            if model is not None:
                scored.append(model)
        scored.sort(key=lambda a: a.aicc)
        refined = [a for a in scored if len(a.ma) or a.seasonal_theta][:REFINED]
        for model in refined:
            p, q, big_q = len(model.ar), len(model.ma), int(model.seasonal_theta != 0)
            start = max(p, q, m if big_q else 0)
            lags = list(range(1, q + 1)) + ([m] if big_q else [])
            parts = [_lags(w, list(range(1, p + 1)), start)] if p else []
            parts.append(_lags(model.residuals, lags, start))
            x = np.hstack(parts)
            refit: FloatArray = np.asarray(
                np.linalg.lstsq(x, w[start:], rcond=None)[0], dtype=np.float64
            )
            better = self._model(w, refit, p, q, big_q)
            if better is not None:
                scored.append(better)
        return min(scored, key=lambda a: a.aicc) if scored else None

    def _model(self, w: FloatArray, coef: FloatArray, p: int, q: int, big_q: int) -> Arima | None:
        """The model with these coefficients and its AICc, or None if unstable."""
        ar, ma = coef[:p], coef[p : p + q]
        sma = float(coef[p + q]) if big_q else 0.0
        if not (_stable(-ar) and _stable(ma) and abs(sma) < 0.99):
            return None
        model = Arima(self.d, self.seasonal_d, self.m, self.mean, ar, ma, sma, 0.0, w, 0.0)
        e = lfilter(model.ar_poly(), model.ma_poly(), w)
        used = e[self._start :]
        count = float(len(used))
        sse = float(np.dot(used, used))
        par = float(p + q + big_q + int(self.with_mean) + 1)
        if count - par - 1 <= 0 or not math.isfinite(sse):
            return None
        crit = count * math.log(sse / count + 1e-300) + 2 * par
        model.aicc = crit + 2 * par * (par + 1) / (count - par - 1)
        model.sigma = math.sqrt(sse / count)
        model.residuals = np.asarray(e, dtype=np.float64)
        return model

    def run(self, origins: list[int]) -> dict[int, Arima]:
        out: dict[int, Arima] = {}
        for origin in origins:
            model = self.fit(origin - self.lost)
            if model is not None:
                out[origin] = model
        return out


def forecast(model: Arima, y: FloatArray, horizon: int) -> FloatArray:
    """Point forecasts after ``y`` (the training data the model was fitted on)."""
    w = list(difference(y, model.d, model.seasonal_d, model.m) - model.mean)
    e = list(model.residuals)
    ar = model.ar.tolist()
    ma = model.ma_poly()[1:].tolist()
    for _ in range(horizon):
        t = len(w)
        value = sum(c * w[t - i] for i, c in enumerate(ar, 1) if t - i >= 0)
        value += sum(c * e[t - j] for j, c in enumerate(ma, 1) if c != 0 and t - j >= 0)
        w.append(value)
        e.append(0.0)
    future = np.asarray(w[-horizon:]) + model.mean
    poly = model.diff_poly()
    history = list(y)
    for value in future:
        history.append(
            float(value) - float(np.dot(poly[1:], history[-1 : -len(poly) : -1]))
            if len(poly) > 1
            else float(value)
        )
    return np.asarray(history[-horizon:], dtype=np.float64)


def psi_weights(model: Arima, horizon: int) -> FloatArray:
    ar = np.convolve(model.diff_poly(), model.ar_poly())  # 1 - a1 B - a2 B^2 ...
    ma = model.ma_poly()
    psi = np.zeros(horizon)
    for j in range(horizon):
        value = ma[j] if j < len(ma) else 0.0
        for i in range(1, min(j, len(ar) - 1) + 1):
            value -= ar[i] * psi[j - i]
        psi[j] = value
    return psi


def spread(model: Arima, horizon: int) -> FloatArray:
    psi = psi_weights(model, horizon)
    return np.asarray(model.sigma * np.sqrt(np.cumsum(psi**2)), dtype=np.float64)
