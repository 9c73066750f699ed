import numpy as np

from graders.cases import MistakeVariant


def _grads(da, x_t, s_prev, U, W):
    return da @ U, da @ W, da.T @ x_t, da.T @ s_prev


def _forward(x_t, s_prev, U, W):
    a = x_t @ U.T + s_prev @ W.T
    return a, np.tanh(a)


def _missing_tanh_derivative(ds, x_t, s_prev, U, W):
    return _grads(ds, x_t, s_prev, U, W)


def _derivative_of_preactivation(ds, x_t, s_prev, U, W):
    a, _ = _forward(x_t, s_prev, U, W)
    return _grads(ds * (1.0 - a**2), x_t, s_prev, U, W)


def _derivative_of_s_prev(ds, x_t, s_prev, U, W):
    return _grads(ds * (1.0 - s_prev**2), x_t, s_prev, U, W)


def _dW_uses_s_t(ds, x_t, s_prev, U, W):
    _, s_t = _forward(x_t, s_prev, U, W)
    da = ds * (1.0 - s_t**2)
    return da @ U, da @ W, da.T @ x_t, da.T @ s_t


def _ds_prev_W_transposed(ds, x_t, s_prev, U, W):
    _, s_t = _forward(x_t, s_prev, U, W)
    da = ds * (1.0 - s_t**2)
    return da @ U, da @ W.T, da.T @ x_t, da.T @ s_prev


def _dU_transposed(ds, x_t, s_prev, U, W):
    _, s_t = _forward(x_t, s_prev, U, W)
    da = ds * (1.0 - s_t**2)
    return da @ U, da @ W, x_t.T @ da, da.T @ s_prev


MISTAKES = [
    MistakeVariant(
        "missing_tanh_derivative",
        "Your gradients skip the tanh: s_t = tanh(a) with a = x_t @ U.T + s_prev @ W.T, so first da = ds * (1 - "
        "s_t**2), and every other gradient is built from da, not from ds.",
        "你的梯度跳过了 tanh：s_t = tanh(a)，a = x_t @ U.T + s_prev @ W.T，所以先算 da = ds * (1 - s_t**2)，"
        "其余所有梯度都由 da 而不是 ds 算出。",
        _missing_tanh_derivative,
    ),
    MistakeVariant(
        "derivative_of_preactivation",
        "Your tanh derivative is 1 - a**2 with a the pre-activation: d tanh(a) / da = 1 - tanh(a)**2 = 1 - s_t**2, "
        "with the output s_t.",
        "你的 tanh 导数写成了 1 - a**2（a 是激活前的值）：d tanh(a) / da = 1 - tanh(a)**2 = 1 - s_t**2，用的是输出 s_t。",
        _derivative_of_preactivation,
    ),
    MistakeVariant(
        "derivative_of_s_prev",
        "Your tanh derivative uses s_prev: 1 - s**2 is taken at the output of this step's tanh, s_t = "
        "tanh(x_t @ U.T + s_prev @ W.T), which you recompute from the inputs; s_prev is the previous step's.",
        "你的 tanh 导数用了 s_prev：1 - s**2 要在本步 tanh 的输出 s_t = tanh(x_t @ U.T + s_prev @ W.T) 处求值"
        "（由输入重新算出）；s_prev 是上一步的输出。",
        _derivative_of_s_prev,
    ),
    MistakeVariant(
        "dW_uses_s_t",
        "Your dW multiplies da by s_t: W multiplies the previous state in a = x_t @ U.T + s_prev @ W.T, so "
        "dW = da.T @ s_prev.",
        "你的 dW 用 da 乘了 s_t：在 a = x_t @ U.T + s_prev @ W.T 中 W 乘的是上一步的状态，所以 dW = da.T @ s_prev。",
        _dW_uses_s_t,
    ),
    MistakeVariant(
        "ds_prev_W_transposed",
        "Your ds_prev is da @ W.T: a = s_prev @ W.T + ..., so a[n, h] = sum over k of s_prev[n, k] W[h, k] and "
        "ds_prev[n, k] = sum over h of da[n, h] W[h, k]: ds_prev = da @ W. W is square, so only the values show it.",
        "你的 ds_prev 是 da @ W.T：a = s_prev @ W.T + ...，即 a[n, h] = 对 k 求和 s_prev[n, k] W[h, k]，所以 "
        "ds_prev[n, k] = 对 h 求和 da[n, h] W[h, k]：ds_prev = da @ W。W 是方阵，只有数值能看出错误。",
        _ds_prev_W_transposed,
    ),
    MistakeVariant(
        "dU_transposed",
        "Your dU is x_t.T @ da, of shape (D, H): U has shape (H, D), and dU[h, d] = sum over n of da[n, h] "
        "x_t[n, d], so dU = da.T @ x_t.",
        "你的 dU 是 x_t.T @ da，形状为 (D, H)：U 的形状是 (H, D)，dU[h, d] = 对 n 求和 da[n, h] x_t[n, d]，"
        "所以 dU = da.T @ x_t。",
        _dU_transposed,
    ),
]
