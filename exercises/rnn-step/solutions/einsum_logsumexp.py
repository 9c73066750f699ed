import numpy as np


def rnn_step(x_t, s_prev, U, W, V):
    pre = np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", s_prev, W)
    s_t = np.tanh(pre)
    logits = np.einsum("nh,kh->nk", s_t, V)
    m = logits.max(axis=1, keepdims=True)
    log_norm = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return s_t, np.exp(logits - log_norm)
