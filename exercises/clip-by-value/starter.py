import numpy as np


def clip_by_value(grads, clip_value=0.5):
    """Clip every gradient elementwise to [-clip_value, clip_value].

    grads: a non-empty list of float64 arrays (any shapes), one per parameter.
    clip_value: a float > 0.
    Return a new list of new arrays, same order and shapes; do not modify grads or its arrays.
    """
    # TODO: replace this line with your implementation (it only copies the gradients)
    return [np.array(g) for g in grads]
