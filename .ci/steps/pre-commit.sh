#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) as a plans repository uses them: `pre-commit
# try-repo` (pre-commit from PyPI) runs both hooks in a sample git repository, once on a good
# plan and a workflow file (both hooks pass, the workflow is skipped) and once with a misspelt
# indicator and a non-canonical rule (chitieu-check fails with the diagnostic; chitieu-fmt
# rewrites the rule and fails because it modified a file).
#
# try-repo reads this repository at HEAD (plus uncommitted changes to tracked files) and builds
# it as pre-commit's `language: rust` does: `cargo install --bins --path .` in a fresh clone with
# a fresh CARGO_HOME, a release build. To keep CI cheap the release profile is set to the dev
# profile's optimisation (opt-level 0: the hooks' behaviour is under test, not their speed), and
# CARGO_TARGET_DIR keeps the dependencies built by the first run for the second. Both hooks run in
# each try-repo call: two builds instead of four.
set -euo pipefail
source .ci/lib.sh

command -v pre-commit >/dev/null || pip_install pre-commit
repo=$PWD
fixtures=$repo/tests/fixtures/pre-commit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=$repo/target/pre-commit
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_INCREMENTAL=false
export CARGO_PROFILE_RELEASE_LTO=false
export TMPDIR=$work

sample=$work/sample
mkdir -p "$sample/plans" "$sample/.github/workflows"
cp "$fixtures/good.yaml" "$fixtures/bad-check.yaml" "$fixtures/bad-fmt.yaml" "$sample/plans/"
cp "$fixtures/not-a-plan.yaml" "$sample/.github/workflows/ci.yml"
git -C "$sample" init -q
git -C "$sample" add .
git -C "$sample" -c user.name=ci -c user.email=ci@localhost commit -qm sample

# Runs both hooks on the given files; expects exit code $1; the output is in $work/out.
try_hooks() {
    local expect=$1 rc=0 start=$SECONDS
    shift
    (cd "$sample" && pre-commit try-repo "$repo" --color never --files "$@") > "$work/out" 2>&1 || rc=$?
    cat "$work/out"
    echo "(try-repo: $((SECONDS - start)) s)"
    [ "$rc" = "$expect" ] || { echo "pre-commit try-repo on $*: exit code $rc, expected $expect"; exit 1; }
}
expect_line() {
    grep -qE -- "$1" "$work/out" || { echo "expected a line matching: $1"; exit 1; }
}

echo "-- a good plan and a workflow file: both hooks pass"
try_hooks 0 plans/good.yaml .github/workflows/ci.yml
expect_line '^chitieu check\.+Passed$'
expect_line '^chitieu fmt\.+Passed$'

echo "-- a misspelt indicator and a non-canonical rule: both hooks fail"
try_hooks 1 plans/good.yaml plans/bad-check.yaml plans/bad-fmt.yaml .github/workflows/ci.yml
expect_line '^chitieu check\.+Failed$'
expect_line '^error\[unknown-name\]: unknown indicator `online_rat`'
expect_line '^  --> plans/bad-check.yaml:18:11$'
expect_line 'did you mean `online_rate`\?'
expect_line '^chitieu fmt\.+Failed$'
expect_line '^- files were modified by this hook$'
# chitieu-fmt rewrote the rule, and only it: the workflow and the other plans are untouched.
[ "$(git -C "$sample" diff --name-only)" = plans/bad-fmt.yaml ] \
    || { git -C "$sample" status --short; echo "chitieu-fmt changed other files"; exit 1; }
cmp "$sample/plans/bad-fmt.yaml" "$fixtures/good.yaml" \
    || { git -C "$sample" diff; echo "chitieu-fmt did not make the rule canonical"; exit 1; }
echo "pre-commit hooks: ok"
