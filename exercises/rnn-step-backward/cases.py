import numpy as np

from graders.cases import Case, with_purposes


def _case(rng, name, N, D, H, *, zero_state=False, scale=0.5, hidden=False, **text):
    ds = rng.standard_normal((N, H))
    x_t = rng.standard_normal((N, D))
    s_prev = np.zeros((N, H)) if zero_state else np.tanh(rng.standard_normal((N, H)))
    U = scale * rng.standard_normal((H, D))
    W = scale * rng.standard_normal((H, H))
    return Case(name, (ds, x_t, s_prev, U, W), hidden=hidden, **text)


def _non_contiguous(rng):
    N, D, H = 3, 2, 4
    ds = np.asfortranarray(rng.standard_normal((N, H)))
    x_t = rng.standard_normal((N, 2 * D))[:, ::2]
    s_prev = np.tanh(rng.standard_normal((H, N))).T
    U = 0.5 * rng.standard_normal((D, H)).T
    W = np.asfortranarray(0.5 * rng.standard_normal((H, H)))
    return Case("non_contiguous", (ds, x_t, s_prev, U, W), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 3, 3, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


def _cases(rng: np.random.Generator) -> list[Case]:
    return [
        _case(
            rng,
            "small_step",
            2,
            3,
            4,
            description="N=2, D=3, H=4 with a nonzero previous state",
            description_zh="N=2，D=3，H=4，上一步状态不为零",
        ),
        _case(
            rng,
            "square_dims",
            3,
            4,
            4,
            description="D = H = 4: U and W have the same shape, so do dU and its transpose",
            description_zh="D = H = 4：U 和 W 形状相同，dU 与它的转置形状也相同",
        ),
        _case(
            rng,
            "first_step",
            2,
            2,
            3,
            zero_state=True,
            description="the first step, s_prev = 0 (s_-1 of interview question 18): dW is zero",
            description_zh="第一步，s_prev = 0（即面试题第 18 题中的 s_-1）：dW 为零",
        ),
        _case(
            rng,
            "saturated_tanh",
            2,
            3,
            3,
            scale=5.0,
            description="large weights: |a| is often above 5, tanh saturates and most gradients nearly vanish",
            description_zh="权重很大：|a| 常常超过 5，tanh 饱和，大部分梯度几乎都消失了",
        ),
        _case(rng, "batch_of_one", 1, 4, 3, hidden=True),
        _case(rng, "odd_sizes", 5, 3, 6, hidden=True),
        _case(rng, "one_hidden_unit", 4, 2, 1, hidden=True),
        _case(rng, "square_batch1", 1, 3, 3, hidden=True),
        _case(rng, "half_saturated", 3, 2, 4, scale=3.0, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "odd_sizes": "purpose_odd_sizes",
    "one_hidden_unit": "purpose_length_one_axis",
    "square_batch1": "purpose_square_sizes",
    "half_saturated": "purpose_saturated_backward",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
