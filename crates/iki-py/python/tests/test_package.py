"""The package `iki`: the CLI's documents from Python, PDFs isolated in a child process, the
GIL released while parsing, the schema and the type stubs."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, cli_lines, need

import iki
from iki.tables import to_tables

CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
HOSTILE = {  # the codes iki-pdf's isolation test expects of the same files
    "encrypted.pdf": "pdf_encrypted",
    "garbage.pdf": "pdf_corrupt",
    "garbage-header.pdf": "pdf_corrupt",
    "huge-page-count.pdf": "pdf_too_large",
    "nested-arrays.pdf": "pdf_corrupt",
    "page-tree-loop.pdf": "pdf_corrupt",
    "truncated.pdf": "pdf_corrupt",
    "xobject-chain.pdf": "pdf_corrupt",
    "xobject-loop.pdf": "pdf_corrupt",
    "zero-pages.pdf": "pdf_corrupt",
}
TEXT_PDF = ROOT / "fixtures/pdf/text/lumajang-kec-ranuyoso-2023.pdf"
SCAN_PDF = ROOT / "fixtures/pdf/scan/lumajang-kec-ranuyoso-2023-scan.pdf"


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths relative to the repository, as the CLI runs in the comparisons."""
    monkeypatch.chdir(ROOT)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_version_is_the_crate_version() -> None:
    cargo = (ROOT / "crates/iki-py/Cargo.toml").read_text()
    assert f'version = "{iki.__version__}"' in cargo
    assert importlib.metadata.version("iki") == iki.__version__


def test_a_directory_gives_the_cli_bytes(iki_bin: Path) -> None:
    assert list(iki.iter_path_json("corpus")) == cli_lines(iki_bin, "corpus")


def test_bytes_and_files_give_the_cli_documents(iki_bin: Path) -> None:
    for path in CORPUS:
        expected = json.loads(cli_lines(iki_bin, rel(path))[0])
        assert iki.extract(path.read_bytes(), rel(path)) == expected
        assert iki.extract_file(rel(path)) == expected
        assert iki.extract_file(Path(rel(path))) == expected
    assert expected["status"] == "ok" and expected["kind"] == "iki"


def test_archives_expand_into_their_entries_like_the_cli(iki_bin: Path, tmp_path: Path) -> None:
    zip_path, tgz_path = tmp_path / "kec.zip", tmp_path / "kec.tar.gz"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for path in CORPUS[:2]:
            z.write(path, f"2023/{path.name}")
        z.writestr("notes.csv", "not an input")
    with tarfile.open(tgz_path, "w:gz") as t:
        for path in CORPUS[2:]:
            t.add(path, path.name)
    for archive in (zip_path, tgz_path):
        docs = iki.extract_path(archive)
        assert [json.dumps(d) for d in docs] == [
            json.dumps(json.loads(line)) for line in cli_lines(iki_bin, str(archive))]
    names = [d["source"]["path"] for d in iki.extract_path(zip_path)]
    assert names == [f"{zip_path}!/2023/{p.name}" for p in CORPUS[:2]]
    # The directory walk: kec.tar.gz before kec.zip, each expanded in place.
    assert [d["source"]["path"] for d in iki.extract_path(tmp_path)] == [
        f"{tgz_path}!/{p.name}" for p in CORPUS[2:]] + names


def test_display_path_names_a_scratch_copy_by_its_origin(tmp_path: Path) -> None:
    scratch = tmp_path / "copy.zip"
    with zipfile.ZipFile(scratch, "w") as z:
        z.write(CORPUS[0], "form.txt")
    [doc] = iki.extract_path(scratch, display_path="s3://arsip/2023/kec.zip")
    assert doc["source"]["path"] == "s3://arsip/2023/kec.zip!/form.txt"
    assert doc["status"] == "ok"


def test_list_files_leaves_archives_whole(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ["b/form.md", "a.zip", "scan.PDF", "notes.csv", "c.tgz"]:
        (tmp_path / name).write_bytes(b"x")
    assert iki.list_files([tmp_path]) == [
        str(tmp_path / n) for n in ["a.zip", "b/form.md", "c.tgz", "scan.PDF"]]
    assert iki.is_input_name("x/kec.TAR.GZ") and not iki.is_input_name("notes.csv")


def test_problems_are_failed_documents_misuse_is_an_exception(tmp_path: Path) -> None:
    missing = iki.extract_file(tmp_path / "gone.txt")
    assert (missing["status"], missing["error"]["code"]) == ("failed", "not_found")
    binary = iki.extract(bytes(range(256)) * 64, "blob.txt")
    assert (binary["status"], binary["error"]["code"]) == ("failed", "binary_file")
    prose = iki.extract("Surat undangan rapat koordinasi.\n".encode(), "surat.txt")
    assert prose["status"] == "failed" and prose["error"]["code"] == "not_iki"
    (tmp_path / "a.zip").write_bytes(b"PK")
    for path in (tmp_path, tmp_path / "a.zip", "-"):
        with pytest.raises(ValueError):
            iki.extract_file(path)
    with pytest.raises(ValueError):
        iki.extract_path("-")
    for timeout in (0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            iki.extract(b"x", "a.txt", pdf_timeout=timeout)


def test_a_text_layer_pdf_is_read_in_the_worker(iki_bin: Path) -> None:
    doc = iki.extract_file(rel(TEXT_PDF))
    assert doc == json.loads(cli_lines(iki_bin, rel(TEXT_PDF))[0])
    assert (doc["status"], doc["source"]["format"], len(doc["records"])) == ("ok", "pdf", 6)
    # Recognised by content: the same bytes under a text name still go to the PDF reader.
    assert iki.extract(TEXT_PDF.read_bytes(), "renamed.txt")["source"]["format"] == "pdf"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_pdf_fails_as_a_document(name: str) -> None:
    doc = iki.extract_file(ROOT / "fixtures/pdf/hostile" / name, pdf_timeout=20)
    assert doc["status"] == "failed"
    assert doc["error"]["code"] == HOSTILE[name]
    assert doc["source"]["format"] == "pdf"


def test_a_crashing_or_hanging_decoder_kills_only_its_child(monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers that die the ways a decoder can (the real worker is the same protocol behind
    # the same command): a segfault, an abort, a hang past the limit.
    crash = "import os, sys; sys.stdin.buffer.read(); os.kill(os.getpid(), 11)"
    abort = "import os, sys; sys.stdin.buffer.read(); os.abort()"
    hang = "import sys, time; sys.stdin.buffer.read(); time.sleep(60)"
    pdf = TEXT_PDF.read_bytes()
    for code, expected in [(crash, "pdf_crashed"), (abort, "pdf_crashed"), (hang, "pdf_timeout")]:
        monkeypatch.setattr(iki, "_PDF_WORKER", [sys.executable, "-c", code])
        doc = iki.extract(pdf, "form.pdf", pdf_timeout=2)
        assert (doc["status"], doc["error"]["code"]) == ("failed", expected), doc["error"]
    monkeypatch.undo()
    assert iki.extract(pdf, "form.pdf")["status"] == "ok"  # this process went on


def test_a_scan_needs_ocr(ocr: None) -> None:
    plain = iki.extract_file(SCAN_PDF)
    assert plain["error"]["code"] == "no_text_layer"
    doc = iki.extract_file(SCAN_PDF, ocr=True)
    assert doc["source"]["format"] == "pdf-ocr"
    assert doc["status"] in ("ok", "partial")
    assert any(w["code"] == "ocr_text" for w in doc["warnings"])
    # The scan holds the forms of lumajang-kec-ranuyoso-2023 (fixtures/pdf/scan/*.json).
    expected = json.loads(SCAN_PDF.with_suffix(".json").read_text())
    assert len(doc["records"]) == len(expected["records"])


def test_the_gil_is_released_during_extraction(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """A PDF worker that waits for a file only this test's main thread creates, and only once
    the worker has started, i.e. while a second thread is inside ``iki.extract``. Were the GIL
    held for the call, the main thread could not run until the call gave up (pdf_timeout)."""
    ready, go = tmp_path / "ready", tmp_path / "go"
    waiting_worker = (
        "import pathlib, sys, time\n"
        f"pathlib.Path({str(ready)!r}).touch()\n"
        f"while not pathlib.Path({str(go)!r}).exists(): time.sleep(0.01)\n"
        "from iki import _native\n"
        "sys.exit(_native.pdf_worker_main())\n"
    )
    monkeypatch.setattr(iki, "_PDF_WORKER", [sys.executable, "-c", waiting_worker])
    result: dict[str, object] = {}
    thread = threading.Thread(
        target=lambda: result.update(iki.extract(TEXT_PDF.read_bytes(), "f.pdf", pdf_timeout=30)))
    thread.start()
    while not ready.exists() and thread.is_alive():
        time.sleep(0.01)
    go.touch()
    thread.join()
    assert result["status"] == "ok", result.get("error")


def test_threads_extract_in_parallel_the_same_documents() -> None:
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda p: iki.extract(p.read_bytes(), p.name), CORPUS * 3))
    sequential = [iki.extract(p.read_bytes(), p.name) for p in CORPUS * 3]
    assert parallel == sequential


def test_stopping_a_stream_early_is_harmless(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(40):
            z.write(CORPUS[i % len(CORPUS)], f"f{i:02d}.txt")
    stream = iki.iter_path_json(archive)
    first = json.loads(next(stream))
    assert first["source"]["path"] == f"{archive}!/f00.txt"
    del stream
    assert len(iki.extract_path(archive)) == 40


def test_schema_is_the_published_one() -> None:
    published = json.loads((ROOT / "schema/iki-document.schema.json").read_text())
    assert iki.schema() == published


def test_tables_hold_every_document_and_indicator() -> None:
    documents, indicators = to_tables(iki.iter_path_json("corpus"))
    assert documents.num_rows == 5
    # 220 indicator rows: the hand-checked count of the corpus (README, Accuracy).
    assert indicators.num_rows == 220
    assert set(indicators.column("path").to_pylist()) == {rel(p) for p in CORPUS}
    first = json.loads(documents.column("document")[0].as_py())
    assert first["source"]["path"] == documents.column("path")[0].as_py()


def test_the_stubs_match_the_module_and_the_api_type_checks(tmp_path: Path) -> None:
    try:
        from mypy import api as mypy
    except ImportError:
        need("mypy (crates/iki-py/requirements-dev.txt)")
    stubtest = subprocess.run([sys.executable, "-m", "mypy.stubtest", "iki._native"],
                              capture_output=True, text=True, check=False)
    assert stubtest.returncode == 0, stubtest.stdout + stubtest.stderr
    user = tmp_path / "user.py"
    user.write_text(
        "import iki\n"
        "doc: dict[str, object] = iki.extract(b'x', 'a.txt')\n"
        "docs: list[iki.Document] = iki.extract_path('corpus', ocr=True, pdf_timeout=5.0)\n"
        "names: list[str] = iki.list_files(['corpus'])\n"
        "version: str = iki.__version__\n"
    )
    config = str(ROOT / "crates/iki-py/pyproject.toml")
    cache = ["--cache-dir", str(tmp_path / "mypy-cache")]
    for target in (["-p", "iki"], [str(user)]):
        out, err, status = mypy.run(["--config-file", config, *cache, *target])
        assert status == 0, out + err
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import iki\niki.extract('not bytes', 'a.txt')\n")
    out, _, status = mypy.run(["--strict", *cache, str(wrong)])
    assert status == 1 and "arg-type" in out, out
