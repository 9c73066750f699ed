import numpy as np


def rnn_forward(xs, s0, U, W, V):
    """Run a vanilla RNN over T time steps for a batch of N sequences.

    xs (T, N, D)  the inputs, xs[t] is the batch at step t
    s0 (N, H)     the state before the first step (s_-1 in interview question 18, often zeros)
    U  (H, D), W (H, H), V (K, H)  weights shared by every step

    For t = 0 .. T-1, with s_{-1} = s0:
        s_t = tanh(xs[t] @ U.T + s_{t-1} @ W.T)
        o_t = softmax(s_t @ V.T) over the last axis

    Returns the tuple (S, O): S (T, N, H) holds every s_t, O (T, N, K) every o_t.
    Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    T, N = xs.shape[0], xs.shape[1]
    H, K = W.shape[0], V.shape[0]
    return np.zeros((T, N, H)), np.zeros((T, N, K))
