import numpy as np

from graders.cases import MistakeVariant


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _concat_order_swapped(x_t, h_prev, W_f, b_f):
    z = np.concatenate([x_t, h_prev], axis=1)
    return _sigmoid(z @ W_f.T + b_f)


def _tanh_instead_of_sigmoid(x_t, h_prev, W_f, b_f):
    z = np.concatenate([h_prev, x_t], axis=1)
    return np.tanh(z @ W_f.T + b_f)


def _missing_bias(x_t, h_prev, W_f, b_f):
    z = np.concatenate([h_prev, x_t], axis=1)
    return _sigmoid(z @ W_f.T)


def _exp_sign_flipped(x_t, h_prev, W_f, b_f):
    z = np.concatenate([h_prev, x_t], axis=1)
    return _sigmoid(-(z @ W_f.T + b_f))


MISTAKES = [
    MistakeVariant(
        "concat_order_swapped",
        "You concatenated [x_t, h_prev]: the order is h_prev first, then x_t, np.concatenate([h_prev, x_t], axis=1). "
        "The first H columns of W_f act on h_prev and the last D on x_t; the other order pairs the weights with the "
        "wrong inputs: the width H + D is the same, so the shapes fit but the values are wrong.",
        "你拼接成了 [x_t, h_prev]：顺序应当是 h_prev 在前、x_t 在后，即 np.concatenate([h_prev, x_t], axis=1)。"
        "W_f 的前 H 列作用于 h_prev，后 D 列作用于 x_t，顺序反了会让权重乘到错误的输入上：宽度同样是 H + D，形状不报错，数值却是错的。",
        _concat_order_swapped,
    ),
    MistakeVariant(
        "tanh_instead_of_sigmoid",
        "Your gate has negative values: you used tanh. A gate uses the sigmoid, 1 / (1 + e^-a), so that each "
        "value lies in (0, 1) and says how much of the old cell state to keep.",
        "你的门出现了负值：你用了 tanh。门要用 sigmoid，即 1 / (1 + e^-a)，这样每个值都落在 (0, 1) 内，表示旧的细胞状态保留多少。",
        _tanh_instead_of_sigmoid,
    ),
    MistakeVariant(
        "missing_bias",
        "You left out the bias: add b_f to [h_prev, x_t] @ W_f.T before the sigmoid (it broadcasts over the N rows).",
        "你漏掉了偏置：在做 sigmoid 之前，把 b_f 加到 [h_prev, x_t] @ W_f.T 上（它会沿 N 行自动广播）。",
        _missing_bias,
    ),
    MistakeVariant(
        "exp_sign_flipped",
        "Your values are 1 - sigmoid(a): the exponent has the wrong sign. The sigmoid is 1 / (1 + exp(-a)), "
        "with a minus sign before a.",
        "你的结果是 1 - sigmoid(a)：指数的符号反了。sigmoid 是 1 / (1 + exp(-a))，a 前面有一个负号。",
        _exp_sign_flipped,
    ),
]
