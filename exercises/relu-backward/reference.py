def relu_backward(dout, x):
    # d relu(x) / dx is 1 where x > 0 and 0 elsewhere (0 at x == 0 by convention).
    return dout * (x > 0)
