"""Malformed scenario files: exit 2 and one exact "file:line:column: what was expected"."""
import pytest

from conftest import run_netbench

OK_TAIL = 'host: none\n'

CASES = [
    ('syntax_error',
     'seed: 1\ndevice:\n  type: ideal\n   mac: 02:00:00:00:00:01\nhost: none\n',
     'bad.yml:4:7: YAML syntax error: mapping values are not allowed in this context'),
    ('syntax_unclosed_flow',
     'duration: 1s\ndevice: {type: ideal\nhost: none\n',
     "bad.yml:3:5: YAML syntax error: did not find expected ',' or '}' "
     '(while parsing a flow mapping at 2:9)'),
    ('unknown_key',
     'duration: 1s\ndevice:\n  type: ideal\n  colour: blue\n' + OK_TAIL,
     "bad.yml:4:3: unknown key 'colour' in device (expected one of: type, mac, name, "
     'rx_queue)'),
    ('unknown_top_level_key',
     'duration: 1s\ndevice: {type: ideal}\nhots: none\n',
     "bad.yml:3:1: unknown key 'hots' in the scenario (expected one of: seed, duration, "
     'timeout, time, device, host, wire, timeline, expect'),
    ('wrong_type_integer',
     'seed: one\nduration: 1s\ndevice: {type: ideal}\n' + OK_TAIL,
     "bad.yml:1:7: expected a non-negative integer for 'seed', got 'one'"),
    ('wrong_type_mapping',
     'duration: 1s\ndevice: lan8720\n' + OK_TAIL,
     "bad.yml:2:9: expected a mapping for device, got 'lan8720'"),
    ('wrong_type_bool',
     'duration: 1s\ndevice: {type: ideal}\nhost: none\nwire: {partner: {autoneg: yes}}\n',
     "bad.yml:4:27: expected true or false for 'autoneg', got 'yes'"),
    ('out_of_range',
     'duration: 1s\ndevice: {type: ideal, rx_queue: 0}\n' + OK_TAIL,
     "bad.yml:2:33: expected an integer 1..4096 for 'rx_queue', got '0'"),
    ('bad_mac',
     'duration: 1s\ndevice:\n  type: ideal\n  mac: 02:00:00:00:01\n' + OK_TAIL,
     "bad.yml:4:8: expected a MAC address such as 02:00:00:00:00:01 for 'mac', "
     "got '02:00:00:00:01'"),
    ('multicast_mac',
     'duration: 1s\ndevice: {type: ideal, mac: 03:00:00:00:00:01}\n' + OK_TAIL,
     "bad.yml:2:28: expected a unicast MAC address (first octet even), such as "
     "02:00:00:00:00:01 for 'mac', got '03:00:00:00:00:01'"),
    ('missing_required_key',
     'duration: 1s\ndevice:\n  mac: 02:00:00:00:00:01\n' + OK_TAIL,
     "bad.yml:3:3: missing required key 'type' in device"),
    ('missing_host',
     'duration: 1s\ndevice: {type: ideal}\n',
     "bad.yml:1:1: missing required key 'host' in the scenario"),
    ('unknown_device_type',
     'duration: 1s\ndevice: {type: nic9000}\n' + OK_TAIL,
     "bad.yml:2:16: expected a device type (one of: "),
    ('bad_duration',
     'duration: 10\ndevice: {type: ideal}\n' + OK_TAIL,
     "bad.yml:1:11: expected a duration such as 10s, 1.5s, 250ms, 20us or 100ns for "
     "'duration', got '10'"),
    ('bad_ability',
     'duration: 1s\ndevice: {type: ideal}\nhost: none\nwire:\n  partner: {ability: [100FD, '
     '1000FD]}\n',
     "bad.yml:5:30: expected one of: 100FD, 100HD, 10FD, 10HD for 'ability', got '1000FD'"),
    ('bad_address',
     'duration: 1s\ndevice: {type: ideal}\nhost: {tap: {name: x, address: 10.0.0.1}}\n',
     "bad.yml:3:32: expected an IPv4 address with prefix length such as 10.0.0.1/24 for "
     "'address', got '10.0.0.1'"),
    ('unknown_endpoint_kind',
     'duration: 1s\ndevice: {type: ideal}\nhost: {tcp: {}}\n',
     "bad.yml:3:7: unknown kind 'tcp' for 'host' (expected one of: tap, pcap, none)"),
    ('tap_without_name',
     'duration: 1s\ndevice: {type: ideal}\nhost: {tap: {netns: a}}\n',
     "bad.yml:3:13: missing required key 'name' in host.tap"),
    ('duplicate_key',
     'duration: 1s\nduration: 2s\ndevice: {type: ideal}\n' + OK_TAIL,
     "bad.yml:2:1: duplicate key 'duration' in the scenario (first at line 1)"),
    ('empty_file', '', 'bad.yml:1:1: the file is empty: expected a scenario (a mapping)'),
    ('not_a_mapping', '- a\n- b\n', 'bad.yml:1:1: expected a mapping for the scenario, got a list'),
    ('nothing_ends_the_run',
     'device: {type: ideal}\n' + OK_TAIL,
     "bad.yml:1:1: nothing would end this run: expected a 'duration', a pcap source "
     '(pcap: {read: ...}) or a TAP'),
    ('event_after_end',
     'duration: 1s\ndevice: {type: ideal}\nhost: none\ntimeline:\n  - {at: 2s, link: down}\n',
     "bad.yml:5:10: expected 'at' within the run's duration"),
    ('event_without_action',
     'duration: 1s\ndevice: {type: ideal}\nhost: none\ntimeline:\n  - {at: 0.5s}\n',
     "bad.yml:5:5: expected exactly one action (link"),
    ('pcap_without_files',
     'duration: 1s\ndevice: {type: ideal}\nhost: {pcap: {}}\n',
     "bad.yml:3:14: expected 'read', 'write' or both in pcap"),
    ('virtual_time_with_tap',
     'time: virtual\ndevice: {type: ideal}\nhost: {tap: {name: t0}}\n',
     'bad.yml:1:7: expected realtime or auto: a TAP interface runs in real time, so virtual '
     'time cannot be used with one'),
    ('forced_partner_two_modes',
     'duration: 1s\ndevice: {type: ideal}\nhost: none\nwire:\n  partner: {autoneg: false, '
     'ability: [100FD, 10HD]}\n',
     'bad.yml:5:12: a partner without autoneg has exactly one mode: expected one entry in '
     "'ability'"),
    ('lan8720_phy_address',
     'duration: 1s\ndevice: {type: lan8720, phy_address: 32}\n' + OK_TAIL,
     "bad.yml:2:38: expected an integer 0..31 for 'phy_address', got '32'"),
    ('lan8720_mdio_method',
     'duration: 1s\ndevice: {type: lan8720, mdio: spi}\n' + OK_TAIL,
     "bad.yml:2:31: expected an MDIO access method (one of: register, bitbang) for 'mdio', "
     "got 'spi'"),
]


@pytest.mark.parametrize('name,text,message', CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_exits_2_with_position(netbench_bin, tmp_path, name, text, message):
    (tmp_path / 'bad.yml').write_text(text)
    p = run_netbench(netbench_bin, ['--sim', 'bad.yml'], cwd=str(tmp_path))
    assert p.returncode == 2, (p.stdout, p.stderr)
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith(message), '\n%s\n%s' % (lines[0], message)
    assert p.stdout == ''
