import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graders.cases import MistakeVariant


def _windows(x, pool_height, pool_width, stride_h, stride_w):
    return sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride_h, ::stride_w]


def _max_pooling(x, pool_height, pool_width, stride):
    return _windows(x, pool_height, pool_width, stride, stride).max(axis=(4, 5))


def _sum_pooling(x, pool_height, pool_width, stride):
    return _windows(x, pool_height, pool_width, stride, stride).sum(axis=(4, 5))


def _stride_equals_pool(x, pool_height, pool_width, stride):
    return _windows(x, pool_height, pool_width, pool_height, pool_width).mean(axis=(4, 5))


def _swapped_pool_dims(x, pool_height, pool_width, stride):
    return _windows(x, pool_width, pool_height, stride, stride).mean(axis=(4, 5))


def _ceil_windows(x, pool_height, pool_width, stride, divide_by_full_window):
    height, width = x.shape[2:]
    out_h = 1 + math.ceil((height - pool_height) / stride)
    out_w = 1 + math.ceil((width - pool_width) / stride)
    out = np.empty(x.shape[:2] + (out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, :, i * stride : i * stride + pool_height, j * stride : j * stride + pool_width]
            count = pool_height * pool_width if divide_by_full_window else window.shape[2] * window.shape[3]
            out[:, :, i, j] = window.sum(axis=(2, 3)) / count
    return out


def _partial_windows(x, pool_height, pool_width, stride):
    return _ceil_windows(x, pool_height, pool_width, stride, divide_by_full_window=False)


def _zero_padded_windows(x, pool_height, pool_width, stride):
    return _ceil_windows(x, pool_height, pool_width, stride, divide_by_full_window=True)


MISTAKES = [
    MistakeVariant(
        "max_pooling",
        "You kept the largest value of each window (max pooling); average pooling takes the mean of each window: "
        "window.mean(axis=(-2, -1)).",
        "你保留了每个窗口中的最大值（最大池化）；平均池化取每个窗口的平均值：window.mean(axis=(-2, -1))。",
        _max_pooling,
    ),
    MistakeVariant(
        "sum_pooling",
        "You added up each window without dividing: the mean is the sum divided by pool_height * pool_width.",
        "你把每个窗口的值加起来了，却没有除：平均值是总和除以 pool_height * pool_width。",
        _sum_pooling,
    ),
    MistakeVariant(
        "stride_equals_pool",
        "You ignored `stride` and moved the window by its own size (non-overlapping windows). The window's "
        "top-left corner is at (i*stride, j*stride) and H' = 1 + (H - pool_height)//stride; windows overlap when "
        "the stride is smaller than the window.",
        "你忽略了 `stride`，按窗口自身的大小移动（窗口互不重叠）。窗口左上角应位于 (i*stride, j*stride)，"
        "且 H' = 1 + (H - pool_height)//stride；步长小于窗口时，窗口会互相重叠。",
        _stride_equals_pool,
    ),
    MistakeVariant(
        "swapped_pool_dims",
        "You swapped pool_height and pool_width: pool_height counts rows (axis 2, H) and pool_width counts "
        "columns (axis 3, W).",
        "你把 pool_height 和 pool_width 弄反了：pool_height 对应行（第 2 轴，H），pool_width 对应列（第 3 轴，W）。",
        _swapped_pool_dims,
    ),
    MistakeVariant(
        "partial_windows",
        "Your output has an extra row or column: you also averaged the partial windows that hang over the edge, "
        "over the values they do cover. Only complete windows count: H' = 1 + (H - pool_height)//stride, with the "
        "floor.",
        "你的输出多出一行或一列：你把超出边缘的不完整窗口也按它实际覆盖的值求了平均。只计算完整的窗口："
        "H' = 1 + (H - pool_height)//stride，向下取整。",
        _partial_windows,
    ),
    MistakeVariant(
        "zero_padded_windows",
        "Your output has an extra row or column: you padded the partial windows at the edge with zeros and "
        "divided by the full window size. There is no padding here and only complete windows count: "
        "H' = 1 + (H - pool_height)//stride, with the floor.",
        "你的输出多出一行或一列：你给边缘处不完整的窗口补了 0，再除以完整窗口的大小。本题没有填充，只计算完整的窗口："
        "H' = 1 + (H - pool_height)//stride，向下取整。",
        _zero_padded_windows,
    ),
]
