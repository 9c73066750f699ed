import math


def clip_by_norm(grad, max_norm=1.0):
    total = 0.0
    for value in grad.flat:
        total += value * value
    norm = math.sqrt(total)
    if norm <= max_norm:
        return grad.copy()
    return grad / norm * max_norm
