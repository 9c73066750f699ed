import numpy as np


def clip_by_value(grads, clip_value=0.5):
    return [np.clip(g, -clip_value, clip_value) for g in grads]
