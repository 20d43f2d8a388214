"""Environment variables, read where every request reads them.

`os.environ.get` of a name that is not set raises a KeyError inside `os.environ` and catches it
again, which costs several times the lookup itself; several variables are read on every Proton
call and are usually not set (MOTO_ACCOUNT_ID, MOTO_S3_CUSTOM_ENDPOINTS, the quota variables).
"""

import os
from typing import Optional


def environment_value(name: str) -> Optional[str]:
    """`os.environ.get(name)`: None where the variable is not set. CPython's `os.environ` keeps
    the variables in a dict of encoded names; a name missing from it is missing, without the
    exception. Any other `os.environ` (a test may replace it) is asked as usual."""
    environ = os.environ
    data = getattr(environ, "_data", None)
    encode = getattr(environ, "encodekey", None)
    if type(data) is dict and encode is not None and encode(name) not in data:
        return None
    return environ.get(name)
