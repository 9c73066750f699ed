import numpy as np


def sigmoid(z):
    """Return 1 / (1 + exp(-z)) elementwise, as a new float array of the same shape as z.

    Must stay finite and raise no overflow warning for z anywhere in [-1e4, 1e4].
    """
    # TODO: replace this line with your implementation
    return np.zeros_like(z)
