"""The PDF worker of the Python package: ``python …/iki/_pdf_worker.py __pdf-worker``.

The CLI decodes PDFs in a child process of itself (``iki __pdf-worker``); a wheel has no such
binary, so the package starts this interpreter on this script instead, which serves the same
one-exchange protocol (request and PDF on stdin, text or error on stdout) with the Rust code of
the extension module. The parent enforces the time and memory limits and turns any death of
this process into a ``pdf_crashed`` / ``pdf_timeout`` / ``pdf_too_large`` document.

It is started by path, not with ``-m``, so that the caller's working directory is not on
``sys.path`` and cannot shadow the package.
"""

import sys

from iki import _native

if __name__ == "__main__":
    if sys.argv[1:] != [_native.PDF_WORKER_ARG]:
        sys.exit(f"usage: {sys.argv[0]} {_native.PDF_WORKER_ARG} (started by the iki package)")
    sys.exit(_native.pdf_worker_main())
