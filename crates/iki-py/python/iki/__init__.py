"""Extract Indonesian *Indikator Kinerja Individu* (IKI) forms into the documents of the iki
output contract, with the same Rust code as the ``iki`` command line.

Every function returns documents (``dict``, the contract's ``IkiDocument``; ``iki.schema()`` is
its JSON Schema). A file that cannot be read or is not an IKI form is a document with
``status == "failed"`` and an error code, never an exception; exceptions mean misuse (a
directory given to :func:`extract_file`, a timeout that is not positive).

Parsing releases the GIL, so threads extract in parallel. PDFs are decoded in a child process
(this interpreter running ``iki/_pdf_worker.py``) with a time and memory limit: a PDF that
crashes or hangs the decoder fails as that PDF's document and the calling process goes on.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from . import _native

__all__ = [
    "__version__",
    "extract",
    "extract_file",
    "extract_path",
    "iter_path_json",
    "list_files",
    "is_input_name",
    "schema",
    "check_ocr",
    "Document",
    "PathLike",
]

__version__: str = _native.__version__

#: One document of the output contract (see :func:`schema`).
Document = dict[str, Any]
PathLike = Union[str, "os.PathLike[str]"]

# The command that starts a PDF worker: this interpreter on the worker script, so the child
# finds this same installed package (see _pdf_worker.py).
_PDF_WORKER: list[str] = [sys.executable, str(Path(__file__).with_name("_pdf_worker.py"))]


def extract(data: bytes, path: str = "-", *, ocr: bool = False, pdf_timeout: float = 60.0) -> Document:
    """The document of ``data``, an input named ``path`` (shown as ``source.path``).

    The format is recognised from the bytes, then the name: ``%PDF-`` goes to the PDF reader
    (in a child process), anything else to the text parser. ``ocr`` reads PDFs without a text
    layer by OCR (needs poppler-utils and tesseract-ocr-ind); ``pdf_timeout`` is the wall time
    in seconds a PDF's decoding may take.
    """
    doc: Document = json.loads(_native.extract(data, path, ocr, pdf_timeout, _PDF_WORKER))
    return doc


def extract_file(path: PathLike, ocr: bool = False, pdf_timeout: float = 60.0) -> Document:
    """The document of the file at ``path``, exactly as ``iki extract PATH`` writes it.

    A missing or unreadable file gives a failed document. Raises ``ValueError`` for a
    directory or an archive, which hold many documents (use :func:`extract_path`).
    """
    doc: Document = json.loads(
        _native.extract_file(os.fspath(path), ocr, pdf_timeout, _PDF_WORKER))
    return doc


def extract_path(
    path: PathLike,
    *,
    display_path: str | None = None,
    ocr: bool = False,
    pdf_timeout: float = 60.0,
) -> list[Document]:
    """Every document ``iki extract PATH`` writes for ``path``, in its order: one for a file,
    one per entry of a ``.zip``/``.tar``/``.tar.gz`` archive (``source.path`` is
    ``ARCHIVE!/ENTRY``), one per input file of a directory (walked as the CLI walks it).

    ``display_path`` replaces ``path`` at the start of every ``source.path``: a job that copied
    a remote object to a scratch file keeps the object's name.
    """
    lines = iter_path_json(path, display_path=display_path, ocr=ocr, pdf_timeout=pdf_timeout)
    return [json.loads(line) for line in lines]


def iter_path_json(
    path: PathLike,
    *,
    display_path: str | None = None,
    ocr: bool = False,
    pdf_timeout: float = 60.0,
) -> Iterator[str]:
    """The documents of :func:`extract_path` as compact JSON, yielded as they are extracted
    (an archive of any size is read one entry at a time): byte for byte the lines
    ``iki extract --ndjson`` writes, without their newline."""
    return _native.iter_path(os.fspath(path), display_path, ocr, pdf_timeout, _PDF_WORKER)


def list_files(paths: Iterable[PathLike]) -> list[str]:
    """The files ``paths`` name, in the CLI's order: directories walked (sorted by name,
    symlinks not followed, only text, PDF and archive files), archives left whole. Calling
    :func:`extract_path` on each gives the documents ``iki extract PATHS`` gives."""
    return _native.list_files([os.fspath(p) for p in paths])


def is_input_name(name: str) -> bool:
    """Whether a directory walk takes a file of this name (``.txt``, ``.md``, ``.pdf``,
    ``.zip``, ``.tar``, ``.tar.gz``, ``.tgz``, any case)."""
    return _native.is_input_name(name)


def schema() -> dict[str, Any]:
    """The JSON Schema of a document, as ``iki schema`` prints it."""
    result: dict[str, Any] = json.loads(_native.schema())
    return result


def check_ocr() -> None:
    """Raise ``RuntimeError`` (saying what to install) unless ``pdftoppm``, ``tesseract`` and
    its Indonesian data are installed."""
    _native.check_ocr()
