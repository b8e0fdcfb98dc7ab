//! The `chitieu` command: see `chitieu --help`.

fn main() -> std::process::ExitCode {
    chitieu::cli::main()
}
