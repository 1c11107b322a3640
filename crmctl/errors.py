"""User errors raised by library operations that write (``init``, ``new``).

Data problems are never raised: they travel as diagnostics. A ``UserError``
is a request that cannot be carried out; the CLI prints it and exits 1.
"""

from __future__ import annotations


class UserError(Exception):
    """``message`` and ``hint`` are one line each; ``details`` are lines shown between them
    (the problems of a file, say), each on its own line."""

    def __init__(self, message: str, hint: str = "", details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details


class UsageError(UserError):
    """A value given on the command line that names nothing (a stage, a code): exit 2, as click's
    own usage errors."""


class OutputFailed(Exception):
    """Standard output or error could not be written (a full disk, say): the user's matter, not a bug.
    Here, not beside the writing, so the CLI's error handler is set up without importing the
    output formats (``crmctl --version`` stays as quick as importing Typer)."""

    def __init__(self, stream: str, reason: str) -> None:
        super().__init__(reason)
        self.stream, self.reason = stream, reason
