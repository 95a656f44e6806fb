"""One base for every error crmbook reports to a user, each also a matching built-in."""

from __future__ import annotations


class CrmbookError(Exception):
    """A problem the user can act on; the message says where and what to do.

    ``exit_code`` follows SPEC §2: 1 = the data has errors or the command refused to act,
    2 = usage error or unreadable input.
    """

    exit_code = 2


class UsageError(CrmbookError, ValueError):
    """The command was called with arguments that cannot work."""


class BookReadError(CrmbookError, ValueError):
    """The workbook cannot be read as a crmbook register (missing sheet or header, bad file)."""


class BookLockedError(CrmbookError, PermissionError):
    """The workbook is open in Excel or LibreOffice; writing now could lose someone's edits."""

    exit_code = 1


class RefusedError(CrmbookError, RuntimeError):
    """The command refused to act to protect data (e.g. an existing file without --force)."""

    exit_code = 1
