//! The fleet's worker threads. Each target's work runs on one of a fixed set of threads,
//! each driving a single-threaded runtime of its own: the client side of several targets
//! (planning, the lint gate, building each batch) then uses every core, as separate
//! processes would, instead of sharing the task that polls them all. The threads and their
//! runtimes live as long as the fleet, so a connection one target leaves on its thread
//! (a tenant schema's, see [`super::pool`]) is still driven when the next target of the
//! same database runs there.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use super::{pool, Failure, TargetResult};

/// One target's work, handed to whichever thread is free (`None`: the thread has no runtime).
type Job = Box<dyn FnOnce(Option<&tokio::runtime::Runtime>) + Send>;

/// A fixed set of threads running targets' work.
pub struct Workers {
    jobs: Option<mpsc::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// `n` threads (at least one): as many as targets may run at once.
    pub fn new(n: usize) -> Workers {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = (0..n.max(1))
            .filter_map(|i| {
                let receiver = receiver.clone();
                std::thread::Builder::new()
                    .name(format!("strata-fleet-{i}"))
                    .spawn(move || work(&receiver))
                    .ok()
            })
            .collect();
        Workers {
            jobs: Some(sender),
            threads,
        }
    }

    /// Runs `work` on a free thread and returns what it returned.
    pub async fn run<W, Fut>(&self, work: W) -> Result<TargetResult, Failure>
    where
        W: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<TargetResult, Failure>>,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |runtime| {
            let out = match runtime {
                Some(runtime) => catch_unwind(AssertUnwindSafe(|| runtime.block_on(work())))
                    .unwrap_or_else(|_| {
                        Err(Failure::from("the target's work panicked".to_string()))
                    }),
                None => Err(Failure::from(
                    "the target's thread could not start its runtime".to_string(),
                )),
            };
            let _ = answer.send(out);
        });
        let sent = match (&self.jobs, self.threads.is_empty()) {
            (Some(jobs), false) => jobs.send(job).is_ok(),
            _ => false,
        };
        if !sent {
            return Err(Failure::from(
                "the fleet's worker threads could not be started".to_string(),
            ));
        }
        answered
            .await
            .unwrap_or_else(|_| Err(Failure::from("the target's thread stopped".to_string())))
    }

    /// Lets the threads end (closing the connections they keep) and waits for them.
    pub async fn close(mut self) {
        self.jobs = None;
        let threads = std::mem::take(&mut self.threads);
        let _ = tokio::task::spawn_blocking(move || {
            for t in threads {
                let _ = t.join();
            }
        })
        .await;
    }
}

/// A worker thread: runs jobs until the fleet ends, then closes the connections it kept.
fn work(jobs: &Mutex<mpsc::Receiver<Job>>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok();
    pool::enable();
    loop {
        // The lock is held only while waiting: one idle thread waits on the channel, the
        // others on the lock.
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => break,
        };
        let Ok(job) = job else { break };
        job(runtime.as_ref());
    }
    if let Some(runtime) = runtime {
        pool::close(&runtime);
    }
}
