"""The one exception a batch run raises when the run itself (not a record) fails."""

from __future__ import annotations


class BatchError(RuntimeError):
    """The run cannot go on: unreadable input, unwritable output, bad options, a broken worker.

    The message is meant for the user and never contains transcript text.
    """
