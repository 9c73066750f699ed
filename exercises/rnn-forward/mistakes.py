import numpy as np

from graders.cases import MistakeVariant


def _softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _states(xs, s0, U, W, *, carry=True, start=None, shift=False):
    T, N = xs.shape[0], xs.shape[1]
    S = np.empty((T, N, W.shape[0]))
    s = s0 if start is None else start
    for t in range(T):
        previous = s if carry else s0
        new = np.tanh(xs[t] @ U.T + previous @ W.T)
        S[t] = previous if shift else new
        s = new
    return S


def _state_not_carried(xs, s0, U, W, V):
    S = _states(xs, s0, U, W, carry=False)
    return S, _softmax(S @ V.T)


def _ignores_s0(xs, s0, U, W, V):
    S = _states(xs, s0, U, W, start=np.zeros_like(s0))
    return S, _softmax(S @ V.T)


def _states_shifted(xs, s0, U, W, V):
    S = _states(xs, s0, U, W, shift=True)
    return S, _softmax(S @ V.T)


def _last_step_only(xs, s0, U, W, V):
    S = _states(xs, s0, U, W)
    return S[-1], _softmax(S[-1] @ V.T)


def _softmax_over_batch(xs, s0, U, W, V):
    S = _states(xs, s0, U, W)
    return S, _softmax(S @ V.T, axis=1)


def _softmax_whole_batch(xs, s0, U, W, V):
    # a softmax written for one vector of scores, applied to each step's whole (N, K) batch
    S = _states(xs, s0, U, W)
    logits = S @ V.T
    e = np.exp(logits - np.max(logits, axis=(1, 2), keepdims=True))
    return S, e / np.sum(e, axis=(1, 2), keepdims=True)


def _softmax_over_time(xs, s0, U, W, V):
    # softmax(S @ V.T) with a softmax that normalises axis 0: of the (T, N, K) scores, that is time
    S = _states(xs, s0, U, W)
    return S, _softmax(S @ V.T, axis=0)


def _softmax_overflow(xs, s0, U, W, V):
    S = _states(xs, s0, U, W)
    e = np.exp(S @ V.T)
    return S, e / np.sum(e, axis=-1, keepdims=True)


MISTAKES = [
    MistakeVariant(
        "state_not_carried",
        "Every step started again from s0: the state has to be carried, s_t = tanh(xs[t] @ U.T + s_{t-1} @ W.T) "
        "uses the state you computed at step t-1; keep it in a variable that you update inside the loop.",
        "每一步都从 s0 重新开始：状态需要向后传递，s_t = tanh(xs[t] @ U.T + s_{t-1} @ W.T) 用的是第 t-1 步算出的状态；"
        "请用一个变量保存它，并在循环中更新。",
        _state_not_carried,
    ),
    MistakeVariant(
        "ignores_s0",
        "Your first step started from zeros instead of the given s0: s_{-1} is often zero, but here it is "
        "an argument; start the loop from s0.",
        "你的第一步从全零开始，而不是从给定的 s0 开始：s_{-1} 通常为零，但这里它是一个参数；请从 s0 开始循环。",
        _ignores_s0,
    ),
    MistakeVariant(
        "states_shifted",
        "Your S is shifted by one step: S[0] holds s0 and S[t] holds s_{t-1}. Store the new state after "
        "computing it, so that S[t] = s_t and S[T-1] is the last state.",
        "你的 S 错开了一步：S[0] 存的是 s0，S[t] 存的是 s_{t-1}。请在算出新状态之后再保存，使 S[t] = s_t，S[T-1] 是最后的状态。",
        _states_shifted,
    ),
    MistakeVariant(
        "last_step_only",
        "You returned only the last step, shapes (N, H) and (N, K): return every step, S of shape (T, N, H) "
        "and O of shape (T, N, K), e.g. by filling preallocated arrays or stacking a list along axis 0.",
        "你只返回了最后一步，形状为 (N, H) 和 (N, K)：需要返回每一步的结果，S 的形状为 (T, N, H)，O 的形状为 (T, N, K)，"
        "例如先分配好数组再逐步填入，或把列表沿第 0 轴 stack 起来。",
        _last_step_only,
    ),
    MistakeVariant(
        "softmax_over_batch",
        "Your softmax normalized over axis 1, the batch of the (T, N, K) scores (a hard-coded axis=1 from a 2-D "
        "version?). Normalize over the K outputs of each sequence and step: axis=-1 with keepdims=True.",
        "你的 softmax 沿第 1 轴归一化，而这在 (T, N, K) 的分数里是批次轴（是不是沿用了二维版本里写死的 axis=1？）。"
        "应当对每个序列、每个时间步的 K 个输出归一化：axis=-1，keepdims=True。",
        _softmax_over_batch,
    ),
    MistakeVariant(
        "softmax_whole_batch",
        "At each step your O[t] sums to 1 over the whole batch instead of in each row: the softmax divided by the "
        "sum of all N x K scores (a softmax written for one vector). Sum over the last axis only: "
        "np.sum(e, axis=-1, keepdims=True).",
        "每一步的 O[t] 都是整批数据加起来为 1，而不是每一行为 1：softmax 除以了全部 N x K 个分数之和（这是为单个向量写的 softmax）。"
        "只沿最后一个轴求和：np.sum(e, axis=-1, keepdims=True)。",
        _softmax_whole_batch,
    ),
    MistakeVariant(
        "softmax_over_time",
        "Your softmax normalised axis 0 of the (T, N, K) scores, which is time: each score is divided by the sum "
        "over the T steps. Normalise over the K outputs of each step and sequence: axis=-1 with keepdims=True.",
        "你的 softmax 沿 (T, N, K) 分数的第 0 轴归一化，而这是时间轴：每个分数都除以了 T 个时间步上的和。"
        "应当对每个时间步、每个序列的 K 个输出归一化：axis=-1，keepdims=True。",
        _softmax_over_time,
    ),
    MistakeVariant(
        "softmax_overflow",
        "Your softmax overflows for large scores: exp(1000) is inf and inf/inf is NaN. Subtract the maximum "
        "over the last axis (keepdims=True) before np.exp; the result is the same and the largest exponent is exp(0) = 1.",
        "分数很大时你的 softmax 会溢出：exp(1000) 是 inf，inf/inf 得到 NaN。请在 np.exp 之前减去最后一个轴上的最大值"
        "（keepdims=True）；结果不变，最大的指数项变成 exp(0) = 1。",
        _softmax_overflow,
    ),
]
