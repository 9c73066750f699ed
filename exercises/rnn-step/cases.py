import numpy as np

from graders.cases import Case, with_purposes


def _weights(rng, D, H, K, scale=0.5):
    U = scale * rng.standard_normal((H, D))
    W = scale * rng.standard_normal((H, H))
    V = scale * rng.standard_normal((K, H))
    return U, W, V


def _state(rng, N, H):
    # A previous hidden state looks like the output of tanh: every value in (-1, 1).
    return np.tanh(rng.standard_normal((N, H)))


def _case(rng, name, N, D, H, K, *, zero_state=False, hidden=False, description="", description_zh=""):
    x_t = rng.standard_normal((N, D))
    s_prev = np.zeros((N, H)) if zero_state else _state(rng, N, H)
    U, W, V = _weights(rng, D, H, K)
    return Case(name, (x_t, s_prev, U, W, V), hidden=hidden, description=description, description_zh=description_zh)


def _large_logits(rng, name="large_logits", zero_state=False):
    # Row 0 saturates s_t at about +1 and V's first row sums to about 1000, so a logit near 1000
    # overflows a softmax that does not subtract the row maximum. Row 1 has x_t = 0 and s_prev = 0,
    # so its logits are all 0: subtracting the maximum of the whole array instead of the row's
    # makes that row exp(-1000) = 0 everywhere, and 0 / 0.
    N, D, H, K = 3, 3, 5, 4
    x_t = rng.standard_normal((N, D))
    x_t[0] = 30.0
    x_t[1] = 0.0
    s_prev = np.zeros((N, H)) if zero_state else _state(rng, N, H)
    s_prev[1] = 0.0
    U = np.abs(0.5 * rng.standard_normal((H, D))) + 0.1
    W = 0.5 * rng.standard_normal((H, H))
    V = 100.0 * rng.standard_normal((K, H))
    V[0] = 200.0 + 20.0 * rng.standard_normal(H)
    return Case(name, (x_t, s_prev, U, W, V), hidden=True)


def _saturated(rng):
    N, D, H, K = 4, 3, 4, 3
    U, W, V = _weights(rng, D, H, K)
    x_t = rng.standard_normal((N, D))
    s_prev = _state(rng, N, H)
    # Pre-activations of size 50 to 200: tanh is +-1 to machine precision, sigmoid would be 0 or 1.
    return Case("saturated_state", (x_t, s_prev, 100.0 * U, 100.0 * W, V), hidden=True)


def _non_contiguous(rng):
    N, D, H, K = 3, 4, 5, 2
    x_t = rng.standard_normal((N, 2 * D))[:, ::2]
    s_prev = _state(rng, H, N).T
    U = np.asfortranarray(0.5 * rng.standard_normal((H, D)))
    W = (0.5 * rng.standard_normal((H, H))).T
    V = (0.5 * rng.standard_normal((2 * K, H)))[::2]
    return Case("non_contiguous", (x_t, s_prev, U, W, V), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 3, 3, 4, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "square_dims": "purpose_square_sizes",
    "odd_sizes": "purpose_odd_sizes",
    "square_batch1": "purpose_square_sizes",
    "single_output": "purpose_length_one_axis",
    "saturated_state": "purpose_saturated_tanh",
    "large_logits": "purpose_large_logits",
    "large_logits_zero_state": "purpose_large_logits",
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
            4,
            3,
            description="N=2, D=3, H=4, K=3 with a nonzero previous state",
            description_zh="N=2，D=3，H=4，K=3，上一步的状态不为零",
        ),
        _case(
            rng,
            "zero_state",
            3,
            2,
            5,
            4,
            zero_state=True,
            description="the first step: s_prev is all zeros (the s_-1 of interview question 18), so W plays no part",
            description_zh="第一步：s_prev 全为零（即面试题第 18 题中的 s_-1），所以 W 不起作用",
        ),
        _case(
            rng,
            "square_dims",
            3,
            4,
            4,
            3,
            description="D = H = 4: a missing transpose still gives the right shapes, only wrong values",
            description_zh="D = H = 4：漏掉转置时形状仍然正确，只是数值错了",
        ),
        _case(
            rng,
            "batch1",
            1,
            3,
            2,
            5,
            description="a batch of one sequence (N=1)",
            description_zh="批次中只有一个序列（N=1）",
        ),
        _case(rng, "odd_sizes", 7, 5, 3, 6, hidden=True),
        _case(rng, "square_batch1", 1, 3, 3, 2, hidden=True),
        _case(rng, "single_output", 4, 2, 3, 1, hidden=True),
        _saturated(rng),
        _large_logits(rng),
        _non_contiguous(rng),
        _read_only(rng),
        # s_prev = 0: an unstable softmax shows here on its own, even in code that also drops s_prev.
        _large_logits(rng, "large_logits_zero_state", zero_state=True),
    ]
    return with_purposes(cases, PURPOSES)
