import math

import numpy as np


def sigmoid(z):
    out = np.empty(np.shape(z), dtype=float)
    flat_in = np.asarray(z, dtype=float).reshape(-1)
    flat_out = out.reshape(-1)
    for i, value in enumerate(flat_in):
        if value >= 0:
            flat_out[i] = 1.0 / (1.0 + math.exp(-value))
        else:
            e = math.exp(value)  # value < 0: exp cannot overflow
            flat_out[i] = e / (1.0 + e)
    return out
