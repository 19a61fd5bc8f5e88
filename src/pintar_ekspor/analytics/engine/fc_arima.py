"""Seasonal ARIMA(p,d,q)(0,D,Q)[m] with p <= 2 and q, Q <= 1, fitted by a vectorised grid search.

Differencing: D = 1 when the seasonal strength of a classical decomposition exceeds 0.64
(Hyndman's rule), then d = 1 when the KPSS statistic of the (seasonally differenced)
series exceeds its 5 % critical value 0.463 (d <= 2 without seasonal differencing).
A mean (d + D = 0) or drift (d + D = 1) is the sample mean of the differenced series.

The ARMA part on the differenced series ``w`` is
``(1 - phi B - phi2 B^2)(w_t - mu) = (1 + theta B)(1 + Theta B^m) e_t``; the parameters
are chosen from a grid by conditional sum of squares, and the orders by AICc (a zero
coefficient means that order is 0). As with ETS, the running sums of squares give the
choice at every backtest origin in one pass. Intervals use the psi weights of the full
(differenced) model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

PHIS = (0.0, -0.6, -0.3, 0.3, 0.6, 0.9, 1.2, 1.5)
PHIS2 = (0.0, -0.2, -0.4, -0.6, -0.8, 0.2)
THETAS = (0.0, -0.9, -0.7, -0.5, -0.3, -0.15, 0.15, 0.3, 0.5, 0.7, 0.9)
SEASONAL_THETAS = (0.0, -0.9, -0.7, -0.5, -0.3, 0.3, 0.6)


@dataclass
class Arima:
    d: int
    seasonal_d: int
    m: int
    mean: float
    phi: float
    phi2: float
    theta: float
    seasonal_theta: float
    sigma: float
    residuals: FloatArray  # CSS residuals of the differenced training series
    aicc: float

    @property
    def label(self) -> str:
        p = 2 if self.phi2 != 0 else int(self.phi != 0)
        q, big_q = int(self.theta != 0), int(self.seasonal_theta != 0)
        core = f"ARIMA({p},{self.d},{q})"
        if self.m > 1:
            core += f"(0,{self.seasonal_d},{big_q})[{self.m}]"
        return core

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


class Fitter:
    """CSS over the grid for one differencing choice; the best model per training length."""

    def __init__(self, y: FloatArray, m: int, fit_len: int, *, stationary: bool = False) -> None:
        self.y = y
        self.m = m
        self.d, self.seasonal_d = orders(y[:fit_len], m)
        if stationary:
            self.d = 0
        self.lost = self.d + self.seasonal_d * m
        w = difference(y, self.d, self.seasonal_d, m)
        self.w = w
        w_fit = w[: fit_len - self.lost]
        self.mean = float(w_fit.mean()) if self.d + self.seasonal_d <= 1 and len(w_fit) else 0.0
        seasonal_thetas = SEASONAL_THETAS if m > 1 else (0.0,)
        grid = np.array(
            [
                (p, p2, q, s)
                for p in PHIS
                for p2 in PHIS2
                if p2 + p < 0.98 and p2 - p < 0.98 and (p2 == 0 or p != 0)
                for q in THETAS
                for s in seasonal_thetas
            ],
            dtype=np.float64,
        )
        self.phi, self.phi2 = grid[:, 0], grid[:, 1]
        self.theta, self.big_theta = grid[:, 2], grid[:, 3]
        self.n_params = (
            (self.phi != 0).astype(float)
            + (self.phi2 != 0)
            + (self.theta != 0)
            + (self.big_theta != 0)
            + (1.0 if self.d + self.seasonal_d <= 1 else 0.0)
            + 1.0
        )

    def run(self, origins: list[int]) -> dict[int, Arima]:
        w = self.w - self.mean
        g = len(self.phi)
        n = len(w)
        m = self.m
        resid = np.zeros((n, g))
        sse = np.zeros(g)
        cums = np.zeros((n + 1, g))
        phi, phi2, theta, big = self.phi, self.phi2, self.theta, self.big_theta
        both = theta * big
        for t in range(n):
            e = w[t] - (phi * w[t - 1] if t >= 1 else 0.0)
            if t >= 2:
                e = e - phi2 * w[t - 2]
            if t >= 1:
                e = e - theta * resid[t - 1]
            if m > 1 and t >= m:
                e = e - big * resid[t - m]
                if t >= m + 1:
                    e = e - both * resid[t - m - 1]
            resid[t] = e
            sse += e * e
            cums[t + 1] = sse
        out: dict[int, Arima] = {}
        for origin in origins:
            k = origin - self.lost
            if k < 4:
                continue
            kf = float(k)
            par = self.n_params
            with np.errstate(all="ignore"):
                crit = (
                    kf * np.log(cums[k] / kf + 1e-300)
                    + 2 * par
                    + 2 * par * (par + 1) / (np.maximum(kf - par - 1, 1.0))
                )
            crit = np.where(np.isfinite(crit), crit, np.inf)
            idx = int(np.argmin(crit))
            out[origin] = Arima(
                d=self.d,
                seasonal_d=self.seasonal_d,
                m=m,
                mean=self.mean,
                phi=float(phi[idx]),
                phi2=float(phi2[idx]),
                theta=float(theta[idx]),
                seasonal_theta=float(big[idx]),
                sigma=math.sqrt(float(cums[k, idx]) / kf),
                residuals=resid[:k, idx].copy(),
                aicc=float(crit[idx]),
            )
        return out


def forecast(model: Arima, y: FloatArray, horizon: int) -> FloatArray:
    """Point forecasts after ``y`` (the training data the model was fitted on)."""
    w = list(difference(y, model.d, model.seasonal_d, model.m) - model.mean)
    e = list(model.residuals)
    m = model.m
    for _ in range(horizon):
        t = len(w)
        value = model.phi * w[t - 1] if t >= 1 else 0.0
        value += model.phi2 * w[t - 2] if t >= 2 else 0.0
        value += model.theta * e[t - 1] if t >= 1 else 0.0
        if m > 1 and t >= m + 1:
            value += (
                model.seasonal_theta * e[t - m] + model.theta * model.seasonal_theta * e[t - m - 1]
            )
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
    ar = np.convolve(model.diff_poly(), [1.0, -model.phi, -model.phi2])  # 1 - a1 B - a2 B^2 ...
    ma = np.zeros(max(horizon, model.m + 2) + 1)
    ma[0] = 1.0
    ma[1] += model.theta
    if model.m > 1:
        ma[model.m] += model.seasonal_theta
        ma[model.m + 1] += model.theta * model.seasonal_theta
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
