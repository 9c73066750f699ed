import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graders.cases import MistakeVariant


def _argmax_positions(x, pool_height, pool_width, stride, *, step=None, unravel_width=None):
    n_batch, channels, height, width = x.shape
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    step = stride if step is None else step
    windows = sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::step, ::step]
    windows = windows[:, :, :out_h, :out_w].reshape(n_batch, channels, out_h, out_w, -1)
    a, e = np.divmod(windows.argmax(axis=-1), unravel_width or pool_width)
    rows = a + step * np.arange(out_h)[:, None]
    cols = e + step * np.arange(out_w)[None, :]
    n, c = np.indices((n_batch, channels, out_h, out_w))[:2]
    return n, c, rows, cols


def _spread(dout, x, pool_height, pool_width, stride, share):
    dx = np.zeros(x.shape)
    _, _, out_h, out_w = dout.shape
    for a in range(pool_height):
        for e in range(pool_width):
            dx[:, :, a : a + stride * out_h : stride, e : e + stride * out_w : stride] += dout * share
    return dx


def _average_pool_gradient(dout, x, pool_height, pool_width, stride):
    return _spread(dout, x, pool_height, pool_width, stride, 1.0 / (pool_height * pool_width))


def _whole_window_gets_dout(dout, x, pool_height, pool_width, stride):
    return _spread(dout, x, pool_height, pool_width, stride, 1.0)


def _overlap_overwritten(dout, x, pool_height, pool_width, stride):
    n_batch, channels, _, _ = x.shape
    _, _, out_h, out_w = dout.shape
    dx = np.zeros(x.shape)
    for n in range(n_batch):
        for c in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    window = x[n, c, top : top + pool_height, left : left + pool_width]
                    mask = window == window.max()
                    dx[n, c, top : top + pool_height, left : left + pool_width] = mask * dout[n, c, i, j]
    return dx


def _mask_without_dout(dout, x, pool_height, pool_width, stride):
    dx = np.zeros(x.shape)
    np.add.at(dx, _argmax_positions(x, pool_height, pool_width, stride), 1.0)
    return dx


def _window_index_swapped(dout, x, pool_height, pool_width, stride):
    dx = np.zeros(x.shape)
    n, c, rows, cols = _argmax_positions(x, pool_height, pool_width, stride, unravel_width=pool_height)
    keep = (rows < x.shape[2]) & (cols < x.shape[3])
    np.add.at(dx, (n[keep], c[keep], rows[keep], cols[keep]), dout[keep])
    return dx


def _stride_ignored(dout, x, pool_height, pool_width, stride):
    dx = np.zeros(x.shape)
    np.add.at(dx, _argmax_positions(x, pool_height, pool_width, stride, step=1), dout)
    return dx


MISTAKES = [
    MistakeVariant(
        "average_pool_gradient",
        "Your dx spreads each window's gradient evenly over the window (dout / (pool_height * pool_width)): that "
        "is the gradient of average pooling. Max pooling passes only the maximum, so the whole dout[n, c, i, j] "
        "goes to that one position and the others get 0.",
        "你的 dx 把每个窗口的梯度平均分给了整个窗口（dout / (pool_height * pool_width)）：那是平均池化的梯度。"
        "最大池化只让最大值通过，所以整个 dout[n, c, i, j] 都流向最大值所在的位置，其余位置为 0。",
        _average_pool_gradient,
    ),
    MistakeVariant(
        "whole_window_gets_dout",
        "Your dx gives dout[n, c, i, j] to every position of the window: only the maximum reached the output, so "
        "only its position receives the gradient (mask = window == window.max()).",
        "你的 dx 把 dout[n, c, i, j] 给了窗口中的每个位置：只有最大值到达了输出，所以只有它所在的位置得到梯度"
        "（mask = window == window.max()）。",
        _whole_window_gets_dout,
    ),
    MistakeVariant(
        "overlap_overwritten",
        "Where windows overlap (stride smaller than the window) your dx keeps only the last window's values: "
        "dx[window] = mask * dout also writes zeros over what earlier windows added. Add instead: "
        "dx[window] += mask * dout.",
        "在窗口重叠处（步长小于窗口），你的 dx 只保留了最后一个窗口的值：dx[window] = mask * dout 会用 0 覆盖"
        "前面窗口加上的梯度。应当相加：dx[window] += mask * dout。",
        _overlap_overwritten,
    ),
    MistakeVariant(
        "mask_without_dout",
        "Your dx is 1 at every window's maximum: that is the local derivative. Multiply by the upstream gradient: "
        "the maximum's position receives dout[n, c, i, j].",
        "你的 dx 在每个窗口的最大值处为 1：那只是局部导数。还要乘以上游梯度：最大值所在位置得到 dout[n, c, i, j]。",
        _mask_without_dout,
    ),
    MistakeVariant(
        "window_index_swapped",
        "With a non-square window your gradient lands in the wrong place: a flat index k into a window of "
        "pool_height x pool_width rows and columns is row k // pool_width, column k % pool_width "
        "(np.unravel_index(k, (pool_height, pool_width))).",
        "窗口不是正方形时你的梯度落错了位置：在 pool_height x pool_width 的窗口中，展平后的下标 k 对应第 "
        "k // pool_width 行、第 k % pool_width 列（np.unravel_index(k, (pool_height, pool_width))）。",
        _window_index_swapped,
    ),
    MistakeVariant(
        "stride_ignored",
        "Your windows move one pixel at a time: window (i, j) starts at row i*stride and column j*stride, the "
        "same windows as in the forward pass.",
        "你的窗口每次只移动一个像素：第 (i, j) 个窗口从第 i*stride 行、第 j*stride 列开始，与前向传播的窗口相同。",
        _stride_ignored,
    ),
]
