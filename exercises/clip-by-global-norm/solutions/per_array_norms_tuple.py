import math

import numpy as np


def clip_by_global_norm(grads, max_norm):
    norms = [np.linalg.norm(g.reshape(-1)) for g in grads]
    global_norm = math.hypot(*norms)
    if global_norm <= max_norm:
        return tuple(g.copy() for g in grads), global_norm
    return tuple(g / global_norm * max_norm for g in grads), global_norm
