import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _missing_one_minus_s(dout, z):
    return dout * _sigmoid(z)


def _derivative_of_z(dout, z):
    return dout * z * (1.0 - z)


def _missing_upstream(dout, z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_derivative(dout, z):
    s = _sigmoid(z)
    return dout * (1.0 - s**2)


def _quotient_overflow(dout, z):
    e = np.exp(-z)
    return dout * e / (1.0 + e) ** 2


MISTAKES = [
    MistakeVariant(
        "missing_one_minus_s",
        "Your dz is dout * s: the derivative of the sigmoid is s * (1 - s), so dz = dout * s * (1 - s). "
        "The factor (1 - s) is what makes the gradient vanish where the sigmoid saturates.",
        "你的 dz 是 dout * s：sigmoid 的导数是 s * (1 - s)，所以 dz = dout * s * (1 - s)。"
        "正是 (1 - s) 这个因子让 sigmoid 饱和处的梯度消失。",
        _missing_one_minus_s,
    ),
    MistakeVariant(
        "derivative_of_z",
        "Your dz uses z * (1 - z): the formula s * (1 - s) takes the sigmoid's output s = sigmoid(z), not its "
        "input z. Compute s first.",
        "你的 dz 用了 z * (1 - z)：公式 s * (1 - s) 里的是 sigmoid 的输出 s = sigmoid(z)，而不是输入 z。请先算出 s。",
        _derivative_of_z,
    ),
    MistakeVariant(
        "missing_upstream",
        "Your dz is s * (1 - s) alone: that is the local derivative. The chain rule multiplies it by the "
        "upstream gradient: dz = dout * s * (1 - s).",
        "你的 dz 只有 s * (1 - s)：那只是局部导数。链式法则还要乘上游梯度：dz = dout * s * (1 - s)。",
        _missing_upstream,
    ),
    MistakeVariant(
        "tanh_derivative",
        "Your dz uses 1 - s**2, the derivative of tanh written with tanh's output. For the sigmoid it is s * (1 - s).",
        "你的 dz 用了 1 - s**2，那是 tanh 的导数（用 tanh 的输出表示）。sigmoid 的导数是 s * (1 - s)。",
        _tanh_derivative,
    ),
    MistakeVariant(
        "quotient_overflow",
        "Your dz is NaN for large negative z: exp(-z) / (1 + exp(-z))**2 computes exp(10000) = inf and "
        "inf / inf = NaN. Compute s with a stable sigmoid (only ever exponentiate -|z|), then dout * s * (1 - s), "
        "or use exp(-|z|), which gives the same value for z and -z.",
        "z 为很大的负数时你的 dz 是 NaN：exp(-z) / (1 + exp(-z))**2 会算出 exp(10000) = inf，而 inf / inf = NaN。"
        "请先用稳定的 sigmoid 算出 s（只对 -|z| 取指数），再算 dout * s * (1 - s)；或者用 exp(-|z|)，"
        "它对 z 和 -z 给出同样的值。",
        _quotient_overflow,
    ),
]
