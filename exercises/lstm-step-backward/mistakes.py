import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _backward(dh, dc, x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o, mistake=""):
    H = h_prev.shape[1]
    z = np.concatenate([h_prev, x_t], axis=1)
    f = _sigmoid(z @ W_f.T + b_f)
    i = _sigmoid(z @ W_i.T + b_i)
    g = np.tanh(z @ W_c.T + b_c)
    o = _sigmoid(z @ W_o.T + b_o)
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    through_h = dh * o if mistake == "missing_tanh_derivative_on_cell" else dh * o * (1.0 - tanh_c**2)
    if mistake == "incoming_dc_ignored":
        dc_t = through_h
    elif mistake == "h_path_missing_from_dc":
        dc_t = dc
    else:
        dc_t = dc + through_h
    do = dh * c_t if mistake == "output_gate_without_tanh" else dh * tanh_c
    da_f = dc_t * c_prev * f * (1.0 - f)
    da_i = dc_t * g * i * (1.0 - i)
    da_c = dc_t * i * (g * (1.0 - g) if mistake == "candidate_sigmoid_derivative" else 1.0 - g**2)
    da_o = do * o * (1.0 - o)
    dz = da_f @ W_f + da_i @ W_i + da_c @ W_c + da_o @ W_o
    if mistake == "dz_split_swapped":
        D = x_t.shape[1]
        dx_t, dh_prev = dz[:, :D], dz[:, D:]
    else:
        dx_t, dh_prev = dz[:, H:], dz[:, :H]
    dc_prev = dc_t if mistake == "forget_gate_not_in_dc_prev" else dc_t * f
    grads = [dx_t, dh_prev, dc_prev]
    for da in (da_f, da_i, da_c, da_o):
        grads.append(z.T @ da if mistake == "dW_transposed" else da.T @ z)
        grads.append(da if mistake == "db_not_summed_over_batch" else da.sum(axis=0))
    return tuple(grads)


def _incoming_dc_ignored(*args):
    return _backward(*args, mistake="incoming_dc_ignored")


def _h_path_missing_from_dc(*args):
    return _backward(*args, mistake="h_path_missing_from_dc")


def _missing_tanh_derivative_on_cell(*args):
    return _backward(*args, mistake="missing_tanh_derivative_on_cell")


def _forget_gate_not_in_dc_prev(*args):
    return _backward(*args, mistake="forget_gate_not_in_dc_prev")


def _output_gate_without_tanh(*args):
    return _backward(*args, mistake="output_gate_without_tanh")


def _candidate_sigmoid_derivative(*args):
    return _backward(*args, mistake="candidate_sigmoid_derivative")


def _dz_split_swapped(*args):
    return _backward(*args, mistake="dz_split_swapped")


def _db_not_summed_over_batch(*args):
    return _backward(*args, mistake="db_not_summed_over_batch")


def _dW_transposed(*args):
    return _backward(*args, mistake="dW_transposed")


MISTAKES = [
    MistakeVariant(
        "incoming_dc_ignored",
        "Your gradient at c_t leaves out dc, the gradient that arrives along the cell state from step t+1: "
        "dc_t = dc + dh * o * (1 - tanh(c_t)**2). That additive cell path is what carries gradients over many "
        "steps in an LSTM; without it dc_prev and every gate's gradient miss it.",
        "你在 c_t 处的梯度漏掉了 dc，即沿细胞状态从第 t+1 步传回来的梯度：dc_t = dc + dh * o * (1 - tanh(c_t)**2)。"
        "正是这条加法的细胞通路让 LSTM 能把梯度传过很多步；少了它，dc_prev 和每个门的梯度都会缺这一部分。",
        _incoming_dc_ignored,
    ),
    MistakeVariant(
        "h_path_missing_from_dc",
        "Your gradient at c_t is dc alone: c_t also produces h_t = o * tanh(c_t), so add that path, "
        "dc_t = dc + dh * o * (1 - tanh(c_t)**2).",
        "你在 c_t 处的梯度只有 dc：c_t 还产生了 h_t = o * tanh(c_t)，所以要加上这条路径，"
        "dc_t = dc + dh * o * (1 - tanh(c_t)**2)。",
        _h_path_missing_from_dc,
    ),
    MistakeVariant(
        "missing_tanh_derivative_on_cell",
        "The path from h_t to c_t skips the tanh in your code: h_t = o * tanh(c_t), so it contributes "
        "dh * o * (1 - tanh(c_t)**2), not dh * o.",
        "在你的代码中，从 h_t 到 c_t 的路径跳过了 tanh：h_t = o * tanh(c_t)，所以它贡献的是 "
        "dh * o * (1 - tanh(c_t)**2)，而不是 dh * o。",
        _missing_tanh_derivative_on_cell,
    ),
    MistakeVariant(
        "forget_gate_not_in_dc_prev",
        "Your dc_prev is the whole gradient at c_t: c_t = f * c_prev + i * c_tilde, so dc_prev = dc_t * f. The "
        "forget gate scales what flows back along the cell, as it scaled what flowed forward.",
        "你的 dc_prev 是 c_t 处的全部梯度：c_t = f * c_prev + i * c_tilde，所以 dc_prev = dc_t * f。"
        "遗忘门缩放沿细胞状态往回流的梯度，正如它缩放往前流的内容。",
        _forget_gate_not_in_dc_prev,
    ),
    MistakeVariant(
        "output_gate_without_tanh",
        "Your output gate's gradient uses c_t: h_t = o * tanh(c_t), so dL/do = dh * tanh(c_t).",
        "你的输出门梯度用了 c_t：h_t = o * tanh(c_t)，所以 dL/do = dh * tanh(c_t)。",
        _output_gate_without_tanh,
    ),
    MistakeVariant(
        "candidate_sigmoid_derivative",
        "Your candidate's gradient uses g * (1 - g), the sigmoid's derivative: c_tilde = tanh(...), whose "
        "derivative is 1 - c_tilde**2. Only f, i and o are sigmoids.",
        "你对候选值的梯度用了 g * (1 - g)，那是 sigmoid 的导数：c_tilde = tanh(...)，它的导数是 1 - c_tilde**2。"
        "只有 f、i、o 是 sigmoid。",
        _candidate_sigmoid_derivative,
    ),
    MistakeVariant(
        "dz_split_swapped",
        "Your dx_t and dh_prev are split from dz in the wrong order: z = [h_prev, x_t] has h_prev first, so "
        "dh_prev = dz[:, :H] and dx_t = dz[:, H:].",
        "你从 dz 中切分 dx_t 和 dh_prev 的顺序反了：z = [h_prev, x_t]，h_prev 在前，所以 dh_prev = dz[:, :H]，"
        "dx_t = dz[:, H:]。",
        _dz_split_swapped,
    ),
    MistakeVariant(
        "db_not_summed_over_batch",
        "Your db_* have shape (N, H): each bias is added to every row of the batch, so its gradient sums the "
        "rows, db_f = da_f.sum(axis=0), shape (H,).",
        "你的 db_* 形状是 (N, H)：每个偏置都被加到批次的每一行上，所以它的梯度要对各行求和，db_f = da_f.sum(axis=0)，"
        "形状为 (H,)。",
        _db_not_summed_over_batch,
    ),
    MistakeVariant(
        "dW_transposed",
        "Your dW_* have shape (H + D, H), the transpose: W_f is (H, H + D) and a_f = z @ W_f.T, so dW_f = da_f.T @ z.",
        "你的 dW_* 形状是 (H + D, H)，是转置：W_f 的形状是 (H, H + D)，a_f = z @ W_f.T，所以 dW_f = da_f.T @ z。",
        _dW_transposed,
    ),
]
