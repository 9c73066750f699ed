import numpy as np


def rnn_backward(dS, xs, s0, U, W):
    """Backpropagation through time for s_t = tanh(xs[t] @ U.T + s_{t-1} @ W.T), s_{-1} = s0.

    dS: (T, N, H), dS[t] the loss gradient arriving at s_t from its own step only (add what flows back
    from later steps); xs: (T, N, D); s0: (N, H); U: (H, D); W: (H, H).
    Return the tuple (dxs, ds0, dU, dW) with shapes (T, N, D), (N, H), (H, D), (H, H).
    Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    return np.zeros_like(xs), np.zeros_like(s0), np.zeros_like(U), np.zeros_like(W)
