#!/usr/bin/env bash
# The composite GitHub Action (action.yml): valid against the Actions metadata schema
# (check-jsonschema's vendored copy), then its shell steps run here by scripts/run-action.py as a
# runner would, against target/debug/chitieu (built by `cargo test`): a passing check and
# evaluation, a failing check, a tripped `fail-on` gate, and the install step's cargo command
# lines (with a stand-in cargo: a real install is a release build).
set -euo pipefail
source .ci/lib.sh

command -v check-jsonschema >/dev/null || pip_install check-jsonschema
python3 -c "import yaml" 2>/dev/null || pip_install pyyaml
check-jsonschema --builtin-schema vendor.github-actions action.yml

chitieu=$PWD/target/debug/chitieu
[ -x "$chitieu" ] || cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/fake"
ln -s "$chitieu" "$work/bin/chitieu"
# A stand-in cargo: records its arguments, "installs" target/debug/chitieu under --root.
cat > "$work/fake/cargo" <<FAKE
#!/usr/bin/env bash
echo "\$*" >> "$work/cargo.log"
while [ \$# -gt 0 ]; do [ "\$1" = --root ] && root=\$2; shift; done
mkdir -p "\$root/bin" && ln -sf "$chitieu" "\$root/bin/chitieu"
FAKE
# A stand-in git for `git ls-remote`: the tag v9.9.9 points at commit 0123abc.
cat > "$work/fake/git" <<'FAKE'
#!/usr/bin/env bash
[ "$1" = ls-remote ] && [ "$3" = v9.9.9 ] && printf '0123abc\trefs/tags/v9.9.9\n'
exit 0
FAKE
chmod +x "$work/fake/cargo" "$work/fake/git"

# Runs the action with the given inputs; expects exit code $1; its output is in $work/out.
run_action() {
    local expect=$1 rc=0
    shift
    rm -rf "$work/runner-temp"
    RUNNER_TEMP=$work/runner-temp python3 scripts/run-action.py action.yml . "$@" > "$work/out" 2>&1 || rc=$?
    if [ "$rc" != "$expect" ]; then
        cat "$work/out"
        echo "action with $*: exit code $rc, expected $expect"
        exit 1
    fi
}
expect_line() {
    grep -qE -- "$1" "$work/out" || { cat "$work/out"; echo "expected a line matching: $1"; exit 1; }
}
plan22=plans/vinh-long/22-kh-ubnd-2026-2030.yaml
eval_inputs=(eval=$plan22 "data=examples/data/observations.csv" units=examples/data/units.csv as-of=2026-10-31 lang=en)

echo "-- installed from the action's own copy; plans/ check; Plan 22 evaluated, gate on \`error\` only"
PATH="$work/fake:$PATH" run_action 0 plans=plans "${eval_inputs[@]}" fail-on=error
grep -qx -- "install --locked --root $work/runner-temp/chitieu --path $PWD" "$work/cargo.log" \
    || { cat "$work/cargo.log"; echo "unexpected cargo command line"; exit 1; }
expect_line "^::warning file=$plan22,line=[0-9]+,col=[0-9]+,title=II.1.a H61::.*not met"
expect_line '^\| .*II\.1\.a'   # the Markdown report on the summary page

echo "-- a tag of the action's repository: installed from git at the tag's commit"
: > "$work/cargo.log"
PATH="$work/fake:$PATH" run_action 0 plans=plans version=v9.9.9 github.action_repository=owner/chitieu
grep -qx -- "install --locked --root $work/runner-temp/chitieu --git https://github.com/owner/chitieu --rev 0123abc chitieu" "$work/cargo.log" \
    || { cat "$work/cargo.log"; echo "unexpected cargo command line"; exit 1; }

echo "-- a version without the action's repository (uses: ./) is refused"
PATH="$work/fake:$PATH" run_action 2 plans=plans version=v9.9.9
expect_line '^::error title=chitieu::input version needs'

echo "-- a misspelt indicator fails the check, annotated on its line"
PATH="$work/bin:$PATH" run_action 1 install=false \
    "plans=tests/fixtures/pre-commit/good.yaml
tests/fixtures/pre-commit/bad-check.yaml"
expect_line '^::error file=tests/fixtures/pre-commit/bad-check.yaml,line=18,col=11,endLine=18,endColumn=21,title=unknown-name::unknown indicator `online_rat`'
if grep -q 'good.yaml' "$work/out"; then cat "$work/out"; echo "good.yaml annotated"; exit 1; fi

echo "-- the default gate (not_met error) trips on Plan 22's unmet goal"
PATH="$work/bin:$PATH" run_action 1 install=false plans=plans "${eval_inputs[@]}"
expect_line "^::error file=$plan22,line=[0-9]+,col=[0-9]+,title=II.1.a H61::.*not met"

echo "-- eval without data is refused"
PATH="$work/bin:$PATH" run_action 2 install=false plans=plans eval=$plan22
expect_line '^::error title=chitieu::input eval needs data'
echo "action.yml: ok"
