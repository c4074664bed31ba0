use std::process::ExitCode;

use caravel::cli::{self, Command};
use caravel::{Server, config::Settings, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let command = match Command::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(c) => c,
        Err(e) => {
            eprintln!("caravel: {e}\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    telemetry::init();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("caravel: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Backup(file) => cli::backup(&settings, &file).await,
        Command::Restore(file) => cli::restore(&settings, &file).await,
        _ => run(settings).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("caravel: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    let server = Server::start(settings).await?;
    caravel::server::shutdown_signal().await;
    tracing::info!("shutting down");
    server.stop().await
}
