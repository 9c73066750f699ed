"""Parameterized questions of the RNN quiz (seed question 18).

For each question ``name``: ``draw_name(rng)`` draws the numbers the student sees (rounded as they
are shown), ``name(**inputs)`` computes the answer from exactly those numbers with NumPy, and
``work_name(**inputs)`` gives the intermediate numbers quoted in the explanation.
"""

import numpy as np


def _tenths(rng, low, high, nonzero=False):
    """A number with one decimal in [low, high], never -0.0 (and never 0 when ``nonzero``)."""
    while True:
        value = float(rng.integers(round(low * 10), round(high * 10) + 1)) / 10 + 0.0
        if value or not nonzero:
            return value


# --- one step of a scalar RNN: s_t = tanh(U x_t + W s_{t-1}) ------------------------------------


def draw_rnn_state(rng):
    return {
        "U": _tenths(rng, -1.5, 1.5, nonzero=True),
        "W": _tenths(rng, -1.5, 1.5, nonzero=True),
        "x": _tenths(rng, -2.0, 2.0, nonzero=True),
        "s": _tenths(rng, -0.9, 0.9, nonzero=True),
    }


def rnn_state(U, W, x, s):
    return float(np.tanh(np.float64(U) * x + np.float64(W) * s))


def work_rnn_state(U, W, x, s):
    return {"a": round(U * x + W * s, 4)}


# --- o_t = softmax(V s_t): the probability of the first class ----------------------------------


def draw_softmax_first(rng):
    return {"z": [_tenths(rng, -2.0, 2.0) for _ in range(3)]}


def softmax_first(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())
    return float(e[0] / e.sum())


def work_softmax_first(z):
    return {"exps": [round(float(v), 4) for v in np.exp(np.asarray(z, dtype=np.float64))]}


# --- the number of parameters in U, W and V ----------------------------------------------------


def draw_rnn_param_count(rng):
    return {"D": int(rng.integers(2, 301)), "H": int(rng.integers(2, 257)), "K": int(rng.integers(2, 51))}


def rnn_param_count(D, H, K):
    U, W, V = np.zeros((H, D)), np.zeros((H, H)), np.zeros((K, H))
    return int(U.size + W.size + V.size)


def work_rnn_param_count(D, H, K):
    return {"UD": H * D, "WH": H * H, "VK": K * H}
