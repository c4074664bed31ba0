//! The fleet's upkeep: probing unreachable nodes and advancing relay moves, each a queue
//! on the one job driver, looked at when woken, when the next is due, and at least every
//! second while anything waits.

use std::time::Duration;

use tokio::sync::watch;

use super::moves::Moves;
use super::probes::Probes;
use crate::clock::unix_now;
use crate::db;
use crate::jobs;

const IDLE_POLL: Duration = Duration::from_secs(5);

pub async fn run(probes: Probes, moves: Moves, mut shutdown: watch::Receiver<bool>) {
    jobs::release(&moves).await;
    let handle = probes.handle.clone();
    loop {
        if *shutdown.borrow() {
            break;
        }
        if let Err(e) = jobs::drain(&probes).await {
            tracing::error!(error = %e, "probing nodes failed");
        }
        if let Err(e) = jobs::drain(&moves).await {
            tracing::error!(error = %e, "advancing relay moves failed");
        }
        let wait = next_wait(&probes).await;
        tokio::select! {
            _ = handle.upkeep.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => {}
        }
    }
    jobs::release(&moves).await;
}

/// Until the next probe or move step is due (at least 200 ms, at most [`IDLE_POLL`]).
async fn next_wait(probes: &Probes) -> Duration {
    let probe = db::zooid_nodes::next_probe(&probes.db).await.ok().flatten();
    let step = db::relay_moves::next_due(&probes.db).await.ok().flatten();
    match probe.into_iter().chain(step).min() {
        Some(due) => Duration::from_millis(((due - unix_now()).max(0) * 1000) as u64)
            .clamp(Duration::from_millis(200), IDLE_POLL),
        None => IDLE_POLL,
    }
}
