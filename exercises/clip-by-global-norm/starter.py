import numpy as np


def clip_by_global_norm(grads, max_norm):
    """Scale all gradients together so that their global L2 norm is at most max_norm.

    grads: a non-empty list of float64 arrays (any shapes). max_norm: a float > 0.
    global_norm = sqrt(sum of the squared L2 norms of all arrays), measured before clipping.
    Return (clipped_list, global_norm): a new list of arrays each multiplied by
    max_norm / max(global_norm, max_norm), and global_norm as a float. Do not modify grads.
    """
    # TODO: replace these lines with your implementation (this returns the gradients unchanged)
    clipped = [np.array(g) for g in grads]
    return clipped, 0.0
