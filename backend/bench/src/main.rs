//! `just bench`: the figures the project promises, measured on this machine.
//!
//! Usage: caravel-bench <path to the release caravel binary> [api|slow|community|provisioning|fleet|backup|scale]…
//! (no section names: every section).

mod api;
mod backup;
mod community;
mod fleet;
mod provisioning;
mod scale;
mod seed;
mod slow;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let binary = args.next().ok_or_else(|| {
        anyhow::anyhow!(
            "usage: caravel-bench <path to caravel> [api|slow|community|provisioning|fleet|backup|scale]…"
        )
    })?;
    let sections: Vec<String> = args.collect();
    let wants = |name: &str| sections.is_empty() || sections.iter().any(|s| s == name);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("caravel bench — {cores} cores");
    if wants("api") {
        api::run(&binary).await?;
    }
    if wants("slow") {
        slow::run(&binary).await?;
    }
    if wants("community") {
        community::run(&binary).await?;
    }
    if wants("provisioning") {
        provisioning::run().await?;
    }
    if wants("fleet") {
        fleet::run().await?;
    }
    // Slow to seed: only when asked for by name.
    if sections.iter().any(|s| s == "backup") {
        backup::run().await?;
    }
    if sections.iter().any(|s| s == "scale") {
        scale::run(&binary).await?;
    }
    Ok(())
}

/// Prints one target and whether this run met it.
pub fn verdict(what: &str, ok: bool, figure: String) {
    println!("  [{}] {what}: {figure}", if ok { "met " } else { "MISS" });
}
