"""Stands in for pip's get-pip.py, which ansible-test fetches from a host the
test bed cannot reach: it bootstraps pip from Python's own ensurepip, then
installs the pip version ansible-test asks for from PyPI."""

import subprocess
import sys

# ansible-test passes pip's options and the wanted pip version; setuptools and
# wheel are not installed unless asked for.
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
subprocess.check_call([sys.executable, "-m", "pip", "install", *args])  # noqa: S603 (our own interpreter)
