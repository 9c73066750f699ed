"""What sgd_clipped_step computes (graders/gradcheck.py). It is an update rule, not a derivative, so
there is nothing to difference: its outputs are recomputed from the contract's definition, clipping
with the reference of the exercise clip-by-global-norm ("exactly as clip-by-global-norm")."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "dlgrade_gradcheck_clip_by_global_norm",
    Path(__file__).resolve().parent.parent / "clip-by-global-norm" / "reference.py",
)
_clip = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_clip)


def _new_params(params, grads, lr, max_norm):
    clipped, _ = _clip.clip_by_global_norm(grads, max_norm)
    return [p - lr * c for p, c in zip(params, clipped, strict=True)]


def _global_norm(params, grads, lr, max_norm):
    return _clip.clip_by_global_norm(grads, max_norm)[1]


VALUES = {"new_params": _new_params, "global_norm": _global_norm}
