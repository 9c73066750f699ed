"""What rnn_backward differentiates (graders/gradcheck.py): L = sum over t of sum(dS[t] * s_t), with the
states s_t of the forward pass rnn_forward (without its output layer)."""

import numpy as np


def loss(dS, xs, s0, U, W):
    total = 0.0
    for n in range(xs.shape[1]):  # one sequence at a time, in the column form of interview question 18
        s = s0[n]
        for t in range(xs.shape[0]):
            s = np.tanh(U @ xs[t, n] + W @ s)
            total += float(dS[t, n] @ s)
    return total


WRT = {"dxs": "xs", "ds0": "s0", "dU": "U", "dW": "W"}
