import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graders.cases import MistakeVariant


def _correlate(padded, kernel, stride):
    windows = sliding_window_view(padded, kernel.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)


def _flipped_kernel(image, kernel, stride=1, pad=0):
    return _correlate(np.pad(image, pad), kernel[::-1, ::-1], stride)


def _pad_one_side(image, kernel, stride=1, pad=0):
    return _correlate(np.pad(image, ((pad, 0), (pad, 0))), kernel, stride)


def _ignore_stride(image, kernel, stride=1, pad=0):
    return _correlate(np.pad(image, pad), kernel, 1)


def _window_not_strided(image, kernel, stride=1, pad=0):
    # the output size divides by the stride, but window (i, j) starts at (i, j) instead of (i*stride, j*stride)
    full = _correlate(np.pad(image, pad), kernel, 1)
    out_h = (image.shape[0] + 2 * pad - kernel.shape[0]) // stride + 1
    out_w = (image.shape[1] + 2 * pad - kernel.shape[1]) // stride + 1
    return full[:out_h, :out_w]


def _ignore_padding(image, kernel, stride=1, pad=0):
    return _correlate(image, kernel, stride)


def _output_size_without_pad(image, kernel, stride=1, pad=0):
    full = _correlate(np.pad(image, pad), kernel, stride)
    out_h = (image.shape[0] - kernel.shape[0]) // stride + 1
    out_w = (image.shape[1] - kernel.shape[1]) // stride + 1
    return full[:out_h, :out_w]


def _square_kernel(image, kernel, stride=1, pad=0):
    # `f, f = kernel.shape` (as in deeplearning.ai's conv_single_step): the second name wins, so the
    # kernel's width is used as its height too; each f x f window times the kernel broadcasts
    _, f = kernel.shape
    padded = np.pad(image, pad)
    out = np.empty(((padded.shape[0] - f) // stride + 1, (padded.shape[1] - f) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[i * stride : i * stride + f, j * stride : j * stride + f] * kernel)
    return out


def _transposed_kernel(image, kernel, stride=1, pad=0):
    return _correlate(np.pad(image, pad), kernel.T, stride)


MISTAKES = [
    MistakeVariant(
        "flipped_kernel",
        "You flipped the kernel (a true mathematical convolution). CNN layers compute a cross-correlation: "
        "multiply each patch by the kernel as it is, out[i, j] = sum(patch * kernel), with no kernel[::-1, ::-1].",
        "你把卷积核翻转了（数学意义上的卷积）。CNN 的卷积层计算的是互相关：每个窗口直接与原卷积核逐元素相乘再求和，"
        "out[i, j] = sum(patch * kernel)，不要 kernel[::-1, ::-1]。",
        _flipped_kernel,
    ),
    MistakeVariant(
        "pad_one_side",
        "You padded only the top and left: zero padding adds `pad` rows/columns on EVERY side, "
        "np.pad(image, pad) or ((pad, pad), (pad, pad)).",
        "你只在上方和左侧做了填充：零填充要在 **每一侧** 都补 `pad` 行/列，即 np.pad(image, pad) 或 ((pad, pad), (pad, pad))。",
        _pad_one_side,
    ),
    MistakeVariant(
        "ignore_stride",
        "You moved the window one pixel at a time and ignored `stride`: the window jumps `stride` pixels, "
        "its top-left corner is at (i*stride, j*stride), and H' = (H + 2*pad - KH)//stride + 1.",
        "你每次只把窗口移动一个像素，忽略了 `stride`：窗口每次应跳 `stride` 个像素，左上角位于 (i*stride, j*stride)，"
        "且 H' = (H + 2*pad - KH)//stride + 1。",
        _ignore_stride,
    ),
    MistakeVariant(
        "window_not_strided",
        "Your output has the right size, but window (i, j) starts at row i and column j: the stride must also move "
        "the window, which starts at (i*stride, j*stride), e.g. padded[i*stride : i*stride + KH, j*stride : j*stride + KW].",
        "你的输出尺寸是对的，但第 (i, j) 个窗口从第 i 行、第 j 列开始：步长也要用来移动窗口，窗口应从 (i*stride, j*stride) 开始，"
        "例如 padded[i*stride : i*stride + KH, j*stride : j*stride + KW]。",
        _window_not_strided,
    ),
    MistakeVariant(
        "ignore_padding",
        "You did not pad the image: add `pad` rows and columns of zeros on every side before sliding the kernel.",
        "你没有对图像做填充：滑动卷积核之前，要在每一侧补 `pad` 行和 `pad` 列的 0。",
        _ignore_padding,
    ),
    MistakeVariant(
        "output_size_without_pad",
        "Your output is too small: the output size forgot the padding. Use H' = (H + 2*pad - KH)//stride + 1 "
        "(and likewise W').",
        "你的输出尺寸太小：计算输出尺寸时漏掉了填充。应为 H' = (H + 2*pad - KH)//stride + 1（W' 同理）。",
        _output_size_without_pad,
    ),
    MistakeVariant(
        "square_kernel",
        "Your code assumes a square kernel (`f, f = kernel.shape` keeps only the width): with a KH x KW kernel the "
        "windows and the output size must use KH for rows and KW for columns, H' = (H + 2*pad - KH)//stride + 1 "
        "and W' = (W + 2*pad - KW)//stride + 1.",
        "你的代码假定卷积核是正方形的（`f, f = kernel.shape` 只保留了宽度）：对于 KH x KW 的卷积核，窗口和输出尺寸的行方向要用 KH，"
        "列方向要用 KW，即 H' = (H + 2*pad - KH)//stride + 1，W' = (W + 2*pad - KW)//stride + 1。",
        _square_kernel,
    ),
    MistakeVariant(
        "transposed_kernel",
        "You used the transposed kernel (rows and columns swapped): kernel[a, b] multiplies the pixel a rows "
        "down and b columns right of the window's corner; do not use kernel.T.",
        "你用了转置后的卷积核（行列互换）：kernel[a, b] 应乘以窗口左上角往下 a 行、往右 b 列的像素；不要用 kernel.T。",
        _transposed_kernel,
    ),
]
