import numpy as np


def clip_by_norm(grad, max_norm=1.0):
    norm = np.linalg.norm(grad.ravel())
    return grad * (max_norm / max(norm, max_norm))
