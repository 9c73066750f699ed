import numpy as np

from graders.cases import Case, with_purposes


def _layer(rng, n, c, h, w, f, hh, ww):
    return rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, hh, ww)), rng.standard_normal(f)


def _exact(case: Case) -> Case:
    """The catalog promises shapes where (H + 2*pad - HH) and (W + 2*pad - WW) divide by the stride."""
    x, w = case.args[0], case.args[1]
    stride = case.args[3] if len(case.args) > 3 else case.kwargs.get("stride", 1)
    pad = case.args[4] if len(case.args) > 4 else case.kwargs.get("pad", 0)
    for size, kernel in ((x.shape[2], w.shape[2]), (x.shape[3], w.shape[3])):
        assert (size + 2 * pad - kernel) % stride == 0, f"{case.name}: the stride does not divide evenly"
    return case


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one_1x1": "purpose_one_by_one_kernel",
    "rect_stride2_pad1": "purpose_rectangular_kernel",
    "stride3": "purpose_large_stride",
    "many_filters_one_channel": "purpose_length_one_axis",
    "zeros_input": "purpose_bias_only",
    "kernel_covers_input": "purpose_kernel_covers_input",
    "large_integers": "purpose_large_integers",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
    "column_kernel": "purpose_thin_kernel",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    demo = (
        rng.integers(0, 3, size=(1, 3, 5, 5)).astype(float),
        rng.integers(-1, 2, size=(2, 3, 3, 3)).astype(float),
        np.array([1.0, 0.0]),
    )
    readonly = _layer(rng, 2, 2, 5, 5, 2, 3, 3)
    for array in readonly:
        array.flags.writeable = False
    x_fortran, w_fortran, b_fortran = _layer(rng, 2, 3, 6, 6, 2, 3, 3)
    x_strided = rng.standard_normal((2, 2, 5, 10))[..., ::2]
    big = (
        rng.integers(-1000, 1001, size=(2, 2, 5, 5)).astype(float),
        rng.integers(-5, 6, size=(3, 2, 3, 3)).astype(float),
        rng.integers(-100, 101, size=3).astype(float),
    )
    cases = [
        Case(
            "two_filters_stride2_pad1",
            (*demo, 2, 1),
            description="one 5x5 input with C=3, 2 filters of 3x3x3, stride 2, pad 1 -> output (1, 2, 3, 3)",
            description_zh="一个 C=3 的 5x5 输入，2 个 3x3x3 的滤波器，步长 2，填充 1 -> 输出 (1, 2, 3, 3)",
        ),
        Case(
            "stride1_pad0",
            _layer(rng, 2, 2, 6, 6, 3, 3, 3),
            description="N=2, C=2, 6x6, F=3 filters 3x3, defaults stride=1 pad=0 -> (2, 3, 4, 4)",
            description_zh="N=2，C=2，6x6，F=3 个 3x3 的滤波器，使用默认值 stride=1、pad=0 -> (2, 3, 4, 4)",
        ),
        Case(
            "pad2",
            _layer(rng, 2, 1, 4, 4, 2, 3, 3),
            {"stride": 1, "pad": 2},
            description="N=2, C=1, 4x4, F=2 filters 3x3, pad 2 -> (2, 2, 6, 6)",
            description_zh="N=2，C=1，4x4，F=2 个 3x3 的滤波器，填充 2 -> (2, 2, 6, 6)",
        ),
        Case("batch_of_one_1x1", _layer(rng, 1, 4, 3, 5, 3, 1, 1), hidden=True),
        Case("rect_stride2_pad1", (*_layer(rng, 2, 2, 7, 9, 2, 3, 5), 2, 1), hidden=True),
        Case("stride3", (*_layer(rng, 2, 3, 11, 8, 2, 2, 2),), {"stride": 3}, hidden=True),
        Case("many_filters_one_channel", (*_layer(rng, 3, 1, 5, 5, 5, 3, 3), 1, 1), hidden=True),
        Case(
            "zeros_input",
            (np.zeros((2, 2, 4, 4)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)),
            {"pad": 1},
            hidden=True,
        ),
        Case("kernel_covers_input", _layer(rng, 2, 2, 3, 4, 3, 3, 4), hidden=True),
        Case("large_integers", big, {"stride": 1, "pad": 1}, hidden=True),
        Case(
            "non_contiguous",
            (x_strided, rng.standard_normal((2, 2, 3, 3)), rng.standard_normal(2), 2, 1),
            hidden=True,
        ),
        Case("read_only", readonly, {"pad": 1}, hidden=True),
        Case(
            "fortran_order",
            (np.asfortranarray(x_fortran), np.asfortranarray(w_fortran), b_fortran),
            {"stride": 3},
            hidden=True,
        ),
        # Code that assumes a square kernel gets the output size wrong here, instead of failing to broadcast.
        Case("column_kernel", _layer(rng, 2, 2, 5, 4, 2, 3, 1), {"pad": 1}, hidden=True),
    ]
    return with_purposes([_exact(case) for case in cases], PURPOSES)
