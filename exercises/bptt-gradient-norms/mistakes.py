import numpy as np

from graders.cases import MistakeVariant


def _gradients(g_T, S, W, *, derivative="s_t", matrix="W"):
    """dL/ds_t for t = T-1 down to 0, in that order."""
    T = S.shape[0]
    out = [g_T]
    g = g_T
    M = W.T if matrix == "W.T" else W
    for t in range(T - 1, 0, -1):
        if derivative == "s_t":
            g = (g * (1.0 - S[t] ** 2)) @ M
        elif derivative == "s_prev":
            g = (g * (1.0 - S[t - 1] ** 2)) @ M
        else:
            g = g @ M
        out.append(g)
    return out


def _norm(g):
    return float(np.sqrt(np.sum(g * g)))


def _missing_tanh_derivative(g_T, S, W):
    return np.array([_norm(g) for g in _gradients(g_T, S, W, derivative="none")][::-1])


def _W_transposed(g_T, S, W):
    return np.array([_norm(g) for g in _gradients(g_T, S, W, matrix="W.T")][::-1])


def _derivative_of_previous_state(g_T, S, W):
    return np.array([_norm(g) for g in _gradients(g_T, S, W, derivative="s_prev")][::-1])


def _norms_reversed(g_T, S, W):
    return np.array([_norm(g) for g in _gradients(g_T, S, W)])


def _stored_after_step(g_T, S, W):
    T = S.shape[0]
    norms = np.empty(T)
    g = g_T
    for t in range(T - 1, -1, -1):
        g = (g * (1.0 - S[t] ** 2)) @ W
        norms[t] = _norm(g)
    return norms


def _squared_norm(g_T, S, W):
    return np.array([float(np.sum(g * g)) for g in _gradients(g_T, S, W)][::-1])


MISTAKES = [
    MistakeVariant(
        "missing_tanh_derivative",
        "Your recurrence multiplies by W alone: each step back goes through the tanh first, dL/ds_{t-1} = "
        "(dL/ds_t * (1 - s_t**2)) @ W. Where tanh saturates (s_t near +-1) that factor is near 0 and stops "
        "the gradient: this is how saturated states make gradients vanish.",
        "你的递推只乘了 W：每往回一步都要先经过 tanh，dL/ds_{t-1} = (dL/ds_t * (1 - s_t**2)) @ W。tanh 饱和处"
        "（s_t 接近 +-1）这个因子接近 0，会截住梯度：饱和的状态就是这样让梯度消失的。",
        _missing_tanh_derivative,
    ),
    MistakeVariant(
        "W_transposed",
        "Your recurrence multiplies by W.T: with a_t = s_{t-1} @ W.T + ..., the gradient goes back as "
        "da_t @ W. W and W.T have the same spectral radius, so the growth looks similar, but the values differ.",
        "你的递推乘的是 W.T：a_t = s_{t-1} @ W.T + ...，所以梯度往回是 da_t @ W。W 和 W.T 的谱半径相同，"
        "增长趋势看起来相似，但数值不同。",
        _W_transposed,
    ),
    MistakeVariant(
        "derivative_of_previous_state",
        "Your step from t to t-1 uses 1 - s_{t-1}**2: the tanh to go back through is the one that produced s_t, "
        "so the factor is 1 - s_t**2 (S[t]), then @ W gives dL/ds_{t-1}.",
        "你从 t 退到 t-1 时用了 1 - s_{t-1}**2：要穿过的 tanh 是产生 s_t 的那个，所以因子是 1 - s_t**2（S[t]），"
        "再乘 W 得到 dL/ds_{t-1}。",
        _derivative_of_previous_state,
    ),
    MistakeVariant(
        "norms_reversed",
        "Your norms are in the order you computed them, last step first: norms[t] must be the norm of dL/ds_t, so "
        "norms[T-1] = |g_T| and norms[0] is the gradient that travelled furthest back (reverse your list).",
        "你的范数按计算顺序排列，最后一步在前：norms[t] 必须是 dL/ds_t 的范数，所以 norms[T-1] = |g_T|，"
        "norms[0] 是往回传得最远的梯度（把你的列表反转）。",
        _norms_reversed,
    ),
    MistakeVariant(
        "stored_after_step",
        "Each of your norms is one step too far back: norms[T-1] is the norm of g_T itself, before any "
        "multiplication. Store the norm first, then step back.",
        "你的每个范数都往回多走了一步：norms[T-1] 就是 g_T 本身的范数，还没有经过任何乘法。先记下范数，再往回走一步。",
        _stored_after_step,
    ),
    MistakeVariant(
        "squared_norm",
        "Your norms are squared (sum of squares without the square root): the Frobenius norm is "
        "sqrt(sum of g**2), e.g. np.linalg.norm(g).",
        "你的范数是平方和（没有开平方根）：Frobenius 范数是 sqrt(sum of g**2)，例如 np.linalg.norm(g)。",
        _squared_norm,
    ),
]
