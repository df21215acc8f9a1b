"""What the reader still gets wrong on the corpus: (document, field or variant) → reason.

Each entry marks that case `xfail(strict=True)` in `test_directive_corpus.py`, so the suite
passes while the gap is open and fails the day the reader gets the case right: then the
entry is taken out. The expected readings never change to fit the reader. Regenerate the
table with `python -m tests.schedules.corpus_share --gaps` after a change to the reader, and
read the diff: an entry that appears is a regression.
"""

# ruff: noqa: E501, RUF100 (one gap per line, with the reader's wrong value in full; the
# table may be empty)

# fmt: off
READER_GAPS: dict[tuple[str, str], str] = {
}
# fmt: on
