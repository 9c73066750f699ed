import numpy as np


def conv_backward(dout, x, w, b, stride=1, pad=0):
    n_batch, _, height, width = x.shape
    n_filters, _, hh, ww = w.shape
    _, _, out_h, out_w = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(b.shape)
    for n in range(n_batch):
        for f in range(n_filters):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    g = dout[n, f, i, j]
                    dw[f] += g * xp[n, :, top : top + hh, left : left + ww]
                    dxp[n, :, top : top + hh, left : left + ww] += g * w[f]
                    db[f] += g
    return dxp[:, :, pad : pad + height, pad : pad + width], dw, db
