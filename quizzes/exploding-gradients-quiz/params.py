"""Parameterized questions of the exploding-gradients quiz.

For each question ``name``: ``draw_name(rng)`` draws the numbers the student sees (rounded as they
are shown), ``name(**inputs)`` computes the answer from exactly those numbers with NumPy, and
``work_name(**inputs)`` gives the intermediate numbers quoted in the explanation.
"""

import numpy as np


def _nonzero_ints(rng, low, high, size):
    values = rng.integers(low, high + 1, size=size)
    if not values.any():
        values[0] = 1
    return values


# --- clipnorm: the norm after clipping one array by its own L2 norm ----------------------------


def draw_clipnorm_norm(rng):
    return {"g": _nonzero_ints(rng, -6, 6, 3).tolist(), "c": float(rng.choice([0.5, 1.0, 2.0, 5.0, 10.0]))}


def clipnorm_norm(g, c):
    g = np.asarray(g, dtype=np.float64)
    norm = np.linalg.norm(g)
    clipped = g * c / max(norm, c)
    return float(np.linalg.norm(clipped))


def work_clipnorm_norm(g, c):
    return {"norm": round(float(np.linalg.norm(np.asarray(g, dtype=np.float64))), 4)}


# --- global norm: one factor for every array ---------------------------------------------------


def draw_global_clip_first(rng):
    a = _nonzero_ints(rng, -5, 5, 2)
    if a[0] == 0:
        a[0] = int(rng.choice([-3, 3]))
    return {"a": a.tolist(), "b": _nonzero_ints(rng, -5, 5, 2).tolist(), "c": float(rng.choice([1.0, 2.0, 5.0]))}


def global_clip_first(a, b, c):
    grads = [np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)]
    global_norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = c / max(global_norm, c)
    return float(grads[0][0] * scale)


def work_global_clip_first(a, b, c):
    global_norm = float(np.sqrt(np.sum(np.square(a)) + np.sum(np.square(b))))
    return {"G": round(global_norm, 4), "scale": round(c / max(global_norm, c), 4), "a0": a[0]}


# --- clipvalue: the norm after clipping every component ------------------------------------------


def draw_clipvalue_norm(rng):
    g = np.round(rng.uniform(-2.0, 2.0, size=4), 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return {"g": g.tolist(), "c": float(rng.choice([0.5, 1.0]))}


def clipvalue_norm(g, c):
    return float(np.linalg.norm(np.clip(np.asarray(g, dtype=np.float64), -c, c)))


def work_clipvalue_norm(g, c):
    return {"clipped": (np.clip(np.asarray(g, dtype=np.float64), -c, c) + 0.0).tolist()}


# --- the product of T equal factors ------------------------------------------------------------


def draw_repeated_factor(rng):
    return {"w": float(rng.choice([0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0])), "T": int(rng.integers(5, 41))}


def repeated_factor(w, T):
    return float(np.prod(np.full(T, w, dtype=np.float64)))
