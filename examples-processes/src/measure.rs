//! `measure`: the seed article's "model" and its other claims, measured on this machine.

/// Runs the measurements. (Being written: see the measurement issue.)
pub fn run(args: &[String]) -> anyhow::Result<()> {
    Err(shared::usage_error!("measure is not written yet (arguments: {})", args.join(" ")))
}
