"""What lstm_step_backward differentiates (graders/gradcheck.py): L = sum(dh * h_t) + sum(dc * c_t), with
(h_t, c_t) = lstm_step(x_t, h_prev, c_prev, ...)."""

import numpy as np


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def loss(dh, dc, x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    total = 0.0
    for n in range(x_t.shape[0]):  # one sequence at a time, column form: W . [h_{t-1}, x_t] + b
        z = np.concatenate([h_prev[n], x_t[n]])
        f = _sigmoid(W_f @ z + b_f)
        i = _sigmoid(W_i @ z + b_i)
        g = np.tanh(W_c @ z + b_c)
        o = _sigmoid(W_o @ z + b_o)
        c_t = f * c_prev[n] + i * g
        h_t = o * np.tanh(c_t)
        total += float(dh[n] @ h_t + dc[n] @ c_t)
    return total


WRT = {
    "dx_t": "x_t",
    "dh_prev": "h_prev",
    "dc_prev": "c_prev",
    "dW_f": "W_f",
    "db_f": "b_f",
    "dW_i": "W_i",
    "db_i": "b_i",
    "dW_c": "W_c",
    "db_c": "b_c",
    "dW_o": "W_o",
    "db_o": "b_o",
}
