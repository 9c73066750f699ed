"""Parameterized questions of the LSTM quiz (interview question 19).

For each question ``name``: ``draw_name(rng)`` draws the numbers the student sees (rounded as they
are shown), ``name(**inputs)`` computes the answer from exactly those numbers with NumPy, and
``work_name(**inputs)`` gives the intermediate numbers quoted in the explanation.
"""

import numpy as np


def _decimals(rng, low, high, places, nonzero=False):
    """A number with ``places`` decimals in [low, high], never -0.0 (and never 0 when ``nonzero``)."""
    scale = 10**places
    while True:
        value = float(rng.integers(round(low * scale), round(high * scale) + 1)) / scale + 0.0
        if value or not nonzero:
            return value


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-np.float64(a)))


# --- the forget gate of one unit: f_t = sigmoid(W_f . [h_{t-1}, x_t] + b_f) ---------------------


def draw_forget_gate(rng):
    return {
        "h": _decimals(rng, -1.0, 1.0, 1, nonzero=True),
        "x": _decimals(rng, -1.0, 1.0, 1, nonzero=True),
        "wh": _decimals(rng, -2.0, 2.0, 1, nonzero=True),
        "wx": _decimals(rng, -2.0, 2.0, 1, nonzero=True),
        "b": _decimals(rng, -1.0, 1.0, 1),
    }


def forget_gate(h, x, wh, wx, b):
    z = np.array([h, x], dtype=np.float64)  # [h_{t-1}, x_t], h first
    W_f = np.array([wh, wx], dtype=np.float64)
    return float(_sigmoid(W_f @ z + b))


def work_forget_gate(h, x, wh, wx, b):
    return {"a": round(wh * h + wx * x + b, 4)}


# --- the new cell state: c_t = f_t c_{t-1} + i_t c~_t ------------------------------------------


def draw_cell_state(rng):
    return {
        "f": _decimals(rng, 0.05, 0.95, 2),
        "i": _decimals(rng, 0.05, 0.95, 2),
        "g": _decimals(rng, -0.95, 0.95, 2),
        "c": _decimals(rng, -2.0, 2.0, 1, nonzero=True),
    }


def cell_state(f, i, g, c):
    return float(np.float64(f) * c + np.float64(i) * g)


# --- the new hidden state: h_t = o_t tanh(c_t) -------------------------------------------------


def draw_hidden_state(rng):
    return {"o": _decimals(rng, 0.05, 0.95, 2), "c": _decimals(rng, -2.0, 2.0, 1, nonzero=True)}


def hidden_state(o, c):
    return float(np.float64(o) * np.tanh(np.float64(c)))


def work_hidden_state(o, c):
    return {"tanh_c": round(float(np.tanh(c)), 4)}


# --- the parameters of an LSTM layer -----------------------------------------------------------


def draw_lstm_param_count(rng):
    return {"D": int(rng.integers(2, 301)), "H": int(rng.integers(2, 257))}


def lstm_param_count(D, H):
    weights = [np.zeros((H, H + D)) for _ in "fico"]
    biases = [np.zeros(H) for _ in "fico"]
    return int(sum(w.size for w in weights) + sum(b.size for b in biases))


def work_lstm_param_count(D, H):
    return {"per": H * (H + D) + H, "HD": H + D}
