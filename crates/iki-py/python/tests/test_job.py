"""The distributed job's parts that need no cluster: listing inputs (directories, @lists, URLs),
planning tasks, and one task's published parts."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

import iki
from iki.cluster import Settings, Task, Unit, list_units, part_path, plan, run_task

CORPUS = sorted((ROOT / "corpus").glob("*.txt"))


def make_inputs(tmp_path: Path) -> Path:
    """tmp/in: two text files, a zip of two more, a PDF and a file no walk takes."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(CORPUS[0].read_bytes())
    (src / "sub" / "b.md").write_bytes(CORPUS[1].read_bytes())
    with zipfile.ZipFile(src / "c.zip", "w") as z:
        z.write(CORPUS[2], "x/one.txt")
        z.write(CORPUS[3], "two.txt")
    (src / "d.pdf").write_bytes(b"%PDF-1.4 not really")
    (src / "notes.csv").write_text("skipped")
    return src


def test_inputs_are_listed_as_the_cli_walks_them(tmp_path: Path) -> None:
    src = make_inputs(tmp_path)
    local = [u.location for u in list_units([str(src)])]
    assert local == [str(src / n) for n in ["a.txt", "c.zip", "d.pdf", "sub/b.md"]]
    # A URL prefix is walked the same way and keeps its scheme.
    remote = [u.location for u in list_units([src.as_uri()])]
    assert remote == [(src / n).as_uri() for n in ["a.txt", "c.zip", "d.pdf", "sub/b.md"]]
    # @LIST: one input per line, comments and blank lines ignored, in the list's order.
    listing = tmp_path / "archives.txt"
    listing.write_text(f"# 2023\n{src / 'c.zip'}\n\n{src / 'a.txt'}\n{src / 'gone.txt'}\n")
    assert [(u.location, u.size) for u in list_units([f"@{listing}"])] == [
        (str(src / "c.zip"), (src / "c.zip").stat().st_size),
        (str(src / "a.txt"), CORPUS[0].stat().st_size),
        (str(src / "gone.txt"), 0),
    ]


def test_tasks_are_bounded_and_scans_stand_alone() -> None:
    units = [Unit(f"f{i}.txt", 10) for i in range(5)] + [Unit("s.pdf", 5), Unit("g.txt", 100)]
    sizes = lambda tasks: [[u.location for u in t.units] for t in tasks]  # noqa: E731
    assert sizes(plan(units, 2, 1000, ocr=False)) == [
        ["f0.txt", "f1.txt"], ["f2.txt", "f3.txt"], ["f4.txt", "s.pdf"], ["g.txt"]]
    assert sizes(plan(units, 10, 35, ocr=False)) == [
        ["f0.txt", "f1.txt", "f2.txt"], ["f3.txt", "f4.txt", "s.pdf"], ["g.txt"]]
    assert sizes(plan(units, 10, 1000, ocr=True)) == [
        ["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt"], ["s.pdf"], ["g.txt"]]
    assert [t.index for t in plan(units, 2, 1000, ocr=False)] == [0, 1, 2, 3]
    assert plan([], 2, 10, ocr=False) == []


def test_a_task_publishes_the_documents_of_its_files(tmp_path: Path) -> None:
    src = make_inputs(tmp_path)
    out = tmp_path / "out"
    for table in ("ndjson", "documents", "indicators"):
        (out / table).mkdir(parents=True)
    units = tuple(list_units([src.as_uri()])) + (Unit((src / "gone.txt").as_uri(), 0),)
    result = run_task(Task(7, units), Settings(out=str(out), ocr=False, pdf_timeout=10))
    lines = Path(part_path(str(out), "ndjson", 7)).read_text().splitlines()
    docs = [json.loads(line) for line in lines]
    uri = src.as_uri()
    assert [d["source"]["path"] for d in docs] == [
        f"{uri}/a.txt", f"{uri}/c.zip!/x/one.txt", f"{uri}/c.zip!/two.txt", f"{uri}/d.pdf",
        f"{uri}/sub/b.md", f"{uri}/gone.txt"]
    # The same documents as the package gives for the local files, renamed.
    assert docs[1] | {"source": None} == iki.extract_path(src / "c.zip")[0] | {"source": None}
    assert [d["status"] for d in docs] == ["ok", "ok", "ok", "failed", "ok", "failed"]
    assert docs[3]["error"]["code"] == "pdf_corrupt"
    assert docs[5]["error"]["code"] == "io_error" and "cannot fetch" in docs[5]["error"]["message"]
    assert (result.index, result.documents, dict(result.statuses)) == (7, 6, {"ok": 4, "failed": 2})
    assert result.failures == [{"path": f"{uri}/d.pdf", "code": "pdf_corrupt"},
                               {"path": f"{uri}/gone.txt", "code": "io_error"}]
    documents = pq.read_table(part_path(str(out), "documents", 7))
    indicators = pq.read_table(part_path(str(out), "indicators", 7))
    assert documents.column("path").to_pylist() == [d["source"]["path"] for d in docs]
    assert indicators.num_rows == sum(len(r["indicators"]) for d in docs for r in d["records"])
    assert not list(out.rglob("*.tmp-*"))


@pytest.mark.parametrize("bad", [["--pdf-timeout", "0"], ["--files-per-task", "0"]])
def test_bad_options_are_usage_errors(bad: list[str], tmp_path: Path) -> None:
    from iki.cluster import main

    with pytest.raises(SystemExit) as exit:
        main([str(tmp_path), "--out", str(tmp_path / "o"), *bad])
    assert exit.value.code == 2
