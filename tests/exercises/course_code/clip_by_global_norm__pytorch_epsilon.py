import numpy as np


def clip_by_global_norm(grads, max_norm):
    # torch.nn.utils.clip_grad_norm_
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    clip_coef = max_norm / (total_norm + 1e-6)
    clip_coef_clamped = min(clip_coef, 1.0)
    return [g * clip_coef_clamped for g in grads], float(total_norm)
