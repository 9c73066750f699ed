import numpy as np


def rnn_step_backward(ds, x_t, s_prev, U, W):
    """Backward pass of one tanh RNN step, s_t = tanh(x_t @ U.T + s_prev @ W.T) (no output layer).

    ds: (N, H) the gradient dL/ds_t; x_t: (N, D); s_prev: (N, H); U: (H, D); W: (H, H).
    Return the tuple (dx_t, ds_prev, dU, dW) with the shapes of x_t, s_prev, U and W.
    Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    return np.zeros_like(x_t), np.zeros_like(s_prev), np.zeros_like(U), np.zeros_like(W)
