import numpy as np

from graders.cases import Case, with_purposes


def _params(rng, H, D, scale=0.5):
    """W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o in the order of the signature."""
    params = []
    for _ in range(4):
        params.append(scale * rng.standard_normal((H, H + D)))
        params.append(scale * rng.standard_normal(H))
    return tuple(params)


def _case(
    rng, name, N, H, D, *, zero_state=False, scale=0.5, cell_scale=1.0, hidden=False, description="", description_zh=""
):
    x_t = rng.standard_normal((N, D))
    if zero_state:
        h_prev, c_prev = np.zeros((N, H)), np.zeros((N, H))
    else:
        h_prev = np.tanh(rng.standard_normal((N, H)))
        c_prev = cell_scale * rng.standard_normal((N, H))
    return Case(
        name,
        (x_t, h_prev, c_prev, *_params(rng, H, D, scale)),
        hidden=hidden,
        description=description,
        description_zh=description_zh,
    )


def _biases_only(rng):
    # Term isolation: with every weight zero, f, i, o are sigmoid of their biases and c_tilde = tanh(b_c),
    # whatever x_t and h_prev are.
    N, H, D = 3, 3, 2
    x_t = rng.standard_normal((N, D))
    h_prev = np.tanh(rng.standard_normal((N, H)))
    c_prev = rng.standard_normal((N, H))
    params = []
    for _ in range(4):
        params.append(np.zeros((H, H + D)))
        params.append(rng.standard_normal(H))
    return Case(
        "biases_only",
        (x_t, h_prev, c_prev, *params),
        description="every weight is zero: f, i, o = sigmoid(bias), c_tilde = tanh(b_c), which checks each gate alone",
        description_zh="所有权重都为零：f, i, o = sigmoid(bias)，c_tilde = tanh(b_c)，由此单独检查每个门",
    )


def _non_contiguous(rng):
    N, H, D = 3, 4, 2
    x_t = rng.standard_normal((N, 2 * D))[:, ::2]
    h_prev = np.tanh(rng.standard_normal((H, N))).T
    c_prev = np.asfortranarray(rng.standard_normal((N, H)))
    W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o = _params(rng, H, D)
    W_f = np.asfortranarray(W_f)
    W_c = (0.5 * rng.standard_normal((H + D, H))).T
    b_i = (0.5 * rng.standard_normal(2 * H))[::2]
    return Case("non_contiguous", (x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 3, 4, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "square_dims": "purpose_square_sizes",
    "biases_only": "purpose_bias_only",
    "odd_sizes": "purpose_odd_sizes",
    "H1_hidden": "purpose_length_one_axis",
    "square_batch1": "purpose_square_sizes",
    "large_preactivation": "purpose_large_preactivation",
    "large_cell_state": "purpose_large_cell_state",
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
            description="N=2, H=3, D=2 with nonzero h_prev and c_prev",
            description_zh="N=2，H=3，D=2，h_prev 和 c_prev 不为零",
        ),
        _case(
            rng,
            "zero_state",
            3,
            4,
            3,
            zero_state=True,
            description="the first step: h_prev = c_prev = 0, so c_t = i * c_tilde",
            description_zh="第一步：h_prev = c_prev = 0，所以 c_t = i * c_tilde",
        ),
        _case(
            rng,
            "square_dims",
            2,
            3,
            3,
            description="H = D = 3: [x_t, h_prev] in the wrong order has the right shape, only wrong values",
            description_zh="H = D = 3：按错误顺序拼成的 [x_t, h_prev] 形状正确，只是数值错了",
        ),
        _case(
            rng,
            "batch1",
            1,
            2,
            4,
            description="a batch of one sequence (N=1)",
            description_zh="批次中只有一个序列（N=1）",
        ),
        _biases_only(rng),
        _case(rng, "odd_sizes", 5, 7, 3, hidden=True),
        _case(rng, "H1_hidden", 3, 1, 2, hidden=True),
        _case(rng, "square_batch1", 1, 4, 4, hidden=True),
        # Pre-activations up to about +-1000: the gates saturate at exactly 0 or 1.
        _case(rng, "large_preactivation", 4, 3, 2, scale=300.0, hidden=True),
        # A large remembered cell state: tanh(c_t) saturates, c_t itself does not.
        _case(rng, "large_cell_state", 3, 4, 2, cell_scale=50.0, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]
    return with_purposes(cases, PURPOSES)
