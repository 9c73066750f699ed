import numpy as np


def lstm_forward(xs, h0, c0, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    """Run an LSTM over T time steps for a batch of N sequences.

    xs (T, N, D); h0, c0 (N, H) the states before the first step;
    every W_* (H, H + D) and b_* (H,), shared by every step.
    Step t, with z = [h_{t-1}, x_t] concatenated along axis 1 (h first):
        f = sigmoid(z @ W_f.T + b_f), i = sigmoid(z @ W_i.T + b_i),
        c_tilde = tanh(z @ W_c.T + b_c), o = sigmoid(z @ W_o.T + b_o),
        c_t = f * c_{t-1} + i * c_tilde, h_t = o * tanh(c_t)
    Returns the tuple (H_all, c_T): H_all (T, N, H) holds every h_t, c_T (N, H) is the last cell state.
    Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    T, N, H = xs.shape[0], xs.shape[1], h0.shape[1]
    return np.zeros((T, N, H)), c0
