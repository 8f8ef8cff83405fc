//! The flags that turn a command into a fleet run: where the targets come from
//! (`--targets`, `--targets-query`, `--schemas`), how many run at once and what a failure
//! does to the rest.

use std::path::PathBuf;

use clap::Args;

/// What a failed target does to the targets not started yet.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// No target starts after a failure; those running finish their current migration
    Stop,
    /// The other targets of the group go on (later groups still never start)
    Continue,
}

/// Run the command on many databases or tenant schemas.
#[derive(Debug, Args, Clone, Default)]
#[command(group(clap::ArgGroup::new("fleet").args(["targets", "targets_query", "schemas"])))]
pub struct FleetArgs {
    /// Run on every target of this TOML file ([[target]] name, url or conninfo, optional
    /// group and schema; passwords come from PGPASSFILE/.pgpass or the environment)
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Run on the targets this query returns from --database-url (columns name, url and
    /// optionally group)
    #[arg(long, value_name = "SQL")]
    pub targets_query: Option<String>,
    /// Run on every schema of --database-url matching this glob (`*`, `?`; `_` is
    /// literal), each schema a tenant with its own history
    #[arg(long, value_name = "GLOB")]
    pub schemas: Option<String>,
    /// Targets run at once (default: the number of CPUs, at most 8 on one server)
    #[arg(long, value_name = "N", requires = "fleet", value_parser = clap::value_parser!(u16).range(1..))]
    pub parallel: Option<u16>,
    /// After a failed target: stop starting others, or continue with the group (default:
    /// the targets file's on_error, else stop)
    #[arg(long, value_enum, value_name = "MODE", requires = "fleet")]
    pub on_error: Option<OnError>,
}

impl FleetArgs {
    /// True when a fleet source was given.
    pub fn is_fleet(&self) -> bool {
        self.targets.is_some() || self.targets_query.is_some() || self.schemas.is_some()
    }
}
