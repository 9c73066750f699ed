"""The grader's feedback sentences as phrases: a code from PHRASES plus its arguments.

A message is a sequence of phrases joined by spaces. graders/ renders it in English (the
``message`` fields of the verdict, which the CLI, batch reports and API keep); the site renders
the same phrases through gettext, so a Chinese page shows Chinese feedback. An argument is a
string (numbers arrive formatted), another phrase, or a tuple of phrases (joined by "; ").

Phrases that come from the sandbox are untrusted: ``phrase_from_untrusted`` keeps known codes
with bounded string or phrase arguments only, so a forged frame can at most change the wording
of the student's own feedback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Union


def gettext_noop(text: str) -> str:
    """Mark a template for Django's makemessages; graders/ does not import Django."""
    return text


PHRASES: dict[str, str] = {
    # Comparing outputs. {item} is "" for the whole output or an index such as "[1]" in a list.
    "wrong_shape": gettext_noop("Wrong shape: expected your output{item} of shape {expected}, got {got}"),
    "wrong_type": gettext_noop("Expected your output{item} to be {expected}, got {got}"),
    "wrong_sequence": gettext_noop("Expected your output{item} to be a {kind} of {count} items, got {got}"),
    "wrong_length": gettext_noop("Expected your output{item} to have {expected} items, got {got}"),
    "ragged_output": gettext_noop(
        "Your output{item} is a {kind} whose items have different lengths or shapes, so NumPy cannot make one "
        "array of it; expected {expected}"
    ),
    "complex_values": gettext_noop("Your output{item} has complex numbers; expected real values"),
    "unexpected_nan": gettext_noop(
        "Your output{item} has NaN in {count} of {size} places, first at {index} (expected {expected})"
    ),
    "non_finite_at": gettext_noop("Your output{item} has {got} at {index} where {expected} was expected."),
    "non_finite": gettext_noop("Your output{item} has {got} where {expected} was expected."),
    "in_item": gettext_noop("In your output{item}:"),
    "values_off": gettext_noop(
        "{count} of {size} values ({percent}%) are off by more than the tolerance (rtol={rtol}, atol={atol})."
    ),
    "largest_error_at": gettext_noop("Largest error {error} at {index}: got {got}, expected {expected}."),
    "largest_error": gettext_noop("Largest error {error}: got {got}, expected {expected}."),
    "largest_relative_error": gettext_noop("Largest relative error {relative}."),
    # Named outputs (exercise.toml `outputs`, graders/gradients.py): which are wrong, and how.
    "names_and": gettext_noop("{names} and {last}"),
    "output_wrong": gettext_noop("{wrong} is wrong."),
    "outputs_wrong": gettext_noop("{wrong} are wrong."),
    "output_value": gettext_noop("{name} is {got}, expected {expected}."),
    "outputs_one_wrong_one_right": gettext_noop("{wrong} is wrong; {right} is right."),
    "outputs_one_wrong_many_right": gettext_noop("{wrong} is wrong; {right} are right."),
    "outputs_many_wrong_one_right": gettext_noop("{wrong} are wrong; {right} is right."),
    "outputs_many_wrong_many_right": gettext_noop("{wrong} are wrong; {right} are right."),
    "gradient_relative_error": gettext_noop(
        "{name}: relative error {relative} (|got - expected| / (|got| + |expected|) over the whole array, as a "
        "gradient check measures it; a right gradient is near 1e-15)."
    ),
    "gradient_relative_error_again": gettext_noop("{name}: relative error {relative}."),
    "gradient_largest_difference_at": gettext_noop(
        "{count} of {size} values are off; the largest difference is {error} at {index}: got {got}, expected "
        "{expected}."
    ),
    "gradient_scaled": gettext_noop(
        "{name} is the expected gradient times {factor} everywhere: a constant factor is missing or extra (such "
        "as 1/N, or a sum where a mean belongs)."
    ),
    "gradient_sign_flipped": gettext_noop("{name} is the expected gradient with the opposite sign everywhere."),
    "output_transposed": gettext_noop(
        "{name} is the transpose of the expected array: swap the factors of the matrix product (or their transposes)."
    ),
    "outputs_match_mistake": gettext_noop("{names}: exactly what the known mistake `{mistake}` gives."),
    # Describing a value in the sentences above.
    "a_scalar": gettext_noop("a scalar"),
    "an_array": gettext_noop("an array of shape {shape}"),
    "a_sequence": gettext_noop("a {kind} of {count} items"),
    "a_sequence_not_numbers": gettext_noop("a {kind} that holds something other than numbers"),
    "an_unreadable_value": gettext_noop("a {description}"),
    # How a case ended.
    "mutated_inputs": gettext_noop(
        "Your function changed its input arrays or lists; it must leave them as they were (work on a copy)"
    ),
    "fp_events": gettext_noop(
        "NumPy reported {events} during this case: the exercise asks for a version that never overflows, divides "
        "by zero or makes invalid values (np.seterr and np.errstate do not hide it from the grader)"
    ),
    "fp_overflow": gettext_noop("an overflow"),
    "fp_divide": gettext_noop("a division by zero"),
    "fp_invalid": gettext_noop("an invalid value"),
    "budget_spent": gettext_noop(
        "The submission's time budget of {seconds} s (all cases together) ran out during this case"
    ),
    "budget_not_run": gettext_noop(
        "Not run: the submission's time budget of {seconds} s (all cases together) was used up"
    ),
    "result_bytes_spent": gettext_noop(
        "Not run: your function already returned more than {cap} of data over the earlier cases"
    ),
    # Hidden cases: only the trusted side's own wording, never anything the student's process wrote.
    "hidden_wrong_values": gettext_noop("Wrong values (hidden case: its inputs and expected values are not shown)"),
    "hidden_outputs_wrong": gettext_noop("Hidden case (its inputs and expected values are not shown): {which}"),
    "hidden_wrong_shape": gettext_noop("Wrong shape (hidden case: its inputs and expected values are not shown)"),
    "hidden_wrong_type": gettext_noop(
        "Wrong kind of result, for example None, text or a ragged list where an array was expected (hidden case)"
    ),
    "hidden_non_finite": gettext_noop("NaN or infinity where a finite value was expected (hidden case)"),
    "hidden_mutated": gettext_noop("Your function changed its input arrays or lists (hidden case)"),
    "hidden_fp_events": gettext_noop("NumPy reported {events}, which the exercise forbids (hidden case)"),
    "hidden_exception": gettext_noop("Your code raised {error} (hidden case: the message is not shown)"),
    "hidden_failed": gettext_noop("Your code failed (hidden case: details are not shown)"),
    "hidden_forbidden": gettext_noop("Your code did something the sandbox refuses (hidden case)"),
    "hidden_load_failed": gettext_noop(
        "Your file failed to load when it was run with the hidden cases ({status}), although it loaded with the "
        "visible ones"
    ),
    "an_exception": gettext_noop("an exception"),
    "time_limit": gettext_noop("Time limit of {seconds} s exceeded"),
    "time_limit_in_case": gettext_noop("Time limit of {seconds} s exceeded in case {case}"),
    "memory_limit": gettext_noop("Memory limit of {mib} MiB exceeded"),
    "memory_limit_in_case": gettext_noop("Memory limit of {mib} MiB exceeded in case {case}"),
    "code_failed": gettext_noop("Your code failed"),
    "code_failed_in_case": gettext_noop("Your code failed in case {case}"),
    "not_run": gettext_noop("Not run"),
    "while_loading": gettext_noop("{problem} while loading your file"),
    "printed_too_much": gettext_noop("Your code printed {printed} or more; output is capped at {cap}"),
    "corrupted_results": gettext_noop("Your code corrupted its results: {detail}"),
    "unreadable_return": gettext_noop("Your function's return value could not be read: {detail}"),
    "stopped_unexpectedly": gettext_noop("Your code stopped unexpectedly"),
    "killed_by_sigkill": gettext_noop("Your code was killed by SIGKILL"),
    "crashed_interpreter": gettext_noop("Your code crashed the Python interpreter ({signal})"),
    "broke_runner": gettext_noop("Your code broke the grader's runner (for example by closing its files)"),
    "ended_process": gettext_noop("Your code ended the process before returning (os._exit or similar)"),
    "exit_code": gettext_noop("Your code ended the process with exit code {code}"),
    # Code written for NumPy 1 (graders/hints.py): told for visible cases only.
    "numpy2_removed_name": gettext_noop(
        "NumPy 2 removed `np.{name}`, which code written for NumPy 1 often uses: write {replacement} instead."
    ),
    "numpy2_scalar_conversion": gettext_noop(
        "NumPy 2 turns only arrays without dimensions (shape ()) into Python numbers: `float(a)` of an array of "
        "shape (1, 1, 1) fails. Take the element out first, with `a.item()` or an index such as `a[0, 0, 0]`."
    ),
    # Known mistakes (graders/engine.py names each one for the failed cases it explains).
    "mistake_in_cases": gettext_noop("Seen in {cases}."),
    "other_failures_remain": gettext_noop(
        "None of the mistakes named here explains these failed cases: {cases}. There is at least one more "
        "problem to find."
    ),
    # What a case checks, when it fails: the bundle names a purpose (Case.purpose), a fixed sentence
    # with no values in it, so hidden cases may say it too.
    "case_purpose": gettext_noop("What this case checks: {purpose}."),
    "purpose_non_contiguous": gettext_noop(
        "a strided view that is not contiguous in memory: code that reads the raw buffer, or reshapes assuming C "
        "order, gets it wrong"
    ),
    "purpose_read_only": gettext_noop(
        "read-only inputs: writing into an input (in place, with `out=` or `+=`) raises here, so work on a copy"
    ),
    "purpose_fortran_order": gettext_noop(
        "inputs in Fortran order: strides you compute by hand must come from the array itself"
    ),
    "purpose_tiny_values": gettext_noop(
        "values around 1e-12: a threshold or an epsilon meant for ordinary numbers changes the result"
    ),
    "purpose_tiny_gradients": gettext_noop("gradients around 1e-10: an epsilon added to the norm changes the result"),
    "purpose_large_magnitudes": gettext_noop(
        "values up to about 1e8: code that clips, rounds or assumes small numbers fails here"
    ),
    "purpose_large_integers": gettext_noop(
        "whole numbers up to 1000: the result is exact, so a cast to a small integer type or a rounding shows"
    ),
    "purpose_zeros": gettext_noop(
        "an all-zero input: the result is exact zeros, with no NaN from a division by a zero norm or sum"
    ),
    "purpose_value_at_zero": gettext_noop(
        "an all-zero input: the value at exactly 0, where code that compares with > or >= may take another branch"
    ),
    "purpose_one_zero_array": gettext_noop("an all-zero array among nonzero ones: it stays zero, with no NaN"),
    "purpose_single_element": gettext_noop(
        "a single element: code that assumes several elements, or squeezes away a length-1 axis, fails"
    ),
    "purpose_batch_of_one": gettext_noop(
        "a batch of one (N = 1): `squeeze()` or a hard-coded batch size changes the output's shape"
    ),
    "purpose_length_one_axis": gettext_noop(
        "an axis of length 1: `squeeze()` or a hard-coded axis removes it or mixes it up with another"
    ),
    "purpose_odd_sizes": gettext_noop(
        "every size different: a swapped dimension or a missing transpose shows as a wrong shape or an error"
    ),
    "purpose_square_sizes": gettext_noop(
        "equal sizes (square weights): a missing transpose still gives the right shape, only wrong values"
    ),
    "purpose_any_shape": gettext_noop(
        "an array with another number of dimensions (1-D or 4-D): every element counts, whatever the shape"
    ),
    "purpose_many_arrays": gettext_noop(
        "many arrays of different shapes: every array of the list is handled, each with its own shape"
    ),
    "purpose_bias_only": gettext_noop(
        "zero weights or zero inputs: only the bias is left, which checks that it is added once and in the right place"
    ),
    "purpose_large_preactivation": gettext_noop(
        "pre-activations in the hundreds: a sigmoid written as 1 / (1 + exp(-a)) overflows; the result must "
        "saturate at 0 or 1 without NaN"
    ),
    "purpose_saturated_tanh": gettext_noop(
        "pre-activations in the hundreds: tanh is exactly 1 or -1 there; a tanh built from exp overflows to NaN"
    ),
    "purpose_large_cell_state": gettext_noop(
        "a large cell state (tens): c_t = f * c_prev + i * c_tilde keeps it as it is; code that clips or squashes "
        "the cell state is caught"
    ),
    "purpose_long_sequence": gettext_noop(
        "a long sequence (dozens of steps): the state is carried through every step, and a slow loop over single "
        "elements may run out of time"
    ),
    "purpose_large_logits": gettext_noop(
        "scores near 1000: exp overflows unless each row's maximum is subtracted first"
    ),
    "purpose_large_negative_scores": gettext_noop(
        "scores near -1000: exp underflows to 0 and 0/0 is NaN unless each row's maximum is subtracted"
    ),
    "purpose_rows_far_apart": gettext_noop(
        "rows whose scores are about 1000 apart: subtracting one maximum for the whole array underflows the other rows"
    ),
    "purpose_equal_scores": gettext_noop("equal scores: every probability is the same, 1/K"),
    "purpose_square_softmax": gettext_noop(
        "a square input: normalising along the wrong axis still gives the right shape, only wrong values"
    ),
    "purpose_sigmoid_overflow": gettext_noop(
        "large negative z (hundreds, up to 1e4 in size): 1 / (1 + exp(-z)) overflows there, and the overflow "
        "warning counts"
    ),
    "purpose_all_negative_pool": gettext_noop(
        "windows whose values are all negative: a running maximum that starts at 0 gives 0"
    ),
    "purpose_rectangular_kernel": gettext_noop(
        "a rectangular kernel or window (height and width differ): code that assumes a square one "
        "(`f, f = w.shape`) or swaps the two fails"
    ),
    "purpose_thin_kernel": gettext_noop(
        "a kernel one column wide: code that assumes a square kernel (`f, f = w.shape`) gets the output size wrong"
    ),
    "purpose_large_stride": gettext_noop(
        "a stride larger than the kernel or window: some input positions are skipped entirely"
    ),
    "purpose_kernel_covers_input": gettext_noop("a kernel or window as large as the input: the output is 1x1 in space"),
    "purpose_one_by_one_kernel": gettext_noop(
        "a 1x1 kernel: the output keeps the input's size, and flipping the kernel changes nothing"
    ),
    "purpose_symmetric_kernel_stride": gettext_noop(
        "a kernel that stays the same when flipped, with a stride of 2: checks the stride and the output size on "
        "their own"
    ),
    "purpose_rounded_size": gettext_noop(
        "(H - pool_height) / stride leaves remainders above and below one half: the output size uses the floor, "
        "not round() or a ceiling"
    ),
    "purpose_gradient_at_zero": gettext_noop(
        "inputs exactly 0: the contract gives the gradient 0 there, so a mask built with `x >= 0` lets it through"
    ),
    "purpose_zero_upstream": gettext_noop("a zero upstream gradient: every gradient is exactly 0, with no NaN"),
    "purpose_moderate_saturation": gettext_noop(
        "pre-activations between 15 and 35 in size: s * (1 - s) is tiny but not 0 there, and must keep its relative precision"
    ),
    "purpose_two_classes": gettext_noop("two classes only: the gradient still has one column per class"),
    "purpose_confident_right": gettext_noop(
        "the right class far ahead of the others: the loss is close to 0 and the gradient tiny, with no log(0) or NaN"
    ),
    "purpose_many_classes": gettext_noop("many classes (twenty): each label picks its own column among many"),
    "purpose_stride_backward": gettext_noop(
        "a stride of 3: each output position sends its gradient back to its own window only"
    ),
    "purpose_many_filters_one_channel": gettext_noop(
        "many filters over a single channel: dx adds up what every filter sends back"
    ),
    "purpose_one_by_one_window": gettext_noop("a 1x1 window: every position is its own maximum, so dx equals dout"),
    "purpose_overlapping_windows": gettext_noop(
        "overlapping windows (a stride smaller than the window): a position that is the maximum of several windows gets the sum of their gradients"
    ),
    "purpose_uncovered_positions": gettext_noop(
        "a stride that leaves some rows and columns out of every window: their gradient is 0"
    ),
    "purpose_saturated_backward": gettext_noop(
        "saturated units (tanh at ±1): their factor (1 - s**2) is 0, so no gradient flows back through them"
    ),
    "purpose_loss_at_the_end": gettext_noop(
        "a loss at the last step only, over many steps: the gradient of the early steps comes entirely through the recurrence"
    ),
    "purpose_exploding_radius": gettext_noop(
        "W with a spectral radius above 1 over many steps: the norms grow by orders of magnitude, and each one is compared relatively"
    ),
    "purpose_vanishing_radius": gettext_noop(
        "W with a spectral radius below 1 over many steps: the norms shrink by orders of magnitude, and each one is still compared relatively"
    ),
    "purpose_orthogonal_w": gettext_noop(
        "an orthogonal W: it keeps a gradient's norm, so only the factors (1 - s**2) change it"
    ),
    "purpose_saturated_gates": gettext_noop(
        "saturated gates (close to 0 or 1): their derivatives s * (1 - s) are almost 0"
    ),
    "purpose_zero_gradients": gettext_noop(
        "all-zero gradients: the parameters stay as they are, with no NaN from dividing by a zero norm"
    ),
    "purpose_large_learning_rate": gettext_noop(
        "a large learning rate: the step is still the learning rate times the clipped gradient"
    ),
    "purpose_one_sample": gettext_noop(
        "a single sample: every column's variance is 0, so only eps keeps the division finite, and the result is 0"
    ),
    "purpose_two_samples": gettext_noop(
        "two samples: the population variance (ddof=0) and the sample variance (ddof=1) differ by a factor of 2"
    ),
    "purpose_tiny_variance": gettext_noop(
        "columns with a tiny variance: eps matters, and it belongs inside the square root"
    ),
    "purpose_large_offset": gettext_noop(
        "columns far from 0 (offsets around a million): subtracting the mean first keeps the precision"
    ),
    "purpose_positional_argument": gettext_noop(
        "an argument passed by position: the parameters must be in the signature's order"
    ),
    "purpose_rank_deficient": gettext_noop(
        "fewer samples than columns: the covariance is singular, and only eps keeps 1 / sqrt(S) finite"
    ),
    "purpose_constant_column": gettext_noop(
        "a constant column: its variance is 0, so its whitened values are 0, with no NaN"
    ),
    "purpose_large_scale": gettext_noop(
        "values of a large scale: the covariance and its eigenvalues are large, and every step must keep its precision"
    ),
    "purpose_overlapping_pool_windows": gettext_noop(
        "overlapping rectangular windows (stride 1): each output averages its own window, which shares values with its neighbours"
    ),
    "purpose_positive_values": gettext_noop(
        "positive values only: a window's mean is then easy to tell apart from its maximum or its sum"
    ),
    "purpose_many_trailing_axes": gettext_noop(
        "an input with four axes after the batch axis: all of them are flattened, in row-major order"
    ),
    "purpose_exactly_at_max_norm": gettext_noop(
        "a norm exactly equal to max_norm: it is not above the limit, so nothing changes"
    ),
    "purpose_dominant_array": gettext_noop(
        "one array dominates the global norm: every array is scaled by the same factor"
    ),
    "purpose_negative_outliers": gettext_noop(
        "values far below -clip_value: the lower bound applies as well as the upper one"
    ),
    "purpose_sparse": gettext_noop("many exact zeros: sign(0) is 0, so their gradient is 0"),
    "purpose_large_lam": gettext_noop("a large lam: the factor 2 * lam of the gradient shows clearly"),
    "purpose_wide_layer": gettext_noop(
        "a wide layer (dozens of units or features): every weight counts, not only the first few"
    ),
    "purpose_nand_gate": gettext_noop("the NAND neuron: negative weights and a positive bias"),
    "purpose_keyword_argument": gettext_noop(
        "an argument passed by keyword: the parameter names must be the ones of the signature"
    ),
    # Loading the student's file (sent by the sandbox runner: untrusted).
    "syntax_error_at": gettext_noop("SyntaxError at line {line}: {detail}"),
    "syntax_error": gettext_noop("SyntaxError: {detail}"),
    "cannot_compile": gettext_noop("Your file cannot be compiled: {detail}"),
    "forbidden_import": gettext_noop(
        "Import of `{module}` is not allowed. A submission is one file and may import {allowed}; define any "
        "other helper in the file itself."
    ),
    "forbidden_import_unsafe": gettext_noop(
        "Import of `{module}` is refused for safety: it reaches outside the computation (files, processes, the "
        "network, raw memory or the interpreter the grader runs in). A submission may import {allowed}."
    ),
    # Keep in step with ALLOWED_IMPORTS and UNSAFE_IMPORTS in graders/sandbox/inside/runner.py.
    "allowed_imports": gettext_noop(
        "`numpy` with its submodules (except `numpy.ctypeslib`, `numpy.f2py` and `numpy.testing.extbuild`), "
        "`math`, `cmath`, `random`, `copy`, `functools`, `itertools`, `collections`, `operator`, `numbers`, "
        "`typing`, `dataclasses`, `enum`, `abc`, `heapq` and `bisect`, and the headers course code carries: "
        "`from builtins import ...` and `from __future__ import ...`"
    ),
    "memory_error_loading": gettext_noop("MemoryError while loading your file"),
    "raised_while_loading": gettext_noop("Your file raised while loading: {error}"),
    "exception_at": gettext_noop("{error} (at {where})"),
    "student_line": gettext_noop("line {line}, in {function}: {source}"),
    "not_defined": gettext_noop("`{function}` is not defined in your file"),
    "not_a_function": gettext_noop("`{function}` is not a function in your file"),
    # Cases a student writes for Run (graders/case_text.py, graders/trial.py).
    "own_case_line": gettext_noop("Your case on line {line}: {problem}"),
    "own_cases_too_many": gettext_noop("At most {most} cases of your own at a time."),
    "own_case_too_long": gettext_noop("the line is longer than {most} characters."),
    "own_case_syntax": gettext_noop("this is not a line of Python."),
    "own_case_not_a_call": gettext_noop("write it as a call of `{function}(...)`, one case per line."),
    "own_case_not_literal": gettext_noop(
        "`{part}` is not a value this page can read: use numbers, lists, np.array(...), np.zeros/ones/full/arange, "
        "np.random.default_rng(seed).standard_normal(shape), .reshape and .astype."
    ),
    "own_case_too_big": gettext_noop("the inputs have more than {most} values."),
    "own_case_too_deep": gettext_noop("the lists are nested too deeply."),
    "own_case_dtype": gettext_noop("`{part}` is not a dtype this page knows (float64, float32, int64, bool...)."),
    "own_case_reshape": gettext_noop("`{part}` cannot reshape the array to that shape."),
    "own_case_ragged": gettext_noop("`{part}` has rows of different lengths."),
    "own_case_reference_failed": gettext_noop(
        "The reference solution cannot run on these inputs ({error}): check their shapes and types against the "
        "statement."
    ),
}

# The codes a sandbox frame may use; everything else is decided on the trusted side.
UNTRUSTED_CODES = frozenset(
    {
        "syntax_error_at",
        "syntax_error",
        "cannot_compile",
        "forbidden_import",
        "forbidden_import_unsafe",
        "allowed_imports",
        "memory_error_loading",
        "raised_while_loading",
        "exception_at",
        "student_line",
        "not_defined",
        "not_a_function",
    }
)
# What a case may say it checks (Case.purpose): fixed sentences, chosen by the bundle's author.
PURPOSE_CODES = frozenset(code for code in PHRASES if code.startswith("purpose_"))
# Sentences the trusted side builds from its own observations, with no data from the child: the
# only things a hidden case may say (nested inside each other too).
HIDDEN_CASE_CODES = PURPOSE_CODES | frozenset(
    {
        "case_purpose",
        "hidden_wrong_values",
        "hidden_outputs_wrong",
        # which named outputs are wrong: the names are the bundle's (exercise.toml), never the child's
        "names_and",
        "output_wrong",
        "outputs_wrong",
        "outputs_one_wrong_one_right",
        "outputs_one_wrong_many_right",
        "outputs_many_wrong_one_right",
        "outputs_many_wrong_many_right",
        "hidden_wrong_shape",
        "hidden_wrong_type",
        "hidden_non_finite",
        "hidden_mutated",
        "hidden_fp_events",
        "hidden_exception",
        "hidden_failed",
        "hidden_forbidden",
        "hidden_load_failed",
        "fp_overflow",
        "fp_divide",
        "fp_invalid",
        "an_exception",
        "time_limit",
        "time_limit_in_case",
        "memory_limit",
        "memory_limit_in_case",
        "code_failed",
        "budget_spent",
        "budget_not_run",
        "result_bytes_spent",
    }
)
MAX_ARGUMENT_CHARS = 600
MAX_LIST_ITEMS = 5

Argument = Union[str, "Phrase", tuple["Phrase", ...]]


@dataclass(frozen=True)
class Phrase:
    code: str
    args: dict[str, Argument] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in PHRASES:
            raise ValueError(f"unknown feedback phrase {self.code!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "args": {key: _argument_to_json(value) for key, value in self.args.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Phrase:
        return cls(code=data["code"], args={key: _argument_from_json(value) for key, value in data["args"].items()})


def say(code: str, /, **args: Argument) -> Phrase:
    return Phrase(code, args)


def render(phrases: Iterable[Phrase], translate: Callable[[str], str] = gettext_noop) -> str:
    """The phrases as one message; ``translate`` maps an English template to the reader's language."""
    message = ""
    for text in (_render_one(phrase, translate) for phrase in phrases):
        if text:
            # Sentences end in a full-width mark in Chinese and follow on without a space.
            message += text if not message or _is_wide(message[-1]) else " " + text
    return message


def _is_wide(character: str) -> bool:
    return ord(character) >= 0x2E80


def _render_one(phrase: Phrase, translate: Callable[[str], str]) -> str:
    template = PHRASES.get(phrase.code)
    if template is None:
        return ""
    args = {key: _render_argument(value, translate) for key, value in phrase.args.items()}
    # A translation with a broken placeholder falls back to English rather than losing the sentence.
    for candidate in (translate(template), template):
        try:
            return candidate.format_map(args)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return ""


def _render_argument(value: Argument, translate: Callable[[str], str]) -> str:
    if isinstance(value, Phrase):
        return _render_one(value, translate)
    if isinstance(value, tuple):
        return "; ".join(_render_one(item, translate) for item in value)
    return value


def _argument_to_json(value: Argument) -> Any:
    if isinstance(value, Phrase):
        return value.to_dict()
    if isinstance(value, tuple):
        return [item.to_dict() for item in value]
    return value


def _argument_from_json(value: Any) -> Argument:
    if isinstance(value, dict):
        return Phrase.from_dict(value)
    if isinstance(value, list):
        return tuple(Phrase.from_dict(item) for item in value)
    return str(value)


def fit_for_hidden_case(phrase: Phrase) -> bool:
    """Whether ``phrase`` is the trusted side's own wording throughout (see HIDDEN_CASE_CODES)."""
    if phrase.code not in HIDDEN_CASE_CODES:
        return False
    for value in phrase.args.values():
        nested = value if isinstance(value, tuple) else (value,) if isinstance(value, Phrase) else ()
        if not all(fit_for_hidden_case(item) for item in nested):
            return False
    return True


def phrase_from_untrusted(data: Any, depth: int = 0) -> Phrase | None:
    """A phrase from a sandbox frame, or None when it is not one the runner may send."""
    if depth > 2 or not isinstance(data, dict):
        return None
    code = data.get("code")
    if not isinstance(code, str) or code not in UNTRUSTED_CODES:
        return None
    raw_args = data.get("args")
    if not isinstance(raw_args, dict) or len(raw_args) > 4:
        return None
    args: dict[str, Argument] = {}
    for key, value in raw_args.items():
        if not isinstance(key, str) or not key.isidentifier():
            return None
        if isinstance(value, str):
            args[key] = value[:MAX_ARGUMENT_CHARS]
        elif isinstance(value, dict):
            nested = phrase_from_untrusted(value, depth + 1)
            if nested is None:
                return None
            args[key] = nested
        elif isinstance(value, list) and len(value) <= MAX_LIST_ITEMS:
            items = tuple(phrase_from_untrusted(item, depth + 1) for item in value)
            if any(item is None for item in items):
                return None
            args[key] = items
        else:
            return None
    phrase = Phrase(code, args)
    try:
        PHRASES[phrase.code].format_map({key: _render_argument(v, gettext_noop) for key, v in args.items()})
    except (KeyError, IndexError, ValueError, AttributeError):
        return None  # arguments that do not fill the template
    return phrase
