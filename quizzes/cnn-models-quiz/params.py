"""Parameterized questions of the CNN-models quiz (interview question 16).

For each question ``name``: ``draw_name(rng)`` draws the numbers the student sees, ``name(**inputs)``
computes the answer from exactly those numbers with NumPy, and ``work_name(**inputs)`` gives the
intermediate numbers quoted in the explanation.
"""

import numpy as np

# --- VGG: a stack of 3x3 convolutions instead of one large kernel ----------------------------------


def draw_vgg_stack_weights(rng):
    return {"n": int(rng.integers(2, 5)), "C": int(8 * rng.integers(1, 65))}


def vgg_stack_weights(n, C):
    layers = [np.zeros((C, C, 3, 3)) for _ in range(n)]
    return int(sum(layer.size for layer in layers))


def work_vgg_stack_weights(n, C):
    field = 2 * n + 1
    return {"rf": field, "single": field * field * C * C}
