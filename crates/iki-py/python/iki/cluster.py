"""``iki extract`` on a Dask distributed cluster: ``python -m iki.cluster``.

::

    driver: INPUTs ──list (walk directories, @lists, object-store prefixes)──▶ files
            files ──plan──▶ tasks (≤ N files and ≤ B bytes each; with --ocr one PDF each)
            tasks ──client.submit, a window at a time──▶ workers ──▶ OUT/ndjson/part-T.ndjson
                                             OUT/documents/part-T.parquet
                                             OUT/indicators/part-T.parquet
            parts, in task order ──▶ --ndjson FILE, OUT/summary.json

A task reads its files with the package (archives expanded entry by entry, PDFs in a child
process, OCR when asked), so every document is the one ``iki extract`` writes, and a file that
cannot be read is a failed document, not a failed task. Each task writes its parts under
names fixed by its number, whole or not at all (a scratch file renamed, or one object upload),
and the driver reads exactly one part per task in task order: when a worker dies, Dask runs
its tasks again elsewhere and the rerun rewrites the same parts, so every input is in the
output exactly once and in the CLI's order.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any, Iterator, Optional

import fsspec
import pyarrow.parquet as pq
from distributed import Client, as_completed
from fsspec.implementations.local import LocalFileSystem

import iki
from iki import _native
from iki.tables import DOCUMENTS, INDICATORS, TableBuilder

#: Documents gathered before their rows go to the Parquet writers.
ROWS_PER_BATCH = 1000
PARTS = ("ndjson", "documents", "indicators")


@dataclass(frozen=True)
class Unit:
    """One file a task reads: a local path (as ``iki extract`` shows it) or a URL."""

    location: str
    size: int

    @property
    def is_pdf(self) -> bool:
        return self.location.lower().endswith(".pdf")


@dataclass(frozen=True)
class Task:
    index: int
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Settings:
    """What every task needs besides its files."""

    out: str
    ocr: bool
    pdf_timeout: float


@dataclass
class TaskResult:
    index: int
    documents: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, str]] = field(default_factory=list)


def is_url(location: str) -> bool:
    return "://" in location


# ---------------------------------------------------------------------------------- listing


def list_units(inputs: list[str]) -> list[Unit]:
    """The files the INPUT arguments name, in the CLI's order. ``@LIST`` is a file (or URL)
    holding one INPUT per line (blank lines and ``#`` comments ignored)."""
    units: list[Unit] = []
    for item in inputs:
        if item.startswith("@"):
            units.extend(list_units(_read_list(item[1:])))
        elif is_url(item):
            units.extend(_remote_units(item))
        else:
            units.extend(Unit(path, _local_size(path)) for path in iki.list_files([item]))
    return units


def _read_list(location: str) -> list[str]:
    with fsspec.open(location, "rt", encoding="utf-8") as f:
        lines = [line.strip() for line in f]
    return [line for line in lines if line and not line.startswith("#")]


def _local_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the task turns it into a failed document


def _remote_units(url: str) -> list[Unit]:
    """A URL prefix is walked like a directory (keys sorted by path component, input names
    only); any other URL is one file."""
    fs, root = fsspec.core.url_to_fs(url)
    if not fs.isdir(root):
        size = fs.size(root) if fs.exists(root) else 0
        return [Unit(url, int(size or 0))]
    found: dict[str, dict[str, Any]] = fs.find(root, detail=True)
    keys = sorted((k for k in found if iki.is_input_name(k)), key=lambda k: k.split("/"))
    return [Unit(fs.unstrip_protocol(k), int(found[k].get("size") or 0)) for k in keys]


def plan(units: list[Unit], files_per_task: int, bytes_per_task: int, ocr: bool) -> list[Task]:
    """Consecutive files grouped into tasks of at most ``files_per_task`` files and
    ``bytes_per_task`` bytes (a larger file is a task of its own). With OCR every PDF is a
    task of its own: at seconds a page, one scan is already a task's worth of work."""
    tasks: list[Task] = []
    current: list[Unit] = []
    size = 0

    def close() -> None:
        nonlocal current, size
        if current:
            tasks.append(Task(len(tasks), tuple(current)))
        current, size = [], 0

    for unit in units:
        alone = ocr and unit.is_pdf
        if alone or len(current) >= files_per_task or size + unit.size > bytes_per_task:
            close()
        current.append(unit)
        size += unit.size
        if alone:
            close()
    close()
    return tasks


# ------------------------------------------------------------------------------------ tasks


def part_path(root: str, table: str, index: int) -> str:
    suffix = "ndjson" if table == "ndjson" else "parquet"
    return f"{root}/{table}/part-{index:06d}.{suffix}"


def run_task(task: Task, settings: Settings) -> TaskResult:
    """Extract the files of one task and publish its three parts. Runs on a worker."""
    result = TaskResult(task.index)
    fs, root = fsspec.core.url_to_fs(settings.out)
    with tempfile.TemporaryDirectory(prefix="iki-task-") as scratch:
        local = {table: os.path.join(scratch, table) for table in PARTS}
        builder = TableBuilder()
        with open(local["ndjson"], "w", encoding="utf-8", newline="\n") as ndjson, \
                pq.ParquetWriter(local["documents"], DOCUMENTS) as documents, \
                pq.ParquetWriter(local["indicators"], INDICATORS) as indicators:

            def flush() -> None:
                doc_table, ind_table = builder.take()
                documents.write_table(doc_table)
                indicators.write_table(ind_table)

            for unit in task.units:
                for line in _documents(unit, settings):
                    ndjson.write(line + "\n")
                    _count(result, builder.add(line))
                    if len(builder.documents) >= ROWS_PER_BATCH:
                        flush()
            flush()
        for table in PARTS:
            _publish(fs, local[table], part_path(root, table, task.index))
    return result


def _documents(unit: Unit, settings: Settings) -> Iterator[str]:
    """The JSON lines of one file; a remote file is copied to a scratch file first and keeps
    its URL in ``source.path``."""
    options: dict[str, Any] = {"ocr": settings.ocr, "pdf_timeout": settings.pdf_timeout}
    if not is_url(unit.location):
        yield from iki.iter_path_json(unit.location, **options)
        return
    with tempfile.TemporaryDirectory(prefix="iki-fetch-") as scratch:
        name = PurePosixPath(unit.location.split("://", 1)[1]).name or "input"
        local = os.path.join(scratch, name)
        try:
            with fsspec.open(unit.location, "rb") as src, open(local, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except (FileNotFoundError, PermissionError, IsADirectoryError) as e:
            # Gone or forbidden: a failed document. Anything else (a network error) raises,
            # and Dask retries the task.
            yield _native.unreadable(unit.location, f"cannot fetch {unit.location}: {e}")
            return
        yield from iki.iter_path_json(local, display_path=unit.location, **options)


def _count(result: TaskResult, doc: dict[str, Any]) -> None:
    result.documents += 1
    result.statuses[doc["status"]] += 1
    if doc["status"] == "failed":
        result.failures.append({"path": doc["source"]["path"], "code": doc["error"]["code"]})


def _publish(fs: fsspec.AbstractFileSystem, local: str, target: str) -> None:
    """Put a finished part in place whole: a rename on a local file system, one upload on an
    object store (where an object appears whole or not at all)."""
    if isinstance(fs, LocalFileSystem):
        scratch = f"{target}.tmp-{uuid.uuid4().hex}"
        shutil.copyfile(local, scratch)
        os.replace(scratch, target)
    else:
        fs.put_file(local, target)


# ----------------------------------------------------------------------------------- driver


def _parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m iki.cluster",
        description="Extract IKI documents on a Dask distributed cluster.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="file, directory, archive, URL (s3://…, gs://…, file://…) or @LIST")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="directory or URL for the parts, the Parquet tables and summary.json")
    p.add_argument("--ndjson", metavar="FILE",
                   help="also write every document, in input order, to FILE ('-' = stdout)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="e.g. tcp://head:8786")
    where.add_argument("--scheduler-file", metavar="FILE")
    p.add_argument("--ocr", action="store_true", help="read PDFs without a text layer by OCR")
    p.add_argument("--pdf-timeout", type=float, default=60.0, metavar="SECONDS")
    p.add_argument("--files-per-task", type=int, default=256, metavar="N")
    p.add_argument("--bytes-per-task", type=int, default=32 << 20, metavar="N")
    p.add_argument("--retries", type=int, default=2, metavar="N",
                   help="reruns of a task that raised (a dead worker's tasks are rerun anyway)")
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)
    if args.pdf_timeout <= 0 or args.files_per_task < 1 or args.bytes_per_task < 1:
        p.error("--pdf-timeout, --files-per-task and --bytes-per-task must be positive")
    return args


def _client(args: argparse.Namespace) -> Client:
    if args.scheduler:
        return Client(args.scheduler)
    if args.scheduler_file:
        return Client(scheduler_file=args.scheduler_file)
    # No cluster named: one on this machine (owned by the client, closed with it), a worker
    # process per core, one task at a time each.
    return Client(threads_per_worker=1, dashboard_address=":0")


def _prepare_out(out: str) -> None:
    """Empty the part directories: parts of an earlier run must not be read as this run's."""
    fs, root = fsspec.core.url_to_fs(out)
    for table in PARTS:
        path = f"{root}/{table}"
        if fs.exists(path):
            fs.rm(path, recursive=True)
        fs.makedirs(path, exist_ok=True)


def _concatenate(out: str, results: list[TaskResult], target: IO[bytes]) -> None:
    """Copy the NDJSON parts into ``target`` in task order, checking each holds the number of
    documents its task reported."""
    fs, root = fsspec.core.url_to_fs(out)
    for result in results:
        lines = 0
        with fs.open(part_path(root, "ndjson", result.index), "rb") as part:
            while chunk := part.read(1 << 20):
                lines += chunk.count(b"\n")
                target.write(chunk)
        if lines != result.documents:
            raise RuntimeError(f"part {result.index} holds {lines} documents, "
                               f"its task reported {result.documents}")


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    units = list_units(args.inputs)
    tasks = plan(units, args.files_per_task, args.bytes_per_task, args.ocr)
    settings = Settings(out=args.out.rstrip("/"), ocr=args.ocr, pdf_timeout=args.pdf_timeout)
    _prepare_out(settings.out)
    results: dict[int, TaskResult] = {}
    with _client(args) as client:
        nthreads: dict[str, int] = client.nthreads()  # every worker (scheduler_info lists a few)
        workers, threads = len(nthreads), sum(nthreads.values())
        if args.ocr:
            client.run(iki.check_ocr)  # every worker, before any task: fail fast and clearly
        run_id = uuid.uuid4().hex[:8]

        def submit(task: Task) -> Any:
            return client.submit(run_task, task, settings, key=f"iki-{run_id}-{task.index:06d}",
                                 retries=args.retries, pure=False)

        # A bounded window of submitted tasks, refilled as they finish: the scheduler holds
        # a few per worker thread, not millions for a national archive.
        pending = iter(tasks)
        running = as_completed([submit(t) for t in itertools.islice(pending, max(64, 4 * threads))])
        for future in running:
            result: TaskResult = future.result()
            results[result.index] = result
            following = next(pending, None)
            if following is not None:
                running.add(submit(following))
            if not args.quiet:
                print(f"\riki.cluster: {len(results)}/{len(tasks)} tasks", end="",
                      file=sys.stderr, flush=True)
    if not args.quiet and tasks:
        print(file=sys.stderr)
    ordered = [results[t.index] for t in tasks]
    if args.ndjson == "-":
        _concatenate(settings.out, ordered, sys.stdout.buffer)
        sys.stdout.flush()
    elif args.ndjson:
        with fsspec.open(args.ndjson, "wb") as target:
            _concatenate(settings.out, ordered, target)
    elapsed = time.monotonic() - started
    summary = _summary(units, ordered, workers, elapsed)
    fs, root = fsspec.core.url_to_fs(settings.out)
    fs.pipe_file(f"{root}/summary.json", json.dumps(summary, indent=2).encode() + b"\n")
    if not args.quiet:
        counts = summary["status_counts"]
        print(f"iki.cluster: {summary['documents']} documents from {len(units)} files in "
              f"{len(tasks)} tasks on {workers} workers, {elapsed:.1f} s "
              f"(ok {counts['ok']}, partial {counts['partial']}, failed {counts['failed']})",
              file=sys.stderr)
    return 0 if summary["status_counts"]["failed"] == 0 else 1


def _summary(units: list[Unit], results: list[TaskResult], workers: int,
             elapsed: float) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    for r in results:
        statuses.update(r.statuses)
    documents = sum(r.documents for r in results)
    return {
        "files": len(units),
        "bytes": sum(u.size for u in units),
        "tasks": len(results),
        "workers": workers,
        "documents": documents,
        "elapsed_seconds": elapsed,
        "documents_per_second": documents / elapsed if elapsed > 0 else 0.0,
        "status_counts": {s: statuses.get(s, 0) for s in ("failed", "ok", "partial")},
        "failures": [f for r in results for f in r.failures],
    }


def main(argv: Optional[list[str]] = None) -> int:
    args = _parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a task that failed for good, an unreachable scheduler, …
        print(f"iki.cluster: {type(e).__name__}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
