import numpy as np

from graders.cases import MistakeVariant


def _column_major_flatten(x, W, b):
    return x.reshape(x.shape[0], -1, order="F") @ W + b


def _channels_last_flatten(x, W, b):
    return np.moveaxis(x, 1, -1).reshape(x.shape[0], -1) @ W + b


def _transposed_weights(x, W, b):
    return x.reshape(x.shape[0], -1) @ W.T + b


def _missing_bias(x, W, b):
    return x.reshape(x.shape[0], -1) @ W


def _flatten_whole_batch(x, W, b):
    return x.ravel() @ W + b


MISTAKES = [
    MistakeVariant(
        "column_major_flatten",
        "You flattened each sample column-major (order='F'): the first trailing axis varied fastest. Row d of W "
        "is the weight of the d-th value in row-major (C) order, where the LAST axis varies fastest: "
        "x.reshape(N, -1), NumPy's default.",
        "你按列优先（order='F'）展平了每个样本：第一个尾部轴变化最快。W 的第 d 行对应的是按行优先（C 顺序）排在第 d 个的值，"
        "即 **最后** 一个轴变化最快：x.reshape(N, -1)，这是 NumPy 的默认做法。",
        _column_major_flatten,
    ),
    MistakeVariant(
        "channels_last_flatten",
        "You moved the channels last, (N, H, W, C), before flattening, as a channels-last (Keras) model does. The "
        "input is (N, C, H, W) and is flattened as it is: x.reshape(N, -1), so the values of channel 0 come first.",
        "你在展平之前把通道移到了最后，(N, H, W, C)，就像通道在后（Keras）的模型那样。输入是 (N, C, H, W)，"
        "要按原样展平：x.reshape(N, -1)，这样通道 0 的值排在最前面。",
        _channels_last_flatten,
    ),
    MistakeVariant(
        "transposed_weights",
        "You multiplied by W.T. W has shape (D, M), one row per input value: x_flat @ W. (W.T only runs when "
        "D = M, and then gives wrong values.)",
        "你乘的是 W.T。W 的形状是 (D, M)，每个输入值对应一行：x_flat @ W。（W.T 只有在 D = M 时才能运行，而且结果是错的。）",
        _transposed_weights,
    ),
    MistakeVariant(
        "missing_bias",
        "The bias is missing: add b to every row, x_flat @ W + b.",
        "漏掉了偏置：每一行都要加上 b，即 x_flat @ W + b。",
        _missing_bias,
    ),
    MistakeVariant(
        "flatten_whole_batch",
        "With one sample your output has shape (M,): you flattened the whole batch, x.ravel() or x.flatten(). "
        "Keep the batch axis: x.reshape(x.shape[0], -1) has shape (N, D), and the output (N, M).",
        "只有一个样本时你的输出形状是 (M,)：你把整个批次都展平了（x.ravel() 或 x.flatten()）。要保留批次轴："
        "x.reshape(x.shape[0], -1) 的形状是 (N, D)，输出是 (N, M)。",
        _flatten_whole_batch,
    ),
]
