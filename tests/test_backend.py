"""The allocator setting gradix applies on import, and its opt-out."""
import subprocess
import sys

import pytest


def _applied(env):
    code = "import gradix.backend as b; print(b.keep_freed_memory())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_keep_freed_memory_applies_on_glibc_and_can_be_turned_off():
    import os
    env = dict(os.environ)
    env.pop("GRADIX_KEEP_FREED_MEMORY", None)
    assert _applied(env) == "True"
    env["GRADIX_KEEP_FREED_MEMORY"] = "0"
    assert _applied(env) == "False"
