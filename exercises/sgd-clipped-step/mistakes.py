import math

import numpy as np

from graders.cases import MistakeVariant


def _norm(g):
    return math.sqrt(float(np.sum(g * g)))


def _global(grads):
    return math.sqrt(sum(_norm(g) ** 2 for g in grads))


def _step(params, grads, lr, factors):
    return [p - lr * f * g for p, g, f in zip(params, grads, factors, strict=True)]


def _per_tensor_clipping(params, grads, lr, max_norm):
    factors = [max_norm / max(_norm(g), max_norm) for g in grads]
    return _step(params, grads, lr, factors), _global(grads)


def _norm_after_clipping(params, grads, lr, max_norm):
    norm = _global(grads)
    scale = max_norm / max(norm, max_norm)
    return _step(params, grads, lr, [scale] * len(grads)), min(norm, max_norm)


def _gradient_ascent(params, grads, lr, max_norm):
    norm = _global(grads)
    scale = max_norm / max(norm, max_norm)
    return _step(params, grads, -lr, [scale] * len(grads)), norm


def _clipped_the_update(params, grads, lr, max_norm):
    norm = _global(grads)
    scale = max_norm / max(lr * norm, max_norm)  # the norm of lr * grads is compared with max_norm
    return _step(params, grads, lr, [scale] * len(grads)), norm


def _always_rescaled(params, grads, lr, max_norm):
    norm = _global(grads)
    scale = max_norm / norm if norm > 0 else 1.0
    return _step(params, grads, lr, [scale] * len(grads)), norm


def _learning_rate_missing(params, grads, lr, max_norm):
    norm = _global(grads)
    scale = max_norm / max(norm, max_norm)
    return _step(params, grads, 1.0, [scale] * len(grads)), norm


MISTAKES = [
    MistakeVariant(
        "per_tensor_clipping",
        "You clipped each gradient by its own norm: that changes the direction of the step (a layer with a huge "
        "gradient is shrunk, the others are not). Clipping by global norm scales every array by the same factor "
        "max_norm / max(global_norm, max_norm), global_norm = sqrt(sum of squared norms).",
        "你按每个梯度自己的范数分别裁剪：这会改变更新的方向（梯度巨大的那一层被缩小了，其他层却没有）。"
        "按全局范数裁剪时，每个数组都乘以同一个因子 max_norm / max(global_norm, max_norm)，"
        "global_norm = sqrt(各范数平方之和)。",
        _per_tensor_clipping,
    ),
    MistakeVariant(
        "norm_after_clipping",
        "Your step is right but the returned global_norm is the one after clipping: return the norm of the "
        "gradients as they came in (the number a training loop logs to see gradients explode).",
        "你的更新是对的，但返回的 global_norm 是裁剪之后的：应返回传入梯度本身的范数（训练循环记录它来观察梯度是否爆炸）。",
        _norm_after_clipping,
    ),
    MistakeVariant(
        "gradient_ascent",
        "Your parameters moved up the gradient: gradient descent subtracts, new_params[k] = params[k] - lr * "
        "clipped[k].",
        "你的参数沿梯度方向上升了：梯度下降是减去梯度，new_params[k] = params[k] - lr * clipped[k]。",
        _gradient_ascent,
    ),
    MistakeVariant(
        "clipped_the_update",
        "You clipped the update lr * grads instead of the gradients: the catalog (and Keras' clipnorm, "
        "tf.clip_by_global_norm) compares the norm of the gradients with max_norm, then multiplies the clipped "
        "gradients by lr.",
        "你裁剪的是更新量 lr * grads，而不是梯度：题目（以及 Keras 的 clipnorm、tf.clip_by_global_norm）"
        "是用梯度的范数与 max_norm 比较，再把裁剪后的梯度乘以 lr。",
        _clipped_the_update,
    ),
    MistakeVariant(
        "always_rescaled",
        "Gradients whose global norm was below max_norm were rescaled up to it: clipping only ever shrinks. The "
        "factor is max_norm / max(global_norm, max_norm), which is 1 below the limit.",
        "全局范数低于 max_norm 的梯度也被放大到了 max_norm：裁剪只会缩小。因子是 max_norm / max(global_norm, max_norm)，"
        "低于上限时为 1。",
        _always_rescaled,
    ),
    MistakeVariant(
        "learning_rate_missing",
        "Your step is the clipped gradient itself: multiply it by the learning rate, new_params[k] = params[k] - "
        "lr * clipped[k].",
        "你的更新量就是裁剪后的梯度本身：还要乘以学习率，new_params[k] = params[k] - lr * clipped[k]。",
        _learning_rate_missing,
    ),
]
