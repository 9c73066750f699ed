import numpy as np

from graders.cases import Case, with_purposes


def _state(rng, N, H):
    # A hidden state looks like the output of tanh: every value in (-1, 1).
    return np.tanh(rng.standard_normal((N, H)))


def _case(rng, name, T, N, D, H, K, *, zero_state=False, hidden=False, description="", description_zh=""):
    xs = rng.standard_normal((T, N, D))
    s0 = np.zeros((N, H)) if zero_state else _state(rng, N, H)
    U = 0.5 * rng.standard_normal((H, D))
    W = 0.5 * rng.standard_normal((H, H))
    V = 0.5 * rng.standard_normal((K, H))
    return Case(name, (xs, s0, U, W, V), hidden=hidden, description=description, description_zh=description_zh)


def _saturated(rng):
    case = _case(rng, "saturated_states", 4, 3, 3, 4, 3)
    xs, s0, U, W, V = case.args
    # Pre-activations in the tens to hundreds: tanh is +-1 to machine precision.
    return Case(case.name, (xs, s0, 100.0 * U, 100.0 * W, V), hidden=True)


def _large_logits(rng, name="large_logits", zero_state=False):
    # Sequence 0 has large positive inputs, so its state saturates near +1 at every step and V's
    # first row (summing to about 1000) gives a score near 1000: exp overflows unless the row
    # maximum is subtracted. Sequence 1 stays at s = 0, so its scores are all 0.
    T, N, D, H, K = 3, 3, 3, 5, 4
    xs = rng.standard_normal((T, N, D))
    xs[:, 0] = 30.0
    xs[:, 1] = 0.0
    s0 = np.zeros((N, H)) if zero_state else _state(rng, N, H)
    s0[1] = 0.0
    U = np.abs(0.5 * rng.standard_normal((H, D))) + 0.1
    W = 0.5 * rng.standard_normal((H, H))
    V = 100.0 * rng.standard_normal((K, H))
    V[0] = 200.0 + 20.0 * rng.standard_normal(H)
    return Case(name, (xs, s0, U, W, V), hidden=True)


def _non_contiguous(rng):
    T, N, D, H, K = 4, 3, 2, 5, 3
    xs = rng.standard_normal((N, T, D)).transpose(1, 0, 2)  # (T, N, D) as a view of (N, T, D)
    s0 = _state(rng, H, N).T
    U = np.asfortranarray(0.5 * rng.standard_normal((H, D)))
    W = (0.5 * rng.standard_normal((H, H))).T
    V = (0.5 * rng.standard_normal((2 * K, H)))[::2]
    return Case("non_contiguous", (xs, s0, U, W, V), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 3, 2, 3, 3, 2, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "square_dims": "purpose_square_sizes",
    "odd_sizes": "purpose_odd_sizes",
    "long_sequence": "purpose_long_sequence",
    "saturated_states": "purpose_saturated_tanh",
    "large_logits": "purpose_large_logits",
    "large_logits_zero_state": "purpose_large_logits",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    cases = [
        _case(
            rng,
            "small_sequence",
            3,
            2,
            3,
            4,
            3,
            zero_state=True,
            description="T=3, N=2, D=3, H=4, K=3, starting from s0 = 0 (the s_-1 of interview question 18)",
            description_zh="T=3，N=2，D=3，H=4，K=3，从 s0 = 0 开始（即面试题第 18 题中的 s_-1）",
        ),
        _case(
            rng,
            "nonzero_s0",
            4,
            2,
            2,
            3,
            2,
            description="T=4 steps starting from a nonzero state s0",
            description_zh="T=4 步，从非零状态 s0 开始",
        ),
        _case(
            rng,
            "T1_sequence",
            1,
            3,
            3,
            2,
            4,
            description="a single step (T=1): the same result as one rnn_step",
            description_zh="只有一步（T=1）：结果与调用一次 rnn_step 相同",
        ),
        _case(
            rng,
            "batch1",
            5,
            1,
            4,
            3,
            3,
            zero_state=True,
            description="one sequence (N=1) of 5 steps",
            description_zh="一个序列（N=1），共 5 步",
        ),
        _case(rng, "square_dims", 3, 3, 4, 4, 2, hidden=True),
        _case(rng, "odd_sizes", 7, 5, 3, 6, 5, hidden=True),
        _case(rng, "long_sequence", 60, 4, 3, 8, 5, zero_state=True, hidden=True),
        _saturated(rng),
        _large_logits(rng),
        _non_contiguous(rng),
        _read_only(rng),
        # s0 = 0: an unstable softmax shows here on its own, even in code that also ignores s0.
        _large_logits(rng, "large_logits_zero_state", zero_state=True),
    ]
    return with_purposes(cases, PURPOSES)
