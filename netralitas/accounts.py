"""The one rule between a learner's id and their Linux account.

A learner's id in nbgrader and every report is the NIP; their Linux account
(hub login, owner of their files and of every submission they make) is
PREFIX + NIP, because Linux user names must not be bare numbers. The hub
creates accounts by this rule and collect counts a submission only when its
owner is account_name(student id). Instructors keep their own names.
"""
from __future__ import annotations

import re

PREFIX = "asn"
# What may follow the prefix: the ids the hub accepts (NIP digits; letters for
# agencies that number learners otherwise). Never a path separator or '+'.
_ID = re.compile(r"[0-9a-z][0-9a-z_-]{0,29}")


def account_name(learner_id: str) -> str:
    """'199001002020121001' -> 'asn199001002020121001' (an account name is
    returned unchanged)."""
    learner = learner_id.strip().lower()
    if learner.startswith(PREFIX):
        learner = learner[len(PREFIX):]
    if not _ID.fullmatch(learner):
        raise ValueError(f"not a learner id: {learner_id!r}")
    return PREFIX + learner


def learner_of_account(name: str) -> str | None:
    """The learner id an account belongs to, or None for any other account."""
    if name.startswith(PREFIX) and _ID.fullmatch(name[len(PREFIX):]):
        return name[len(PREFIX):]
    return None
