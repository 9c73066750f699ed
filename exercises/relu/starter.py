def relu(x):
    """Return max(0, x) elementwise, as a new array of the same shape as x."""
    # TODO: replace this line with your implementation
    return x
