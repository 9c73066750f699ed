import numpy as np

from graders.cases import MistakeVariant


def _bptt(dS, xs, s0, U, W, mistake=""):
    T = xs.shape[0]
    S = np.empty(dS.shape)
    s = s0
    for t in range(T):
        s = np.tanh(xs[t] @ U.T + s @ W.T)
        S[t] = s
    dxs = np.empty(xs.shape)
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    later = np.zeros(s0.shape)
    first_state = None
    for t in range(T - 1, -1, -1):
        s_prev = S[t - 1] if t > 0 else s0
        ds = dS[t] if mistake == "later_steps_ignored" else dS[t] + later
        if t == 0:
            first_state = ds
        if mistake == "missing_tanh_derivative":
            da = ds
        elif mistake == "later_gradient_skips_tanh":
            da = dS[t] * (1.0 - S[t] ** 2) + later
        else:
            da = ds * (1.0 - S[t] ** 2)
        dxs[t] = da @ U
        dU_t = da.T @ xs[t]
        dW_t = da.T @ (S[t] if mistake == "s_t_used_for_s_prev" else s_prev)
        dU = dU_t if mistake == "dU_not_accumulated" else dU + dU_t
        dW = dW_t if mistake == "dW_not_accumulated" else dW + dW_t
        later = da @ (W.T if mistake == "W_transposed_in_recurrence" else W)
    ds0 = first_state if mistake == "ds0_of_first_state" else later
    return dxs, ds0, dU, dW


def _dW_not_accumulated(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "dW_not_accumulated")


def _dU_not_accumulated(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "dU_not_accumulated")


def _later_steps_ignored(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "later_steps_ignored")


def _s_t_used_for_s_prev(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "s_t_used_for_s_prev")


def _missing_tanh_derivative(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "missing_tanh_derivative")


def _later_gradient_skips_tanh(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "later_gradient_skips_tanh")


def _W_transposed_in_recurrence(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "W_transposed_in_recurrence")


def _ds0_of_first_state(dS, xs, s0, U, W):
    return _bptt(dS, xs, s0, U, W, "ds0_of_first_state")


MISTAKES = [
    MistakeVariant(
        "dW_not_accumulated",
        "Your dW holds only one time step's contribution (dW = ... inside the loop): the same W is used at every "
        "step, so its gradient is the sum over all steps, dW += da_t.T @ s_{t-1}.",
        "你的 dW 只含一个时间步的贡献（在循环里写成了 dW = ...）：每一步用的都是同一个 W，所以它的梯度是所有时间步之和，"
        "dW += da_t.T @ s_{t-1}。",
        _dW_not_accumulated,
    ),
    MistakeVariant(
        "dU_not_accumulated",
        "Your dU holds only one time step's contribution (dU = ... inside the loop): U is shared by all steps, so "
        "dU += da_t.T @ xs[t] over every t.",
        "你的 dU 只含一个时间步的贡献（在循环里写成了 dU = ...）：U 被所有时间步共享，所以要对每个 t 累加 "
        "dU += da_t.T @ xs[t]。",
        _dU_not_accumulated,
    ),
    MistakeVariant(
        "later_steps_ignored",
        "Your gradient at s_t uses only dS[t]: s_t also feeds step t+1, so the gradient arriving at s_t is "
        "dS[t] plus what flows back from t+1, ds_t = dS[t] + da_{t+1} @ W. Carry it in a variable from one step "
        "of the loop to the next.",
        "你在 s_t 处的梯度只用了 dS[t]：s_t 还输入到第 t+1 步，所以到达 s_t 的梯度是 dS[t] 加上从 t+1 步流回来的部分，"
        "ds_t = dS[t] + da_{t+1} @ W。用一个变量把它从循环的这一步带到下一步。",
        _later_steps_ignored,
    ),
    MistakeVariant(
        "s_t_used_for_s_prev",
        "Your dW multiplies da_t by s_t: at step t, W multiplies the previous state, a_t = xs[t] @ U.T + "
        "s_{t-1} @ W.T, so dW += da_t.T @ s_{t-1} (s0 at t = 0).",
        "你的 dW 用 da_t 乘了 s_t：第 t 步中 W 乘的是上一步的状态，a_t = xs[t] @ U.T + s_{t-1} @ W.T，"
        "所以 dW += da_t.T @ s_{t-1}（t = 0 时为 s0）。",
        _s_t_used_for_s_prev,
    ),
    MistakeVariant(
        "missing_tanh_derivative",
        "Your gradients skip the tanh: before anything else at step t, da_t = ds_t * (1 - s_t**2). Without it "
        "the recurrence multiplies by W alone.",
        "你的梯度跳过了 tanh：在第 t 步先要算 da_t = ds_t * (1 - s_t**2)。没有它，递推就只剩下乘以 W。",
        _missing_tanh_derivative,
    ),
    MistakeVariant(
        "later_gradient_skips_tanh",
        "The gradient from later steps skips the tanh in your code: add it to dS[t] first, ds_t = dS[t] + "
        "da_{t+1} @ W, then da_t = ds_t * (1 - s_t**2). Both reach s_t, the output of the tanh.",
        "在你的代码中，从后面时间步流回来的梯度跳过了 tanh：先把它加到 dS[t] 上，ds_t = dS[t] + da_{t+1} @ W，"
        "再算 da_t = ds_t * (1 - s_t**2)。两者到达的都是 tanh 的输出 s_t。",
        _later_gradient_skips_tanh,
    ),
    MistakeVariant(
        "W_transposed_in_recurrence",
        "Your gradient flows back through W.T: a_t = s_{t-1} @ W.T + ..., so dL/ds_{t-1} gets da_t @ W. W is "
        "square, so the shapes cannot tell.",
        "你的梯度经过 W.T 往回流：a_t = s_{t-1} @ W.T + ...，所以 dL/ds_{t-1} 得到的是 da_t @ W。W 是方阵，形状看不出错误。",
        _W_transposed_in_recurrence,
    ),
    MistakeVariant(
        "ds0_of_first_state",
        "Your ds0 is the gradient at s_0, the first state you computed: the argument s0 is the state before it "
        "(s_-1 of interview question 18), one step further back: ds0 = da_0 @ W.",
        "你的 ds0 是第一个算出的状态 s_0 处的梯度：参数 s0 是它之前的状态（面试题第 18 题中的 s_-1），还要再往回一步：ds0 = da_0 @ W。",
        _ds0_of_first_state,
    ),
]
