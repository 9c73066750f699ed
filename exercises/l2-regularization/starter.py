import numpy as np


def l2_regularization(weights, lam):
    """Return (penalty, grads) of the L2 penalty lam * sum(w**2) over all weight arrays (Keras convention).

    weights: a non-empty list of float64 arrays (any shapes). lam: a float > 0.
    penalty: a float, lam times the sum of the squares of every element of every array.
    grads: a new list with grads[k] = 2 * lam * weights[k], same shapes.
    Do not modify weights.
    """
    # TODO: replace these lines with your implementation (both values are placeholders)
    grads = [np.zeros_like(w) for w in weights]
    return 0.0, grads
