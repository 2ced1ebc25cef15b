//! The options every `measure` command takes.

use std::path::{Path, PathBuf};

use crate::usage_error;

/// The options every `measure` command takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--quick`: the same keys, with fewer sizes and samples (a few seconds).
    pub quick: bool,
    /// `--json`: one JSON object on stdout instead of the tables.
    pub json: bool,
    /// `--plot DIR`: write SVG plots into `DIR` (needs the `plot` feature).
    pub plot_dir: Option<PathBuf>,
    /// `--no-python`: skip the CPython comparison even when `python3` is on the PATH.
    pub no_python: bool,
    /// `--python PATH`: the CPython comparison's interpreter (`None`: `python3` on the PATH).
    pub python: Option<PathBuf>,
    /// `--help`: print the usage and measure nothing.
    pub help: bool,
}

impl Options {
    /// Parses the arguments after `measure`; `package` goes into the message on building with plots.
    pub fn parse(args: &[String], package: &str) -> anyhow::Result<Options> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--json" => options.json = true,
                "--no-python" => options.no_python = true,
                "--help" | "-h" => options.help = true,
                // A missing or empty DIR is refused below.
                "--plot" => options.plot_dir = Some(args.next().map_or("", String::as_str).into()),
                other if other.starts_with("--plot=") => {
                    options.plot_dir = Some(other["--plot=".len()..].into())
                }
                "--python" => match args.next().filter(|path| !path.is_empty()) {
                    Some(path) => options.python = Some(path.into()),
                    None => return Err(usage_error!("--python needs an interpreter: --python PATH")),
                },
                other => {
                    let known = Vec::from_iter(OPTIONS.iter().map(|(option, _)| *option)).join(", ");
                    return Err(usage_error!(
                        "unknown option '{other}' for measure; the options are {known}"
                    ));
                }
            }
        }
        if let Some(dir) = &options.plot_dir {
            if dir.as_os_str().is_empty() {
                return Err(usage_error!("--plot needs a directory: --plot DIR"));
            }
            if !cfg!(feature = "plot") {
                return Err(usage_error!(
                    "--plot needs the `plot` feature, which this build does not have; build with it: \
                     cargo run --release --features plot -p {package} -- measure --plot {}",
                    dir.display()
                ));
            }
        }
        Ok(options)
    }

    /// Picks the full-mode or the quick-mode value.
    pub fn pick<T>(&self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }

    /// The interpreter the CPython comparison runs: `--python PATH`, else `python3`.
    pub fn python(&self) -> &Path {
        self.python.as_deref().unwrap_or(Path::new("python3"))
    }
}

/// `(option, meaning)`, listed by the usage text and the dispatcher's `measure --help`.
pub const OPTIONS: &[(&str, &str)] = &[
    ("--quick", "fewer sizes and samples: the same keys in a few seconds"),
    ("--json", "print one JSON object on stdout (units in the key names), nothing else"),
    ("--plot DIR", "write SVG plots into DIR (build with --features plot)"),
    ("--no-python", "skip the CPython comparison (it is skipped anyway without python3)"),
    (
        "--python PATH",
        "run the CPython comparison with this interpreter (e.g. python3.14t); its version and \
         GIL state label every Python figure",
    ),
    ("--help", "print the usage and measure nothing"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_options() {
        let parse = |words: &[&str]| {
            Options::parse(&Vec::from_iter(words.iter().map(|word| word.to_string())), "examples-threads")
        };
        let options = parse(&["--quick", "--json", "--no-python"]).unwrap();
        assert!(options.quick && options.json && options.no_python && options.plot_dir.is_none());
        assert_eq!(options.pick(10, 2), 2);
        let python = parse(&["--python", "/usr/bin/python3.14t"]).unwrap();
        assert_eq!(python.python(), Path::new("/usr/bin/python3.14t"));
        assert_eq!(Options::default().python(), Path::new("python3"));
        for bad in [&["--fast"][..], &["--plot"], &["quick"], &["--python"]] {
            let error = parse(bad).unwrap_err();
            assert!(error.is::<crate::cli::UsageError>(), "{bad:?}: {error}");
        }
        match (parse(&["--plot", "out"]), cfg!(feature = "plot")) {
            (Ok(options), true) => assert_eq!(options.plot_dir, Some(PathBuf::from("out"))),
            (Err(error), false) => {
                assert!(error.to_string().contains("--features plot -p examples-threads"), "{error}")
            }
            (result, feature) => panic!("with the plot feature {feature}, --plot gave {result:?}"),
        }
    }
}
