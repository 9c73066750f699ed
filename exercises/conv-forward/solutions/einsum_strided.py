import numpy as np
from numpy.lib.stride_tricks import as_strided


def conv_forward(x, w, b, stride=1, pad=0):
    n_batch, channels, height, width = x.shape
    n_filters, _, hh, ww = w.shape
    xp = np.ascontiguousarray(np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))))
    out_h = 1 + (height + 2 * pad - hh) // stride
    out_w = 1 + (width + 2 * pad - ww) // stride
    sn, sc, sh, sw = xp.strides
    fields = as_strided(
        xp,
        shape=(n_batch, channels, out_h, out_w, hh, ww),
        strides=(sn, sc, sh * stride, sw * stride, sh, sw),
        writeable=False,
    )
    return np.einsum("nchwae,fcae->nfhw", fields, w) + b.reshape(1, -1, 1, 1)
