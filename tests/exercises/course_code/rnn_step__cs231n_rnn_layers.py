from __future__ import print_function, division
from builtins import range
import numpy as np


def rnn_step(x_t, s_prev, U, W, V):
    """Run the forward pass for a single timestep of a vanilla RNN with a softmax output."""
    next_h, probs = None, None
    next_h = np.tanh(x_t.dot(U.T) + s_prev.dot(W.T))
    scores = next_h.dot(V.T)
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= np.sum(probs, axis=1, keepdims=True)
    return next_h, probs
