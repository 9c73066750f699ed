"""What dense_backward differentiates (graders/gradcheck.py): L = sum(dout * (x @ W + b))."""

import math


def loss(dout, x, W, b):
    # Written out with loops over plain floats: independent of the reference's matrix products.
    N, D = x.shape
    M = W.shape[1]
    xs, Ws, bs, ds = x.tolist(), W.tolist(), b.tolist(), dout.tolist()
    terms = []
    for n in range(N):
        for m in range(M):
            y = math.fsum(xs[n][d] * Ws[d][m] for d in range(D)) + bs[m]
            terms.append(ds[n][m] * y)
    return math.fsum(terms)


WRT = {"dx": "x", "dW": "W", "db": "b"}
# L is linear in each of x, W and b: centered differences are exact for any step, and a step of 1
# keeps the rounding of a loss near 1e7 (the large-magnitude case) far below the gradient.
STEP = 1.0
