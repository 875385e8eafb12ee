//! The Python package and the distributed job, through their pytest suites
//! (`crates/iki-py/python/tests`) in the project's virtualenv (`scripts/py-env.sh`, which
//! `.ci/run` runs before `cargo test`): the package against this CLI, the job's planning and
//! tasks, and `scripts/cluster.sh` on a real local Dask cluster, a worker killed mid-job
//! included. Without the virtualenv these tests say so and pass on a developer's machine;
//! in CI (`CI=true`) they fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, PoisonError};

/// Both suites use the virtualenv that `py-env.sh` (and so `cluster.sh`) reinstalls the wheel
/// into: one suite at a time.
static VENV: Mutex<()> = Mutex::new(());

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn venv() -> PathBuf {
    std::env::var_os("IKI_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/py-venv"))
}

/// Run pytest on `files`; the wheel is rebuilt first when its sources changed.
fn pytest(files: &[&str]) {
    let _one = VENV.lock().unwrap_or_else(PoisonError::into_inner);
    let python = venv().join("bin/python");
    if !python.is_file() {
        let message = format!(
            "no Python environment at {}: run scripts/py-env.sh",
            venv().display()
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("skipped: {message}");
        return;
    }
    let env = Command::new("bash")
        .arg(root().join("scripts/py-env.sh"))
        .env("IKI_VENV", venv())
        .output()
        .expect("cannot run scripts/py-env.sh");
    assert!(
        env.status.success(),
        "scripts/py-env.sh failed:\n{}",
        String::from_utf8_lossy(&env.stderr)
    );
    let run = Command::new(&python)
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs"])
        .args(files)
        .current_dir(root())
        .env("IKI_BIN", env!("CARGO_BIN_EXE_iki"))
        .env("IKI_VENV", venv()) // for the scripts/cluster.sh the cluster tests start
        .output()
        .expect("cannot run pytest");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    eprintln!("{output}");
    assert!(run.status.success(), "pytest {files:?} failed");
    assert!(
        !output.contains(" skipped") || std::env::var("CI").as_deref() != Ok("true"),
        "tests were skipped in CI"
    );
}

#[test]
fn python_package_and_job() {
    pytest(&[
        "crates/iki-py/python/tests/test_package.py",
        "crates/iki-py/python/tests/test_job.py",
    ]);
}

#[test]
fn python_cluster_with_a_killed_worker() {
    pytest(&["crates/iki-py/python/tests/test_cluster.py"]);
}
