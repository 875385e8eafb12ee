//! Child processes that may misbehave — the PDF worker, OCR tools, LibreOffice — run under
//! limits, so a hang, a crash or a runaway allocation ends that child and nothing else:
//!
//! - [`Limits`] applied before exec: `RLIMIT_AS` (an allocation past it fails), `RLIMIT_CPU`
//!   (a backstop should the parent die), `RLIMIT_CORE` 0, and optionally a process group of
//!   its own, so helpers it starts die with it;
//! - [`wait_with_deadline`] kills the child (its group) when the wall time runs out;
//! - [`describe`] and [`last_line`] say how it died, for error messages.

use std::process::{Child, Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// What a child may spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Address-space limit in bytes; `None` for no limit.
    pub memory_bytes: Option<u64>,
    /// CPU seconds before the kernel stops the child.
    pub cpu_seconds: u64,
    /// Start the child as the leader of a new process group (killed whole on timeout).
    pub own_group: bool,
}

/// Why waiting ended without an exit status.
#[derive(Debug)]
pub enum WaitError {
    /// The deadline passed; the child (and its group) was killed.
    TimedOut,
    /// Waiting itself failed; the child was killed.
    Io(std::io::Error),
}

/// Set `limits` on `command`, applied in the child before exec.
#[cfg(unix)]
pub fn apply(command: &mut Command, limits: Limits) {
    use std::os::unix::process::CommandExt;
    if limits.own_group {
        command.process_group(0);
    }
    // SAFETY: the closure runs in the child between fork and exec and only calls setrlimit,
    // which is async-signal-safe; it allocates nothing and takes no locks.
    unsafe {
        command.pre_exec(move || {
            if let Some(bytes) = limits.memory_bytes {
                set_limit(libc::RLIMIT_AS, bytes)?;
            }
            set_limit(libc::RLIMIT_CPU, limits.cpu_seconds)?;
            set_limit(libc::RLIMIT_CORE, 0)?;
            Ok(())
        });
    }
}

#[cfg(not(unix))]
pub fn apply(_command: &mut Command, _limits: Limits) {}

/// Wait for `child`; past `timeout` kill it — and its process group when it leads one
/// (`own_group`) — and answer [`WaitError::TimedOut`].
pub fn wait_with_deadline(
    child: &mut Child,
    timeout: Duration,
    own_group: bool,
) -> Result<ExitStatus, WaitError> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    let kill = |child: &mut Child| {
        if own_group {
            kill_group(child);
        }
        let _ = child.kill();
        let _ = child.wait();
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() >= deadline => {
                kill(child);
                return Err(WaitError::TimedOut);
            }
            Ok(None) => {
                thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
                pause = (pause * 2).min(Duration::from_millis(25));
            }
            Err(e) => {
                kill(child);
                return Err(WaitError::Io(e));
            }
        }
    }
}

/// Kill every process left in the group `child` leads (started with `own_group`).
#[cfg(unix)]
pub fn kill_group(child: &Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill has no memory-safety preconditions; a negative pid names the group
        // this child leads.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
pub fn kill_group(_child: &Child) {}

/// How a child ended: "was killed by signal 11", "exited with code 3".
#[cfg(unix)]
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.signal(), status.code()) {
        (Some(sig), _) => format!("was killed by signal {sig}"),
        (None, Some(code)) => format!("exited with code {code}"),
        (None, None) => "stopped".to_string(),
    }
}

#[cfg(not(unix))]
pub fn describe(status: ExitStatus) -> String {
    format!("exited with {status}")
}

/// `": <last non-empty line of stderr>"` (300 characters at most), or nothing.
pub fn last_line(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| format!(": {}", l.chars().take(300).collect::<String>()))
        .unwrap_or_default()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(all(unix, not(all(target_os = "linux", target_env = "gnu"))))]
type Resource = libc::c_int;

/// Lower one resource limit of the current process (soft and hard alike).
#[cfg(unix)]
fn set_limit(resource: Resource, value: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value as libc::rlim_t,
        rlim_max: value as libc::rlim_t,
    };
    // SAFETY: `limit` is a valid rlimit that outlives the call.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Stdio;

    #[test]
    fn last_line_of_stderr() {
        assert_eq!(last_line("a\nthread panicked\n\n"), ": thread panicked");
        assert_eq!(last_line(""), "");
    }

    #[test]
    fn a_hung_group_is_killed_at_the_deadline() {
        let mut command = Command::new("sh");
        command
            .args(["-c", "sleep 30 & sleep 30"])
            .stdin(Stdio::null());
        apply(
            &mut command,
            Limits {
                memory_bytes: None,
                cpu_seconds: 60,
                own_group: true,
            },
        );
        let mut child = command.spawn().unwrap();
        let got = wait_with_deadline(&mut child, Duration::from_millis(200), true);
        assert!(matches!(got, Err(WaitError::TimedOut)));
    }

    #[test]
    fn deaths_are_described() {
        let status = Command::new("sh").args(["-c", "exit 3"]).status().unwrap();
        assert_eq!(describe(status), "exited with code 3");
        let status = Command::new("sh")
            .args(["-c", "kill -SEGV $$"])
            .status()
            .unwrap();
        assert_eq!(describe(status), "was killed by signal 11");
    }
}
