//! Typed configuration: every setting is a flag and an environment variable, with a default
//! that works on a laptop. Secrets are never printed (see the `Debug` impl).

use std::{fmt, net::SocketAddr, time::Duration};

use clap::{Args, ValueEnum};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    Pretty,
    /// One JSON object a line, for log shippers.
    Json,
}

/// How SQLite makes commits durable (PRAGMA synchronous, in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SqliteDurability {
    /// Every commit is synced to disk before it is acknowledged: nothing acknowledged is lost.
    Full,
    /// Faster; the last commits before a power loss or OS crash may be lost (never corrupted).
    Normal,
}

#[derive(Clone, Args)]
pub struct Config {
    /// Database: `sqlite://FILE?mode=rwc` or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://ssw.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// A read replica for the BI reads (the change feed, exports, aggregates); the primary
    /// when unset. Never migrated or written by the server.
    #[arg(long, env = "DATABASE_READ_URL", global = true)]
    pub database_read_url: Option<String>,

    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "SSW_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Shared HS256 secret for development tokens (at least 32 bytes); with it, HS256 tokens
    /// are accepted beside the identity provider's.
    #[arg(long, env = "SSW_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// The district identity provider's public keys, a JSON Web Key Set file (RFC 7517): its
    /// RS256 and ES256 tokens are accepted, and the file is read again when a token names a
    /// key it does not hold (the provider rotated its keys).
    #[arg(long, env = "SSW_JWKS_FILE", global = true)]
    pub jwks_file: Option<std::path::PathBuf>,

    /// The claim that holds the role (a role name such as SOCIAL_WORKER).
    #[arg(
        long,
        env = "SSW_JWT_ROLE_CLAIM",
        default_value = "role",
        global = true
    )]
    pub jwt_role_claim: String,

    /// The claim that holds the district's UUID.
    #[arg(
        long,
        env = "SSW_JWT_DISTRICT_CLAIM",
        default_value = "district_id",
        global = true
    )]
    pub jwt_district_claim: String,

    /// The claim that holds the UUIDs of the schools a school-based role works in.
    #[arg(
        long,
        env = "SSW_JWT_SCHOOLS_CLAIM",
        default_value = "school_ids",
        global = true
    )]
    pub jwt_schools_claim: String,

    /// The secret cursors are sealed with (at least 32 bytes); by default one derived from
    /// `SSW_JWT_SECRET`, so a deployment without a development secret must set it.
    #[arg(long, env = "SSW_CURSOR_SECRET", global = true, hide_env_values = true)]
    pub cursor_secret: Option<String>,

    /// Required `iss` claim of every token.
    #[arg(long, env = "SSW_JWT_ISSUER", default_value = "ssw-api", global = true)]
    pub jwt_issuer: String,

    /// Required `aud` claim of every token.
    #[arg(
        long,
        env = "SSW_JWT_AUDIENCE",
        default_value = "ssw-api",
        global = true
    )]
    pub jwt_audience: String,

    /// Log format.
    #[arg(
        long,
        env = "SSW_LOG_FORMAT",
        value_enum,
        default_value = "pretty",
        global = true
    )]
    pub log_format: LogFormat,

    /// SQLite durability: `full` (a system of record loses no acknowledged write) or `normal`.
    #[arg(
        long,
        env = "SSW_SQLITE_SYNCHRONOUS",
        value_enum,
        default_value = "full",
        global = true
    )]
    pub sqlite_synchronous: SqliteDurability,

    #[command(flatten)]
    pub limits: Limits,

    #[command(flatten)]
    pub clients: Clients,

    #[command(flatten)]
    pub relay: Relay,

    #[command(flatten)]
    pub casework: CaseworkRules,
}

/// The change relay to NATS JetStream (off unless `SSW_NATS_URL` is set).
#[derive(Debug, Clone, Args)]
pub struct Relay {
    /// NATS server the committed changes are published to (`nats://127.0.0.1:4222`).
    #[arg(long, env = "SSW_NATS_URL", global = true)]
    pub nats_url: Option<String>,
    /// JetStream stream the relay publishes to (created if missing).
    #[arg(
        long,
        env = "SSW_NATS_STREAM",
        default_value = "SSW_CHANGES",
        global = true
    )]
    pub nats_stream: String,
    /// Subject prefix: a change of a student goes to `<prefix>.student`.
    #[arg(
        long,
        env = "SSW_NATS_SUBJECT",
        default_value = "ssw.changes",
        global = true
    )]
    pub nats_subject: String,
}

/// What browsers and GraphQL tools may do.
#[derive(Debug, Clone, Args)]
pub struct Clients {
    /// Whether the schema answers introspection (`__schema`, `__type`), which GraphiQL's docs,
    /// code generators and schema-fetching clients read.
    #[arg(
        long,
        env = "SSW_INTROSPECTION",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub introspection: bool,

    /// Origins a browser may call the API from (CORS), comma-separated, such as
    /// `https://app.district.org`; none by default.
    #[arg(
        long,
        env = "SSW_CORS_ORIGINS",
        value_delimiter = ',',
        value_parser = parse_origin,
        global = true
    )]
    pub cors_origins: Vec<String>,
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing after.
fn parse_origin(text: &str) -> Result<String, String> {
    let origin = text.trim();
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("{origin:?} is not an origin: it starts with https:// or http://")
        })?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if host.is_empty() || !host.chars().all(plain) {
        return Err(format!(
            "{origin:?} is not an origin: scheme://host[:port], with no path or trailing slash"
        ));
    }
    Ok(origin.to_string())
}

/// The district's casework rules: Medicaid billing units, the truancy ladder's thresholds,
/// the deadline for filing an abuse report.
#[derive(Debug, Clone, Args)]
pub struct CaseworkRules {
    #[command(flatten)]
    pub billing: BillingUnits,
    /// Unexcused absences in a school year at which each truancy step falls due: LETTER,
    /// CONFERENCE, ATTENDANCE_CONTRACT, HOME_VISIT, COURT_REFERRAL (five numbers, rising).
    #[arg(
        long,
        env = "SSW_TRUANCY_THRESHOLDS",
        value_delimiter = ',',
        default_value = "3,5,7,10,15",
        global = true
    )]
    pub truancy_thresholds: Vec<u32>,
    /// Hours from learning of suspected abuse to the mandated report's deadline.
    #[arg(
        long,
        env = "SSW_ABUSE_REPORT_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub abuse_report_hours: u32,
    /// Business days an agency has to answer a REQUESTED referral before it needs follow-up
    /// (1 to 14).
    #[arg(
        long,
        env = "SSW_AGENCY_RESPONSE_DAYS",
        default_value_t = 2,
        value_parser = clap::value_parser!(u32).range(1..=14),
        global = true
    )]
    pub agency_response_days: u32,
}

impl CaseworkRules {
    /// Whether the truancy thresholds are five rising numbers, one per step of the ladder.
    pub fn thresholds_are_a_ladder(&self) -> bool {
        let thresholds = &self.truancy_thresholds;
        thresholds.len() == 5 && thresholds.windows(2).all(|pair| pair[0] < pair[1])
    }
}

/// How a contact's minutes count as Medicaid billing units (the state's rule): whole units,
/// and one more for a remainder of at least the threshold (15 and 8: 22 minutes are 1 unit,
/// 23 are 2).
#[derive(Debug, Clone, Copy, Args)]
pub struct BillingUnits {
    /// Minutes in one billing unit.
    #[arg(
        long,
        env = "SSW_BILLING_UNIT_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub unit_minutes: u32,
    /// Least minutes of a remainder that count as one more unit.
    #[arg(
        long,
        env = "SSW_BILLING_UNIT_THRESHOLD",
        default_value_t = 8,
        global = true
    )]
    pub unit_threshold: u32,
}

impl BillingUnits {
    /// The units `minutes` count as.
    pub fn units(&self, minutes: u32) -> u32 {
        let whole = minutes / self.unit_minutes.max(1);
        let rest = minutes % self.unit_minutes.max(1);
        whole + u32::from(rest >= self.unit_threshold.max(1))
    }
}

/// Limits that keep one request from taking the service down; all configurable.
#[derive(Debug, Clone, Args)]
pub struct Limits {
    /// Deepest allowed nesting of a GraphQL query.
    #[arg(long, env = "SSW_MAX_DEPTH", default_value_t = 12, global = true)]
    pub max_depth: usize,

    /// Highest allowed complexity (each connection counts its page size times its children).
    #[arg(
        long,
        env = "SSW_MAX_COMPLEXITY",
        default_value_t = 250_000,
        global = true
    )]
    pub max_complexity: usize,

    /// Most aliases allowed in one query.
    #[arg(long, env = "SSW_MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,

    /// Most fields one query may select, every fragment spread expanded where it is used and
    /// in its definition (spreads and inline fragments count as fields): what execution and
    /// validation really walk, which a short text can multiply.
    #[arg(long, env = "SSW_MAX_FIELDS", default_value_t = 2_000, global = true)]
    pub max_fields: usize,

    /// Most SQL statements one request may run; past it the request stops with
    /// `BAD_USER_INPUT`, so one request cannot hold the pool for long.
    #[arg(long, env = "SSW_MAX_STATEMENTS", default_value_t = 500, global = true)]
    pub max_statements: u64,

    /// Largest request body, in bytes.
    #[arg(
        long,
        env = "SSW_MAX_BODY_BYTES",
        default_value_t = 1_048_576,
        global = true
    )]
    pub max_body_bytes: usize,

    /// Largest OneRoster upload (`POST /integrations/oneroster`), in bytes: the upload is
    /// written to a temporary file as it arrives, never held in memory.
    #[arg(
        long,
        env = "SSW_MAX_UPLOAD_BYTES",
        default_value_t = 268_435_456,
        global = true
    )]
    pub max_upload_bytes: usize,

    /// Longest a request may run, in seconds.
    #[arg(
        long,
        env = "SSW_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Largest share (percent) of a school's open enrollments a FULL enrollment sync may close
    /// without `confirmClosures`: a file with a typo must not silently withdraw a school.
    #[arg(
        long,
        env = "SSW_SYNC_MAX_CLOSE_PCT",
        default_value_t = 20,
        value_parser = clap::value_parser!(u8).range(0..=100),
        global = true
    )]
    pub sync_max_close_pct: u8,

    /// How many days of changes the BI change feed keeps; a cursor older than that is refused
    /// with a message to re-sync.
    #[arg(
        long,
        env = "SSW_CHANGE_RETENTION_DAYS",
        default_value_t = 90,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub change_retention_days: u32,

    /// The least number of students an aggregate's cell shows to a role that may not read
    /// names (a BI reader); smaller cells are withheld.
    #[arg(long, env = "SSW_SMALL_CELL_MIN", default_value_t = 10, global = true)]
    pub small_cell_min: u32,
}

impl Limits {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_password(&self.database_url))
            .field(
                "database_read_url",
                &self.database_read_url.as_deref().map(redact_password),
            )
            .field("listen", &self.listen)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "<set>"))
            .field("jwks_file", &self.jwks_file)
            .field(
                "cursor_secret",
                &self.cursor_secret.as_ref().map(|_| "<set>"),
            )
            .field("jwt_role_claim", &self.jwt_role_claim)
            .field("jwt_district_claim", &self.jwt_district_claim)
            .field("jwt_schools_claim", &self.jwt_schools_claim)
            .field("jwt_issuer", &self.jwt_issuer)
            .field("jwt_audience", &self.jwt_audience)
            .field("log_format", &self.log_format)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("limits", &self.limits)
            .field("clients", &self.clients)
            .field("relay", &self.relay)
            .finish()
    }
}

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{BillingUnits, CaseworkRules, parse_origin, redact_password};

    #[test]
    fn truancy_thresholds_are_five_rising_numbers() {
        let rules = |thresholds: &[u32]| CaseworkRules {
            billing: BillingUnits {
                unit_minutes: 15,
                unit_threshold: 8,
            },
            truancy_thresholds: thresholds.to_vec(),
            abuse_report_hours: 24,
            agency_response_days: 2,
        };
        assert!(rules(&[3, 5, 7, 10, 15]).thresholds_are_a_ladder());
        for wrong in [
            &[3, 5, 7, 10][..],
            &[3, 5, 5, 10, 15],
            &[15, 10, 7, 5, 3],
            &[],
        ] {
            assert!(!rules(wrong).thresholds_are_a_ladder(), "{wrong:?}");
        }
    }

    #[test]
    fn minutes_count_as_whole_units_and_a_remainder_past_the_threshold() {
        let units = BillingUnits {
            unit_minutes: 15,
            unit_threshold: 8,
        };
        let counted: Vec<u32> = [0, 7, 8, 15, 22, 23, 30, 38].map(|m| units.units(m)).into();
        assert_eq!(counted, [0, 0, 1, 1, 1, 2, 2, 3]);
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin(" https://app.example.org:8443").as_deref(),
            Ok("https://app.example.org:8443")
        );
        for wrong in [
            "app.example.org",
            "https://app.example.org/",
            "https://",
            "*",
        ] {
            assert!(parse_origin(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(
            redact_password("postgres://u:pw@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_password("sqlite://ssw.db?mode=rwc"),
            "sqlite://ssw.db?mode=rwc"
        );
    }
}
