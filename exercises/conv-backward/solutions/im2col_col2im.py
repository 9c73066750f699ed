import numpy as np


def conv_backward(dout, x, w, b, stride=1, pad=0):
    n_batch, channels, height, width = x.shape
    n_filters, _, hh, ww = w.shape
    _, _, out_h, out_w = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    # Indices of every receptive field: rows (C*HH*WW, H'*W') into the padded image.
    c_idx = np.repeat(np.arange(channels), hh * ww).reshape(-1, 1)
    a_idx = np.tile(np.repeat(np.arange(hh), ww), channels).reshape(-1, 1)
    e_idx = np.tile(np.arange(ww), hh * channels).reshape(-1, 1)
    rows = a_idx + stride * np.repeat(np.arange(out_h), out_w).reshape(1, -1)
    cols = e_idx + stride * np.tile(np.arange(out_w), out_h).reshape(1, -1)
    cols_x = xp[:, c_idx, rows, cols]  # (N, C*HH*WW, H'*W')
    g = dout.reshape(n_batch, n_filters, -1)  # (N, F, H'*W')
    dw = np.einsum("nfp,nkp->fk", g, cols_x).reshape(w.shape)
    db = g.sum(axis=(0, 2))
    dcols = np.einsum("fk,nfp->nkp", w.reshape(n_filters, -1), g)  # (N, C*HH*WW, H'*W')
    dxp = np.zeros(xp.shape)
    for n in range(n_batch):
        np.add.at(dxp[n], (c_idx, rows, cols), dcols[n])  # col2im: overlapping fields add up
    return dxp[:, :, pad : pad + height, pad : pad + width], dw, db
