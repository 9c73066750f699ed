import numpy as np


def softmax(z):
    # Work on the last axis moved to the front, then move it back.
    t = np.moveaxis(z, -1, 0)
    e = np.exp(t - t.max(axis=0))
    return np.moveaxis(e / e.sum(axis=0), 0, -1)
