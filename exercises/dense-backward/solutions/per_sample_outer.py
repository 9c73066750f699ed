import numpy as np


def dense_backward(dout, x, W, b):
    dx = np.zeros(x.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    for n in range(x.shape[0]):
        # y[n] = x[n] @ W + b: each sample adds its own outer product to dW and its dout row to db.
        dx[n] = W @ dout[n]
        dW += np.outer(x[n], dout[n])
        db += dout[n]
    return dx, dW, db
