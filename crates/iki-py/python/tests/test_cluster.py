"""``scripts/cluster.sh`` on a real local Dask cluster (a scheduler and worker processes over
localhost TCP): the CLI's documents, every input exactly once when a worker is killed in the
middle of a task, and no cluster process left behind, also when the job fails."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
from conftest import ROOT, cli_lines, document_set
from distributed import Client

import iki

CLUSTER = ROOT / "scripts/cluster.sh"
SCAN = ROOT / "fixtures/pdf/scan/lumajang-kec-ranuyoso-2023-scan.pdf"
# Building the wheel (unchanged sources: seconds) and starting the cluster take most of it.
LIMIT_S = 1500


def cluster(args: list[str], state: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"IKI_CLUSTER_DIR": str(state)}
    return subprocess.Popen(["bash", str(CLUSTER), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=LIMIT_S)
    return proc.returncode, err.decode(errors="replace")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def recorded_pids(state: Path) -> list[int]:
    """The scheduler and worker (nanny) processes cluster.sh started."""
    return [int(p) for p in (state / "pids").read_text().split()]


def test_the_cluster_gives_the_cli_documents(iki_bin: Path, tmp_path: Path) -> None:
    out, state = tmp_path / "out.ndjson", tmp_path / "cluster"
    status, err = finish(cluster(["corpus", str(out)], state))
    assert status == 0, err
    lines = out.read_text(encoding="utf-8").splitlines()
    expected = cli_lines(iki_bin, "corpus")
    assert document_set(lines) == document_set(expected)
    assert lines == expected  # and in the CLI's order
    tables = tmp_path / "out.parts"
    assert pq.read_table(tables / "documents").num_rows == 5
    assert pq.read_table(tables / "indicators").num_rows == 220  # hand-checked count (README)
    summary = json.loads((tables / "summary.json").read_text())
    assert (summary["workers"], summary["documents"]) == (2, 5)
    assert len(recorded_pids(state)) == 3
    assert not any(alive(pid) for pid in recorded_pids(state))


def test_a_killed_worker_costs_nothing(iki_bin: Path, ocr: None, tmp_path: Path) -> None:
    """Kill a worker process (SIGKILL) while it OCRs a scan: Dask reruns the task on a worker
    (the nanny restarts the dead one) and the output still holds every input exactly once."""
    src, out, state = tmp_path / "in", tmp_path / "out.ndjson", tmp_path / "cluster"
    src.mkdir()
    for text in sorted((ROOT / "corpus").glob("*.txt")):
        shutil.copy(text, src)
    for i in range(4):  # one task each (--ocr), several seconds each
        shutil.copy(SCAN, src / f"scan-{i}.pdf")
    proc = cluster([str(src), str(out), "2", "--ocr"], state)
    worker_pids: set[int] = set()
    try:
        killed_pid, killed_key = kill_a_worker_mid_task(state, proc, worker_pids)
    finally:
        status, err = finish(proc)
    assert status == 0, err
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    paths = Counter(d["source"]["path"] for d in docs)
    assert paths == Counter(iki.list_files([src]))  # each input exactly once
    scans = [d for d in docs if d["source"]["path"].endswith(".pdf")]
    assert [d["source"]["format"] for d in scans] == ["pdf-ocr"] * 4
    assert all(d["status"] in ("ok", "partial") for d in scans)
    texts = [json.dumps(d) for d in docs if not d["source"]["path"].endswith(".pdf")]
    expected = cli_lines(iki_bin, *[str(p) for p in sorted(src.glob("*.txt"))])
    assert document_set(texts) == document_set(expected)
    # The kill hit a Dask worker in the middle of a task, and the nanny saw it die.
    logs = "".join(p.read_text(errors="replace") for p in state.glob("worker-*.log"))
    assert "signal 9" in logs or "SIGKILL" in logs, logs[-2000:]
    assert killed_key.startswith("iki-")
    assert not alive(killed_pid)
    # Nothing of the cluster is left.
    assert not any(alive(pid) for pid in worker_pids | set(recorded_pids(state)))


def kill_a_worker_mid_task(state: Path, proc: subprocess.Popen[bytes],
                           worker_pids: set[int]) -> tuple[int, str]:
    """Wait until a worker has been busy with the same task for a second, SIGKILL its
    process, and keep recording worker pids (the nanny's replacement too) in `worker_pids`
    until the job ends; the (pid, task key) killed."""
    deadline = time.monotonic() + LIMIT_S
    scheduler_file = state / "scheduler.json"
    while not scheduler_file.exists():
        assert proc.poll() is None, "cluster.sh ended before its scheduler started"
        assert time.monotonic() < deadline
        time.sleep(0.2)
    with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
        seen: dict[str, str] = {}  # worker address -> the task it was processing last time
        killed: tuple[int, str] | None = None
        while killed is None:
            assert proc.poll() is None, "the job ended before a worker could be killed"
            assert time.monotonic() < deadline
            pids: dict[str, int] = client.run(os.getpid)  # worker address -> its process
            worker_pids.update(pids.values())
            busy = {addr: str(keys[0]) for addr, keys in client.processing().items()
                    if keys and str(keys[0]).startswith("iki-")}
            for addr, key in busy.items():
                if seen.get(addr) == key and addr in pids:
                    os.kill(pids[addr], signal.SIGKILL)
                    killed = (pids[addr], key)
                    break
            seen = busy
            time.sleep(1.0)
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                worker_pids.update(client.run(os.getpid).values())
            except Exception:  # the cluster is going down with the job's end
                break
            time.sleep(0.5)
    return killed


def test_the_cluster_is_stopped_when_the_job_fails(tmp_path: Path) -> None:
    state = tmp_path / "cluster"
    # A job option the job refuses: the job exits 2 after the cluster has started.
    status, err = finish(cluster(["corpus", str(tmp_path / "o.ndjson"), "1",
                                  "--files-per-task", "0"], state))
    assert status == 2, err
    assert "--files-per-task" in err
    pids = recorded_pids(state)
    assert len(pids) == 2
    assert not any(alive(pid) for pid in pids)
