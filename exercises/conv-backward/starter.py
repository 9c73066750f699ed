import numpy as np


def conv_backward(dout, x, w, b, stride=1, pad=0):
    """Backward pass of conv_forward (cross-correlation with zero padding `pad` and stride `stride`).

    dout: (N, F, H', W') upstream gradient; x: (N, C, H, W); w: (F, C, HH, WW); b: (F,).
    Forward: out[n, f, i, j] = sum over c, a, e of xpad[n, c, i*stride + a, j*stride + e] * w[f, c, a, e] + b[f].
    Return the tuple (dx, dw, db) with the shapes of x (unpadded), w and b. Do not modify the inputs.
    """
    # TODO: replace these lines with your implementation
    return np.zeros_like(x), np.zeros_like(w), np.zeros_like(b)
