import numpy as np


def relu(x):
    out = np.array(x, dtype=float)
    flat = out.reshape(-1)
    for i in range(flat.size):
        if flat[i] < 0:
            flat[i] = 0.0
    return out
