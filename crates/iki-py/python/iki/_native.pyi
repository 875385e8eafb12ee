"""Stub of the extension module built from crates/iki-py/src/python.rs.

Documents come back as compact JSON (the CLI's NDJSON lines); ``iki/__init__.py`` is the typed
API over these functions.
"""

from typing import Optional, Sequence, final

__all__ = [
    "DocumentIter",
    "PDF_WORKER_ARG",
    "__version__",
    "check_ocr",
    "extract",
    "extract_file",
    "is_input_name",
    "iter_path",
    "list_files",
    "pdf_worker_main",
    "schema",
    "unreadable",
]

__version__: str
PDF_WORKER_ARG: str

def extract(data: bytes, path: str, ocr: bool, pdf_timeout: float, pdf_worker: Sequence[str]) -> str: ...
def extract_file(path: str, ocr: bool, pdf_timeout: float, pdf_worker: Sequence[str]) -> str: ...

@final
class DocumentIter:
    def __iter__(self) -> DocumentIter: ...
    def __next__(self) -> str: ...

def iter_path(
    path: str, display: Optional[str], ocr: bool, pdf_timeout: float, pdf_worker: Sequence[str]
) -> DocumentIter: ...
def unreadable(path: str, message: str) -> str: ...
def list_files(paths: Sequence[str]) -> list[str]: ...
def is_input_name(name: str) -> bool: ...
def schema() -> str: ...
def check_ocr() -> None: ...
def pdf_worker_main() -> int: ...
