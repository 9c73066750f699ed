import numpy as np


def clip_by_norm(grad, max_norm=1.0):
    # torch.nn.utils.clip_grad_norm_
    total_norm = np.linalg.norm(grad)
    clip_coef = max_norm / (total_norm + 1e-6)
    if clip_coef < 1:
        return grad * clip_coef
    return grad.copy()
