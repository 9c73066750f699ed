"""Parameterized questions of the RNN quiz (interview question 18).

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


# --- one step of a scalar RNN with f = ReLU: s_t = max(0, U x_t + W s_{t-1}) ----------------------


def draw_relu_rnn_state(rng):
    return {
        "U": _tenths(rng, -1.5, 1.5, nonzero=True),
        "W": _tenths(rng, -1.5, 1.5, nonzero=True),
        "x": _tenths(rng, -2.0, 2.0, nonzero=True),
        "s": _tenths(rng, 0.1, 2.0),  # a ReLU state is never negative
    }


def relu_rnn_state(U, W, x, s):
    return float(np.maximum(0.0, np.float64(U) * x + np.float64(W) * s))


def work_relu_rnn_state(U, W, x, s):
    return {"a": round(U * x + W * s, 4)}


# --- next-word prediction from a one-hot input, a vocabulary of three words and H = 1 --------------

VOCABULARY = ("I", "like", "cats")


def draw_one_hot_next_word(rng):
    word, target = (VOCABULARY[int(i)] for i in rng.integers(0, len(VOCABULARY), size=2))
    return {
        "U": [_tenths(rng, -2.0, 2.0, nonzero=True) for _ in VOCABULARY],
        "V": [_tenths(rng, -3.0, 3.0) for _ in VOCABULARY],
        "word": word,
        "target": target,
    }


def _one_hot(word):
    x = np.zeros(len(VOCABULARY))
    x[VOCABULARY.index(word)] = 1.0
    return x


def one_hot_next_word(U, V, word, target):
    U = np.asarray(U, dtype=np.float64).reshape(1, -1)  # H x vocabulary
    V = np.asarray(V, dtype=np.float64).reshape(-1, 1)  # vocabulary x H
    s0 = np.tanh(U @ _one_hot(word))  # + W s_{-1} = 0
    scores = V @ s0
    e = np.exp(scores - scores.max())
    return float((e / e.sum())[VOCABULARY.index(target)])


def work_one_hot_next_word(U, V, word, target):
    u = U[VOCABULARY.index(word)]
    s0 = float(np.tanh(u))
    return {"u": u, "s": round(s0, 4), "scores": [round(v * s0, 4) + 0.0 for v in V]}
