import numpy as np


def softmax_cross_entropy(z, y):
    """Mean softmax cross-entropy of a batch and its gradient with respect to the logits.

    z: (N, K) logits (float64); y: (N,) int64 labels in [0, K).
    Returns the tuple (loss, dz):
        loss = mean over n of -log(softmax(z)[n, y[n]]), a float;
        dz   = (softmax(z) - onehot(y)) / N, shape (N, K).
    Must stay finite for logits of magnitude 1000. Do not modify z or y.
    """
    # TODO: replace these lines with your implementation
    return 0.0, np.zeros_like(z)
