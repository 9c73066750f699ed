import numpy as np


def conv2d_single(image, kernel, stride=1, pad=0):
    kh, kw = kernel.shape
    h, w = image.shape
    padded = np.zeros((h + 2 * pad, w + 2 * pad))
    padded[pad : pad + h, pad : pad + w] = image
    out_h = (h + 2 * pad - kh) // stride + 1
    out_w = (w + 2 * pad - kw) // stride + 1
    out = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            out[i, j] = np.sum(padded[top : top + kh, left : left + kw] * kernel)
    return out
