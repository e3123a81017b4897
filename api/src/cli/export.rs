//! `ssw-api export hsds`: the district's agency directory as Open Referral HSDS 3.0 JSON, so
//! another system (or another district) can load it.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use uuid::Uuid;

use super::{CliResult, import::acting_as};
use crate::{agencies::hsds, auth::Role, config::Config};

#[derive(Subcommand)]
pub enum Export {
    /// The agency directory as HSDS 3.0 JSON: a list of organizations with their services,
    /// locations and contacts.
    Hsds(HsdsExportArgs),
}

#[derive(Args)]
pub struct HsdsExportArgs {
    /// Where to write it (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// District id; defaults to the only district in the database.
    #[arg(long)]
    pub district: Option<Uuid>,
}

pub async fn run(config: &Config, Export::Hsds(args): Export) -> CliResult {
    let (db, actor) = acting_as(config, Role::DistrictAdmin, args.district).await?;
    let organizations = hsds::export(&db, &actor).await?;
    let json = serde_json::to_string_pretty(&organizations)?;
    match args.out {
        Some(path) => {
            std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => println!("{json}"),
    }
    Ok(())
}
