"""What sigmoid_backward differentiates (graders/gradcheck.py): L = sum(dout * sigmoid(z)).

For z > 5 the loss uses sigmoid(z) - 1 = -sigmoid(-z), which differs by a constant and so has the
same derivative (no case has z within a step of 5), but keeps every digit of a saturated sigmoid; math.fsum adds the terms exactly.
Otherwise a difference of 1e-10 between two sigmoids near 1 would drown in rounding.
"""

import math


def _shifted_sigmoid(value):
    if value > 5.0:
        e = math.exp(-value)
        return -e / (1.0 + e)  # sigmoid(value) - 1
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    e = math.exp(value)
    return e / (1.0 + e)


def loss(dout, z):
    pairs = zip(dout.reshape(-1).tolist(), z.reshape(-1).tolist(), strict=True)
    return math.fsum(d * _shifted_sigmoid(v) for d, v in pairs)


WRT = {"dz": "z"}
