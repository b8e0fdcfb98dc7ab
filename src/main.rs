//! The `chitieu` command.

fn main() {
    std::process::exit(0);
}
