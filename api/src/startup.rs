//! The one builder of the app: main and the tests both call it (tests bind port 0).

use std::{future::Future, net::SocketAddr, sync::Arc};

use tokio::net::TcpListener;

use crate::{
    auth::jwt::{ClaimNames, JwtKeys, KeyError, MIN_SECRET_LEN},
    config::Config,
    db,
    graphql::pagination::CursorSeal,
    http::{self, AppState},
    integrations::bi::relay::{self, RelayConfig},
    metrics::Metrics,
    schema,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "no way to verify tokens: set SSW_JWKS_FILE (the identity provider's keys) or \
         SSW_JWT_SECRET (development; `serve --demo` makes one up)"
    )]
    NoKeys,
    #[error(
        "no secret to seal cursors with: set SSW_CURSOR_SECRET (at least {MIN_SECRET_LEN} bytes) \
         when there is no SSW_JWT_SECRET"
    )]
    NoCursorSecret,
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error(
        "SSW_TRUANCY_THRESHOLDS must be five rising numbers of unexcused absences (say 3,5,7,10,15), not {0:?}"
    )]
    TruancyThresholds(Vec<u32>),
}

/// A built, migrated, bound application, ready to run.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    pub state: AppState,
}

impl Application {
    /// Connects to and migrates the database, builds the schema and binds the listener.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        if !config.casework.thresholds_are_a_ladder() {
            let thresholds = config.casework.truancy_thresholds.clone();
            return Err(StartupError::TruancyThresholds(thresholds));
        }
        let keys = verifier(config)?;
        let cursor_secret = config
            .cursor_secret
            .as_deref()
            .or(config.jwt_secret.as_deref())
            .filter(|secret| secret.len() >= MIN_SECRET_LEN)
            .ok_or(StartupError::NoCursorSecret)?;
        let (db, statements) = db::connect(&config.database_url, config.sqlite_synchronous).await?;
        db::migrate(&db).await?;
        let keep = chrono::TimeDelta::days(config.limits.change_retention_days.into());
        tokio::spawn(db::positions::prune_every_hour(db.clone(), keep));
        if let Some(url) = &config.relay.nats_url {
            let relay = RelayConfig {
                stream: config.relay.nats_stream.clone(),
                subject_prefix: config.relay.nats_subject.clone(),
            };
            tokio::spawn(relay::run(db.clone(), url.clone(), relay));
        }
        // Bulk reads go to a replica when there is one; the primary otherwise.
        let read_db = match &config.database_read_url {
            Some(url) => db::connect(url, config.sqlite_synchronous).await?.0,
            None => db.clone(),
        };
        let metrics = Arc::new(Metrics::new(statements.count.clone()));
        let state = AppState {
            schema: schema::build(
                (db.clone(), read_db.clone()),
                CursorSeal::derive(cursor_secret.as_bytes()),
                &config.limits,
                &config.clients,
                &config.casework,
                metrics.clone(),
            ),
            health: db::Health::start(db.clone()),
            db,
            read_db,
            keys: Arc::new(keys),
            metrics,
            statements,
            max_statements: config.limits.max_statements,
            districts: Arc::default(),
            persisted: Arc::default(),
        };
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartupError::Listen {
                    addr: config.listen,
                    source,
                })?;
        Ok(Self {
            router: http::router(state.clone(), &config.limits, &config.clients),
            listener,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// The keys tokens are verified with: the identity provider's, a development secret, or both.
fn verifier(config: &Config) -> Result<JwtKeys, StartupError> {
    let (issuer, audience) = (&config.jwt_issuer, &config.jwt_audience);
    let keys = match (&config.jwks_file, config.jwt_secret.as_deref()) {
        (Some(jwks), None) => JwtKeys::provider(jwks, issuer, audience)?,
        (Some(jwks), Some(secret)) => {
            JwtKeys::provider(jwks, issuer, audience)?.with_secret(secret)?
        }
        (None, Some(secret)) => JwtKeys::hs256(secret, issuer, audience)?,
        (None, None) => return Err(StartupError::NoKeys),
    };
    Ok(keys.with_claims(claim_names(config)))
}

/// The claims that hold the role, the district and the schools (`SSW_JWT_*_CLAIM`).
pub fn claim_names(config: &Config) -> ClaimNames {
    ClaimNames {
        role: config.jwt_role_claim.clone(),
        district: config.jwt_district_claim.clone(),
        schools: config.jwt_schools_claim.clone(),
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
