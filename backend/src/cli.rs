//! The command line: `caravel` serves; `caravel backup <file>` and `caravel restore <file>`
//! work on the database the same settings name.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use crate::config::Settings;
use crate::db::backup;

pub const USAGE: &str = "\
usage: caravel                 serve (settings from the environment and .env)
       caravel backup <file>   copy the database to <file> (safe while serving)
       caravel restore <file>  replace the database with the backup <file> (stop the server first)

A backup holds the database only: keep PLATFORM_KEY (or DATA_DIR/platform.key) with it,
or the relay keys and wallet URLs in it cannot be decrypted.";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Backup(PathBuf),
    Restore(PathBuf),
    Help,
}

impl Command {
    /// The command in `args` (without the program name).
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Self, String> {
        let args: Vec<String> = args.into_iter().collect();
        match args
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] | ["serve"] => Ok(Self::Serve),
            ["backup", file] => Ok(Self::Backup(PathBuf::from(file))),
            ["restore", file] => Ok(Self::Restore(PathBuf::from(file))),
            ["help" | "-h" | "--help"] => Ok(Self::Help),
            ["backup" | "restore"] => Err(format!("{} needs a file", args[0])),
            _ => Err(format!("unknown arguments: {}", args.join(" "))),
        }
    }
}

/// `caravel backup <file>`: an online copy of the database, checked before it is in place.
pub async fn backup(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let db = backup::database_path(&settings.database_url)?;
    let dest = file.to_path_buf();
    let started = Instant::now();
    let written = tokio::task::spawn_blocking(move || backup::write(&db, &dest))
        .await
        .context("the backup task")??;
    println!(
        "wrote {} ({} bytes) in {} ms",
        written.path.display(),
        written.bytes,
        started.elapsed().as_millis()
    );
    println!(
        "keep PLATFORM_KEY (or DATA_DIR/platform.key) with it: the secrets in it need that key"
    );
    Ok(())
}

/// `caravel restore <file>`: refuses while a server uses the database.
pub async fn restore(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let restored = backup::restore(&settings.database_url, file).await?;
    println!(
        "restored {} (migration {}, now {})",
        file.display(),
        restored.from_version,
        restored.to_version
    );
    if let Some(aside) = restored.kept_aside {
        println!("the previous database is kept at {}", aside.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        Command::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn no_arguments_serve_and_subcommands_take_one_file() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(
            parse(&["backup", "b.db"]),
            Ok(Command::Backup("b.db".into()))
        );
        assert_eq!(
            parse(&["restore", "b.db"]),
            Ok(Command::Restore("b.db".into()))
        );
        assert!(parse(&["restore"]).is_err());
        assert!(parse(&["backup", "a", "b"]).is_err());
        assert!(parse(&["frobnicate"]).is_err());
    }
}
