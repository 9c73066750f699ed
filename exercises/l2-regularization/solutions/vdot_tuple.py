import numpy as np


def l2_regularization(weights, lam):
    penalty = 0.0
    for w in weights:
        penalty += lam * np.vdot(w, w)
    return penalty, tuple(2 * lam * w for w in weights)
