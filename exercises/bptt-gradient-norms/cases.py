import numpy as np

from graders.cases import Case, with_purposes


def _matrix(rng, H, radius):
    """A random (H, H) matrix scaled to the given spectral radius (largest |eigenvalue|)."""
    W = rng.standard_normal((H, H))
    return W * (radius / np.max(np.abs(np.linalg.eigvals(W))))


def _states(rng, T, N, H, W, *, input_scale, start_scale=0.0):
    """The hidden states of a real tanh RNN with this W, s_t = tanh(input_t + s_{t-1} @ W.T).

    Inputs are kept so that |pre-activation| < 12: every |s| < 1 in float64."""
    S = np.empty((T, N, H))
    s = start_scale * rng.standard_normal((N, H))
    for t in range(T):
        a = input_scale * rng.standard_normal((N, H)) + s @ W.T
        s = np.tanh(np.clip(a, -12.0, 12.0))
        S[t] = s
    return S


def _case(rng, name, T, N, H, radius, *, input_scale, start_scale=0.0, hidden=False, **text):
    W = _matrix(rng, H, radius)
    S = _states(rng, T, N, H, W, input_scale=input_scale, start_scale=start_scale)
    # A last-step gradient of norm below 1: clipping at max_norm = 1 leaves it, and any run that does
    # not explode, unchanged.
    g_T = 0.1 * rng.standard_normal((N, H))
    return Case(name, (g_T, S, W), hidden=hidden, **text)


def _orthogonal(rng):
    T, N, H = 60, 2, 5
    W, _ = np.linalg.qr(rng.standard_normal((H, H)))  # every |eigenvalue| is 1
    S = _states(rng, T, N, H, W, input_scale=1e-3)
    return Case("orthogonal_W", (0.1 * rng.standard_normal((N, H)), S, W), hidden=True)


def _read_only(rng):
    case = _case(rng, "read_only", 10, 2, 3, 0.8, input_scale=0.5, hidden=True)
    for array in case.args:
        array.flags.writeable = False
    return case


def _non_contiguous(rng):
    case = _case(rng, "non_contiguous", 12, 3, 4, 1.3, input_scale=1e-4, hidden=True)
    g_T, S, W = case.args
    return Case(
        case.name, (np.asfortranarray(g_T), S.transpose(1, 0, 2).copy().transpose(1, 0, 2), W.T.copy().T), hidden=True
    )


def _cases(rng: np.random.Generator) -> list[Case]:
    return [
        _case(
            rng,
            "exploding",
            50,
            2,
            6,
            1.5,
            input_scale=1e-9,
            description="spectral radius of W 1.5, states near 0 (1 - s^2 is about 1): going back, each step "
            "multiplies the gradient by about 1.5, so it grows by about 1e8 over 50 steps",
            description_zh="W 的谱半径为 1.5，状态接近 0（1 - s^2 约为 1）：每往回一步梯度约乘以 1.5，"
            "50 步后增长约 1e8 倍",
        ),
        _case(
            rng,
            "vanishing",
            50,
            2,
            6,
            0.5,
            input_scale=0.8,
            description="spectral radius 0.5: each step back shrinks the gradient, which all but vanishes over 50 steps",
            description_zh="谱半径为 0.5：每往回一步梯度都会缩小，50 步后几乎完全消失",
        ),
        _case(
            rng,
            "saturated",
            30,
            2,
            5,
            3.0,
            input_scale=4.0,
            description="spectral radius 3 but saturated states (|s| near 1): 1 - s^2 is tiny and the gradient "
            "vanishes anyway",
            description_zh="谱半径为 3，但状态已饱和（|s| 接近 1）：1 - s^2 很小，梯度照样消失",
        ),
        _case(
            rng,
            "T1",
            1,
            3,
            4,
            2.0,
            input_scale=0.5,
            description="a single step (T=1): only the norm of g_T itself",
            description_zh="只有一步（T=1）：只有 g_T 本身的范数",
        ),
        _case(rng, "long_exploding", 100, 2, 8, 1.2, input_scale=1e-10, hidden=True),
        _case(rng, "long_vanishing", 100, 3, 6, 0.6, input_scale=0.5, hidden=True),
        _case(rng, "batch_of_one", 20, 1, 4, 1.4, input_scale=1e-6, hidden=True),
        _case(rng, "one_hidden_unit", 25, 3, 1, 0.9, input_scale=0.3, hidden=True),
        _orthogonal(rng),
        _non_contiguous(rng),
        _read_only(rng),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "long_exploding": "purpose_exploding_radius",
    "long_vanishing": "purpose_vanishing_radius",
    "batch_of_one": "purpose_batch_of_one",
    "one_hidden_unit": "purpose_length_one_axis",
    "orthogonal_W": "purpose_orthogonal_w",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
