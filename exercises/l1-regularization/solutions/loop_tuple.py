import numpy as np


def l1_regularization(weights, lam):
    total = 0.0
    grads = []
    for w in weights:
        total += np.abs(w).sum()
        g = np.zeros(w.shape)
        g[w > 0] = lam
        g[w < 0] = -lam
        grads.append(g)
    return lam * total, tuple(grads)
