//! The `strata` binary: parse the command line, resolve the settings, run the command,
//! write what it produced (or the error), and exit with the code the exit map gives.

use std::io::Write as _;

use clap::Parser as _;

use strata::cli::Cli;
use strata::exit::Exit;
use strata::render::{self, Terminal};
use strata::settings::Settings;

fn main() {
    std::process::exit(run().code());
}

fn run() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version are not errors; usage errors exit 1 (2 means drift).
        Err(e) if e.use_stderr() => {
            render::error::usage(&mut std::io::stderr(), &e.to_string());
            return Exit::Error;
        }
        Err(e) => {
            let _ = e.print();
            return Exit::Ok;
        }
    };
    let json = cli.global.json;
    if cli.command.is_offline() {
        // init and new write files: no runtime, no database target.
        let output = strata::settings::Output::detect(json, cli.global.color);
        let mut out = render::stdout();
        let mut log = std::io::stderr();
        let written = strata::commands::run_offline(cli.command, &cli.global).and_then(|o| {
            render::write(&o, &output, &mut out, &mut log)?;
            out.flush()?;
            Ok(Exit::of(&o))
        });
        return match written {
            Ok(exit) => exit,
            Err(error) => {
                let exit = Exit::of_error(&error);
                if exit == Exit::Error {
                    render::error::write(&error, json, &mut out, &mut log);
                    let _ = out.flush();
                }
                exit
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot start the async runtime: {e}"
            );
            return Exit::Error;
        }
    };
    let result = runtime.block_on(async move {
        let result = strata::interrupt::guard(async {
            let settings = Settings::resolve(&cli.global, cli.command.flags());
            render::error::notices(&mut std::io::stderr(), strata::notices::take());
            let settings = settings?;
            let mut console = Terminal::new(&settings.output, settings.yes);
            let outcome = strata::commands::run(cli.command, &settings, &mut console).await?;
            Ok((outcome, settings.output))
        }, |(outcome, _)| matches!(outcome, strata::outcome::Outcome::Fleet(r) if r.has_failures()))
        .await;
        // A run cut short (error or Ctrl-C) may leave a scratch database behind.
        strata::ops::shadow::drop_leftovers().await;
        result
    });
    let mut log = std::io::stderr();
    render::error::notices(&mut log, strata::notices::take());
    let mut out = render::stdout();
    let written = result.and_then(|(outcome, output)| {
        render::write(&outcome, &output, &mut out, &mut log)?;
        out.flush()?;
        Ok(Exit::of(&outcome))
    });
    match written {
        Ok(exit) => exit,
        Err(error) => {
            let exit = Exit::of_error(&error);
            // A reader that went away is not told anything; every other failure is.
            if !strata::exit::is_broken_pipe(&error) {
                render::error::write(&error, json, &mut out, &mut log);
                let _ = out.flush();
            }
            exit
        }
    }
}
