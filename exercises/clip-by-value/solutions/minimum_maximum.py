import numpy as np


def clip_by_value(grads, clip_value=0.5):
    clipped = []
    for g in grads:
        clipped.append(np.minimum(np.maximum(g, -clip_value), clip_value))
    return clipped
