import numpy as np

from graders.cases import MistakeVariant


def _abs_value(x):
    return np.abs(x)


def _min_instead_of_max(x):
    return np.minimum(x, 0.0)


def _leaky(x):
    return np.where(x > 0, x, 0.01 * x)


def _derivative_instead(x):
    return (x > 0).astype(float)


MISTAKES = [
    MistakeVariant(
        "absolute_value",
        "Negative inputs came back positive: ReLU sets them to 0, it does not take |x|.",
        "负数输入变成了正数：ReLU 把负数置为 0，而不是取绝对值 |x|。",
        _abs_value,
    ),
    MistakeVariant(
        "min_instead_of_max",
        "You kept the negative part: ReLU is max(0, x), not min(0, x).",
        "你保留了负数部分：ReLU 是 max(0, x)，不是 min(0, x)。",
        _min_instead_of_max,
    ),
    MistakeVariant(
        "leaky_relu",
        "Negative inputs were scaled, not zeroed: that is Leaky ReLU; plain ReLU returns exactly 0 for them.",
        "负数输入被按比例缩小而不是置零：那是 Leaky ReLU；标准 ReLU 对负数返回 0。",
        _leaky,
    ),
    MistakeVariant(
        "derivative_instead",
        "Your outputs are only 0 or 1: that is the derivative of ReLU (the mask x > 0, used in the backward pass). "
        "The forward pass returns the values themselves, max(0, x).",
        "你的输出只有 0 或 1：那是 ReLU 的导数（即反向传播中用的掩码 x > 0）。前向计算要返回数值本身，即 max(0, x)。",
        _derivative_instead,
    ),
]
