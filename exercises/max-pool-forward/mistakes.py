import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graders.cases import MistakeVariant


def _windows(x, pool_height, pool_width, stride_h, stride_w):
    return sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride_h, ::stride_w]


def _average_pooling(x, pool_height, pool_width, stride):
    return _windows(x, pool_height, pool_width, stride, stride).mean(axis=(4, 5))


def _stride_equals_pool(x, pool_height, pool_width, stride):
    return _windows(x, pool_height, pool_width, pool_height, pool_width).max(axis=(4, 5))


def _window_not_strided(x, pool_height, pool_width, stride):
    # the output size divides by the stride, but window (i, j) starts at (i, j) instead of (i*stride, j*stride)
    out_h = 1 + (x.shape[2] - pool_height) // stride
    out_w = 1 + (x.shape[3] - pool_width) // stride
    return _windows(x, pool_height, pool_width, 1, 1).max(axis=(4, 5))[:, :, :out_h, :out_w]


def _zero_initialized_max(x, pool_height, pool_width, stride):
    return np.maximum(_windows(x, pool_height, pool_width, stride, stride).max(axis=(4, 5)), 0.0)


def _swapped_pool_dims(x, pool_height, pool_width, stride):
    return _windows(x, pool_width, pool_height, stride, stride).max(axis=(4, 5))


def _ceil_output_size(x, pool_height, pool_width, stride):
    height, width = x.shape[2:]
    out_h = 1 + math.ceil((height - pool_height) / stride)
    out_w = 1 + math.ceil((width - pool_width) / stride)
    return _pool_loop(x, pool_height, pool_width, stride, out_h, out_w)


def _rounded_output_size(x, pool_height, pool_width, stride):
    height, width = x.shape[2:]
    out_h = 1 + round((height - pool_height) / stride)
    out_w = 1 + round((width - pool_width) / stride)
    return _pool_loop(x, pool_height, pool_width, stride, out_h, out_w)


def _pool_loop(x, pool_height, pool_width, stride, out_h, out_w):
    """The usual loop over output positions; a window past the edge keeps what is left of it."""
    out = np.empty(x.shape[:2] + (out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, :, i * stride : i * stride + pool_height, j * stride : j * stride + pool_width]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


MISTAKES = [
    MistakeVariant(
        "average_pooling",
        "You averaged each window (average pooling); max pooling keeps the largest value of each window: "
        "window.max(axis=(-2, -1)).",
        "你对每个窗口取了平均值（平均池化）；最大池化保留每个窗口中的最大值：window.max(axis=(-2, -1))。",
        _average_pooling,
    ),
    MistakeVariant(
        "stride_equals_pool",
        "You ignored `stride` and moved the window by its own size (non-overlapping windows). The window's "
        "top-left corner is at (i*stride, j*stride) and H' = 1 + (H - pool_height)//stride; stride can differ "
        "from the pool size.",
        "你忽略了 `stride`，按窗口自身的大小移动（窗口互不重叠）。窗口左上角应位于 (i*stride, j*stride)，"
        "且 H' = 1 + (H - pool_height)//stride；步长可以与池化窗口大小不同。",
        _stride_equals_pool,
    ),
    MistakeVariant(
        "window_not_strided",
        "Your output has the right size, but window (i, j) starts at row i and column j: the stride must also move "
        "the window, which starts at (i*stride, j*stride), e.g. "
        "x[:, :, i*stride : i*stride + pool_height, j*stride : j*stride + pool_width].",
        "你的输出尺寸是对的，但第 (i, j) 个窗口从第 i 行、第 j 列开始：步长也要用来移动窗口，窗口应从 (i*stride, j*stride) 开始，"
        "例如 x[:, :, i*stride : i*stride + pool_height, j*stride : j*stride + pool_width]。",
        _window_not_strided,
    ),
    MistakeVariant(
        "zero_initialized_max",
        "Windows whose values are all negative gave 0: your running max probably starts at 0 (np.zeros). "
        "Start from -inf or from the window's first value, or use window.max().",
        "全为负数的窗口得到了 0：你的最大值多半是从 0（np.zeros）开始比较的。应从 -inf 或窗口中的第一个值开始，"
        "或直接用 window.max()。",
        _zero_initialized_max,
    ),
    MistakeVariant(
        "swapped_pool_dims",
        "You swapped pool_height and pool_width: pool_height counts rows (axis 2, H) and pool_width counts "
        "columns (axis 3, W).",
        "你把 pool_height 和 pool_width 弄反了：pool_height 对应行（第 2 轴，H），pool_width 对应列（第 3 轴，W）。",
        _swapped_pool_dims,
    ),
    MistakeVariant(
        "ceil_output_size",
        "Your output has an extra row or column made from a window that hangs over the edge. The output size "
        "uses the floor, H' = 1 + (H - pool_height)//stride: incomplete windows are dropped.",
        "你的输出多出一行或一列，来自超出边缘的不完整窗口。输出尺寸要向下取整，H' = 1 + (H - pool_height)//stride："
        "不完整的窗口直接丢弃。",
        _ceil_output_size,
    ),
    MistakeVariant(
        "rounded_output_size",
        "Your output size was rounded (round() of (H - pool_height) / stride), which sometimes rounds up and adds a "
        "row or column from a window that hangs over the edge. Use the floor: H' = 1 + (H - pool_height)//stride.",
        "你的输出尺寸用了 round()（对 (H - pool_height) / stride 四舍五入），有时会向上取整，多出一行或一列来自超出边缘的窗口。"
        "应向下取整：H' = 1 + (H - pool_height)//stride。",
        _rounded_output_size,
    ),
]
