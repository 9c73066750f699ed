import numpy as np

from graders.cases import Case, with_purposes


def _distinct(rng, shape, scale=1.0):
    """Values at least 0.05 * scale apart everywhere: no ties inside a window (the catalog's promise)."""
    size = int(np.prod(shape))
    return (rng.permutation(size) - size / 2).reshape(shape) * (0.05 * scale) + rng.uniform(0, 0.01 * scale, shape)


def _case(rng, name, N, C, H, W, ph, pw, stride, *, scale=1.0, hidden=False, **text):
    out_h, out_w = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    x = _distinct(rng, (N, C, H, W), scale)
    dout = rng.standard_normal((N, C, out_h, out_w))
    return Case(name, (dout, x, ph, pw, stride), hidden=hidden, **text)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 2, 5, 5, 3, 3, 2, hidden=True)
    for array in case.args[:2]:
        array.flags.writeable = False
    return case


def _non_contiguous(rng):
    x = _distinct(rng, (2, 3, 6, 12))[..., ::2]
    dout = np.asfortranarray(rng.standard_normal((2, 3, 3, 3)))
    return Case("non_contiguous", (dout, x, 2, 2, 2), hidden=True)


def _cases(rng: np.random.Generator) -> list[Case]:
    return [
        _case(
            rng,
            "2x2_stride2",
            2,
            2,
            4,
            4,
            2,
            2,
            2,
            description="2x2 windows, stride 2: the windows tile the input, one gradient per window",
            description_zh="2x2 的窗口、步长 2：窗口铺满输入，每个窗口一个梯度",
        ),
        _case(
            rng,
            "3x3_stride1_overlap",
            1,
            2,
            5,
            5,
            3,
            3,
            1,
            description="3x3 windows, stride 1: windows overlap, a shared maximum collects several gradients",
            description_zh="3x3 的窗口、步长 1：窗口相互重叠，被多个窗口共享的最大值会收到多份梯度",
        ),
        _case(
            rng,
            "3x3_stride2_overlap",
            2,
            1,
            7,
            7,
            3,
            3,
            2,
            description="3x3 windows, stride 2: neighbouring windows share one row or column",
            description_zh="3x3 的窗口、步长 2：相邻窗口共享一行或一列",
        ),
        _case(
            rng,
            "rect_window_floor",
            2,
            2,
            5,
            7,
            2,
            3,
            2,
            description="2x3 windows, stride 2 on 5x7: H' = 2, W' = 3; the last row is in no window and gets 0",
            description_zh="在 5x7 上用 2x3 的窗口、步长 2：H' = 2，W' = 3；最后一行不属于任何窗口，梯度为 0",
        ),
        _case(rng, "batch_of_one", 1, 3, 4, 6, 2, 2, 2, hidden=True),
        _case(rng, "global_pool", 2, 3, 4, 5, 4, 5, 1, hidden=True),
        _case(rng, "one_by_one", 2, 2, 3, 3, 1, 1, 1, hidden=True),
        _case(rng, "tall_window_stride1", 1, 2, 6, 4, 3, 2, 1, hidden=True),
        _case(rng, "stride3_remainder", 2, 2, 8, 8, 2, 2, 3, hidden=True),
        _case(rng, "large_magnitudes", 2, 2, 6, 6, 3, 3, 3, scale=1e4, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "global_pool": "purpose_kernel_covers_input",
    "one_by_one": "purpose_one_by_one_window",
    "tall_window_stride1": "purpose_overlapping_windows",
    "stride3_remainder": "purpose_uncovered_positions",
    "large_magnitudes": "purpose_large_magnitudes",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
