import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _missing_bias(x, w, b):
    return _sigmoid(x @ w)


def _bias_sign(x, w, b):
    return _sigmoid(x @ w - b)


def _relu_instead(x, w, b):
    return np.maximum(x @ w + b, 0.0)


def _no_activation(x, w, b):
    return x @ w + b


def _no_feature_sum(x, w, b):
    return _sigmoid(x * w + b)


MISTAKES = [
    MistakeVariant(
        "missing_bias",
        "The bias is missing: you returned sigmoid(x @ w). Add b to every weighted sum before the sigmoid, "
        "sigmoid(x @ w + b); in the AND neuron, b = -30 is what keeps the output near 0 unless both inputs are 1.",
        "漏掉了偏置：你返回的是 sigmoid(x @ w)。应在 sigmoid 之前给每个加权和加上 b，即 sigmoid(x @ w + b)；"
        "在 AND 神经元中，正是 b = -30 让输出保持接近 0，除非两个输入都是 1。",
        _missing_bias,
    ),
    MistakeVariant(
        "bias_sign",
        "The bias has the wrong sign: you computed sigmoid(x @ w - b). The pre-activation is z = x @ w + b "
        "(b = -30 in the AND neuron already carries its minus sign).",
        "偏置的符号反了：你算的是 sigmoid(x @ w - b)。预激活值是 z = x @ w + b（AND 神经元里的 b = -30 已经带有负号）。",
        _bias_sign,
    ),
    MistakeVariant(
        "relu_instead",
        "You applied ReLU, max(0, z), but this neuron uses the sigmoid 1 / (1 + exp(-z)), whose outputs lie in (0, 1).",
        "你用的是 ReLU，即 max(0, z)；但这个神经元的激活函数是 sigmoid 1 / (1 + exp(-z))，输出位于 (0, 1) 内。",
        _relu_instead,
    ),
    MistakeVariant(
        "no_activation",
        "You returned the weighted sum z = x @ w + b itself: apply the sigmoid to it, sigmoid(z) = 1 / (1 + exp(-z)).",
        "你直接返回了加权和 z = x @ w + b：还需要对它应用 sigmoid，sigmoid(z) = 1 / (1 + exp(-z))。",
        _no_activation,
    ),
    MistakeVariant(
        "no_feature_sum",
        "You returned one value per feature, shape (N, D): x * w only multiplies elementwise. Sum the products "
        "over the features (x @ w, or np.sum(x * w, axis=1)) to get one value per example, shape (N,).",
        "你为每个特征都返回了一个值，形状为 (N, D)：x * w 只是逐元素相乘。要沿特征维度把乘积加起来"
        "（x @ w 或 np.sum(x * w, axis=1)），每个样本得到一个值，形状为 (N,)。",
        _no_feature_sum,
    ),
]
