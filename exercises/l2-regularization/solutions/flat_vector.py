import numpy as np


def l2_regularization(weights, lam):
    flat = np.concatenate([np.ravel(w) for w in weights])
    penalty = lam * float(flat @ flat)
    grads = [np.multiply(w, 2.0 * lam) for w in weights]
    return penalty, grads
