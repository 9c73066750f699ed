import numpy as np

from graders.cases import Case, with_purposes


def _case(rng, name, N, C, H, W, F, HH, WW, stride=1, pad=0, *, keywords=False, scale=1.0, hidden=False, **text):
    """A layer whose shapes divide exactly (the catalog promises it), with dout shaped like its output."""
    assert (H + 2 * pad - HH) % stride == 0 and (W + 2 * pad - WW) % stride == 0, name
    out_h, out_w = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    dout = rng.standard_normal((N, F, out_h, out_w))
    x = rng.standard_normal((N, C, H, W)) * scale
    w = rng.standard_normal((F, C, HH, WW))
    b = rng.standard_normal(F)
    if keywords:
        return Case(name, (dout, x, w, b), {"stride": stride, "pad": pad}, hidden=hidden, **text)
    return Case(name, (dout, x, w, b, stride, pad), hidden=hidden, **text)


def _read_only(rng):
    case = _case(rng, "read_only", 2, 2, 5, 5, 2, 3, 3, 1, 1, hidden=True)
    for array in case.args[:4]:
        array.flags.writeable = False
    return case


def _non_contiguous(rng):
    # stride 2, pad 1 on a 5x5 input: dout (2, 2, 3, 3) in Fortran order, x and w strided views
    dout = np.asfortranarray(rng.standard_normal((2, 2, 3, 3)))
    x = rng.standard_normal((2, 2, 5, 10))[..., ::2]
    w = rng.standard_normal((2, 2, 3, 3)).transpose(0, 1, 3, 2)
    return Case("non_contiguous", (dout, x, w, rng.standard_normal(2), 2, 1), hidden=True)


def _cases(rng: np.random.Generator) -> list[Case]:
    return [
        _case(
            rng,
            "stride2_pad1",
            2,
            3,
            5,
            5,
            2,
            3,
            3,
            2,
            1,
            description="N=2, C=3, 5x5 input, F=2 filters of 3x3, stride 2, pad 1: windows overlap by one pixel",
            description_zh="N=2，C=3，5x5 的输入，F=2 个 3x3 的滤波器，步长 2，填充 1：相邻窗口重叠一个像素",
        ),
        _case(
            rng,
            "stride1_pad0",
            2,
            2,
            6,
            6,
            3,
            3,
            3,
            description="N=2, C=2, 6x6, F=3 filters of 3x3, stride 1, no padding: every interior pixel is in 9 fields",
            description_zh="N=2，C=2，6x6，F=3 个 3x3 的滤波器，步长 1，不填充：每个内部像素属于 9 个感受野",
        ),
        _case(
            rng,
            "batch_of_one_pad2",
            1,
            1,
            4,
            4,
            2,
            3,
            3,
            1,
            2,
            keywords=True,
            description="one 4x4 image (N=1, C=1), 2 filters, pad 2 by keyword: dx is 4x4, not 8x8",
            description_zh="一张 4x4 的图像（N=1，C=1），2 个滤波器，按关键字传入 pad=2：dx 是 4x4，而不是 8x8",
        ),
        _case(
            rng,
            "non_overlapping",
            2,
            2,
            6,
            6,
            2,
            2,
            2,
            2,
            0,
            description="2x2 filters with stride 2: the fields tile the input without overlapping",
            description_zh="2x2 的滤波器、步长 2：感受野铺满输入且互不重叠",
        ),
        _case(rng, "one_by_one_kernel", 1, 4, 3, 5, 3, 1, 1, hidden=True),
        _case(rng, "rect_stride2_pad1", 2, 2, 7, 9, 2, 3, 5, 2, 1, hidden=True),
        _case(rng, "stride3", 2, 3, 11, 8, 2, 2, 2, 3, 0, keywords=True, hidden=True),
        _case(rng, "many_filters_one_channel", 3, 1, 5, 5, 5, 3, 3, 1, 1, hidden=True),
        _case(rng, "kernel_covers_input", 2, 2, 3, 4, 3, 3, 4, hidden=True),
        _case(rng, "large_magnitudes", 2, 2, 5, 5, 3, 3, 3, 1, 1, scale=1e3, hidden=True),
        _non_contiguous(rng),
        _read_only(rng),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "one_by_one_kernel": "purpose_one_by_one_kernel",
    "rect_stride2_pad1": "purpose_rectangular_kernel",
    "stride3": "purpose_stride_backward",
    "many_filters_one_channel": "purpose_many_filters_one_channel",
    "kernel_covers_input": "purpose_kernel_covers_input",
    "large_magnitudes": "purpose_large_magnitudes",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
