//! The `ssw-api` binary: parse the command line, set up logging, run the command.

use clap::Parser;

/// mimalloc instead of the system allocator: a page of the caseload screen allocates and frees
/// many small values (rows, GraphQL values, JSON), and glibc's malloc and free were a third of
/// the server's CPU time under load (perf, see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = ssw_api::cli::Cli::parse();
    ssw_api::telemetry::init(cli.config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    match runtime.block_on(ssw_api::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
