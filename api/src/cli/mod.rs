//! The command line: `serve`, `migrate`, `seed`, `rollups`, `import`, `schema`, `token`,
//! `create-district`.

mod export;
mod import;

use std::time::Duration;

use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::{
    auth::{
        Actor, Role,
        jwt::{self, JwtKeys},
    },
    config::Config,
    db, demo, mtss,
    roster::district,
    schema,
    startup::{Application, claim_names, shutdown_signal},
};

type CliResult = Result<(), Box<dyn std::error::Error>>;

/// ssw-api: the GraphQL API for school social work.
#[derive(Parser)]
#[command(name = "ssw-api", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API (GraphiQL at /).
    Serve {
        /// Load demo data into an empty database, and make up a dev secret if none is set.
        #[arg(long)]
        demo: bool,
    },
    /// Apply or roll back database migrations.
    Migrate {
        #[command(subcommand)]
        step: Option<MigrateStep>,
    },
    /// Load a realistic demo district.
    Seed {
        /// Required: seeding writes made-up people into the database.
        #[arg(long, required = true)]
        demo: bool,
        /// How many students (schools and staff scale with it).
        #[arg(long, default_value_t = demo::DEFAULT_STUDENTS)]
        students: usize,
    },
    /// Rebuild derived tables (the attendance rollup) from their source rows.
    Rollups,
    /// Write the agency directory to a file.
    Export {
        #[command(subcommand)]
        what: export::Export,
    },
    /// Import roster data or an agency directory from a file.
    Import {
        #[command(subcommand)]
        what: import::Import,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Mint a development token (HS256 with SSW_JWT_SECRET).
    Token {
        #[arg(long, value_enum)]
        role: Role,
        /// District id; defaults to the only district in the database.
        #[arg(long)]
        district: Option<Uuid>,
        /// The staff member the token speaks for.
        #[arg(long)]
        staff: Option<Uuid>,
        /// Schools the token is limited to (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        schools: Vec<Uuid>,
        /// The community agency the token speaks for.
        #[arg(long)]
        agency: Option<Uuid>,
        /// How long the token is valid (for example 30m, 8h).
        #[arg(long, default_value = "8h", value_parser = humantime::parse_duration)]
        ttl: Duration,
        /// The token's subject.
        #[arg(long, default_value = "dev-user")]
        subject: String,
    },
    /// Create a district and print its id.
    CreateDistrict {
        #[arg(long)]
        name: String,
        /// Two-letter state code.
        #[arg(long)]
        state: String,
        #[arg(long, default_value = "America/Chicago")]
        timezone: String,
    },
}

#[derive(Subcommand)]
pub enum MigrateStep {
    /// Apply pending migrations (the default).
    Up,
    /// Roll back migrations.
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

pub async fn run(cli: Cli) -> CliResult {
    let mut config = cli.config;
    match cli.command {
        Command::Serve { demo } => serve(&mut config, demo).await,
        Command::Migrate { step } => {
            let (db, _) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
            match step.unwrap_or(MigrateStep::Up) {
                MigrateStep::Up => {
                    let pending = Migrator::get_pending_migrations(&db).await?.len();
                    Migrator::up(&db, None).await?;
                    println!("applied {pending} migration(s)");
                }
                MigrateStep::Down { steps } => {
                    let applied = Migrator::get_applied_migrations(&db).await?.len();
                    Migrator::down(&db, Some(steps)).await?;
                    println!("rolled back {} migration(s)", applied.min(steps as usize));
                }
                MigrateStep::Status => {
                    for migration in Migrator::get_migration_with_status(&db).await? {
                        println!(
                            "{:<8} {}",
                            format!("{:?}", migration.status()),
                            migration.name()
                        );
                    }
                }
            }
            Ok(())
        }
        Command::Seed { students, .. } => {
            let (db, _) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
            db::migrate(&db).await?;
            let summary = demo::seed(&db, students).await?;
            println!("{summary}");
            Ok(())
        }
        Command::Rollups => {
            let (db, _) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
            db::migrate(&db).await?;
            let years = mtss::attendance_rollup::rebuild(&db).await?;
            println!("attendance rollup rebuilt for school years {years:?}");
            Ok(())
        }
        Command::Import { what } => import::run(&config, what).await,
        Command::Export { what } => export::run(&config, what).await,
        Command::Schema => {
            print!("{}", schema::sdl());
            Ok(())
        }
        Command::Token {
            role,
            district,
            staff,
            schools,
            agency,
            ttl,
            subject,
        } => {
            let secret = config.jwt_secret.as_deref().ok_or(
                "SSW_JWT_SECRET is not set: tokens are minted only with a development secret",
            )?;
            let keys = JwtKeys::hs256(secret, &config.jwt_issuer, &config.jwt_audience)?
                .with_claims(claim_names(&config));
            let district_id = match district {
                Some(id) => id,
                None => only_district(&config).await?,
            };
            let actor = Actor {
                subject,
                role,
                district_id,
                staff_id: staff,
                school_ids: schools,
                agency_id: agency,
                today: chrono::Utc::now().date_naive(),
                pseudonyms: None,
            };
            let token = keys.mint(&actor, chrono::Duration::from_std(ttl)?);
            println!("{}", token.ok_or("the token could not be signed")?);
            Ok(())
        }
        Command::CreateDistrict {
            name,
            state,
            timezone,
        } => {
            let (db, _) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
            db::migrate(&db).await?;
            println!(
                "{}",
                district::create(&db, &name, &state, &timezone).await?.id
            );
            Ok(())
        }
    }
}

async fn only_district(config: &Config) -> Result<Uuid, Box<dyn std::error::Error>> {
    let (db, _) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
    let districts = entity::district::Entity::find().all(&db).await?;
    match districts.as_slice() {
        [one] => Ok(one.id),
        [] => Err("the database has no district: run `seed --demo` or pass --district".into()),
        _ => Err("the database has several districts: pass --district".into()),
    }
}

async fn serve(config: &mut Config, demo: bool) -> CliResult {
    if config.jwt_secret.is_none() && demo {
        config.jwt_secret = Some(jwt::generate_dev_secret());
        tracing::warn!(
            "NO SSW_JWT_SECRET SET: using a random development secret for this run only. Never do this in production."
        );
    }
    let app = Application::build(config).await?;
    if demo && is_empty(&app.state.db).await? {
        let summary = demo::seed(&app.state.db, demo::DEFAULT_STUDENTS).await?;
        tracing::info!(
            "loaded demo data: {}",
            summary.to_string().replace('\n', "; ")
        );
    }
    let url = format!("http://{}", app.local_addr());
    tracing::info!(
        database = db::backend_name(&app.state.db),
        "ssw-api listening on {url} (GraphiQL at {url}/)"
    );
    if demo && let Some(token) = demo_token(&app).await? {
        println!(
            "\nGraphiQL: {url}/\nDistrict-admin token (valid 8h): paste it into the page's Token field (or send it as the header `Authorization: Bearer <token>`):\n\n{token}\n"
        );
    }
    app.run_until(shutdown_signal()).await?;
    Ok(())
}

async fn is_empty(db: &DatabaseConnection) -> Result<bool, sea_orm::DbErr> {
    Ok(entity::district::Entity::find().count(db).await? == 0)
}

/// A district-admin token for the first district, for the demo banner.
async fn demo_token(app: &Application) -> Result<Option<String>, sea_orm::DbErr> {
    let Some(district) = entity::district::Entity::find().one(&app.state.db).await? else {
        return Ok(None);
    };
    let actor = Actor {
        subject: "demo-admin".into(),
        role: Role::DistrictAdmin,
        district_id: district.id,
        staff_id: None,
        school_ids: vec![],
        agency_id: None,
        today: chrono::Utc::now().date_naive(),
        pseudonyms: None,
    };
    Ok(app.state.keys.mint(&actor, chrono::Duration::hours(8)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn token_refuses_without_a_development_secret() {
        let mut cli = Cli::try_parse_from([
            "ssw-api",
            "token",
            "--role",
            "DISTRICT_ADMIN",
            "--district",
            "0199f5a8-0000-7000-8000-000000000000",
        ])
        .unwrap();
        cli.config.jwt_secret = None;
        let error = run(cli).await.expect_err("no secret, no token");
        assert!(error.to_string().contains("SSW_JWT_SECRET"), "{error}");
    }

    #[tokio::test]
    async fn token_mints_a_token_the_server_accepts() {
        let secret = "a-development-secret-of-32-bytes-or-more";
        let keys = JwtKeys::hs256(secret, "ssw-api", "ssw-api").unwrap();
        let actor = Actor {
            subject: "me".into(),
            role: Role::SocialWorker,
            district_id: Uuid::now_v7(),
            staff_id: None,
            school_ids: vec![Uuid::now_v7()],
            agency_id: None,
            today: chrono::Utc::now().date_naive(),
            pseudonyms: None,
        };
        let token = keys.mint(&actor, chrono::Duration::minutes(1)).unwrap();
        // Field by field (an actor's pseudonym key, absent here, is not comparable).
        assert_eq!(
            format!("{:?}", keys.verify(&token).unwrap()),
            format!("{actor:?}")
        );
        assert!(
            JwtKeys::hs256("too-short", "ssw-api", "ssw-api").is_err(),
            "short secrets are refused"
        );
    }
}
