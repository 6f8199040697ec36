"""HIL suite: runs against real boards.

A board is a board description file (hil/boards/ has examples) naming the adapter, the
wiring and the chip. Boards come from NB_HIL_BOARD (one file, or several separated by ':').
Without it every board test skips, and the reason says what was looked for on this host —
FTDI MPSSE adapters (USB 0403:6010 FT2232H, 0403:6014 FT232H) in /sys/bus/usb/devices,
spidev nodes /dev/spidev*, GPIO chips /dev/gpiochip* — and what was found, since the wiring
of a found adapter cannot be guessed: it needs a board file.

The scenarios run through nb-hil-check (tests/hil/hil_check.c), built in $NB_BUILD.
Scenario settings: NB_HIL_SSID / NB_HIL_PASSPHRASE (CYW43439 link), NB_HIL_IP / NB_HIL_PEER
(ping); a scenario whose setting is missing skips and names it.
"""
import glob
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FTDI_IDS = {("0403", "6010"): "FT2232H", ("0403", "6014"): "FT232H"}
SKIP_RC = 77


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return ""


def probe():
    """What this host has: FTDI MPSSE adapters, spidev nodes, GPIO chips."""
    ftdi = []
    for dev in sorted(glob.glob("/sys/bus/usb/devices/*")):
        key = (_read(os.path.join(dev, "idVendor")), _read(os.path.join(dev, "idProduct")))
        if key in FTDI_IDS:
            ftdi.append("%s serial %s (%s)" % (FTDI_IDS[key],
                                               _read(os.path.join(dev, "serial")) or "?",
                                               os.path.basename(dev)))
    chips = []
    for node in sorted(glob.glob("/dev/gpiochip*")):
        name = os.path.basename(node)
        label = _read("/sys/bus/gpio/devices/%s/label" % name) or \
            _read("/sys/class/gpio/%s/label" % name)
        chips.append("%s%s" % (name, " (%s)" % label if label else ""))
    return {"ftdi": ftdi, "spidev": sorted(glob.glob("/dev/spidev*")), "gpiochip": chips}


def describe_probe(found):
    def part(what, items):
        return "%s: %s" % (what, ", ".join(items) if items else "none")
    return "; ".join([
        part("FTDI 0403:6010/6014 in /sys/bus/usb/devices", found["ftdi"]),
        part("/dev/spidev*", found["spidev"]),
        part("/dev/gpiochip*", found["gpiochip"]),
    ])


def board_paths():
    env = os.environ.get("NB_HIL_BOARD", "")
    return [p for p in env.split(":") if p]


def no_board_reason():
    found = probe()
    hint = ""
    if any(found.values()):
        hint = " — adapters are present: write a board file for their wiring (see hil/boards/)"
    return ("no board: NB_HIL_BOARD is not set (a board description file, see hil/boards/); "
            "looked for %s%s" % (describe_probe(found), hint))


@pytest.fixture(scope="session")
def checker():
    build = os.environ.get("NB_BUILD", os.path.join(ROOT, "build"))
    exe = os.path.join(build, "tests", "hil", "nb-hil-check")
    if not os.access(exe, os.X_OK):
        if "NB_BUILD" in os.environ:
            pytest.fail("%s was not built" % exe)
        pytest.skip("nb-hil-check not built in %s (set NB_BUILD)" % build)

    def run(board, command, timeout=30, env=None):
        e = dict(os.environ)
        e.update(env or {})
        p = subprocess.run([exe, "--board", board, "--timeout", str(timeout), command],
                           capture_output=True, text=True, timeout=timeout + 30, env=e,
                           check=False)
        lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
        assert lines, "nb-hil-check printed no result (rc %d): %s %s" % (
            p.returncode, p.stdout, p.stderr)
        return p.returncode, json.loads(lines[-1]), p.stderr
    return run


def pytest_generate_tests(metafunc):
    if "board" in metafunc.fixturenames:
        paths = board_paths()
        if paths:
            metafunc.parametrize("board", paths, ids=[os.path.basename(p) for p in paths])
        else:
            metafunc.parametrize("board", [pytest.param(None, marks=pytest.mark.skip(
                reason=no_board_reason()))], ids=["no-board"])
