import numpy as np


def clip_by_norm(grad, max_norm=1.0):
    """Rescale grad so that its L2 norm (over all elements) is at most max_norm.

    grad: a float64 array of any shape. max_norm: a float > 0.
    If the norm exceeds max_norm return grad * max_norm / norm, otherwise an array equal to grad.
    Return a new array of the same shape; do not modify grad.
    """
    # TODO: replace this line with your implementation (it returns the gradient unchanged)
    return np.array(grad)
