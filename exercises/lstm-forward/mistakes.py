import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _step(x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o, swap=False):
    z = np.concatenate([x_t, h_prev] if swap else [h_prev, x_t], axis=1)
    f = _sigmoid(z @ W_f.T + b_f)
    i = _sigmoid(z @ W_i.T + b_i)
    c_tilde = np.tanh(z @ W_c.T + b_c)
    o = _sigmoid(z @ W_o.T + b_o)
    c_t = f * c_prev + i * c_tilde
    return o * np.tanh(c_t), c_t


def _run(xs, h0, c0, *weights, carry_h=True, carry_c=True, shift=False, swap=False):
    T, N, H = xs.shape[0], xs.shape[1], h0.shape[1]
    H_all = np.empty((T, N, H))
    h, c = h0, c0
    for t in range(T):
        h_new, c_new = _step(xs[t], h if carry_h else h0, c if carry_c else c0, *weights, swap=swap)
        H_all[t] = h if shift else h_new
        h, c = h_new, c_new
    return H_all, c


def _state_not_carried(xs, h0, c0, *weights):
    return _run(xs, h0, c0, *weights, carry_h=False, carry_c=False)


def _cell_not_carried(xs, h0, c0, *weights):
    return _run(xs, h0, c0, *weights, carry_c=False)


def _ignores_c0(xs, h0, c0, *weights):
    # CS231n's lstm_forward and deeplearning.ai's start the cell state from zeros: c0 is not a parameter there
    return _run(xs, h0, np.zeros_like(c0), *weights)


def _states_shifted(xs, h0, c0, *weights):
    return _run(xs, h0, c0, *weights, shift=True)


def _returns_c0(xs, h0, c0, *weights):
    H_all, _ = _run(xs, h0, c0, *weights)
    return H_all, c0.copy()


def _returns_last_h(xs, h0, c0, *weights):
    H_all, c_T = _run(xs, h0, c0, *weights)
    return H_all[-1], c_T


def _concat_order_swapped(xs, h0, c0, *weights):
    return _run(xs, h0, c0, *weights, swap=True)


MISTAKES = [
    MistakeVariant(
        "state_not_carried",
        "Every step started again from h0 and c0: step t must use the h and c computed at step t-1. Keep both "
        "in variables and update them inside the loop.",
        "每一步都从 h0 和 c0 重新开始：第 t 步必须用第 t-1 步算出的 h 和 c。请用变量保存二者，并在循环中更新。",
        _state_not_carried,
    ),
    MistakeVariant(
        "cell_not_carried",
        "Your hidden state is carried but the cell state is not: every step used c0 as c_{t-1}. The cell state "
        "is the LSTM's long-term memory; update c = f * c + i * c_tilde and pass it to the next step.",
        "你传递了隐藏状态，却没有传递细胞状态：每一步都把 c0 当作 c_{t-1}。细胞状态是 LSTM 的长期记忆；"
        "请更新 c = f * c + i * c_tilde，并把它传给下一步。",
        _cell_not_carried,
    ),
    MistakeVariant(
        "ignores_c0",
        "Your cell state started from zeros instead of the given c0 (CS231n and deeplearning.ai set c = 0 because "
        "their lstm_forward has no c0 parameter). Here c0 is an argument: start the loop from c = c0.",
        "你的细胞状态从全零开始，而不是从给定的 c0 开始（CS231n 和 deeplearning.ai 的 lstm_forward 没有 c0 参数，所以令 c = 0）。"
        "这里 c0 是一个参数：请从 c = c0 开始循环。",
        _ignores_c0,
    ),
    MistakeVariant(
        "states_shifted",
        "Your H_all is shifted by one step: H_all[0] holds h0 and H_all[t] holds h_{t-1}. Store h after computing "
        "it, so that H_all[t] = h_t and H_all[T-1] is the last hidden state.",
        "你的 H_all 错开了一步：H_all[0] 存的是 h0，H_all[t] 存的是 h_{t-1}。请在算出 h 之后再保存，使 H_all[t] = h_t，"
        "H_all[T-1] 是最后的隐藏状态。",
        _states_shifted,
    ),
    MistakeVariant(
        "returns_c0",
        "Your second output is the initial cell state c0: return the cell state after the last step, c_T.",
        "你返回的第二个值是初始细胞状态 c0：应当返回最后一步之后的细胞状态 c_T。",
        _returns_c0,
    ),
    MistakeVariant(
        "returns_last_h",
        "You returned only the last hidden state, shape (N, H): the first output is every h_t, H_all of shape "
        "(T, N, H), e.g. a preallocated array filled at each step, or a list stacked along axis 0.",
        "你只返回了最后一个隐藏状态，形状为 (N, H)：第一个返回值应当是所有的 h_t，即形状为 (T, N, H) 的 H_all，"
        "例如先分配好数组再逐步填入，或把列表沿第 0 轴 stack 起来。",
        _returns_last_h,
    ),
    MistakeVariant(
        "concat_order_swapped",
        "You concatenated [x_t, h_prev]: use np.concatenate([h_prev, x_t], axis=1), h first. The first H columns "
        "of every W_* act on h and the last D on x_t; the other order has the same width H + D, so the shapes fit "
        "but every gate gets the wrong values.",
        "你拼接成了 [x_t, h_prev]：应当是 np.concatenate([h_prev, x_t], axis=1)，h 在前。每个 W_* 的前 H 列作用于 h，"
        "后 D 列作用于 x_t；顺序反了宽度仍是 H + D，形状不报错，但每个门的值都错了。",
        _concat_order_swapped,
    ),
]
