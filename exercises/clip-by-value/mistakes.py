import numpy as np

from graders.cases import MistakeVariant


def _upper_bound_only(grads, clip_value=0.5):
    return [np.minimum(g, clip_value) for g in grads]


def _lower_bound_zero(grads, clip_value=0.5):
    return [np.clip(g, 0.0, clip_value) for g in grads]


def _rescaled_by_norm(grads, clip_value=0.5):
    out = []
    for g in grads:
        norm = np.sqrt(np.sum(g * g))
        out.append(g * (clip_value / norm) if norm > clip_value else g.copy())
    return out


def _rescaled_by_max_abs(grads, clip_value=0.5):
    out = []
    for g in grads:
        biggest = np.max(np.abs(g))
        out.append(g * (clip_value / biggest) if biggest > clip_value else g.copy())
    return out


MISTAKES = [
    MistakeVariant(
        "upper_bound_only",
        "Values below -clip_value were left as they were: you applied only the upper bound. Clip both sides, "
        "e.g. np.clip(g, -clip_value, clip_value).",
        "小于 -clip_value 的值没有被裁剪：你只施加了上界。两边都要裁剪，例如 np.clip(g, -clip_value, clip_value)。",
        _upper_bound_only,
    ),
    MistakeVariant(
        "lower_bound_zero",
        "Negative gradient values became 0: you clipped to [0, clip_value]. The interval is symmetric, "
        "[-clip_value, clip_value], so negative components keep their sign.",
        "负的梯度分量变成了 0：你裁剪到了 [0, clip_value]。区间是对称的 [-clip_value, clip_value]，负分量要保留符号。",
        _lower_bound_zero,
    ),
    MistakeVariant(
        "rescaled_by_norm",
        "You rescaled whole arrays by their L2 norm: that is clipping by norm (Keras clipnorm). Clipping by value "
        "(clipvalue) limits each component on its own and leaves components inside [-clip_value, clip_value] as "
        "they are.",
        "你按 L2 范数缩放了整个数组：那是按范数裁剪（Keras 的 clipnorm）。按值裁剪（clipvalue）逐个分量限制，"
        "已经在 [-clip_value, clip_value] 之内的分量保持不变。",
        _rescaled_by_norm,
    ),
    MistakeVariant(
        "rescaled_by_max_abs",
        "You scaled each array so that its largest |value| becomes clip_value, which also shrinks components that "
        "were already inside the interval. Clip each component on its own: only values outside "
        "[-clip_value, clip_value] change.",
        "你把每个数组按比例缩放，使最大的 |值| 等于 clip_value，这样连区间内的分量也被缩小了。应逐个分量裁剪："
        "只有超出 [-clip_value, clip_value] 的值才改变。",
        _rescaled_by_max_abs,
    ),
]
