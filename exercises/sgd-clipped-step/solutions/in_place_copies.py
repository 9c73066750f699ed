import math

import numpy as np


def sgd_clipped_step(params, grads, lr, max_norm):
    global_norm = math.sqrt(math.fsum(float(np.vdot(g, g)) for g in grads))
    factor = lr * min(1.0, max_norm / global_norm) if global_norm > 0 else lr
    new_params = []
    for p, g in zip(params, grads, strict=True):
        updated = np.array(p, copy=True)  # a copy: the caller's arrays stay as they were
        updated -= factor * g
        new_params.append(updated)
    return tuple(new_params), global_norm
