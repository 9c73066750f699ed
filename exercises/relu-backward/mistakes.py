import numpy as np

from graders.cases import MistakeVariant


def _passes_at_zero(dout, x):
    return dout * (x >= 0)


def _mask_only(dout, x):
    return (x > 0).astype(float)


def _masked_by_dout(dout, x):
    return np.maximum(dout, 0.0)


def _times_activation(dout, x):
    return dout * np.maximum(x, 0.0)


MISTAKES = [
    MistakeVariant(
        "passes_at_zero",
        "Your dx passes the gradient where x == 0 (x >= 0): ReLU has no derivative at 0, and the convention "
        "(the catalog's and every framework's) is 0 there: use x > 0.",
        "你的 dx 在 x == 0 处也让梯度通过了（x >= 0）：ReLU 在 0 处不可导，约定（题目和各框架都是）取 0："
        "应使用 x > 0。",
        _passes_at_zero,
    ),
    MistakeVariant(
        "mask_only",
        "Your dx is the mask (x > 0) itself: that is the local derivative d relu / dx. The chain rule multiplies "
        "it by the upstream gradient: dx = dout * (x > 0).",
        "你的 dx 就是掩码 (x > 0) 本身：那只是局部导数 d relu / dx。链式法则还要乘上游梯度：dx = dout * (x > 0)。",
        _mask_only,
    ),
    MistakeVariant(
        "masked_by_dout",
        "Your dx is relu(dout): the mask comes from the forward input x, not from the sign of the gradient. "
        "dx = dout where x > 0, whatever the sign of dout.",
        "你的 dx 是 relu(dout)：掩码来自前向输入 x，而不是梯度的符号。x > 0 处 dx = dout，不管 dout 是正是负。",
        _masked_by_dout,
    ),
    MistakeVariant(
        "times_activation",
        "Your dx is dout * relu(x): the chain rule multiplies by the derivative of ReLU (1 where x > 0, else 0), "
        "not by its value.",
        "你的 dx 是 dout * relu(x)：链式法则乘的是 ReLU 的导数（x > 0 处为 1，否则为 0），而不是 ReLU 的值。",
        _times_activation,
    ),
]
