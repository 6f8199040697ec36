# shellcheck shell=bash
# Shared set-up for ./netbench and ./tools/test: install missing Debian packages (as root)
# or print the exact command (otherwise), then configure and build with Meson.

# Needed to build and run netbench.
NB_PKGS_BUILD="meson ninja-build pkg-config gcc libc6-dev libyaml-dev libpcap-dev libcmocka-dev
 libgpiod-dev libftdi1-dev liblwip-dev iproute2"
# Needed by the test suites on top of that.
NB_PKGS_TEST="python3 python3-pytest python3-yaml iperf3 iputils-ping tshark tcpreplay clang
 libclang-rt-14-dev gcc-arm-none-eabi libnewlib-arm-none-eabi"

nb_log() { printf 'netbench: %s\n' "$*" >&2; }

# nb_missing_packages PKG... -> prints the ones not installed
nb_missing_packages() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing+=("$p")
	done
	printf '%s\n' "${missing[@]}"
}

# nb_ensure_packages build|test...
nb_ensure_packages() {
	local want=() set missing
	for set in "$@"; do
		case "$set" in
		build) want+=($NB_PKGS_BUILD) ;;
		test) want+=($NB_PKGS_TEST) ;;
		esac
	done
	if ! command -v dpkg-query >/dev/null 2>&1; then
		nb_log "not a Debian system: install the equivalents of: ${want[*]}"
		return 0
	fi
	missing=$(nb_missing_packages "${want[@]}" | tr '\n' ' ')
	missing=${missing% }
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		nb_log "missing packages: $missing"
		nb_log "install them with:"
		printf '  sudo apt-get update && sudo apt-get install -y %s\n' "$missing" >&2
		exit 2
	fi
	nb_log "installing: $missing"
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } \
		>"${TMPDIR:-/tmp}/netbench-apt.log" 2>&1; then
		nb_log "apt-get failed; see ${TMPDIR:-/tmp}/netbench-apt.log"
		tail -n 20 "${TMPDIR:-/tmp}/netbench-apt.log" >&2
		exit 2
	fi
}

# nb_build BUILDDIR [meson setup options...]: configure once, then build. Output goes to
# BUILDDIR/build.log and is shown only when something fails.
nb_build() {
	local dir=$1
	shift
	local src
	src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	mkdir -p "$dir"
	if [ ! -f "$dir/build.ninja" ]; then
		nb_log "configuring $dir"
		if ! meson setup "$dir" "$src" "$@" >"$dir/setup.log" 2>&1; then
			cat "$dir/setup.log" >&2
			nb_log "meson setup failed for $dir"
			exit 2
		fi
	fi
	if ! ninja -C "$dir" >"$dir/build.log" 2>&1; then
		grep -E 'error|Error|FAILED|undefined' "$dir/build.log" | head -n 40 >&2
		nb_log "build failed; full log: $dir/build.log"
		exit 2
	fi
}
