import numpy as np


def clip_by_norm(grad, max_norm=1.0):
    norm = float(np.sqrt(np.sum(np.square(grad))))
    if norm > max_norm:
        return grad * (max_norm / norm)
    return np.array(grad, dtype=np.float64)
