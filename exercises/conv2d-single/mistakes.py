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


def _ignore_padding(image, kernel, stride=1, pad=0):
    return _correlate(image, kernel, stride)


def _output_size_without_pad(image, kernel, stride=1, pad=0):
    full = _correlate(np.pad(image, pad), kernel, stride)
    out_h = (image.shape[0] - kernel.shape[0]) // stride + 1
    out_w = (image.shape[1] - kernel.shape[1]) // stride + 1
    return full[:out_h, :out_w]


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
        "transposed_kernel",
        "You used the transposed kernel (rows and columns swapped): kernel[a, b] multiplies the pixel a rows "
        "down and b columns right of the window's corner; do not use kernel.T.",
        "你用了转置后的卷积核（行列互换）：kernel[a, b] 应乘以窗口左上角往下 a 行、往右 b 列的像素；不要用 kernel.T。",
        _transposed_kernel,
    ),
]
