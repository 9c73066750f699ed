def dense_backward(dout, x, W, b):
    dx = dout @ W.T  # (N, M) @ (M, D) -> (N, D)
    dW = x.T @ dout  # (D, N) @ (N, M) -> (D, M): summed over the batch by the product
    db = dout.sum(axis=0)  # (M,): b is added to every row
    return dx, dW, db
