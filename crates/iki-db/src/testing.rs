//! Test support: a fresh PostgreSQL database per test, on the server named by
//! `IKI_TEST_POSTGRES_URL` (`scripts/pg-test-server.sh` starts one; `.ci/run` does in CI).
//!
//! Without that variable a PostgreSQL test says so on stderr and passes vacuously on a
//! developer's machine, but fails when `CI=true`: CI must never skip the real server.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::DbError;

/// The variable naming the test server (a URL whose user may create databases).
pub const POSTGRES_ENV: &str = "IKI_TEST_POSTGRES_URL";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database created for one test, dropped when this is dropped.
#[derive(Debug)]
pub struct TestPostgres {
    pub url: String,
    admin_url: String,
    name: String,
}

/// A new empty database for `test`; `None` when no server is configured outside CI.
///
/// # Panics
/// When the server is not configured and `CI=true`, or cannot be reached.
pub fn postgres(test: &str) -> Option<TestPostgres> {
    let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests (see .ci/run)");
        }
        eprintln!(
            "{test}: {POSTGRES_ENV} not set, PostgreSQL part not run \
             (start a server: eval \"$(scripts/pg-test-server.sh start /tmp/iki-pg)\")"
        );
        return None;
    };
    let suffix: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    let name = format!(
        "iki_t_{suffix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = ::postgres::Client::connect(&admin_url, ::postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_ENV}: {e}"));
    // Two statements: CREATE DATABASE cannot run inside the transaction a batch would be.
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {}", DbError::from(e)));
    }
    let base = admin_url.split('?').next().unwrap_or(&admin_url);
    let url = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("//") && !server.ends_with('/') => {
            format!("{server}/{name}")
        }
        _ => format!("{base}/{name}"),
    };
    Some(TestPostgres {
        url,
        admin_url,
        name,
    })
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Ok(mut admin) = ::postgres::Client::connect(&self.admin_url, ::postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
