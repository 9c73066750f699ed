import numpy as np


def conv_forward(x, w, b, stride=1, pad=0):
    # deeplearning.ai's conv_forward: (f, f, n_C_prev, n_C) = W.shape, here in (F, C, HH, WW) order
    (m, n_C_prev, n_H_prev, n_W_prev) = x.shape
    (n_C, n_C_prev, f, f) = w.shape
    n_H = int((n_H_prev - f + 2 * pad) / stride) + 1
    n_W = int((n_W_prev - f + 2 * pad) / stride) + 1
    Z = np.zeros((m, n_C, n_H, n_W))
    A_prev_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant", constant_values=(0, 0))
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = stride * h
            vert_end = vert_start + f
            for w_ in range(n_W):
                horiz_start = stride * w_
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_slice_prev = a_prev_pad[:, vert_start:vert_end, horiz_start:horiz_end]
                    Z[i, c, h, w_] = np.sum(a_slice_prev * w[c]) + float(b[c])
    return Z
