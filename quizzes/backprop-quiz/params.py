"""Parameterized questions of the backpropagation quiz (see quizzes/README.md for the contract)."""

import numpy as np

# --- the norm k steps back when every step multiplies it by rho --------------------------------


def draw_norm_k_steps_back(rng):
    return {"rho": float(rng.choice([0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0])), "k": int(rng.integers(5, 26))}


def norm_k_steps_back(rho, k):
    return float(np.float64(rho) ** k)


# --- the size of a step after clipping by global norm ------------------------------------------


def draw_clipped_step_size(rng):
    g1 = rng.integers(-6, 7, size=2)
    g2 = rng.integers(-6, 7, size=1)
    if not g1.any():
        g1[0] = 3
    return {
        "g1": g1.tolist(),
        "g2": g2.tolist(),
        "c": float(rng.choice([1.0, 2.0, 5.0])),
        "lr": float(rng.choice([0.01, 0.05, 0.1])),
    }


def _global_norm(g1, g2):
    return float(np.sqrt(np.sum(np.square(g1, dtype=np.float64)) + np.sum(np.square(g2, dtype=np.float64))))


def clipped_step_size(g1, g2, c, lr):
    return lr * min(_global_norm(g1, g2), c)


def work_clipped_step_size(g1, g2, c, lr):
    return {"norm": round(_global_norm(g1, g2), 4)}
