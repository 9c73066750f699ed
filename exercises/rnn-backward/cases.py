import numpy as np

from graders.cases import Case, with_purposes


def _case(rng, name, T, N, D, H, *, zero_state=False, scale=0.5, last_only=False, hidden=False, **text):
    dS = rng.standard_normal((T, N, H))
    if last_only:
        dS[:-1] = 0.0
    xs = rng.standard_normal((T, N, D))
    s0 = np.zeros((N, H)) if zero_state else np.tanh(rng.standard_normal((N, H)))
    U = scale * rng.standard_normal((H, D))
    W = scale * rng.standard_normal((H, H))
    return Case(name, (dS, xs, s0, U, W), hidden=hidden, **text)


def _non_contiguous(rng):
    T, N, D, H = 4, 3, 2, 5
    dS = rng.standard_normal((N, T, H)).transpose(1, 0, 2)
    xs = np.asfortranarray(rng.standard_normal((T, N, D)))
    s0 = np.tanh(rng.standard_normal((H, N))).T
    U = 0.5 * rng.standard_normal((D, H)).T
    W = (0.5 * rng.standard_normal((H, 2 * H)))[:, ::2]
    return Case("non_contiguous", (dS, xs, s0, U, W), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 3, 2, 3, 3, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


def _cases(rng: np.random.Generator) -> list[Case]:
    return [
        _case(
            rng,
            "small_sequence",
            3,
            2,
            3,
            4,
            zero_state=True,
            description="T=3, N=2, D=3, H=4 from s0 = 0, a loss gradient at every step",
            description_zh="T=3，N=2，D=3，H=4，从 s0 = 0 开始，每一步都有损失梯度",
        ),
        _case(
            rng,
            "nonzero_s0",
            4,
            2,
            2,
            3,
            description="T=4 from a nonzero s0: ds0 is the gradient of that argument",
            description_zh="T=4，从非零的 s0 开始：ds0 就是这个参数的梯度",
        ),
        _case(
            rng,
            "loss_at_last_step",
            5,
            2,
            3,
            3,
            last_only=True,
            description="only the last step has a loss (dS[t] = 0 before): every other gradient flows back through W",
            description_zh="只有最后一步有损失（之前的 dS[t] = 0）：其余所有梯度都要经过 W 往回流",
        ),
        _case(
            rng,
            "T1_sequence",
            1,
            3,
            2,
            4,
            description="a single step (T=1): the same as rnn_step_backward",
            description_zh="只有一步（T=1）：结果与 rnn_step_backward 相同",
        ),
        _case(rng, "batch_of_one", 5, 1, 3, 3, zero_state=True, hidden=True),
        _case(rng, "square_dims", 3, 3, 4, 4, hidden=True),
        _case(rng, "odd_sizes", 6, 5, 3, 6, hidden=True),
        _case(rng, "saturated_tanh", 4, 2, 3, 4, scale=6.0, hidden=True),
        _case(rng, "long_sequence", 40, 3, 2, 5, zero_state=True, scale=0.4, hidden=True),
        _case(rng, "long_loss_at_end", 30, 2, 3, 4, last_only=True, scale=0.6, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "square_dims": "purpose_square_sizes",
    "odd_sizes": "purpose_odd_sizes",
    "saturated_tanh": "purpose_saturated_backward",
    "long_sequence": "purpose_long_sequence",
    "long_loss_at_end": "purpose_loss_at_the_end",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
