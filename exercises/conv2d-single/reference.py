import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_single(image, kernel, stride=1, pad=0):
    padded = np.pad(image, pad)  # zeros on every side
    # windows[i, j] is the KH x KW patch whose top-left corner is padded[i, j]; keep every stride-th one.
    windows = sliding_window_view(padded, kernel.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)
