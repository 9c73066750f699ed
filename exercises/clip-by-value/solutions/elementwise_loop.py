import numpy as np


def clip_by_value(grads, clip_value=0.5):
    out = []
    for g in grads:
        clipped = np.array(g, dtype=float, order="C")  # a C-ordered copy: the input stays untouched
        flat = clipped.reshape(-1)
        for i in range(flat.size):
            if flat[i] > clip_value:
                flat[i] = clip_value
            elif flat[i] < -clip_value:
                flat[i] = -clip_value
        out.append(clipped)
    return out
