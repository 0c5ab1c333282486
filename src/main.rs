use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = maillage::cli::Cli::parse();
    maillage::commands::run(cli)
}
