import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graders.cases import MistakeVariant


def _correlate(x, w, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,fcij->nfhw", windows, w)


def _missing_bias(x, w, b, stride=1, pad=0):
    return _correlate(x, w, stride, pad)


def _bias_per_input_channel(x, w, b, stride=1, pad=0):
    return _correlate(x, w, stride, pad) + x.shape[1] * b[None, :, None, None]


def _ignore_stride(x, w, b, stride=1, pad=0):
    return _correlate(x, w, 1, pad) + b[None, :, None, None]


def _window_not_strided(x, w, b, stride=1, pad=0):
    # the output size divides by the stride, but window (i, j) starts at (i, j) instead of (i*stride, j*stride)
    out_h = 1 + (x.shape[2] + 2 * pad - w.shape[2]) // stride
    out_w = 1 + (x.shape[3] + 2 * pad - w.shape[3]) // stride
    return (_correlate(x, w, 1, pad) + b[None, :, None, None])[:, :, :out_h, :out_w]


def _ignore_padding(x, w, b, stride=1, pad=0):
    return _correlate(x, w, stride, 0) + b[None, :, None, None]


def _flipped_kernel(x, w, b, stride=1, pad=0):
    return _correlate(x, w[:, :, ::-1, ::-1], stride, pad) + b[None, :, None, None]


def _square_kernel(x, w, b, stride=1, pad=0):
    # `F, C, f, f = w.shape`: the last name wins, so the kernel's width is used as its height too; each
    # (C, f, f) window times the (C, HH, WW) filter broadcasts
    f = w.shape[3]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out_h, out_w = 1 + (xp.shape[2] - f) // stride, 1 + (xp.shape[3] - f) // stride
    out = np.empty((x.shape[0], w.shape[0], out_h, out_w))
    for n in range(x.shape[0]):
        for k in range(w.shape[0]):
            for i in range(out_h):
                for j in range(out_w):
                    window = xp[n, :, i * stride : i * stride + f, j * stride : j * stride + f]
                    out[n, k, i, j] = np.sum(window * w[k]) + b[k]
    return out


def _transposed_kernel(x, w, b, stride=1, pad=0):
    return _correlate(x, w.transpose(0, 1, 3, 2), stride, pad) + b[None, :, None, None]


MISTAKES = [
    MistakeVariant(
        "missing_bias",
        "The bias is missing: every output of filter f gets b[f] added once, out[:, f] += b[f] "
        "(e.g. + b[None, :, None, None]).",
        "漏掉了偏置：滤波器 f 的每个输出都要加一次 b[f]，即 out[:, f] += b[f]（例如 + b[None, :, None, None]）。",
        _missing_bias,
    ),
    MistakeVariant(
        "bias_per_input_channel",
        "The bias was added C times, once per input channel (probably inside the loop over c). Sum the products "
        "over all channels and the window first, then add b[f] once.",
        "偏置被加了 C 次，每个输入通道一次（多半是在遍历通道 c 的循环里加的）。应先对所有通道和窗口内的乘积求和，"
        "再只加一次 b[f]。",
        _bias_per_input_channel,
    ),
    MistakeVariant(
        "ignore_stride",
        "You moved the filter one pixel at a time and ignored `stride`: receptive field (i, j) starts at row "
        "i*stride and column j*stride, and H' = 1 + (H + 2*pad - HH)//stride.",
        "你每次只把滤波器移动一个像素，忽略了 `stride`：第 (i, j) 个感受野从第 i*stride 行、第 j*stride 列开始，"
        "且 H' = 1 + (H + 2*pad - HH)//stride。",
        _ignore_stride,
    ),
    MistakeVariant(
        "window_not_strided",
        "Your output has the right size, but receptive field (i, j) starts at row i and column j: the stride must "
        "also move the field, which starts at (i*stride, j*stride), e.g. "
        "x_pad[n, :, i*stride : i*stride + HH, j*stride : j*stride + WW].",
        "你的输出尺寸是对的，但第 (i, j) 个感受野从第 i 行、第 j 列开始：步长也要用来移动感受野，它应从 (i*stride, j*stride) 开始，"
        "例如 x_pad[n, :, i*stride : i*stride + HH, j*stride : j*stride + WW]。",
        _window_not_strided,
    ),
    MistakeVariant(
        "ignore_padding",
        "You did not zero-pad the input: pad only the two spatial axes, `pad` on every side, "
        "np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))).",
        "你没有对输入做零填充：只填充两个空间维度，每一侧 `pad` 个，"
        "np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))。",
        _ignore_padding,
    ),
    MistakeVariant(
        "flipped_kernel",
        "You flipped the filters (a true convolution). A conv layer computes a cross-correlation: "
        "w[f, c, a, e] multiplies the input at (i*stride + a, j*stride + e) without any flip.",
        "你把滤波器翻转了（真正的卷积）。卷积层计算的是互相关：w[f, c, a, e] 直接与位置 (i*stride + a, j*stride + e) "
        "的输入相乘，不做翻转。",
        _flipped_kernel,
    ),
    MistakeVariant(
        "square_kernel",
        "Your code assumes square filters (`F, C, f, f = w.shape` keeps only the width): with HH x WW filters the "
        "windows and the output size must use HH for rows and WW for columns, H' = 1 + (H + 2*pad - HH)//stride "
        "and W' = 1 + (W + 2*pad - WW)//stride.",
        "你的代码假定滤波器是正方形的（`F, C, f, f = w.shape` 只保留了宽度）：对于 HH x WW 的滤波器，窗口和输出尺寸的行方向要用 HH，"
        "列方向要用 WW，即 H' = 1 + (H + 2*pad - HH)//stride，W' = 1 + (W + 2*pad - WW)//stride。",
        _square_kernel,
    ),
    MistakeVariant(
        "transposed_kernel",
        "You swapped the filter's height and width axes: w has shape (F, C, HH, WW), so w[f, c, a, e] pairs with "
        "the input a rows down and e columns right of the field's corner.",
        "你把滤波器的高和宽两个轴交换了：w 的形状是 (F, C, HH, WW)，w[f, c, a, e] 对应感受野左上角往下 a 行、"
        "往右 e 列的输入。",
        _transposed_kernel,
    ),
]
