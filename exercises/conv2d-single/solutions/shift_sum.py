import numpy as np


def conv2d_single(image, kernel, stride=1, pad=0):
    # Sum KH*KW shifted, strided copies of the padded image, each scaled by one kernel entry.
    kh, kw = kernel.shape
    padded = np.pad(image, pad)
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for a in range(kh):
        for b in range(kw):
            out += kernel[a, b] * padded[a : a + stride * out_h : stride, b : b + stride * out_w : stride]
    return out
