"""Real-board scenarios (bring-up, link, ping) through nb-hil-check, and the checks that
need no board: the shipped board files are valid, and a missing adapter is reported at the
board file line that names it."""
import glob
import os
import re

import pytest

from conftest import ROOT, SKIP_RC, probe

EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "hil", "boards", "*.yml")))


@pytest.mark.parametrize("path", EXAMPLES, ids=[os.path.basename(p) for p in EXAMPLES])
def test_example_board_is_valid(checker, path):
    rc, res, err = checker(path, "parse")
    assert rc == 0, res
    assert res["ok"] and res["chip"] in ("cyw43439", "lan8720"), res


def test_examples_exist():
    names = {os.path.basename(p) for p in EXAMPLES}
    assert {"picow-ft232h.yml", "lan8720-ft232h-usbnic.yml"} <= names


def test_missing_adapter_is_named(checker):
    if probe()["ftdi"]:
        pytest.skip("an FTDI adapter is attached: its absence cannot be shown here")
    path = os.path.join(ROOT, "hil", "boards", "picow-ft232h.yml")
    rc, res, err = checker(path, "bringup", timeout=5)
    assert rc == 1, res
    assert res["phase"] == "open"
    assert re.search(r"picow-ft232h\.yml:\d+:\d+: adapters\.ftdi: no FTDI adapter 0403:6014",
                     res["error"]), res


def _run(checker, board, command, timeout):
    rc, res, err = checker(board, command, timeout=timeout)
    if rc == SKIP_RC:
        pytest.skip(res.get("skip", "scenario setting missing"))
    assert rc == 0 and res["ok"], "%s failed: %s\n%s" % (command, res, err[-2000:])
    return res


def test_bringup(checker, board):
    res = _run(checker, board, "bringup", 20)
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", res["mac"])


def test_link(checker, board):
    res = _run(checker, board, "link", 45)
    assert res["speed"] in (10, 100) or res["chip"] == "cyw43439"


def test_ping(checker, board):
    res = _run(checker, board, "ping", 60)
    assert res["replies"] >= 3
