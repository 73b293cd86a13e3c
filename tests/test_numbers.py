import pytest

from holdspace.numbers import small_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("42", 42), ("999999999", 999_999_999), ("", None), ("-1", None), ("1.5", None),
     ("²", None), ("٣", None), ("1" * 10, None), ("9" * 4400, None), (" 7", None)],
)  # fmt: skip
def test_only_short_ascii_digit_runs_are_numbers(text: str, expected: int | None) -> None:
    assert small_int(text) == expected
