# Shell functions shared by .ci/run and .ci/steps/*.sh (sourced, not run).

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=
apt_install() {
    [ -n "$apt_updated" ] || { as_root apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_updated=1; }
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}
pip_install() {
    python3 -m pip install -q "$@" 2>/dev/null || python3 -m pip install -q --break-system-packages "$@"
}
