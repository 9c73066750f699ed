import math

import numpy as np

from graders.cases import MistakeVariant


def _square_sum(weights):
    return sum(float(np.sum(w * w)) for w in weights)


def _missing_two_in_gradient(weights, lam):
    return lam * _square_sum(weights), [lam * w for w in weights]


def _half_convention(weights, lam):
    return 0.5 * lam * _square_sum(weights), [lam * w for w in weights]


def _penalty_mean(weights, lam):
    count = sum(w.size for w in weights)
    return lam * _square_sum(weights) / count, [2.0 * lam * w for w in weights]


def _penalty_not_squared(weights, lam):
    return lam * math.sqrt(_square_sum(weights)), [2.0 * lam * w for w in weights]


def _gradient_sign(weights, lam):
    return lam * _square_sum(weights), [lam * np.sign(w) for w in weights]


MISTAKES = [
    MistakeVariant(
        "missing_two_in_gradient",
        "Your gradient is lam * w, half of the right value. The derivative of lam * w**2 is 2 * lam * w: "
        "keep the 2 (the Keras penalty has no 1/2 in front to cancel it).",
        "你的梯度是 lam * w，只有正确值的一半。lam * w**2 的导数是 2 * lam * w：要保留系数 2"
        "（Keras 的惩罚项前面没有 1/2 来抵消它）。",
        _missing_two_in_gradient,
    ),
    MistakeVariant(
        "half_convention",
        "You used the textbook convention (lam/2) * sum(w**2) with gradient lam * w. This exercise follows Keras: "
        "penalty = lam * sum(w**2) and gradient = 2 * lam * w.",
        "你用了教科书里的 (lam/2) * sum(w**2) 约定，梯度为 lam * w。本题遵循 Keras：penalty = lam * sum(w**2)，"
        "梯度 = 2 * lam * w。",
        _half_convention,
    ),
    MistakeVariant(
        "penalty_mean",
        "Your penalty averages w**2 over the elements. Keras' l2 adds them up: penalty = lam * sum of w**2 over "
        "every element of every array, with no division by the number of weights.",
        "你的惩罚项对 w**2 取了平均。Keras 的 l2 是求和：penalty = lam * 所有数组所有元素 w**2 之和，不除以权重个数。",
        _penalty_mean,
    ),
    MistakeVariant(
        "penalty_not_squared",
        "Your penalty is lam times the L2 norm, sqrt(sum(w**2)). The L2 penalty uses the squared norm: "
        "lam * sum(w**2), without the square root.",
        "你的惩罚项是 lam 乘以 L2 范数 sqrt(sum(w**2))。L2 惩罚用的是范数的平方：lam * sum(w**2)，不开平方根。",
        _penalty_not_squared,
    ),
    MistakeVariant(
        "gradient_sign",
        "Your gradient is lam * sign(w): that is the L1 gradient. The L2 gradient is proportional to the weight "
        "itself: 2 * lam * w.",
        "你的梯度是 lam * sign(w)：那是 L1 的梯度。L2 的梯度与权重本身成正比：2 * lam * w。",
        _gradient_sign,
    ),
]
