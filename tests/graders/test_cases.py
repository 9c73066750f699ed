import numpy as np
import pytest

from graders.cases import Case, with_purposes


def test_with_purposes_sets_the_purpose_of_the_cases_it_names():
    cases = [Case("tiny_values", (np.zeros(2),)), Case("matrix", (np.zeros((2, 2)),))]
    tiny, matrix = with_purposes(cases, {"tiny_values": "purpose_tiny_values"})
    assert (tiny.purpose, matrix.purpose) == ("purpose_tiny_values", "")


def test_a_purpose_for_a_case_that_does_not_exist_is_an_error():
    # A renamed case must not lose its purpose without anyone noticing.
    with pytest.raises(KeyError, match="tiny_value"):
        with_purposes([Case("tiny_values", (np.zeros(2),))], {"tiny_value": "purpose_tiny_values"})
