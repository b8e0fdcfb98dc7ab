#!/usr/bin/env python3
"""Runs the shell steps of the composite action action.yml on this machine, as a GitHub runner
would: inputs with their defaults, `if:` conditions, `${{ }}` expressions in `env:`, the files
behind GITHUB_OUTPUT, GITHUB_PATH and GITHUB_STEP_SUMMARY, `bash -eo pipefail`, and no step run
after one fails. A `uses:` step (the cache) is not run: it reports a cache miss.

    run-action.py ACTION.yml WORKDIR [NAME=VALUE ...]

NAME=VALUE sets an input, or `github.NAME` (action_repository, server_url). Prints every step's
output and exits with the failing step's exit code (0 when all passed). WORKDIR is the working
directory (the checked-out repository); RUNNER_TEMP is the environment's, else a new temporary
folder.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = re.compile(r"\s*(?:(?P<str>'[^']*')|(?P<op>==|!=|&&|\|\||\(|\))|(?P<name>[A-Za-z_][\w.-]*))")


def value(name, ctx):
    """The value of `inputs.x`, `github.x` or `steps.id.outputs.x` (empty when unset)."""
    parts = name.split(".")
    if parts[0] == "inputs" and len(parts) == 2:
        return ctx["inputs"].get(parts[1], "")
    if parts[0] == "github" and len(parts) == 2:
        return ctx["github"].get(parts[1], "")
    if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
        return ctx["steps"].get(parts[1], {}).get(parts[3], "")
    raise SystemExit(f"run-action: unsupported expression `{name}`")


def evaluate(expr, ctx):
    """A `${{ }}` expression of names, quoted strings, ==, !=, && and || (GitHub's comparisons of
    strings are case-insensitive)."""
    out, pos = [], 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise SystemExit(f"run-action: cannot read the expression `{expr}`")
        pos = m.end()
        if m.group("str") is not None:
            out.append(repr(m.group("str")[1:-1].lower()))
        elif m.group("op"):
            out.append({"&&": "and", "||": "or"}.get(m.group("op"), m.group("op")))
        else:
            out.append(repr(value(m.group("name"), ctx).lower()))
    if len(out) == 1:
        return value(TOKEN.match(expr).group("name"), ctx)
    return eval(" ".join(out), {"__builtins__": {}})  # noqa: S307 (built from the tokens above)


def substitute(text, ctx):
    return EXPR.sub(lambda m: str(evaluate(m.group(1), ctx)), str(text))


def main():
    action_file, workdir, *settings = sys.argv[1:]
    action = yaml.safe_load(open(action_file, encoding="utf-8"))
    action_path = os.path.dirname(os.path.abspath(action_file))
    ctx = {
        "inputs": {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()},
        "github": {"action_repository": "", "server_url": "https://github.com"},
        "steps": {},
    }
    for setting in settings:
        name, _, val = setting.partition("=")
        if name.startswith("github."):
            ctx["github"][name[len("github."):]] = val
        elif name in ctx["inputs"]:
            ctx["inputs"][name] = val
        else:
            raise SystemExit(f"run-action: action.yml has no input `{name}`")
    temp = os.environ.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="runner-temp-")
    os.makedirs(temp, exist_ok=True)
    files = {n: os.path.join(temp, n) for n in ("path", "summary")}
    for f in files.values():
        open(f, "w").close()
    for i, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {i}")
        cond = step.get("if")
        if cond is not None and not evaluate(str(cond), ctx):
            print(f"--- {name}: skipped", flush=True)
            continue
        if "uses" in step:
            print(f"--- {name}: {step['uses']} not run (a cache miss)", flush=True)
            ctx["steps"][step.get("id", f"_{i}")] = {"cache-hit": ""}
            continue
        output = os.path.join(temp, f"output-{i}")
        open(output, "w").close()
        extra_path = [p for p in open(files["path"], encoding="utf-8").read().splitlines() if p]
        env = dict(os.environ)
        env.update({k: substitute(v, ctx) for k, v in (step.get("env") or {}).items()})
        env.update(
            GITHUB_ACTION_PATH=action_path,
            GITHUB_OUTPUT=output,
            GITHUB_PATH=files["path"],
            GITHUB_STEP_SUMMARY=files["summary"],
            RUNNER_TEMP=temp,
            RUNNER_OS="Linux",
            RUNNER_ARCH="X64",
            PATH=os.pathsep.join(list(reversed(extra_path)) + [os.environ["PATH"]]),
        )
        print(f"--- {name}", flush=True)
        script = os.path.join(temp, f"step-{i}.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(substitute(step["run"], ctx))
        rc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=workdir, env=env
        ).returncode
        outputs = {}
        for line in open(output, encoding="utf-8").read().splitlines():
            k, _, v = line.partition("=")
            outputs[k] = v
        ctx["steps"][step.get("id", f"_{i}")] = outputs
        if rc != 0:
            print(f"--- {name}: failed with exit code {rc}", flush=True)
            sys.exit(rc)
    print("--- summary", flush=True)
    print(open(files["summary"], encoding="utf-8").read(), flush=True)


if __name__ == "__main__":
    main()
