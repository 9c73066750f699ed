import numpy as np

from graders.cases import Case, with_purposes

# The example of the statement: centred rows (2, 1), (-2, -1), (1, 2), (-1, -2) around the mean (3, 1).
WORKED = np.array([[5.0, 2.0], [1.0, 0.0], [4.0, 3.0], [2.0, -1.0]])


def _correlated(rng: np.random.Generator, n: int, d: int, scale: float = 1.0) -> np.ndarray:
    """Samples whose columns are correlated and not centred, as raw pixels of neighbouring positions are."""
    mixing = rng.standard_normal((d, d)) + 1.5 * np.eye(d)
    offsets = rng.uniform(-5.0, 5.0, size=d)
    return scale * (rng.standard_normal((n, d)) @ mixing + offsets)


def _cases(rng: np.random.Generator) -> list[Case]:
    rank_deficient = _correlated(rng, 10, 3)
    rank_deficient[:, 2] = rank_deficient[:, 0] - 2.0 * rank_deficient[:, 1]  # C has an eigenvalue 0
    constant = _correlated(rng, 8, 4)
    constant[:, 3] = -2.5
    readonly = _correlated(rng, 9, 3)
    readonly.flags.writeable = False
    return [
        Case(
            "worked_example",
            (WORKED.copy(),),
            description="the 4x2 example of the statement: C has eigenvalues 4.5 and 0.5, the output is about "
            "(+-1.4142, 0) and (0, +-1.4142)",
            description_zh="题目中的 4x2 例题：C 的特征值为 4.5 和 0.5，输出约为 (±1.4142, 0) 和 (0, ±1.4142)",
        ),
        Case(
            "correlated_columns",
            (_correlated(rng, 50, 4),),
            description="N=50 samples, D=4 correlated columns that are not centred",
            description_zh="N=50 个样本，D=4 列互相相关且未中心化",
        ),
        Case(
            "rank_deficient",
            (rank_deficient,),
            description="column 2 = column 0 - 2 * column 1, so C is singular: an eigenvalue is 0 and only eps keeps "
            "1/sqrt(S + eps) finite",
            description_zh="第 2 列 = 第 0 列 - 2 × 第 1 列，所以 C 是奇异的：有一个特征值为 0，只有 eps 能让 1/sqrt(S + eps) 保持有限",
        ),
        Case(
            "eps_by_keyword",
            (_correlated(rng, 12, 3, scale=0.3),),
            {"eps": 0.1},
            description="eps=0.1 passed by keyword: it is added to every eigenvalue, so the output's variance is "
            "S / (S + eps), below 1",
            description_zh="eps=0.1 按关键字传入：它加在每个特征值上，所以输出的方差是 S / (S + eps)，小于 1",
        ),
        Case("fewer_samples_than_columns", (_correlated(rng, 3, 5),), hidden=True),
        Case("batch_of_one", (_correlated(rng, 1, 3),), hidden=True),
        Case("constant_column", (constant,), hidden=True),
        Case("one_column", (_correlated(rng, 6, 1),), hidden=True),
        Case("odd_sizes", (_correlated(rng, 17, 7),), hidden=True),
        Case("eps_positional", (_correlated(rng, 9, 2), 1e-3), hidden=True),
        Case("large_scale", (_correlated(rng, 20, 3, scale=1e3),), hidden=True),
        Case("non_contiguous", (_correlated(rng, 11, 8)[:, ::2],), hidden=True),
        Case("read_only", (readonly,), hidden=True),
        Case("fortran_order", (np.asfortranarray(_correlated(rng, 10, 4)),), hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "fewer_samples_than_columns": "purpose_rank_deficient",
    "batch_of_one": "purpose_one_sample",
    "constant_column": "purpose_constant_column",
    "one_column": "purpose_length_one_axis",
    "odd_sizes": "purpose_odd_sizes",
    "eps_positional": "purpose_positional_argument",
    "large_scale": "purpose_large_scale",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
