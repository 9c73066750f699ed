import numpy as np

from graders.cases import Case, with_purposes

# The example of the statement (the one of max-pool-forward, averaged instead).
WORKED = np.array(
    [
        [
            [
                [1.0, 3.0, 2.0, 1.0],
                [4.0, 2.0, 0.0, 5.0],
                [-1.0, 0.0, 6.0, 2.0],
                [3.0, 1.0, -2.0, 4.0],
            ]
        ]
    ]
)


def _cases(rng: np.random.Generator) -> list[Case]:
    def normal(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape)

    readonly = normal(2, 2, 6, 6)
    readonly.flags.writeable = False
    return [
        Case(
            "worked_example",
            (WORKED.copy(), 2, 2, 2),
            description="the 4x4 example of the statement, N=C=1: the means 2.5, 2, 0.75, 2.5",
            description_zh="题目中的 4x4 例题，N=C=1：平均值为 2.5、2、0.75、2.5",
        ),
        Case(
            "pool2_stride2",
            (normal(2, 3, 4, 4), 2, 2, 2),
            description="N=2, C=3, 4x4, 2x2 windows, stride 2",
            description_zh="N=2，C=3，4x4，2x2 的窗口，步长 2",
        ),
        Case(
            "overlap_pool3_stride2",
            (normal(1, 2, 7, 7), 3, 3, 2),
            description="3x3 windows with stride 2 overlap: a value on a shared row or column counts in two "
            "windows; 1 + (7 - 3)//2 = 3",
            description_zh="3x3 的窗口配合步长 2 会互相重叠：位于共享行/列上的值会计入两个窗口；1 + (7 - 3)//2 = 3",
        ),
        Case(
            "remainder_floor",
            (normal(2, 1, 5, 7), 2, 2, 2),
            description="5x7 input, 2x2 windows, stride 2: the floor gives 2x3; the last row and column, which only "
            "partial windows would reach, are not used",
            description_zh="5x7 的输入，2x2 的窗口，步长 2：向下取整得到 2x3；只有不完整的窗口才能覆盖的最后一行和最后一列不参与计算",
        ),
        Case(
            "overlap_rect_stride1",
            (normal(2, 2, 6, 7),),
            {"pool_height": 2, "pool_width": 3, "stride": 1},
            hidden=True,
        ),
        Case("batch_of_one", (normal(1, 4, 6, 6), 3, 3, 3), hidden=True),
        Case("stride_exceeds_pool", (normal(2, 2, 9, 9), 2, 2), {"stride": 3}, hidden=True),
        Case("global_pool", (normal(3, 2, 5, 4), 5, 4, 1), hidden=True),
        Case("odd_sizes_remainder", (normal(1, 3, 9, 11), 3, 2, 2), hidden=True),
        Case("positive_values", (np.abs(normal(2, 2, 4, 6)) + 0.5, 2, 3, 2), hidden=True),
        Case("zeros", (np.zeros((1, 2, 4, 4)), 2, 2, 2), hidden=True),
        Case("large_magnitudes", (normal(2, 2, 6, 6) * 1e8, 2, 2, 2), hidden=True),
        Case("non_contiguous", (normal(2, 2, 5, 12)[..., ::2], 3, 2, 2), hidden=True),
        Case("read_only", (readonly, 3, 3, 1), hidden=True),
        Case("fortran_order", (np.asfortranarray(normal(2, 3, 7, 5)), 2, 2, 2), hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "overlap_rect_stride1": "purpose_overlapping_pool_windows",
    "batch_of_one": "purpose_batch_of_one",
    "stride_exceeds_pool": "purpose_large_stride",
    "global_pool": "purpose_kernel_covers_input",
    "odd_sizes_remainder": "purpose_rounded_size",
    "positive_values": "purpose_positive_values",
    "zeros": "purpose_zeros",
    "large_magnitudes": "purpose_large_magnitudes",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
