"""What bptt_gradient_norms measures (graders/gradcheck.py): the norms of dL/ds_t for L = sum(g_T * s_{T-1}).

Any states with |s| < 1 are those of a tanh RNN, s_k = tanh(b_k + s_{k-1} @ W.T), whose input terms
b_k = arctanh(s_k) - s_{k-1} @ W.T they determine. So s_{T-1} is a function of s_t, and dL/ds_t is
its derivative. Centered differences resolve it near the end of the sequence. Further back it grows
to 1e20 or shrinks to 1e-30, which no float64 difference can resolve: there the derivative is taken
by the complex step, Im L(s_t + i h e_j) / h, which differences the same recurrence with no
cancellation at all.
"""

import numpy as np

CENTERED_STEPS = 3  # the last steps, whose gradients centered differences resolve


def _inputs(S, W):
    b = np.zeros(S.shape, dtype=np.float64)
    b[1:] = np.arctanh(S[1:]) - S[:-1] @ W.T
    return b


def _run(b, W, s, start):
    """s_{T-1} from s = s_start, for a batch of starting states (..., N, H), real or complex."""
    for k in range(start + 1, b.shape[0]):
        s = np.tanh(b[k] + s @ W.T)
    return s


def numerical(g_T, S, W):
    T, N, H = S.shape
    b = _inputs(S, W)
    norms = np.empty(T)
    eye = np.eye(H)
    for t in range(T):
        if t >= T - CENTERED_STEPS:
            h = 1e-6
            plus = _run(b, W, S[t][None] + h * eye[:, None, :], t)  # (H, N, H): unit j of every sequence moved
            minus = _run(b, W, S[t][None] - h * eye[:, None, :], t)
            grad = (np.sum(g_T * plus, axis=2) - np.sum(g_T * minus, axis=2)) / (2 * h)  # (H, N)
        else:
            h = 1e-30
            moved = _run(b, W, S[t][None] + 1j * h * eye[:, None, :], t)
            grad = np.sum(g_T * moved, axis=2).imag / h
        norms[t] = np.sqrt(np.sum(grad * grad))
    return {"norms": norms}
