//! Group commit for SQLite. SQLite has one writer; giving each small write
//! its own transaction costs a commit, WAL frames and a thread hand-over
//! each time. [`BatchWriter`] runs writes on one thread and commits up to
//! [`MAX_BATCH`] of them together, each inside its own savepoint so that a
//! failing one is rolled back alone. A write's result is handed back only
//! once the batch has committed. PostgreSQL, with its many writers, does not
//! need it: [`crate::DbPool::write_batched`] then runs the write directly.

use std::sync::mpsc;

use maillage_core::Error;

use crate::connection::DbConnection;
use crate::pool::DbPool;
use crate::transaction;

pub const MAX_BATCH: usize = 256;

/// Called once the batch has committed (`None`) or failed (`Some`).
type Completion = Box<dyn FnOnce(Option<&Error>) + Send>;
/// Runs one write inside the batch's transaction.
pub(crate) type Job = Box<dyn FnOnce(&mut DbConnection) -> Completion + Send>;

pub(crate) struct BatchWriter {
    jobs: mpsc::Sender<Job>,
}

impl BatchWriter {
    pub(crate) fn start(pool: DbPool) -> Result<BatchWriter, Error> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(pool, queue))
            .map_err(Error::internal)?;
        Ok(BatchWriter { jobs })
    }

    pub(crate) fn submit(&self, job: Job) -> Result<(), Error> {
        self.jobs.send(job).map_err(|_| Error::unavailable("the database writer has stopped"))
    }
}

fn run(pool: DbPool, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut completions = Vec::with_capacity(batch.len());
        let outcome = pool.get().and_then(|mut conn| {
            transaction::write(&mut conn, |conn| {
                for job in batch.drain(..) {
                    completions.push(job(conn));
                }
                Ok(())
            })
        });
        let error = outcome.err();
        for complete in completions {
            complete(error.as_ref());
        }
        // Jobs that never ran (no connection, or a database that may not be
        // written): dropping them answers 503; the reason goes to the log.
        if let (Some(e), false) = (&error, batch.is_empty()) {
            tracing::warn!(error = %e, writes = batch.len(), "a batch of writes could not start");
        }
        for job in batch {
            drop(job);
        }
    }
}

/// Wraps a write into a job: it runs in a savepoint and reports its result
/// through `reply` once the batch is settled.
pub(crate) fn job<T, F>(f: F, reply: tokio::sync::oneshot::Sender<Result<T, Error>>) -> Job
where
    F: FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    Box::new(move |conn: &mut DbConnection| -> Completion {
        let result = transaction::write(conn, f);
        Box::new(move |batch_error: Option<&Error>| {
            let result = match (batch_error, result) {
                (Some(e), Ok(_)) => {
                    Err(Error::unavailable("the write could not be committed").with_cause(e.to_string()))
                }
                (_, r) => r,
            };
            let _ = reply.send(result);
        })
    })
}
