import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _lstm(x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o, *, mistake=""):
    z = np.concatenate([x_t, h_prev] if mistake == "concat" else [h_prev, x_t], axis=1)
    gate = np.tanh if mistake == "gate_tanh" else _sigmoid
    f = gate(z @ W_f.T + b_f)
    i = gate(z @ W_i.T + b_i)
    o = gate(z @ W_o.T + b_o)
    c_tilde = (_sigmoid if mistake == "candidate_sigmoid" else np.tanh)(z @ W_c.T + b_c)
    if mistake == "gates_swapped":
        f, i = i, f
    c_t = (c_prev if mistake == "no_forget" else f * c_prev) + i * c_tilde
    if mistake == "no_output_tanh":
        h_t = o * c_t
    elif mistake == "output_sigmoid":
        h_t = o * _sigmoid(c_t)
    else:
        h_t = o * np.tanh(c_t)
    return h_t, c_t


def _concat_order_swapped(*args):
    return _lstm(*args, mistake="concat")


def _sigmoid_for_candidate(*args):
    return _lstm(*args, mistake="candidate_sigmoid")


def _sigmoid_on_cell_output(*args):
    return _lstm(*args, mistake="output_sigmoid")


def _tanh_for_gates(*args):
    return _lstm(*args, mistake="gate_tanh")


def _no_forget_gate(*args):
    return _lstm(*args, mistake="no_forget")


def _forget_input_swapped(*args):
    return _lstm(*args, mistake="gates_swapped")


def _no_tanh_on_cell(*args):
    return _lstm(*args, mistake="no_output_tanh")


MISTAKES = [
    MistakeVariant(
        "concat_order_swapped",
        "You concatenated [x_t, h_prev]: use z = np.concatenate([h_prev, x_t], axis=1), h_prev first. The first H "
        "columns of every W_* act on h_prev and the last D on x_t; the other order has the same width H + D, so the "
        "shapes fit but every gate gets the wrong values.",
        "你拼接成了 [x_t, h_prev]：应当是 z = np.concatenate([h_prev, x_t], axis=1)，h_prev 在前。每个 W_* 的前 H 列"
        "作用于 h_prev，后 D 列作用于 x_t；顺序反了宽度仍是 H + D，形状不报错，但每个门的值都错了。",
        _concat_order_swapped,
    ),
    MistakeVariant(
        "sigmoid_for_candidate",
        "Your candidate c_tilde uses the sigmoid: it is a new value to write into the cell, not a gate, and uses "
        "tanh so that it lies in (-1, 1) and can also decrease the cell state.",
        "你的候选值 c_tilde 用了 sigmoid：它是要写入细胞状态的新内容，而不是一个门，应当用 tanh，"
        "取值在 (-1, 1)，这样它也能让细胞状态减小。",
        _sigmoid_for_candidate,
    ),
    MistakeVariant(
        "sigmoid_on_cell_output",
        "Your h_t uses sigmoid(c_t): the output is h_t = o * tanh(c_t); tanh squashes the cell state into (-1, 1) "
        "and keeps its sign.",
        "你的 h_t 用了 sigmoid(c_t)：输出应为 h_t = o * tanh(c_t)；tanh 把细胞状态压缩到 (-1, 1)，并保留它的符号。",
        _sigmoid_on_cell_output,
    ),
    MistakeVariant(
        "tanh_for_gates",
        "Your gates f, i and o use tanh, so they can be negative: a gate is a sigmoid, a value in (0, 1) that says "
        "how much to let through. Only c_tilde and the output tanh(c_t) use tanh.",
        "你的门 f、i、o 用了 tanh，所以会出现负值：门是 sigmoid，取值在 (0, 1)，表示让多少信息通过。"
        "只有 c_tilde 和输出中的 tanh(c_t) 使用 tanh。",
        _tanh_for_gates,
    ),
    MistakeVariant(
        "no_forget_gate",
        "Your cell update is c_prev + i * c_tilde: the old cell state must pass through the forget gate, "
        "c_t = f * c_prev + i * c_tilde.",
        "你的细胞状态更新写成了 c_prev + i * c_tilde：旧的细胞状态必须经过遗忘门，c_t = f * c_prev + i * c_tilde。",
        _no_forget_gate,
    ),
    MistakeVariant(
        "no_tanh_on_cell",
        "Your h_t is o * c_t: the cell state goes through tanh first, h_t = o * tanh(c_t). c_t itself is correct.",
        "你的 h_t 写成了 o * c_t：细胞状态要先经过 tanh，h_t = o * tanh(c_t)。c_t 本身是对的。",
        _no_tanh_on_cell,
    ),
    MistakeVariant(
        "forget_input_swapped",
        "You swapped the forget and input gates: c_t = f * c_prev + i * c_tilde. The forget gate (W_f, b_f) "
        "scales the old cell state c_prev, the input gate (W_i, b_i) scales the new candidate c_tilde.",
        "你把遗忘门和输入门用反了：c_t = f * c_prev + i * c_tilde。遗忘门（W_f、b_f）作用于旧的细胞状态 c_prev，"
        "输入门（W_i、b_i）作用于新的候选值 c_tilde。",
        _forget_input_swapped,
    ),
]
