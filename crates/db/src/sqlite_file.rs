//! The SQLite file under a pool, watched on the write path.
//!
//! On Linux a connection keeps writing into a database file deleted (or
//! replaced) under it: every commit succeeds, and is lost when the process
//! ends. A file made read-only is the reverse: connections opened since
//! refuse every write while reads go on. So each pool remembers the identity
//! (device and inode) of the file it opened, and every write transaction
//! asks, before `BEGIN IMMEDIATE`, whether the file at that path is still
//! that one and still writable; the answer is looked up again at most every
//! [`RECHECK`], so a write costs one cached statement.
//!
//! The question goes through a SQL function registered on each connection
//! (`maillage_file_state()`), because a transaction only has its connection
//! in hand; connections opened outside a pool answer "fine".
//!
//! The file is never opened by this module: closing a second descriptor of
//! a SQLite file drops the POSIX locks SQLite holds on it. `stat` and
//! `access` only.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::{QueryResult, RunQueryDsl, SqliteConnection};
use maillage_core::Error;

use crate::error::db_error;

/// How long an answer about the file is trusted on the write path.
pub const RECHECK: Duration = Duration::from_millis(100);

/// What the file at the pool's path is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Fine,
    /// No file at the path any more: writes would go into a deleted file.
    Gone,
    /// Another file at the path: writes would go into the old one.
    Replaced,
    /// The file may not be written.
    ReadOnly,
}

impl FileState {
    fn code(self) -> i32 {
        match self {
            FileState::Fine => 0,
            FileState::Gone => 1,
            FileState::Replaced => 2,
            FileState::ReadOnly => 3,
        }
    }

    fn from_code(code: i32) -> FileState {
        match code {
            1 => FileState::Gone,
            2 => FileState::Replaced,
            3 => FileState::ReadOnly,
            _ => FileState::Fine,
        }
    }

    /// What is wrong, in words a client may read (no path).
    pub fn problem(self) -> Option<&'static str> {
        match self {
            FileState::Fine => None,
            FileState::Gone => Some("the database file is gone"),
            FileState::Replaced => Some("the database file was replaced"),
            FileState::ReadOnly => Some("the database is read-only"),
        }
    }
}

/// Device and inode.
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Option<Identity> {
    None
}

/// The database file a pool opened, and the last look at it.
#[derive(Debug)]
pub struct SqliteFile {
    path: PathBuf,
    identity: Option<Identity>,
    last: Mutex<Option<(Instant, FileState)>>,
}

impl SqliteFile {
    /// Remembers the file now at `path` (just opened) as the pool's.
    pub fn opened(path: &Path) -> SqliteFile {
        let identity = std::fs::metadata(path).ok().as_ref().and_then(identity);
        SqliteFile { path: path.to_path_buf(), identity, last: Mutex::new(None) }
    }

    /// Looks at the file now.
    pub fn state_now(&self) -> FileState {
        let state = self.look();
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), state));
        state
    }

    /// The last look if it is recent, otherwise a new one.
    pub fn state(&self) -> FileState {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((at, state)) = *last {
            if at.elapsed() < RECHECK {
                return state;
            }
        }
        let state = self.look();
        *last = Some((Instant::now(), state));
        state
    }

    fn look(&self) -> FileState {
        let Ok(meta) = std::fs::metadata(&self.path) else { return FileState::Gone };
        if self.identity.is_some() && identity(&meta) != self.identity {
            return FileState::Replaced;
        }
        // A file nobody may write counts as read-only even for a process
        // (root) that could write it anyway: that is what its owner said.
        if meta.permissions().readonly() || !writable(&self.path) {
            return FileState::ReadOnly;
        }
        FileState::Fine
    }
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

#[cfg(not(unix))]
fn writable(_path: &Path) -> bool {
    true
}

/// The files SQLite leaves beside a database it was writing (write-ahead
/// log, shared memory index) that exist at `path` now.
pub fn leftovers(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

diesel::define_sql_function!(fn maillage_file_state() -> diesel::sql_types::Integer);

/// Makes `conn` answer for `file` (or always "fine" without one).
pub(crate) fn watch(conn: &mut SqliteConnection, file: Option<Arc<SqliteFile>>) -> QueryResult<()> {
    maillage_file_state_utils::register_nondeterministic_impl(conn, move || {
        file.as_ref().map_or(FileState::Fine, |f| f.state()).code()
    })
}

/// Refuses a write (503) when the connection's file is gone, replaced or
/// read-only. A connection not opened by [`crate::connection`] has no such
/// function and is not watched.
pub(crate) fn check_writable(conn: &mut SqliteConnection) -> Result<(), Error> {
    let code: i32 = match diesel::select(maillage_file_state()).get_result(conn) {
        Ok(code) => code,
        Err(e) if e.to_string().contains("no such function") => FileState::Fine.code(),
        Err(e) => return Err(db_error(e)),
    };
    match FileState::from_code(code).problem() {
        None => Ok(()),
        Some(problem) => Err(Error::unavailable("the database cannot be written").with_cause(problem)),
    }
}
