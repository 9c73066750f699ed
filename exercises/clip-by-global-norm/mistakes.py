import math

import numpy as np

from graders.cases import MistakeVariant


def _l2(g):
    return math.sqrt(float(np.sum(g * g)))


def _global(grads):
    return math.sqrt(sum(_l2(g) ** 2 for g in grads))


def _per_tensor_clipping(grads, max_norm):
    return [g * (max_norm / max(_l2(g), max_norm)) for g in grads], _global(grads)


def _sum_of_norms(grads, max_norm):
    total = sum(_l2(g) for g in grads)
    return [g * (max_norm / max(total, max_norm)) for g in grads], total


def _no_square_root(grads, max_norm):
    squares = sum(_l2(g) ** 2 for g in grads)
    return [g * (max_norm / max(squares, max_norm)) for g in grads], squares


def _always_scale(grads, max_norm):
    norm = _global(grads)
    scale = max_norm / norm if norm > 0 else 1.0
    return [g * scale for g in grads], norm


def _inverted_ratio(grads, max_norm):
    norm = _global(grads)
    scale = norm / max_norm if norm > max_norm else 1.0
    return [g * scale for g in grads], norm


def _epsilon_in_norm(grads, max_norm):
    # PyTorch's clip_grad_norm_: max_norm / (total_norm + 1e-6), capped at 1
    norm = _global(grads)
    scale = min(max_norm / (norm + 1e-6), 1.0)
    return [g * scale for g in grads], norm


def _norm_after_clipping(grads, max_norm):
    norm = _global(grads)
    return [g * (max_norm / max(norm, max_norm)) for g in grads], min(norm, max_norm)


MISTAKES = [
    MistakeVariant(
        "epsilon_in_norm",
        "You divided by global_norm + epsilon (as PyTorch's clip_grad_norm_ does with 1e-6): for gradients whose "
        "global norm is about the size of epsilon or smaller, that changes the result completely. The contract "
        "has no epsilon: the factor is max_norm / max(global_norm, max_norm).",
        "你除以的是 global_norm + epsilon（PyTorch 的 clip_grad_norm_ 用的是 1e-6）：当全局范数与 epsilon 相当或更小时，"
        "结果会完全不同。本题没有 epsilon：缩放因子是 max_norm / max(global_norm, max_norm)。",
        _epsilon_in_norm,
    ),
    MistakeVariant(
        "per_tensor_clipping",
        "You clipped each array by its own norm. Global-norm clipping uses one norm for all arrays together, "
        "sqrt(sum of squared norms), and one scale factor max_norm / max(global_norm, max_norm) for every array.",
        "你按每个数组自己的范数分别裁剪。全局范数裁剪对所有数组一起求一个范数 sqrt(各范数平方之和)，"
        "并对每个数组使用同一个缩放因子 max_norm / max(global_norm, max_norm)。",
        _per_tensor_clipping,
    ),
    MistakeVariant(
        "sum_of_norms",
        "Your global norm is the sum of the arrays' norms. It is the L2 norm of all values taken as one vector: "
        "the square root of the sum of the squared norms.",
        "你的全局范数是各数组范数之和。全局范数是把所有值看作一个向量后的 L2 范数：各范数平方和的平方根。",
        _sum_of_norms,
    ),
    MistakeVariant(
        "no_square_root",
        "Your global norm is the sum of squares without the square root. Take sqrt(sum of squared norms), both for "
        "the scale factor and for the returned value.",
        "你的全局范数是平方和，没有开平方根。缩放因子和返回值都应使用 sqrt(各范数平方之和)。",
        _no_square_root,
    ),
    MistakeVariant(
        "always_scale",
        "Gradients whose global norm was already at most max_norm were rescaled (they grew). Scale only when "
        "global_norm > max_norm: the factor is max_norm / max(global_norm, max_norm).",
        "全局范数本来就不超过 max_norm 的梯度也被缩放了（被放大了）。只有 global_norm > max_norm 时才缩放："
        "因子是 max_norm / max(global_norm, max_norm)。",
        _always_scale,
    ),
    MistakeVariant(
        "inverted_ratio",
        "Gradients above the limit got bigger instead of smaller: the factor is inverted. Multiply by "
        "max_norm / global_norm, not global_norm / max_norm.",
        "超过上限的梯度反而变大了：比例因子写反了。应乘以 max_norm / global_norm，而不是 global_norm / max_norm。",
        _inverted_ratio,
    ),
    MistakeVariant(
        "norm_after_clipping",
        "The clipped arrays are right, but the returned global norm is the one after clipping. Return the global "
        "norm of the input gradients, measured before clipping (as tf.clip_by_global_norm does).",
        "裁剪后的数组是对的，但返回的全局范数是裁剪之后的。应返回输入梯度在裁剪之前的全局范数"
        "（与 tf.clip_by_global_norm 相同）。",
        _norm_after_clipping,
    ),
]
