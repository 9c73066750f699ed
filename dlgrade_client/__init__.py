"""A small command-line client for dlgrade students: submit a file, wait for the verdict, print it.

Standard library only, so it installs anywhere Python 3.11 runs. See ``dlgrade --help``.
"""

__version__ = "0.1.0"
