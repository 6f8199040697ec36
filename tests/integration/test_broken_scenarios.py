"""The broken scenario files in tests/data/broken-scenarios: each is refused before anything
runs, with exit code 2 and one line "file:line:column: what was expected"."""
import os

import pytest

from conftest import ROOT, run_netbench

DIR = os.path.join(ROOT, 'tests', 'data', 'broken-scenarios')

# file -> the whole message. Where the message ends in a list other parts of the program
# extend (the keys of a section, the timeline's actions), the expected text stops before the
# open end and is matched as a prefix.
EXACT = {
    'unknown-key.yml':
        "unknown-key.yml:7:3: unknown key 'queu' in wire (expected one of: partner, far, pace, "
        'delay, queue, cable',
    'wrong-type.yml':
        "wrong-type.yml:2:7: expected a non-negative integer for 'seed', got 'forty-two'",
    'out-of-range.yml':
        "out-of-range.yml:5:16: expected an integer 0..31 for 'phy_address', got '40'",
    'bad-duration.yml':
        'bad-duration.yml:2:11: expected a duration such as 10s, 1.5s, 250ms, 20us or 100ns for '
        "'duration', got '10'",
    'bad-mac.yml':
        "bad-mac.yml:5:8: expected a MAC address such as 02:00:00:00:00:01 for 'mac', "
        "got '02:00:00:00:01'",
    'missing-required.yml':
        "missing-required.yml:4:3: missing required key 'type' in device",
    'event-after-duration.yml':
        "event-after-duration.yml:7:10: expected 'at' within the run's duration",
    'bad-bpf-filter.yml':
        "bad-bpf-filter.yml:6:31: expected a valid BPF filter for 'filter': can't parse filter "
        'expression: syntax error',
    'unknown-counter.yml':
        "unknown-counter.yml:6:15: unknown counter 'device.drops.rx_crc' (expected one of: "
        'device.drops.rx_no_handler, device.drops.rx_fcs, device.drops.rx_runt, '
        'device.drops.rx_oversize, device.drops.rx_phy_error, device.drops.rx_malformed, '
        'device.drops.rx_overflow, device.drops.rx_filtered, device.drops.rx_bus_error, '
        'device.drops.tx_link_down, device.drops.tx_oversize, device.drops.tx_bus_error, '
        'device.drops.tx_malformed)',
    'yaml-syntax.yml':
        "yaml-syntax.yml:4:5: YAML syntax error: did not find expected ',' or '}' (while "
        'parsing a flow mapping at 3:9)',
    'unknown-point.yml':
        'unknown-point.yml:6:35: expected a point (one of: host.tx, host.rx, far.tx, far.rx) '
        "for 'to', got 'wire.rx'",
    'link-assert-after-duration.yml':
        "link-assert-after-duration.yml:6:20: expected 'at' within the run's duration",
    'bad-traffic-action.yml':
        "bad-traffic-action.yml:6:44: expected one of: stop, start for 'action', got 'pause'",
    'assert-without-bound.yml':
        "assert-without-bound.yml:6:5: expected 'eq', 'min' or 'max' in the assertion",
    'two-actions.yml':
        'two-actions.yml:6:5: expected exactly one action (link, fault, traffic',
    'unknown-fault.yml':
        "unknown-fault.yml:6:21: unknown fault 'mdio-timout' for lan8720 (expected one of: "
        'mdio-timeout, mdio-all-ones, rxer, fcs-errors, jabber, phy-reset',
}
PREFIX_ONLY = {'unknown-key.yml', 'two-actions.yml', 'unknown-fault.yml'}


def test_every_broken_file_has_an_expected_message():
    files = sorted(f for f in os.listdir(DIR) if f.endswith('.yml'))
    assert len(files) >= 10
    assert files == sorted(EXACT)


@pytest.mark.parametrize('name', sorted(EXACT))
def test_broken_scenario_is_refused_with_position(netbench_bin, name):
    for args in (['--sim', name], ['--check', '--sim', name]):
        p = run_netbench(netbench_bin, args, cwd=DIR)
        assert p.returncode == 2, (p.stdout, p.stderr)
        assert p.stdout == ''
        lines = p.stderr.splitlines()
        assert len(lines) == 1, p.stderr
        if name in PREFIX_ONLY:
            assert lines[0].startswith(EXACT[name]), '\n%s\n%s' % (lines[0], EXACT[name])
        else:
            assert lines[0] == EXACT[name]
