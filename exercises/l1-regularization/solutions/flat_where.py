import math

import numpy as np


def l1_regularization(weights, lam):
    flat = np.concatenate([w.ravel() for w in weights])
    penalty = lam * math.fsum(np.abs(flat))
    grads = []
    for w in weights:
        grads.append(np.where(w > 0, lam, np.where(w < 0, -lam, 0.0)))
    return penalty, grads
