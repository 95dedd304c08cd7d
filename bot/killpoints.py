"""Places where the test suite kills the process (THIDUA_TEST_KILL_AT=<name>), to prove that a
crash between any two steps of an update neither loses nor duplicates anything. Unset outside
tests; then each point costs one comparison."""

from __future__ import annotations

import os
import signal

_KILL_AT = os.environ.get("THIDUA_TEST_KILL_AT")


def reached(name: str) -> None:
    if name == _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)
