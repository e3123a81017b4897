//! `ssw-api import oneroster PATH`: a OneRoster 1.2 CSV set (a zip or a folder) into a
//! district, with a progress bar, ending with a summary per file (or every problem, at file,
//! line and column, and nothing written). `ssw-api import hsds FILE`: an Open Referral HSDS
//! directory into the district's agency directory, the same way.

use std::{path::PathBuf, time::Duration};

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use uuid::Uuid;

use super::{CliResult, only_district};
use crate::{
    agencies::hsds,
    auth::{Actor, Role, districts::Districts},
    config::Config,
    db,
    integrations::{
        oneroster::{
            self,
            import::{ImportOptions, ImportReport},
        },
        sync::CloseLimit,
    },
};

#[derive(Subcommand)]
pub enum Import {
    /// A OneRoster 1.2 CSV set: a zip file or a folder with manifest.csv.
    Oneroster(OneRosterArgs),
    /// An Open Referral HSDS 3.0 directory: a JSON list of organizations with their services,
    /// locations and contacts.
    Hsds(HsdsArgs),
}

#[derive(Args)]
pub struct HsdsArgs {
    /// The JSON file.
    pub path: PathBuf,
    /// Print what the import would do, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// District id; defaults to the only district in the database.
    #[arg(long)]
    pub district: Option<Uuid>,
}

#[derive(Args)]
pub struct OneRosterArgs {
    /// The zip file or folder.
    pub path: PathBuf,
    /// Print what the import would do, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The system the records are known by (their `sourceSystem`).
    #[arg(long, default_value = "oneroster")]
    pub source_system: String,
    /// Let a bulk enrollments.csv close more of a school's enrollments than
    /// SSW_SYNC_MAX_CLOSE_PCT allows.
    #[arg(long)]
    pub confirm_closures: bool,
    /// District id; defaults to the only district in the database.
    #[arg(long)]
    pub district: Option<Uuid>,
}

pub async fn run(config: &Config, what: Import) -> CliResult {
    match what {
        Import::Oneroster(args) => oneroster(config, args).await,
        Import::Hsds(args) => hsds(config, args).await,
    }
}

/// The database, migrated, and an actor of `role` in `district` (or the only district).
pub(super) async fn acting_as(
    config: &Config,
    role: Role,
    district: Option<Uuid>,
) -> Result<(sea_orm::DatabaseConnection, Actor), Box<dyn std::error::Error>> {
    let (db, _) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
    db::migrate(&db).await?;
    let district_id = match district {
        Some(id) => id,
        None => only_district(config).await?,
    };
    let actor = Actor {
        subject: "cli".into(),
        role,
        district_id,
        staff_id: None,
        school_ids: vec![],
        agency_id: None,
        today: Districts::default().facts(&db, district_id).await?.today(),
        pseudonyms: None,
    };
    Ok((db, actor))
}

async fn hsds(config: &Config, args: HsdsArgs) -> CliResult {
    let text =
        std::fs::read_to_string(&args.path).map_err(|e| format!("{}: {e}", args.path.display()))?;
    let organizations = hsds::parse(&text).map_err(|e| format!("{}: {e}", args.path.display()))?;
    let (db, actor) = acting_as(config, Role::DistrictAdmin, args.district).await?;
    let write = db::Write::begin(&db, &actor, None).await?;
    match hsds::import(&write, &organizations).await? {
        Ok(report) => {
            if args.dry_run {
                drop(write);
                print!("dry run, nothing written:\n{report}");
            } else {
                write.commit().await?;
                print!("{report}");
            }
            Ok(())
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("{}: {problem}", args.path.display());
            }
            Err(format!("{} problem(s): nothing was written", problems.len()).into())
        }
    }
}

async fn oneroster(config: &Config, args: OneRosterArgs) -> CliResult {
    let (db, actor) = acting_as(config, Role::SisIntegration, args.district).await?;
    let bar = ProgressBar::new_spinner()
        .with_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}")?);
    bar.enable_steady_tick(Duration::from_millis(120));
    let path = args.path.clone();
    let read_bar = bar.clone();
    let read = tokio::task::spawn_blocking(move || {
        oneroster::read_path(&path, &mut |rows| {
            read_bar.set_message(format!("{rows} rows read"))
        })
    })
    .await?;
    let report = match read {
        Ok(set) => {
            let options = ImportOptions {
                source_system: args.source_system,
                dry_run: args.dry_run,
                confirm_closures: args.confirm_closures,
                close_limit: CloseLimit(config.limits.sync_max_close_pct),
            };
            let read_rows = set.users.len() + set.orgs.len() + set.enrollments.len();
            let mut on_written = |n: usize| {
                bar.set_message(format!("{read_rows} rows read, {n} records pushed"));
            };
            oneroster::import::import(&db, &actor, &set, &options, &mut on_written).await?
        }
        Err(errors) => ImportReport::unreadable(errors),
    };
    bar.finish_and_clear();
    print!("{}", report.text(args.dry_run));
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problem(s): nothing was written", report.errors.len()).into())
    }
}
