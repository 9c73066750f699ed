import numpy as np

from graders.cases import MistakeVariant


def _l2(grad):
    return np.sqrt(np.sum(grad * grad))


def _always_scale(grad, max_norm=1.0):
    norm = _l2(grad)
    return grad * (max_norm / norm) if norm > 0 else grad.copy()


def _inverted_ratio(grad, max_norm=1.0):
    norm = _l2(grad)
    return grad * (norm / max_norm) if norm > max_norm else grad.copy()


def _max_abs_norm(grad, max_norm=1.0):
    norm = np.max(np.abs(grad))
    return grad * (max_norm / norm) if norm > max_norm else grad.copy()


def _l1_norm(grad, max_norm=1.0):
    norm = np.sum(np.abs(grad))
    return grad * (max_norm / norm) if norm > max_norm else grad.copy()


def _per_row_norm(grad, max_norm=1.0):
    norms = np.sqrt(np.sum(grad * grad, axis=-1, keepdims=True))
    return grad * (max_norm / np.maximum(norms, max_norm))


def _epsilon_in_norm(grad, max_norm=1.0):
    # PyTorch's clip_grad_norm_: max_norm / (norm + 1e-6), capped at 1
    return grad * min(max_norm / (_l2(grad) + 1e-6), 1.0)


def _clipped_elementwise(grad, max_norm=1.0):
    return np.clip(grad, -max_norm, max_norm)


MISTAKES = [
    MistakeVariant(
        "epsilon_in_norm",
        "You divided by norm + epsilon (as PyTorch's clip_grad_norm_ does with 1e-6): for gradients whose norm is "
        "about the size of epsilon or smaller, that changes the result completely. The contract has no epsilon: "
        "scale by max_norm / norm when norm > max_norm (an all-zero gradient never reaches that division).",
        "你除以的是 norm + epsilon（PyTorch 的 clip_grad_norm_ 用的是 1e-6）：当梯度的范数与 epsilon 相当或更小时，"
        "结果会完全不同。本题没有 epsilon：当 norm > max_norm 时乘以 max_norm / norm（全零梯度根本不会走到这个除法）。",
        _epsilon_in_norm,
    ),
    MistakeVariant(
        "always_scale",
        "A gradient whose norm was already at most max_norm was rescaled (small gradients grew to norm max_norm). "
        "Scale only when the norm exceeds max_norm, e.g. multiply by max_norm / max(norm, max_norm).",
        "范数本来就不超过 max_norm 的梯度也被缩放了（小梯度被放大到范数 max_norm）。只有范数超过 max_norm 时才缩放，"
        "例如乘以 max_norm / max(norm, max_norm)。",
        _always_scale,
    ),
    MistakeVariant(
        "inverted_ratio",
        "Gradients above the limit got bigger instead of smaller: the factor is inverted. Multiply by "
        "max_norm / norm, not norm / max_norm.",
        "超过上限的梯度反而变大了：比例因子写反了。应乘以 max_norm / norm，而不是 norm / max_norm。",
        _inverted_ratio,
    ),
    MistakeVariant(
        "max_abs_norm",
        "You measured the gradient by its largest |value| (the max norm). clipnorm uses the L2 norm over all "
        "elements: sqrt(sum(grad**2)).",
        "你用最大的 |值|（最大范数）来衡量梯度。clipnorm 用的是所有元素的 L2 范数：sqrt(sum(grad**2))。",
        _max_abs_norm,
    ),
    MistakeVariant(
        "l1_norm",
        "You measured the gradient by the sum of |values| (the L1 norm). clipnorm uses the L2 norm: the square root "
        "of the sum of squares of all elements.",
        "你用 |值| 之和（L1 范数）来衡量梯度。clipnorm 用的是 L2 范数：所有元素平方和的平方根。",
        _l1_norm,
    ),
    MistakeVariant(
        "per_row_norm",
        "You clipped each row by its own norm (a norm along the last axis). Use one norm over all elements of the "
        "array, whatever its shape, and one scale factor for the whole array.",
        "你按每一行自己的范数裁剪（沿最后一个轴求范数）。无论数组形状如何，都应对所有元素求一个范数，整个数组用同一个缩放因子。",
        _per_row_norm,
    ),
    MistakeVariant(
        "clipped_elementwise",
        "You clipped each element to [-max_norm, max_norm]: that is clipping by value. Clipping by norm rescales the "
        "whole array by max_norm / norm, which keeps the gradient's direction.",
        "你把每个元素裁剪到 [-max_norm, max_norm]：那是按值裁剪。按范数裁剪是把整个数组乘以 max_norm / norm，"
        "这样梯度方向保持不变。",
        _clipped_elementwise,
    ),
]
