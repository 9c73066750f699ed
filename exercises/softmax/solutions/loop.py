import math

import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    rows = z.reshape(-1, z.shape[-1])
    out = np.empty_like(rows)
    for r in range(rows.shape[0]):
        m = max(rows[r])
        exps = [math.exp(v - m) for v in rows[r]]
        total = math.fsum(exps)
        for c, e in enumerate(exps):
            out[r, c] = e / total
    return out.reshape(z.shape)
