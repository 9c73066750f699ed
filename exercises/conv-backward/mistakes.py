import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from graders.cases import MistakeVariant


def _grads(dout, x, w, stride, pad, *, flip_in_dx=False, field_step=None):
    _, _, hh, ww = w.shape
    _, _, out_h, out_w = dout.shape
    step = stride if field_step is None else field_step
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    fields = sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::step, ::step][:, :, :out_h, :out_w]
    dw = np.einsum("nfhw,nchwij->fcij", dout, fields)
    kernel = w[:, :, ::-1, ::-1] if flip_in_dx else w
    dxp = np.zeros(xp.shape)
    for i in range(hh):
        for j in range(ww):
            dxp[:, :, i : i + step * out_h : step, j : j + step * out_w : step] += np.einsum(
                "nfhw,fc->nchw", dout, kernel[:, :, i, j]
            )
    return dxp, dw


def _crop(dxp, x, pad):
    return dxp[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]]


def _padded_dx(dout, x, w, b, stride=1, pad=0):
    dxp, dw = _grads(dout, x, w, stride, pad)
    return dxp, dw, dout.sum(axis=(0, 2, 3))


def _db_not_summed_over_batch(dout, x, w, b, stride=1, pad=0):
    dxp, dw = _grads(dout, x, w, stride, pad)
    return _crop(dxp, x, pad), dw, dout.sum(axis=(2, 3))


def _kernel_flipped_in_dx(dout, x, w, b, stride=1, pad=0):
    dxp, dw = _grads(dout, x, w, stride, pad, flip_in_dx=True)
    return _crop(dxp, x, pad), dw, dout.sum(axis=(0, 2, 3))


def _stride_ignored(dout, x, w, b, stride=1, pad=0):
    dxp, dw = _grads(dout, x, w, stride, pad, field_step=1)
    return _crop(dxp, x, pad), dw, dout.sum(axis=(0, 2, 3))


def _dx_overwritten(dout, x, w, b, stride=1, pad=0):
    n_batch, _, _, _ = x.shape
    n_filters, _, hh, ww = w.shape
    _, _, out_h, out_w = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros(xp.shape)
    for n in range(n_batch):
        for f in range(n_filters):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    dxp[n, :, top : top + hh, left : left + ww] = dout[n, f, i, j] * w[f]
    _, dw = _grads(dout, x, w, stride, pad)
    return _crop(dxp, x, pad), dw, dout.sum(axis=(0, 2, 3))


MISTAKES = [
    MistakeVariant(
        "padded_dx",
        "Your dx has the padded shape (N, C, H + 2*pad, W + 2*pad): the padding is made of constants, not of "
        "inputs. Compute the gradient on the padded input, then return its inner part, dxp[:, :, pad:pad + H, "
        "pad:pad + W].",
        "你的 dx 是填充后的形状 (N, C, H + 2*pad, W + 2*pad)：填充的是常数，不是输入。先在填充后的输入上算梯度，"
        "再返回它的内部 dxp[:, :, pad:pad + H, pad:pad + W]。",
        _padded_dx,
    ),
    MistakeVariant(
        "db_not_summed_over_batch",
        "Your db has shape (N, F): b[f] is added to every output of filter f, in every sample, so db[f] sums "
        "dout[:, f] over the batch and the positions: db = dout.sum(axis=(0, 2, 3)).",
        "你的 db 形状是 (N, F)：b[f] 被加到每个样本中滤波器 f 的每个输出上，所以 db[f] 要对批次和所有位置求和："
        "db = dout.sum(axis=(0, 2, 3))。",
        _db_not_summed_over_batch,
    ),
    MistakeVariant(
        "kernel_flipped_in_dx",
        "Your dx uses the flipped kernel as it is written for a true convolution. The layer is a cross-correlation: "
        "out[.., i, j] takes xpad[.., i*s + a, j*s + e] * w[.., a, e], so dxpad[.., i*s + a, j*s + e] += "
        "dout[.., i, j] * w[.., a, e], with w as it is (flipping the kernel and correlating with the padded dout is "
        "the same thing in another order).",
        "你的 dx 用了翻转后的卷积核，那是真正卷积的写法。这一层是互相关：out[.., i, j] 取 xpad[.., i*s + a, j*s + e] "
        "* w[.., a, e]，所以 dxpad[.., i*s + a, j*s + e] += dout[.., i, j] * w[.., a, e]，w 保持原样"
        "（把核翻转再与填充后的 dout 做相关，只是换了一种顺序算同一个东西）。",
        _kernel_flipped_in_dx,
    ),
    MistakeVariant(
        "stride_ignored",
        "Your gradients place receptive field (i, j) at row i and column j: with a stride s it starts at row i*s "
        "and column j*s, in dw (which input it multiplied) and in dx (where its gradient goes).",
        "你的梯度把第 (i, j) 个感受野放在了第 i 行、第 j 列：步长为 s 时它从第 i*s 行、第 j*s 列开始，dw（它乘的是哪个输入）"
        "和 dx（它的梯度流向哪里）都是如此。",
        _stride_ignored,
    ),
    MistakeVariant(
        "dx_overwritten",
        "Your dx keeps only one contribution where receptive fields overlap (stride smaller than the kernel) or "
        "where several filters read the same input: an input feeds every output whose field covers it, so add "
        "the contributions (dxpad[...] += ...), do not assign them.",
        "在感受野重叠处（步长小于卷积核）或多个滤波器读取同一个输入处，你的 dx 只保留了一份贡献："
        "一个输入会影响所有覆盖它的输出，所以要把贡献加起来（dxpad[...] += ...），而不是赋值。",
        _dx_overwritten,
    ),
]
