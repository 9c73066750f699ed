from builtins import range
import numpy as np


def conv_forward(x, w, b, stride=1, pad=0):
    """
    A naive implementation of the forward pass for a convolutional layer.
    """
    out = None
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), "constant")
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    h_start = i * stride
                    w_start = j * stride
                    window = x_pad[n, :, h_start : h_start + HH, w_start : w_start + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out
