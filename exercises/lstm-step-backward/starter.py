import numpy as np


def lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    """Backward pass of lstm_step.

    Forward, with z = [h_prev, x_t] (axis 1, h_prev first):
        f = sigmoid(z @ W_f.T + b_f), i = sigmoid(z @ W_i.T + b_i), c_tilde = tanh(z @ W_c.T + b_c),
        o = sigmoid(z @ W_o.T + b_o), c_t = f * c_prev + i * c_tilde, h_t = o * tanh(c_t).
    dh: (N, H) the whole gradient dL/dh_t; dc: (N, H) the part of dL/dc_t that arrives from step t+1
    (add the path through h_t yourself). x_t (N, D); h_prev, c_prev (N, H); W_* (H, H + D); b_* (H,).
    Return the 11-tuple (dx_t, dh_prev, dc_prev, dW_f, db_f, dW_i, db_i, dW_c, db_c, dW_o, db_o),
    each shaped like what it differentiates. Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    zeros = [np.zeros_like(a) for a in (x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o)]
    return tuple(zeros)
