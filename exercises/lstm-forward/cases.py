import numpy as np

from graders.cases import Case, with_purposes


def _params(rng, H, D, scale=0.5):
    """W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o in the order of the signature."""
    params = []
    for _ in range(4):
        params.append(scale * rng.standard_normal((H, H + D)))
        params.append(scale * rng.standard_normal(H))
    return params


def _case(
    rng,
    name,
    T,
    N,
    D,
    H,
    *,
    zero_state=False,
    scale=0.5,
    cell_scale=1.0,
    forget_bias=0.0,
    hidden=False,
    description="",
    description_zh="",
):
    xs = rng.standard_normal((T, N, D))
    if zero_state:
        h0, c0 = np.zeros((N, H)), np.zeros((N, H))
    else:
        h0 = np.tanh(rng.standard_normal((N, H)))
        c0 = cell_scale * rng.standard_normal((N, H))
    params = _params(rng, H, D, scale)
    params[1] = params[1] + forget_bias
    return Case(name, (xs, h0, c0, *params), hidden=hidden, description=description, description_zh=description_zh)


def _non_contiguous(rng):
    T, N, D, H = 4, 3, 2, 3
    xs = rng.standard_normal((N, T, D)).transpose(1, 0, 2)  # (T, N, D) as a view of (N, T, D)
    h0 = np.tanh(rng.standard_normal((H, N))).T
    c0 = np.asfortranarray(rng.standard_normal((N, H)))
    W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o = _params(rng, H, D)
    W_i = np.asfortranarray(W_i)
    W_o = (0.5 * rng.standard_normal((H + D, H))).T
    b_c = (0.5 * rng.standard_normal(2 * H))[::2]
    return Case("non_contiguous", (xs, h0, c0, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 3, 2, 3, 2, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "square_dims": "purpose_square_sizes",
    "odd_sizes": "purpose_odd_sizes",
    "long_sequence": "purpose_long_sequence",
    "large_preactivation": "purpose_large_preactivation",
    "large_cell_state": "purpose_large_cell_state",
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
            zero_state=True,
            description="T=3, N=2, D=3, H=4 starting from h0 = c0 = 0",
            description_zh="T=3，N=2，D=3，H=4，从 h0 = c0 = 0 开始",
        ),
        _case(
            rng,
            "nonzero_states",
            4,
            2,
            2,
            3,
            description="T=4 starting from nonzero h0 and c0",
            description_zh="T=4，从非零的 h0 和 c0 开始",
        ),
        _case(
            rng,
            "T1_sequence",
            1,
            3,
            3,
            2,
            description="a single step (T=1): the same result as one lstm_step",
            description_zh="只有一步（T=1）：结果与调用一次 lstm_step 相同",
        ),
        _case(
            rng,
            "batch1",
            5,
            1,
            4,
            3,
            zero_state=True,
            description="one sequence (N=1) of 5 steps",
            description_zh="一个序列（N=1），共 5 步",
        ),
        _case(rng, "square_dims", 4, 3, 3, 3, hidden=True),
        _case(rng, "odd_sizes", 7, 5, 3, 6, hidden=True),
        # A forget bias of +1, as often used in practice: memories last longer.
        _case(rng, "long_sequence", 50, 3, 4, 8, forget_bias=1.0, hidden=True),
        # Pre-activations up to about +-1000: the gates saturate at exactly 0 or 1.
        _case(rng, "large_preactivation", 3, 4, 2, 3, scale=300.0, hidden=True),
        _case(rng, "large_cell_state", 3, 2, 2, 4, cell_scale=50.0, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]
    return with_purposes(cases, PURPOSES)
