"""Parameterized questions of the CNN quiz (interview question 20).

For each question ``name``: ``draw_name(rng)`` draws the numbers the student sees (rounded as they
are shown), ``name(**inputs)`` computes the answer from exactly those numbers with NumPy, and
``work_name(**inputs)`` gives the intermediate numbers quoted in the explanation.
"""

import numpy as np

# The filter of interview question 20's -8 example (on the window [[0, 0, 0], [0, 1, 1], [0, 1, 2]]).
QUESTION_20_FILTER = [[4, 0, 0], [0, 0, 0], [0, 0, -4]]
VERTICAL_EDGE = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
HORIZONTAL_EDGE = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
KERNELS = (QUESTION_20_FILTER, VERTICAL_EDGE, HORIZONTAL_EDGE)


# --- the output size of a convolution ----------------------------------------------------------


def draw_conv_output_size(rng):
    K = int(rng.choice([1, 2, 3, 5, 7]))
    return {
        "H": int(rng.integers(max(5, K), 65)),
        "K": K,
        "S": int(rng.integers(1, 5)),
        "P": int(rng.integers(0, 4)),
    }


def conv_output_size(H, K, S, P):
    padded = np.zeros((H + 2 * P, 1))
    positions = np.arange(0, padded.shape[0] - K + 1, S)  # top rows of the windows that fit
    return int(positions.size)


def work_conv_output_size(H, K, S, P):
    return {"num": H + 2 * P - K}


# --- the AND neuron of question 20 with other weights ----------------------------------------------------


def draw_and_neuron(rng):
    # In tenths: b + w1 < 0, b + w2 < 0 and b + w1 + w2 > 0, so the neuron is an AND.
    w1, w2 = (int(v) for v in rng.integers(10, 51, size=2))
    b = int(rng.integers(-(w1 + w2) + 1, -max(w1, w2)))
    x1, x2 = (int(v) for v in rng.integers(0, 2, size=2))
    return {"w1": w1 / 10, "w2": w2 / 10, "b": b / 10, "x1": x1, "x2": x2}


def and_neuron(w1, w2, b, x1, x2):
    z = np.dot(np.array([w1, w2], dtype=np.float64), np.array([x1, x2], dtype=np.float64)) + b
    return float(1.0 / (1.0 + np.exp(-z)))


def work_and_neuron(w1, w2, b, x1, x2):
    return {"z": round(b + w1 * x1 + w2 * x2, 4)}


# --- one value of a convolution (cross-correlation, no flip) ----------------------------------


def draw_conv_value(rng):
    kernel = KERNELS[int(rng.integers(0, len(KERNELS)))]
    return {"patch": rng.integers(0, 10, size=(3, 3)).tolist(), "kernel": kernel}


def conv_value(patch, kernel):
    return int(np.sum(np.asarray(patch) * np.asarray(kernel)))


# --- the parameters of a convolution layer -----------------------------------------------------


def draw_conv_param_count(rng):
    return {"C": int(rng.integers(1, 257)), "F": int(rng.integers(1, 257)), "K": int(rng.choice([1, 3, 5, 7]))}


def conv_param_count(C, F, K):
    weights = np.zeros((F, C, K, K))
    biases = np.zeros(F)
    return int(weights.size + biases.size)


def work_conv_param_count(C, F, K):
    return {"per": K * K * C + 1}


# --- the music-festival perceptron of question 20, with a sigmoid read as a probability -------------


def draw_festival_probability(rng):
    # The question's weights, 7 for the singers and 3 for the company; a bias in tenths, from -9.9 to -0.1.
    return {
        "b": float(rng.integers(-99, 0)) / 10,
        "x1": int(rng.integers(0, 2)),
        "x2": int(rng.integers(0, 2)),
    }


def festival_probability(b, x1, x2):
    z = np.dot(np.array([7.0, 3.0]), np.array([x1, x2], dtype=np.float64)) + b
    return float(1.0 / (1.0 + np.exp(-z)))


def work_festival_probability(b, x1, x2):
    return {"z": round(7 * x1 + 3 * x2 + b, 4)}


# --- the parameters of a fully connected layer on a conv volume -----------------------------------


def draw_fc_param_count(rng):
    return {
        "C": int(rng.choice([16, 32, 64, 128, 256])),
        "H": int(rng.integers(2, 15)),
        "M": int(rng.choice([10, 100, 128, 256, 512, 1000])),
    }


def fc_param_count(C, H, M):
    D = int(np.prod([C, H, H]))  # the flattened volume
    return D * M + M  # W is (D, M), b is (M,): x_flat @ W + b


def work_fc_param_count(C, H, M):
    return {"D": C * H * H}
