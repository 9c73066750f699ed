"""The sandbox side of a course bundle's own code: its case generator, reference and mistakes, or a
course quiz's params.py (the variants of its parameterized questions).

Never imported by the platform: its text is sent to a sandboxed child as the file of a job (the
runner folder, graders/sandbox/inside/, holds only the runner).

A course repository's code is an instructor's, not the platform's: it runs in the sandbox like a
submission, as the "student file" of a job (graders/sandboxed_content.py builds that file from
this one and the bundle's three files, and never with a student's code). It may import only what a
submission may; ``from graders.cases import ...`` is served by the stand-ins below. It decides
nothing: it returns one uint8 array, a tape of plain values (numbers, strings, arrays, lists,
tuples, dicts), which the trusted side reads as hostile input and checks field by field.

Tape: one tag byte per value. N None, T/F bool, i int64, f float64, s str (u32 length, UTF-8),
l/t list/tuple and d dict (u32 count, then items; a dict's keys are s values), a array (dtype as
s, u8 ndim, u64 dims, u8 layout C/F/S, u8 read-only, u64 byte count, C-order bytes). Little-endian.
"""

import builtins

import numpy as np

_FILES = {}  # filled in by the trusted side: file name -> text
_SEED = 0
_FUNCTION = ""
_MAX_DEPTH = 12


class Case:
    """Stand-in for graders.cases.Case: the same fields, in the same order."""

    def __init__(
        self,
        name,
        args,
        kwargs=None,
        hidden=False,
        weight=1.0,
        rtol=None,
        atol=None,
        description="",
        description_zh="",
        purpose="",
    ):
        self.name, self.args, self.kwargs, self.hidden, self.weight = name, args, kwargs or {}, hidden, weight
        self.rtol, self.atol, self.purpose = rtol, atol, purpose
        self.description, self.description_zh = description, description_zh

    def fields(self):
        return [
            self.name,
            tuple(self.args),
            dict(self.kwargs),
            self.hidden,
            self.weight,
            self.rtol,
            self.atol,
            self.description,
            self.description_zh,
            self.purpose,
        ]


def with_purposes(cases, purposes):
    names = {case.name for case in cases}
    unknown = sorted(set(purposes) - names)
    if unknown:
        raise KeyError("purposes name no such case: " + ", ".join(unknown))
    for case in cases:
        case.purpose = purposes.get(case.name, case.purpose)
    return list(cases)


class MistakeVariant:
    def __init__(self, key, message, message_zh, function):
        self.key, self.message, self.message_zh, self.function = key, message, message_zh, function


_loaded = {}


class _GradersCases:
    """What ``graders.cases`` holds for a course file (``import graders.cases`` reaches it as ``.cases``)."""

    Case, with_purposes, MistakeVariant = Case, with_purposes, MistakeVariant


_GradersCases.cases = _GradersCases


_AS_SUBMISSION = {"__name__": "solution"}  # the runner's import guard treats the course's files as a submission


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    if name == "graders.cases" and not level:
        return _GradersCases
    return builtins.__import__(name, _AS_SUBMISSION, locals, fromlist, level)  # the runner's guarded import


def _module(name):
    if name not in _loaded:
        namespace = {"__name__": "course_" + name[:-3], "__file__": name}
        namespace["__builtins__"] = dict(vars(builtins), __import__=_import)
        if name in _FILES:
            exec(compile(_FILES[name], name, "exec"), namespace)
        _loaded[name] = namespace
    return _loaded[name]


def _cases():
    if "cases" not in _loaded:
        made = _module("cases.py")["make_cases"](np.random.default_rng(_SEED))
        _loaded["cases"] = list(made)
    return _loaded["cases"]


def _mistakes():
    return list(_module("mistakes.py").get("MISTAKES", []))


def _reference():
    return _module("reference.py")[_FUNCTION]


def _parameters(function):
    code = function.__code__
    return list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])


def dlgrade_content(operation, *args, **kwargs):
    """``cases``: the cases, mistakes and parameter names; ``outputs`` (i): the reference's and each
    mistake's output on case i; ``reference`` (*args, **kwargs): the reference on the caller's inputs;
    ``quiz_variants`` (name, seeds): a quiz question's drawn variants (params.py)."""
    if operation == "cases":
        cases = _cases()
        if not all(isinstance(case, Case) for case in cases):
            raise TypeError("make_cases() must return a list of Case")
        value = {
            "cases": [case.fields() for case in cases],
            "mistakes": [[m.key, m.message, m.message_zh] for m in _mistakes()],
            "parameters": _parameters(_reference()),
        }
    elif operation == "outputs":
        case = _cases()[args[0]]
        expected = _reference()(*_copy(case.args), **_copy(case.kwargs))
        wrong = []
        for variant in _mistakes():
            try:
                with np.errstate(all="ignore"):
                    wrong.append(variant.function(*_copy(case.args), **_copy(case.kwargs)))
            except Exception:  # a variant that cannot run on this case says nothing about it
                wrong.append(None)
        value = [expected, wrong]
    elif operation == "reference":
        with np.errstate(all="ignore"):
            value = _reference()(*args, **kwargs)
    elif operation == "quiz_variants":
        value = _quiz_variants(*args)
    else:
        raise ValueError("unknown operation")
    out = []
    _put(value, out, 0)
    return np.frombuffer(b"".join(out), dtype=np.uint8)


def _quiz_variants(name, seeds):
    """[inputs, answer, work] of question ``name`` for each seed, as graders.quiz.bundle draws them; None
    where the same seed drew twice gives different values (params.py uses something besides its rng)."""
    params = _module("params.py")
    for function in ("draw_" + name, name):
        if not callable(params.get(function)):
            raise NameError("params.py does not define " + function + "()")
    work = params.get("work_" + name)
    drawn = []
    for seed in seeds:
        twice = []
        for _again in range(2):
            inputs = _plain(params["draw_" + name](np.random.default_rng(seed)))
            if not isinstance(inputs, dict):
                raise TypeError("draw_" + name + "() must return a dict of the numbers shown")
            answer = _plain(params[name](**inputs))
            extras = _plain(work(**inputs)) if callable(work) else {}
            twice.append([inputs, answer, extras])
        drawn.append(twice[0] if repr(twice[0]) == repr(twice[1]) else None)
    return drawn


def _plain(value):
    """graders.quiz.values.plain: NumPy scalars and arrays, tuples too, to Python numbers and lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _copy(value):
    if isinstance(value, np.ndarray):
        copied = value.copy()
        copied.flags.writeable = value.flags.writeable
        return copied
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


def _u(number, dtype):
    return np.array([number], dtype=dtype).tobytes()


def _text(text, out):
    data = text.encode("utf-8")
    out.append(b"s" + _u(len(data), "<u4") + data)


def _put(value, out, depth):
    if depth > _MAX_DEPTH:
        raise ValueError("value nested too deeply")
    if value is None:
        out.append(b"N")
    elif isinstance(value, (bool, np.bool_)):
        out.append(b"T" if value else b"F")
    elif isinstance(value, (int, np.integer)):
        out.append(b"i" + _u(int(value), "<i8"))
    elif isinstance(value, (float, np.floating)):
        out.append(b"f" + _u(float(value), "<f8"))
    elif isinstance(value, str):
        _text(value, out)
    elif isinstance(value, np.ndarray):
        layout = b"C" if value.flags.c_contiguous else b"F" if value.flags.f_contiguous else b"S"
        array = np.ascontiguousarray(value)
        if array.dtype.kind not in "biufc":
            raise TypeError("an array of dtype " + str(array.dtype) + " is not numbers")
        out.append(b"a")
        _text(array.dtype.str, out)
        data = array.tobytes()
        out.append(bytes([array.ndim]) + np.array(array.shape, dtype="<u8").tobytes())
        out.append(layout + (b"\x00" if value.flags.writeable else b"\x01") + _u(len(data), "<u8") + data)
    elif isinstance(value, (list, tuple)):
        out.append((b"l" if isinstance(value, list) else b"t") + _u(len(value), "<u4"))
        for item in value:
            _put(item, out, depth + 1)
    elif isinstance(value, dict):
        out.append(b"d" + _u(len(value), "<u4"))
        for key, item in value.items():
            _text(str(key), out)
            _put(item, out, depth + 1)
    else:
        raise TypeError("cannot return a " + type(value).__name__)
