import numpy as np


def sgd_clipped_step(params, grads, lr, max_norm):
    """One step of gradient descent after clipping the gradients by their global norm.

    params, grads: lists of float64 arrays, grads[k] shaped like params[k]; lr, max_norm: floats > 0.
    global_norm = sqrt(sum of the squared L2 norms of all grads); clipped[k] = grads[k] * max_norm /
    max(global_norm, max_norm). Return (new_params, global_norm) with new_params[k] = params[k] -
    lr * clipped[k] and global_norm measured before clipping. Modify neither params nor grads.
    """
    # TODO: replace these lines with your implementation (this takes an unclipped step)
    return [p - lr * g for p, g in zip(params, grads, strict=True)], 0.0
