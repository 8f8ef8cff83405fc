//! The `strata` binary: parse, run, map the result to an exit code.

fn main() {
    std::process::exit(strata::cli::main());
}
