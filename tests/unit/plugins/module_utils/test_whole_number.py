"""whole_number: the one reading of a whole-number input the filters share."""

import pytest
from ansible_collections.picluster.spark.plugins.module_utils.whole_number import whole_number

READ = [(18080, 18080), ("18080", 18080), ("0003", 3), (0, 0), (-1, -1)]
REFUSED = [True, False, None, 1.5, "", "-1", "+3", " 3", "50%", "three", "1234567890"]


@pytest.mark.parametrize(("value", "expected"), READ)
def test_ints_and_digits_as_text_are_read(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize("value", REFUSED)
def test_anything_else_is_refused(value):
    assert whole_number(value) is None


def test_the_number_of_digits_read_from_text_is_bounded():
    assert whole_number("65535", digits=5) == 65535
    assert whole_number("065535", digits=5) is None
    assert whole_number("123456789012", digits=18) == 123456789012
