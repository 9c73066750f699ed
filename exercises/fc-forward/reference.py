def fc_forward(x, W, b):
    x_flat = x.reshape(x.shape[0], -1)  # row-major (C order): the last axis varies fastest
    return x_flat @ W + b
