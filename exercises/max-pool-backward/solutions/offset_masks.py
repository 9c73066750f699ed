import numpy as np


def max_pool_backward(dout, x, pool_height, pool_width, stride):
    _, _, out_h, out_w = dout.shape
    span_h, span_w = stride * (out_h - 1) + 1, stride * (out_w - 1) + 1

    def shifted(a, e):  # x[..., i*stride + a, j*stride + e] for every output (i, j)
        return x[:, :, a : a + span_h : stride, e : e + span_w : stride]

    out = np.max([shifted(a, e) for a in range(pool_height) for e in range(pool_width)], axis=0)
    dx = np.zeros(x.shape)
    for a in range(pool_height):
        for e in range(pool_width):
            hit = shifted(a, e) == out  # offset (a, e) holds the window's maximum
            dx[:, :, a : a + span_h : stride, e : e + span_w : stride] += hit * dout
    return dx
