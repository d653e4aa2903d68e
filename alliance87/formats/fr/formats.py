"""French writes dates in the same order and with the same figures as the British English of the
Alliance's papers, in its own words (the month names come from Django): 28 novembre 2018."""

from ..en.formats import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

__all__ = [
    "DATE_FORMAT", "DATETIME_FORMAT", "FIRST_DAY_OF_WEEK", "MONTH_DAY_FORMAT",
    "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT", "YEAR_MONTH_FORMAT",
]  # fmt: skip
