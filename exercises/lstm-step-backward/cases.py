import numpy as np

from graders.cases import Case, with_purposes


def _params(rng, H, D, scale=0.5):
    params = []
    for _ in range(4):  # W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o
        params.append(scale * rng.standard_normal((H, H + D)))
        params.append(scale * rng.standard_normal(H))
    return params


def _case(
    rng, name, N, H, D, *, zero_state=False, scale=0.5, cell_scale=1.0, no_dh=False, no_dc=False, hidden=False, **text
):
    dh = np.zeros((N, H)) if no_dh else rng.standard_normal((N, H))
    dc = np.zeros((N, H)) if no_dc else rng.standard_normal((N, H))
    x_t = rng.standard_normal((N, D))
    if zero_state:
        h_prev, c_prev = np.zeros((N, H)), np.zeros((N, H))
    else:
        h_prev = np.tanh(rng.standard_normal((N, H)))
        c_prev = cell_scale * rng.standard_normal((N, H))
    return Case(name, (dh, dc, x_t, h_prev, c_prev, *_params(rng, H, D, scale)), hidden=hidden, **text)


def _non_contiguous(rng):
    case = _case(rng, "non_contiguous", 3, 4, 2, hidden=True)
    args = list(case.args)
    args[0] = np.asfortranarray(args[0])
    args[2] = np.repeat(args[2], 2, axis=1)[:, ::2]
    args[5] = args[5].T.copy().T  # W_f in Fortran order
    args[8] = np.repeat(args[8], 2)[::2]  # b_i a strided view
    return Case(case.name, tuple(args), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 3, 2, hidden=True)
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
            2,
            description="N=2, H=3, D=2, gradients arriving at both h_t and c_t",
            description_zh="N=2，H=3，D=2，h_t 和 c_t 处都有梯度传来",
        ),
        _case(
            rng,
            "first_step",
            3,
            2,
            3,
            zero_state=True,
            description="h_prev = c_prev = 0: the forget gate had nothing to forget, so dW_f and db_f are zero",
            description_zh="h_prev = c_prev = 0：遗忘门没有可遗忘的内容，所以 dW_f 和 db_f 为零",
        ),
        _case(
            rng,
            "last_step",
            2,
            3,
            2,
            no_dc=True,
            description="dc = 0, as at the last step of a sequence: c_t gets its gradient through h_t only",
            description_zh="dc = 0，如同序列的最后一步：c_t 只能经由 h_t 得到梯度",
        ),
        _case(
            rng,
            "cell_path_only",
            2,
            3,
            3,
            no_dh=True,
            description="dh = 0, H = D = 3: only the gradient along the cell state flows, and dc_prev = dc * f",
            description_zh="dh = 0，H = D = 3：只有沿细胞状态的梯度在流动，dc_prev = dc * f",
        ),
        _case(rng, "batch_of_one", 1, 2, 4, hidden=True),
        _case(rng, "square_dims", 2, 3, 3, hidden=True),
        _case(rng, "odd_sizes", 5, 4, 3, hidden=True),
        _case(rng, "one_hidden_unit", 3, 1, 2, hidden=True),
        _case(rng, "saturated_gates", 3, 3, 2, scale=8.0, hidden=True),
        _case(rng, "large_cell_state", 2, 4, 2, cell_scale=20.0, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "square_dims": "purpose_square_sizes",
    "odd_sizes": "purpose_odd_sizes",
    "one_hidden_unit": "purpose_length_one_axis",
    "saturated_gates": "purpose_saturated_gates",
    "large_cell_state": "purpose_large_cell_state",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
