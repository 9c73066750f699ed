import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _no_hidden_activation(x, W1, b1, W2, b2):
    return _sigmoid((x @ W1 + b1) @ W2 + b2)


def _relu_hidden(x, W1, b1, W2, b2):
    return _sigmoid(np.maximum(x @ W1 + b1, 0.0) @ W2 + b2)


def _no_output_sigmoid(x, W1, b1, W2, b2):
    return _sigmoid(x @ W1 + b1) @ W2 + b2


def _softmax_output(x, W1, b1, W2, b2):
    z = _sigmoid(x @ W1 + b1) @ W2 + b2
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _missing_hidden_bias(x, W1, b1, W2, b2):
    return _sigmoid(_sigmoid(x @ W1) @ W2 + b2)


def _missing_output_bias(x, W1, b1, W2, b2):
    return _sigmoid(_sigmoid(x @ W1 + b1) @ W2)


MISTAKES = [
    MistakeVariant(
        "no_hidden_activation",
        "The hidden layer has no activation: you fed x @ W1 + b1 straight into the output layer. Apply the "
        "sigmoid to it first, hidden = sigmoid(x @ W1 + b1); without it the two layers collapse into one linear map "
        "and the network cannot compute XNOR.",
        "隐藏层缺少激活函数：你把 x @ W1 + b1 直接送进了输出层。应先对它应用 sigmoid，hidden = sigmoid(x @ W1 + b1)；"
        "没有它，两层会退化成一个线性映射，网络无法实现 XNOR。",
        _no_hidden_activation,
    ),
    MistakeVariant(
        "relu_hidden",
        "Your hidden layer uses ReLU; this network uses the sigmoid in both layers: hidden = sigmoid(x @ W1 + b1).",
        "你的隐藏层用的是 ReLU；这个网络的两层都使用 sigmoid：hidden = sigmoid(x @ W1 + b1)。",
        _relu_hidden,
    ),
    MistakeVariant(
        "no_output_sigmoid",
        "You returned the output layer's weighted sums (logits): apply the sigmoid to hidden @ W2 + b2 as well, "
        "so that every output lies in (0, 1).",
        "你返回的是输出层的加权和（logits）：还要对 hidden @ W2 + b2 应用 sigmoid，使每个输出都在 (0, 1) 内。",
        _no_output_sigmoid,
    ),
    MistakeVariant(
        "softmax_output",
        "You applied a softmax over the K outputs, so each row sums to 1; this network applies the sigmoid to each "
        "output unit on its own (with K=1 a softmax always returns 1).",
        "你对 K 个输出做了 softmax，使每行之和为 1；这个网络对每个输出单元分别应用 sigmoid（K=1 时 softmax 恒为 1）。",
        _softmax_output,
    ),
    MistakeVariant(
        "missing_hidden_bias",
        "The hidden layer's bias b1 is missing: hidden = sigmoid(x @ W1 + b1).",
        "漏掉了隐藏层的偏置 b1：hidden = sigmoid(x @ W1 + b1)。",
        _missing_hidden_bias,
    ),
    MistakeVariant(
        "missing_output_bias",
        "The output layer's bias b2 is missing: the output is sigmoid(hidden @ W2 + b2).",
        "漏掉了输出层的偏置 b2：输出应为 sigmoid(hidden @ W2 + b2)。",
        _missing_output_bias,
    ),
]
