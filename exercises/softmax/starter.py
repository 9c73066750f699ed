import numpy as np


def softmax(z):
    """Return the softmax of z along its last axis, as a new array of the same shape as z.

    Every slice z[..., :] becomes exp(z) / sum(exp(z)) over that slice; it must stay finite for
    inputs as large as 1000.
    """
    # TODO: replace this line with your implementation
    return np.zeros(z.shape[:-1])
