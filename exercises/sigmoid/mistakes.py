import numpy as np

from graders.cases import MistakeVariant


def _stable(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sign_error(z):
    # 1 / (1 + exp(z)), written without overflow so that it fails only on its values
    return _stable(-z)


def _tanh_instead(z):
    return np.tanh(z)


def _missing_one(z):
    # 1 / exp(-z), that is exp(z)
    return np.exp(z)


def _derivative_instead(z):
    s = _stable(z)
    return s * (1.0 - s)


def _step_function(z):
    return (z > 0).astype(float)


MISTAKES = [
    MistakeVariant(
        "sign_error",
        "Your outputs are mirrored, sigmoid(-z) instead of sigmoid(z): large positive z must give values near 1. "
        "The exponent needs a minus sign: 1 / (1 + exp(-z)).",
        "你的输出是镜像的，算成了 sigmoid(-z)：z 很大时结果应接近 1。指数里要带负号：1 / (1 + exp(-z))。",
        _sign_error,
    ),
    MistakeVariant(
        "tanh_instead",
        "You returned tanh(z), whose range is (-1, 1); the sigmoid maps to (0, 1) and sigmoid(0) = 0.5. "
        "If you want tanh, use sigmoid(z) = (1 + tanh(z / 2)) / 2.",
        "你返回的是 tanh(z)，值域为 (-1, 1)；sigmoid 的值域是 (0, 1)，且 sigmoid(0) = 0.5。"
        "若想借助 tanh，可用 sigmoid(z) = (1 + tanh(z / 2)) / 2。",
        _tanh_instead,
    ),
    MistakeVariant(
        "missing_one",
        "You computed 1 / exp(-z) = exp(z), which is not bounded by 1: the denominator is 1 + exp(-z), keep the 1.",
        "你算的是 1 / exp(-z) = exp(z)，它没有上界 1：分母应为 1 + exp(-z)，不要漏掉那个 1。",
        _missing_one,
    ),
    MistakeVariant(
        "derivative_instead",
        "You returned sigmoid(z) * (1 - sigmoid(z)), which is the derivative of the sigmoid (at most 0.25); "
        "the forward pass returns sigmoid(z) itself.",
        "你返回的是 sigmoid(z) * (1 - sigmoid(z))，那是 sigmoid 的导数（最大 0.25）；前向计算只需返回 sigmoid(z)。",
        _derivative_instead,
    ),
    MistakeVariant(
        "step_function",
        "Your outputs are only 0 or 1: that is a hard threshold (step function). The sigmoid is smooth, "
        "e.g. sigmoid(0) = 0.5 and sigmoid(1) = 0.731.",
        "你的输出只有 0 或 1：那是硬阈值（阶跃函数）。sigmoid 是平滑的，例如 sigmoid(0) = 0.5，sigmoid(1) = 0.731。",
        _step_function,
    ),
]
