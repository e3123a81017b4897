//! The `ssw-api` binary: parse the command line, set up logging, run the command.

use clap::Parser;

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
