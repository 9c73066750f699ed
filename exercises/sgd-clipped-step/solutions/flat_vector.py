import numpy as np


def sgd_clipped_step(params, grads, lr, max_norm):
    flat = np.concatenate([g.ravel() for g in grads])
    global_norm = float(np.linalg.norm(flat))
    step = lr * flat * (max_norm / global_norm if global_norm > max_norm else 1.0)
    new_params, start = [], 0
    for p in params:
        new_params.append(p - step[start : start + p.size].reshape(p.shape))
        start += p.size
    return new_params, global_norm
