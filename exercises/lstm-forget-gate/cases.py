import numpy as np

from graders.cases import Case, with_purposes


def _case(rng, name, N, H, D, *, zero_state=False, scale=0.5, hidden=False, description="", description_zh=""):
    x_t = rng.standard_normal((N, D))
    h_prev = np.zeros((N, H)) if zero_state else np.tanh(rng.standard_normal((N, H)))
    W_f = scale * rng.standard_normal((H, H + D))
    b_f = scale * rng.standard_normal(H)
    return Case(name, (x_t, h_prev, W_f, b_f), hidden=hidden, description=description, description_zh=description_zh)


def _large(rng):
    # Weights of a few hundred make |pre-activation| range up to about 1000: a correct sigmoid
    # returns exactly 0 or 1 there, without NaN.
    case = _case(rng, "large_preactivation", 4, 3, 2, scale=300.0, hidden=True)
    return case


def _zero_inputs(rng):
    # x_t = 0 and h_prev = 0 isolate the bias: f_t = sigmoid(b_f) on every row.
    N, H, D = 3, 4, 2
    W_f = 0.5 * rng.standard_normal((H, H + D))
    b_f = rng.standard_normal(H)
    return Case("zero_inputs", (np.zeros((N, D)), np.zeros((N, H)), W_f, b_f), hidden=True)


def _non_contiguous(rng):
    N, H, D = 3, 4, 3
    x_t = rng.standard_normal((N, 2 * D))[:, ::2]
    h_prev = np.tanh(rng.standard_normal((H, N))).T
    W_f = np.asfortranarray(0.5 * rng.standard_normal((H, H + D)))
    b_f = (0.5 * rng.standard_normal(2 * H))[::2]
    return Case("non_contiguous", (x_t, h_prev, W_f, b_f), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 3, 4, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "square_dims": "purpose_square_sizes",
    "odd_sizes": "purpose_odd_sizes",
    "square_batch1": "purpose_square_sizes",
    "D1_input": "purpose_length_one_axis",
    "H1_hidden": "purpose_length_one_axis",
    "large_preactivation": "purpose_large_preactivation",
    "zero_inputs": "purpose_bias_only",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    cases = [
        _case(
            rng,
            "small_example",
            2,
            3,
            2,
            description="N=2, H=3, D=2: W_f has shape (3, 5)",
            description_zh="N=2，H=3，D=2：W_f 的形状为 (3, 5)",
        ),
        _case(
            rng,
            "square_dims",
            4,
            3,
            3,
            description="H = D = 3: concatenating in the wrong order still gives the right shapes, only wrong values",
            description_zh="H = D = 3：按错误的顺序拼接，形状仍然正确，只是数值错了",
        ),
        _case(
            rng,
            "batch1",
            1,
            4,
            3,
            description="a batch of one sequence (N=1)",
            description_zh="批次中只有一个序列（N=1）",
        ),
        _case(
            rng,
            "zero_state",
            3,
            2,
            5,
            zero_state=True,
            description="the first step: h_prev is all zeros, only x_t and b_f count",
            description_zh="第一步：h_prev 全为零，只有 x_t 和 b_f 起作用",
        ),
        _case(rng, "odd_sizes", 7, 5, 3, hidden=True),
        _case(rng, "square_batch1", 1, 2, 2, hidden=True),
        _case(rng, "D1_input", 5, 4, 1, hidden=True),
        _case(rng, "H1_hidden", 3, 1, 4, hidden=True),
        _large(rng),
        _zero_inputs(rng),
        _non_contiguous(rng),
        _read_only(rng),
    ]
    return with_purposes(cases, PURPOSES)
