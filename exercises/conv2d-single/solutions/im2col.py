import numpy as np


def conv2d_single(image, kernel, stride=1, pad=0):
    kh, kw = kernel.shape
    padded = np.pad(image, ((pad, pad), (pad, pad)), mode="constant")
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    # rows[i, a] and cols[j, b]: pixel coordinates of kernel entry (a, b) at output (i, j)
    rows = (np.arange(out_h) * stride)[:, None] + np.arange(kh)[None, :]
    cols = (np.arange(out_w) * stride)[:, None] + np.arange(kw)[None, :]
    patches = padded[rows[:, None, :, None], cols[None, :, None, :]]  # (out_h, out_w, kh, kw)
    columns = patches.reshape(out_h * out_w, kh * kw)
    return (columns @ kernel.reshape(-1)).reshape(out_h, out_w)
