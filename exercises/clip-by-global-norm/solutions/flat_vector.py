import numpy as np


def clip_by_global_norm(grads, max_norm):
    flat = np.concatenate([g.ravel() for g in grads])
    global_norm = float(np.sqrt(flat @ flat))
    if global_norm > max_norm:
        flat = flat * (max_norm / global_norm)
    clipped, start = [], 0
    for g in grads:
        clipped.append(flat[start : start + g.size].reshape(g.shape))
        start += g.size
    return clipped, global_norm
