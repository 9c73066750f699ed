import numpy as np

from graders.cases import MistakeVariant


def _abs_sum(weights):
    return sum(float(np.sum(np.abs(w))) for w in weights)


def _sign_zero_positive(weights, lam):
    return lam * _abs_sum(weights), [lam * np.where(w >= 0, 1.0, -1.0) for w in weights]


def _gradient_lam_w(weights, lam):
    return lam * _abs_sum(weights), [lam * w for w in weights]


def _gradient_without_lam(weights, lam):
    return lam * _abs_sum(weights), [np.sign(w) for w in weights]


def _penalty_mean(weights, lam):
    count = sum(w.size for w in weights)
    return lam * _abs_sum(weights) / count, [lam * np.sign(w) for w in weights]


def _penalty_of_squares(weights, lam):
    squares = sum(float(np.sum(w * w)) for w in weights)
    return lam * squares, [lam * np.sign(w) for w in weights]


MISTAKES = [
    MistakeVariant(
        "sign_zero_positive",
        "Weights that are exactly 0 got a gradient of +lam: sign(0) was taken as 1 (e.g. np.where(w >= 0, 1, -1)). "
        "Use sign(0) = 0, as np.sign does, so zero weights get a zero gradient.",
        "恰好为 0 的权重得到了 +lam 的梯度：sign(0) 被当成了 1（例如 np.where(w >= 0, 1, -1)）。应取 sign(0) = 0，"
        "与 np.sign 相同，零权重的梯度为 0。",
        _sign_zero_positive,
    ),
    MistakeVariant(
        "gradient_lam_w",
        "Your gradient is lam * w, the shape of an L2 gradient. The derivative of lam * |w| is lam * sign(w): "
        "+lam for positive weights, -lam for negative ones, 0 at 0, whatever the size of w.",
        "你的梯度是 lam * w，那是 L2 梯度的形式。lam * |w| 的导数是 lam * sign(w)：正权重为 +lam，负权重为 -lam，"
        "0 处为 0，与 w 的大小无关。",
        _gradient_lam_w,
    ),
    MistakeVariant(
        "gradient_without_lam",
        "Your gradient is sign(w) without the factor lam. The penalty is lam * sum(|w|), so its gradient is "
        "lam * sign(w).",
        "你的梯度是 sign(w)，少了因子 lam。惩罚项是 lam * sum(|w|)，所以梯度是 lam * sign(w)。",
        _gradient_without_lam,
    ),
    MistakeVariant(
        "penalty_mean",
        "Your penalty averages |w| over the elements. Keras' l1 adds them up: penalty = lam * sum of |w| over every "
        "element of every array, with no division by the number of weights.",
        "你的惩罚项对 |w| 取了平均。Keras 的 l1 是求和：penalty = lam * 所有数组所有元素 |w| 之和，不除以权重个数。",
        _penalty_mean,
    ),
    MistakeVariant(
        "penalty_of_squares",
        "Your penalty sums the squares w**2: that is the L2 penalty. The L1 penalty sums absolute values: "
        "lam * sum(|w|).",
        "你的惩罚项是平方 w**2 之和：那是 L2 惩罚。L1 惩罚是绝对值之和：lam * sum(|w|)。",
        _penalty_of_squares,
    ),
]
