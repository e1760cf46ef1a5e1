"""Text bound for a spreadsheet cell (CSV, XLSX), made inert.

Spreadsheet programs run a cell that begins with = + - @ (or a tab or
carriage return before one) as a formula; a learner's answer or a name typed
into a roster could then compute, link or exfiltrate when HR opens the file.
Such text gets a leading apostrophe (OWASP's advice), which the programs show
as text. Numbers, dates and other non-text values pass unchanged.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_cell(value):
    """One cell's value, safe to write: text that could start a formula is prefixed with '."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START):
        return "'" + value
    return value


def neutralised(frame):
    """A copy of a pandas frame with every text cell (and column name) neutralised."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out
