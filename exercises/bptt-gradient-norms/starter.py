import numpy as np


def bptt_gradient_norms(g_T, S, W):
    """Norms of the gradient dL/ds_t at every step of a tanh RNN, for a loss at the last step only.

    g_T: (N, H) the gradient dL/ds_{T-1}; S: (T, N, H) the hidden states s_0 ... s_{T-1}; W: (H, H).
    Going back: dL/ds_{t-1} = (dL/ds_t * (1 - s_t**2)) @ W.
    Return norms of shape (T,), norms[t] = the Frobenius norm of dL/ds_t. Do not modify the inputs.
    """
    # TODO: replace this line with your implementation
    return np.zeros(S.shape[0])
