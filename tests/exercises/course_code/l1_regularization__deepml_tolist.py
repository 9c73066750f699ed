import numpy as np


def l1_regularization(weights, lam):
    penalty = lam * sum(np.sum(np.abs(w)) for w in weights)
    grads = [(lam * np.sign(w)).tolist() for w in weights]
    return float(penalty), grads
