import numpy as np


def l2_regularization(weights, lam):
    penalty = lam * sum(float(np.sum(np.square(w))) for w in weights)
    grads = [(2.0 * lam) * w for w in weights]
    return float(penalty), grads
