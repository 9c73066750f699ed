import math

import numpy as np


def sigmoid_backward(dout, z):
    dz = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        value = float(z[index])
        if value >= 0:
            s = 1.0 / (1.0 + math.exp(-value))
        else:
            e = math.exp(value)
            s = e / (1.0 + e)
        dz[index] = dout[index] * s * (1.0 - s)
    return dz
