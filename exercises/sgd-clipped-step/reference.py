import math

import numpy as np


def sgd_clipped_step(params, grads, lr, max_norm):
    global_norm = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))  # before clipping
    scale = max_norm / max(global_norm, max_norm)  # 1 when the norm is within the limit
    return [p - lr * (g * scale) for p, g in zip(params, grads, strict=True)], global_norm
