"""What storage can refuse, in the domain's words; no driver's exception leaves storage/."""

from __future__ import annotations


class StorageError(Exception):
    """Storage refused a change."""


class AlreadyExists(StorageError):
    """A unique business key is taken (a second pledge for the same title, say)."""
