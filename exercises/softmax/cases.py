import numpy as np

from graders.cases import Case, with_purposes

# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "large_inputs": "purpose_large_logits",
    "equal_scores": "purpose_equal_scores",
    "single_class": "purpose_length_one_axis",
    "batch_of_one": "purpose_batch_of_one",
    "square": "purpose_square_softmax",
    "large_negative": "purpose_large_negative_scores",
    "rows_far_apart": "purpose_rows_far_apart",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    strided = (rng.standard_normal((3, 10)) * 4.0)[:, ::2]
    readonly = rng.standard_normal((4, 4)) * 2.0
    readonly.flags.writeable = False
    fortran = np.asfortranarray(rng.standard_normal((5, 3)))
    spread = np.stack([rng.uniform(-5.0, 5.0, size=4) + shift for shift in (1000.0, 0.0, -1000.0)])
    cases = [
        Case(
            "vector",
            (np.array([1.0, 2.0, 3.0]),),
            description="one vector of 3 scores",
            description_zh="一个包含 3 个分数的向量",
        ),
        Case(
            "batch_rows",
            (rng.standard_normal((4, 5)) * 2.0,),
            description="N=4 rows of 5 classes: each row is normalised on its own",
            description_zh="N=4 行，每行 5 个类别：每一行各自归一化",
        ),
        Case(
            "large_inputs",
            (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0], [3.0, 1.0, 0.2]]),),
            description="scores near +-1000: exp overflows (or underflows to 0/0) unless you subtract each row's max",
            description_zh="分数接近 +-1000：除非减去每一行的最大值，否则 exp 会溢出（或下溢成 0/0）",
        ),
        Case(
            "three_d",
            (rng.standard_normal((2, 3, 4)),),
            description="ndim 3, e.g. (T, N, K) RNN outputs: softmax over the last axis only",
            description_zh="ndim 为 3，例如形状为 (T, N, K) 的 RNN 输出：只沿最后一个轴做 softmax",
        ),
        Case("equal_scores", (np.zeros((2, 5)),), hidden=True),
        Case("single_class", (rng.standard_normal((3, 1)),), hidden=True),
        Case("batch_of_one", (rng.standard_normal((1, 6)) * 3.0,), hidden=True),
        Case("square", (rng.standard_normal((4, 4)) * 3.0,), hidden=True),
        Case("large_negative", (rng.uniform(-1200.0, -1000.0, size=(3, 3)),), hidden=True),
        Case("rows_far_apart", (spread,), hidden=True),
        Case("non_contiguous", (strided,), hidden=True),
        Case("read_only", (readonly,), hidden=True),
        Case("fortran_order", (fortran,), hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
