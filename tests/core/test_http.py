import pytest

from core.http import number_from


@pytest.mark.parametrize(
    ("raw", "below", "expected"),
    [
        ("42", None, 42),
        ("0", None, 0),
        ("007", None, 7),
        ("3", 4, 3),
        ("4", 4, None),  # not below the limit
        (None, None, None),
        ("", None, None),
        ("-1", None, None),
        (" 1", None, None),
        ("1.5", None, None),
        ("²", None, None),  # str.isdigit() says yes, int() says no
        ("٣", None, None),  # an Arabic-Indic digit: int() reads it, an id never has it
        ("9" * 18, None, 10**18 - 1),
        ("9" * 19, None, None),
        ("9" * 5000, None, None),  # int() would refuse it with a ValueError
    ],
)
def test_number_from_reads_only_plain_ascii_whole_numbers(raw, below, expected):
    assert number_from(raw, below=below) == expected
