//! `maillage admin places …`: loading the gazetteer and asking it.

use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use maillage_core::config::Config;
use maillage_core::Error;
use maillage_db::DbPool;
use maillage_service::places::{self, import};

use crate::cli::PlacesCommand;
use crate::exit::CommandError;

pub fn run(config: &Config, pool: &DbPool, cmd: PlacesCommand) -> Result<(), CommandError> {
    let mut conn = pool.get()?;
    match cmd {
        PlacesCommand::Import { file } => import_file(&mut conn, &file),
        PlacesCommand::Find { text } => {
            let centre = (config.territory.latitude, config.territory.longitude);
            let found = places::suggest(&mut conn, &text, centre, 10)?;
            if found.is_empty() {
                return Err(Error::not_found(format!("no place answers {text:?}")).into());
            }
            for p in found {
                println!("{}\t{}\t{:.5}, {:.5}", p.label(), p.region, p.latitude, p.longitude);
            }
            Ok(())
        }
    }
}

fn import_file(conn: &mut maillage_db::DbConnection, path: &Path) -> Result<(), CommandError> {
    let shown = path.display();
    let file = File::open(path).map_err(|e| Error::unprocessable(format!("cannot open {shown}: {e}")))?;
    let started = Instant::now();
    let read = import::read_file(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| Error::unprocessable(format!("{shown}: {}", e.message())))?;
    let total = read.places.len();
    let terminal = std::io::stderr().is_terminal();
    let mut last_line = 0;
    let mut progress = |done: usize| {
        // A line per tenth on a log, one line rewritten on a terminal.
        if terminal {
            eprint!("\r{done} / {total} places");
            let _ = std::io::stderr().flush();
        } else if done * 10 / total.max(1) > last_line || done == total {
            last_line = done * 10 / total.max(1);
            eprintln!("{done} / {total} places");
        }
    };
    import::store(conn, &read, &mut progress)?;
    if terminal {
        eprintln!();
    }
    println!(
        "{shown}: {total} places imported from a {} file ({} lines, {} skipped, {} malformed) in {:.1} s",
        match read.source {
            maillage_core::places::Source::GeoNames => "GeoNames",
            maillage_core::places::Source::Communes => "communes",
        },
        read.lines,
        read.skipped,
        read.malformed_count,
        started.elapsed().as_secs_f64()
    );
    if read.malformed_count > 0 {
        eprintln!("malformed lines left out: {}", read.malformed_summary());
    }
    Ok(())
}
