import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_backward(dout, x, w, b, stride=1, pad=0):
    _, _, height, width = x.shape
    _, _, hh, ww = w.shape
    _, _, out_h, out_w = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    # (N, C, H', W', HH, WW): the receptive field of every output position
    fields = sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nfhw,nchwij->fcij", dout, fields)  # every field times its output's gradient, summed
    db = dout.sum(axis=(0, 2, 3))
    dxp = np.zeros(xp.shape)
    for i in range(hh):  # kernel offset (i, j) touches the padded input at rows i, i + s, ... : add those up
        for j in range(ww):
            dxp[:, :, i : i + stride * out_h : stride, j : j + stride * out_w : stride] += np.einsum(
                "nfhw,fc->nchw", dout, w[:, :, i, j]
            )
    return dxp[:, :, pad : pad + height, pad : pad + width], dw, db
