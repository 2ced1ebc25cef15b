//! `seed --runs N`: the seed program run N times, the orders of its lines counted.

use shared::outcomes::{self, OPTIONS_WITH_RAW};

use crate::examples::seed;

/// `seed [--runs N [--json] | --raw N]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let request = outcomes::parse(args, OPTIONS_WITH_RAW, &[])?;
    if let Some(raw) = request.raw {
        return outcomes::print_raw(raw, seed::main);
    }
    let Some(runs) = request.runs else { return seed::main() };
    let outputs = outcomes::raw_runs("seed", runs)?;
    outcomes::seed_orders("seed", &outputs).print(request.json);
    Ok(())
}
