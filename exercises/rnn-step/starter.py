import numpy as np


def rnn_step(x_t, s_prev, U, W, V):
    """One time step of a vanilla RNN, for a batch of N sequences.

    x_t    (N, D)  inputs at step t, one row per sequence
    s_prev (N, H)  hidden states of the previous step (s_{t-1})
    U      (H, D)  input-to-hidden weights
    W      (H, H)  hidden-to-hidden (recurrent) weights
    V      (K, H)  hidden-to-output weights

    Returns the tuple (s_t, o_t):
    s_t = tanh(x_t @ U.T + s_prev @ W.T)   shape (N, H)
    o_t = softmax(s_t @ V.T) over the last axis, shape (N, K); every row sums to 1.
    Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    N, H, K = x_t.shape[0], W.shape[0], V.shape[0]
    return np.zeros((N, H)), np.zeros((N, K))
