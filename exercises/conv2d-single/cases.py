import numpy as np

from graders.cases import Case, with_purposes

# Interview question 20's example: this filter on this window gives 4*0 + ... + -4*2 = -8.
QUESTION_20_WINDOW = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 2.0]])
QUESTION_20_FILTER = np.array([[4.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -4.0]])


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "rect_kernel_stride3_pad1": "purpose_rectangular_kernel",
    "odd_sizes_stride2_pad2": "purpose_rectangular_kernel",
    "stride_exceeds_kernel": "purpose_large_stride",
    "one_by_one_kernel": "purpose_one_by_one_kernel",
    "kernel_equals_image": "purpose_kernel_covers_input",
    "zeros_image_pad1": "purpose_zeros",
    "large_values": "purpose_large_integers",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
    "column_kernel": "purpose_thin_kernel",
    "symmetric_kernel_stride2": "purpose_symmetric_kernel_stride",
}


def _symmetric(kernel: np.ndarray) -> np.ndarray:
    """The kernel made equal to itself turned by 180 degrees, so that kernel[::-1, ::-1] is kernel."""
    return (kernel + kernel[::-1, ::-1]) / 2.0


def make_cases(rng: np.random.Generator) -> list[Case]:
    def normal(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape)

    readonly_image, readonly_kernel = normal(6, 5), normal(3, 3)
    readonly_image.flags.writeable = False
    readonly_kernel.flags.writeable = False
    cases = [
        Case(
            "question20_example",
            (QUESTION_20_WINDOW.copy(), QUESTION_20_FILTER.copy()),
            description="interview question 20: the filter [[4,0,0],[0,0,0],[0,0,-4]] on the window "
            "[[0,0,0],[0,1,1],[0,1,2]] gives 4*0 + ... + -4*2 = -8 (a flipped kernel gives +8)",
            description_zh="面试题第 20 题：滤波器 [[4,0,0],[0,0,0],[0,0,-4]] 作用在窗口 [[0,0,0],[0,1,1],[0,1,2]] 上，"
            "得到 4*0 + ... + -4*2 = -8（翻转卷积核会得到 +8）",
        ),
        Case(
            "stride2_pad1",
            (normal(7, 7), normal(3, 3), 2, 1),
            description="7x7 image, 3x3 kernel, stride 2, pad 1: output (7 + 2 - 3)//2 + 1 = 4, so 4x4",
            description_zh="7x7 的图像，3x3 的卷积核，步长 2，填充 1：输出边长为 (7 + 2 - 3)//2 + 1 = 4，即 4x4",
        ),
        Case(
            "pad2",
            (normal(5, 6), normal(3, 3)),
            {"pad": 2},
            description="5x6 image, 3x3 kernel, pad 2 (stride 1): output 7x8",
            description_zh="5x6 的图像，3x3 的卷积核，填充 2（步长 1）：输出为 7x8",
        ),
        Case(
            "remainder_stride2",
            (normal(8, 10), normal(3, 3)),
            {"stride": 2},
            description="8x10 image, 3x3 kernel, stride 2: (8 - 3)/2 leaves a remainder, the floor gives 3x4",
            description_zh="8x10 的图像，3x3 的卷积核，步长 2：(8 - 3)/2 除不尽，向下取整得到 3x4",
        ),
        Case("rect_kernel_stride3_pad1", (normal(9, 12), normal(2, 4), 3, 1), hidden=True),
        Case("odd_sizes_stride2_pad2", (normal(11, 4), normal(3, 2)), {"stride": 2, "pad": 2}, hidden=True),
        Case("stride_exceeds_kernel", (normal(9, 9), normal(2, 2), 4), hidden=True),
        Case("one_by_one_kernel", (normal(4, 5), np.array([[2.5]])), hidden=True),
        Case("kernel_equals_image", (normal(3, 4), normal(3, 4)), hidden=True),
        Case("zeros_image_pad1", (np.zeros((5, 5)), normal(3, 3), 1, 1), hidden=True),
        Case(
            "large_values",
            (rng.integers(-1000, 1001, size=(6, 6)).astype(float), rng.integers(-5, 6, size=(3, 3)).astype(float)),
            {"stride": 1, "pad": 1},
            hidden=True,
        ),
        Case("non_contiguous", (normal(6, 14)[:, ::2], normal(3, 3)), hidden=True),
        Case("read_only", (readonly_image, readonly_kernel), {"pad": 1}, hidden=True),
        Case("fortran_order", (np.asfortranarray(normal(7, 5)), np.asfortranarray(normal(3, 2)), 2, 1), hidden=True),
        # Code that assumes a square kernel gets the output size wrong here, instead of failing to broadcast.
        Case("column_kernel", (normal(6, 5), normal(3, 1)), {"pad": 1}, hidden=True),
        # Flipping this kernel changes nothing, so a stride mistake shows here even next to a flipped kernel.
        Case("symmetric_kernel_stride2", (normal(9, 8), _symmetric(normal(3, 3))), {"stride": 2}, hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
