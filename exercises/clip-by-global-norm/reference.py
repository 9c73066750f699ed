import math

import numpy as np


def clip_by_global_norm(grads, max_norm):
    global_norm = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
    scale = max_norm / max(global_norm, max_norm)
    return [g * scale for g in grads], global_norm
