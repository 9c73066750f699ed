import numpy as np


def _clip_one(g, c):
    upper = np.where(g > c, c, g)
    return np.where(upper < -c, -c, upper)


def clip_by_value(grads, clip_value=0.5):
    return tuple(_clip_one(g, clip_value) for g in grads)
