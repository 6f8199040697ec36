"""Assertions (`assert:`) and the timeline's fault and traffic actions: each kind passes when
it holds, fails with the scenario line and the measured value when it does not, and what it
measures agrees with the frames written to the capture files."""
import json
import os
import shutil

import pytest

import subprocess
import time

from conftest import SCENARIOS, needs_netns, run_netbench, tap_scenario, write_scenario
from pcaputil import read_pcap

HEAD = '''seed: 1
duration: %(duration)s
device: {type: lan8720, phy_address: 1}
host:
  pcap: {read: quickstart-host.pcap, write: host-rx.pcap}
wire:
  far:
    pcap: {read: quickstart-far.pcap, write: far-rx.pcap}
'''


def scenario(tmp_path, body, duration='6s'):
    for name in ('quickstart-host.pcap', 'quickstart-far.pcap'):
        shutil.copy(os.path.join(SCENARIOS, name), str(tmp_path))
    write_scenario(tmp_path, HEAD % {'duration': duration} + body)
    return 'scenario.yml'  # relative: messages name it as given


def run_json(binary, tmp_path, path):
    p = run_netbench(binary, ['--sim', path, '--json'], cwd=str(tmp_path))
    report = json.loads(p.stdout) if p.stdout.strip() else None
    return p, report


def checks_by_line(report):
    return {c['line']: c for c in report['checks'] if 'line' in c}


def is_icmp(frame):
    return frame[12:14] == b'\x08\x00' and frame[23] == 1


def is_arp(frame):
    return frame[12:14] == b'\x08\x06'


def test_assert_each_kind_passes_and_measures_what_the_captures_hold(netbench_bin, tmp_path):
    # Count independently from the written captures, then assert the exact numbers.
    path = scenario(tmp_path, '')
    p, _ = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 0, p.stderr
    host_rx = read_pcap(str(tmp_path / 'host-rx.pcap'))
    far_rx = read_pcap(str(tmp_path / 'far-rx.pcap'))
    icmp_host = sum(1 for _, f in host_rx if is_icmp(f))
    arp_far = sum(1 for _, f in far_rx if is_arp(f))
    assert icmp_host > 0 and arp_far > 0
    path = scenario(tmp_path, '''assert:
  - {counter: device.drops.rx_fcs, eq: 0}
  - {counter: device.rx_frames, eq: %d}
  - {frames: host.rx, filter: "icmp", eq: %d}
  - {frames: far.rx, filter: "arp", min: %d, max: %d}
  - {frames: far.rx, eq: %d}
  - {latency: {from: host.tx, to: far.rx}, max: 100ms}
  - {latency: {from: far.tx, to: host.rx}, max: 100ms, percentile: 50}
  - {link: up, at: 5s}
''' % (len(host_rx), icmp_host, arp_far, arp_far, len(far_rx)))
    p, r = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 0, p.stderr
    by_line = checks_by_line(r)
    assert sorted(by_line) == list(range(10, 18))
    assert all(c['result'] == 'pass' for c in by_line.values()), by_line
    assert by_line[12]['detail'] == '%d frames' % icmp_host
    assert by_line[14]['detail'] == '%d frames' % len(far_rx)
    assert by_line[17]['detail'] == 'link up'
    # a latency is at least the frame's time on a 100 Mb/s wire plus the propagation delay
    lat = by_line[15]['detail']
    assert 'over %d frames' % len(far_rx) in lat or 'frames' in lat, lat


def test_assert_failures_name_line_and_measured_value(netbench_bin, tmp_path):
    path = scenario(tmp_path, '''assert:
  - {counter: device.rx_frames, max: 3}
  - {frames: host.rx, filter: "icmp", eq: 1000}
  - {latency: {from: host.tx, to: far.rx}, max: 1ns}
  - {link: down, at: 5s}
  - {counter: device.model.no_such_counter, eq: 0}
''')
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1, p.stdout + p.stderr
    out = p.stdout
    assert 'check      scenario.yml:10: counter device.rx_frames max 3: FAILED - 20' in out
    assert 'scenario.yml:11: frames host.rx "icmp" eq 1000: FAILED - 8 frames' in out
    assert 'scenario.yml:12: latency host.tx -> far.rx max 1 ns: FAILED - ' in out
    assert 'scenario.yml:13: link down at 5.000 s: FAILED - link up' in out
    assert ("scenario.yml:14: counter device.model.no_such_counter eq 0: FAILED - no counter "
            "'device.model.no_such_counter' in the report (known: ") in out
    # the whole list of names goes to the log
    assert 'device.model.mdio_reads' in p.stderr
    assert 'result: FAIL' in out


def test_assert_only_failures_on_stderr_with_json(netbench_bin, tmp_path):
    path = scenario(tmp_path, '''assert:
  - {counter: device.rx_frames, min: 1}
  - {counter: device.tx_frames, eq: 0}
''')
    p, r = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 1
    assert 'tx_frames eq 0: FAILED - 26' in p.stderr
    assert 'rx_frames min 1' not in p.stderr
    results = {c['name']: c['result'] for c in r['checks']}
    assert results['scenario.yml:10: counter device.rx_frames min 1'] == 'pass'
    assert results['scenario.yml:11: counter device.tx_frames eq 0'] == 'fail'


def test_assert_link_at_follows_a_cable_pull(netbench_bin, tmp_path):
    path = scenario(tmp_path, '''timeline:
  - {at: 3s, link: down}
  - {at: 4s, link: up}
assert:
  - {link: up, at: 2900ms}
  - {link: down, at: 3100ms}
  - {link: down, at: 3500ms}
  - {link: up, at: 5900ms}
''')
    p, r = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 0, p.stderr + json.dumps(r['checks'])


def test_timeline_traffic_stop_holds_a_source_back(netbench_bin, tmp_path):
    path = scenario(tmp_path, '''timeline:
  - {at: 0s, traffic: {side: host, action: stop}}
  - {at: 4s, traffic: {side: host, action: start}}
expect:
  all_delivered: true
''')
    p, _ = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 0, p.stderr
    far_rx = read_pcap(str(tmp_path / 'far-rx.pcap'))
    host_rx = read_pcap(str(tmp_path / 'host-rx.pcap'))
    assert len(far_rx) == 26
    assert min(t for t, _ in far_rx) >= 4000000000
    # the other side was not held: it sent at link-up, long before 4 s
    assert max(t for t, _ in host_rx) < 4000000000


def test_timeline_fault_fcs_errors_are_dropped_and_counted(netbench_bin, tmp_path):
    # before link-up: the first three frames from the far side arrive with a bad FCS
    path = scenario(tmp_path, '''timeline:
  - {at: 100ms, fault: fcs-errors, count: 3}
assert:
  - {counter: device.drops.rx_fcs, eq: 3}
  - {counter: device.model.rx_fcs_errors, eq: 3}
  - {frames: host.rx, eq: 17}
''')
    p, r = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 0, p.stderr + json.dumps(r['checks'])
    assert len(read_pcap(str(tmp_path / 'host-rx.pcap'))) == 17


def test_timeline_fault_rxer_and_mdio(netbench_bin, tmp_path):
    path = scenario(tmp_path, '''timeline:
  - {at: 3s, fault: rxer, count: 4}
  - {at: 3s, fault: mdio-all-ones, count: 2}
  - {at: 3500ms, link: down}
assert:
  - {counter: device.drops.rx_phy_error, eq: 4}
  - {counter: device.model.mdio_injected_faults, eq: 2}
''')
    p, r = run_json(netbench_bin, tmp_path, path)
    assert p.returncode == 0, p.stderr + json.dumps(r['checks'])


def test_timeline_unknown_fault_is_refused_at_load_with_the_known_names(netbench_bin, tmp_path):
    path = scenario(tmp_path, '''timeline:
  - {at: 1s, fault: cosmic-ray}
''')
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 2
    assert p.stdout == ''
    assert p.stderr.strip() == (
        "scenario.yml:10:21: unknown fault 'cosmic-ray' for lan8720 (expected one of: "
        "mdio-timeout, mdio-all-ones, rxer, fcs-errors, jabber, phy-reset)")


def test_timeline_events_at_the_same_time_fire_in_file_order(netbench_bin, tmp_path):
    # down then up at the same instant: the link ends up; up then down: it ends down
    for order, final in ((('down', 'up'), 'up'), (('up', 'down'), 'down')):
        path = scenario(tmp_path, '''timeline:
  - {at: 3s, link: %s}
  - {at: 3s, link: %s}
expect:
  link: %s
''' % (order[0], order[1], final))
        p, _ = run_json(netbench_bin, tmp_path, path)
        assert p.returncode == 0, (order, p.stderr)


@needs_netns
def test_timeline_traffic_stop_holds_a_tap_back(netbench_bin, tmp_path, netns_pair):
    # The host TAP's input is held for the whole run: the kernel's echo requests wait in the
    # TAP's queue and none crosses the device.
    ns_a, ns_b = netns_pair
    text = tap_scenario(ns_a, ns_b, extra='timeline:\n'
                        '  - {at: 0s, traffic: {side: host, action: stop}}\n'
                        'assert:\n'
                        '  - {frames: host.tx, eq: 0}\n'
                        '  - {frames: far.rx, filter: "icmp", eq: 0}\n')
    write_scenario(tmp_path, text)
    ping = subprocess.Popen('sleep 0.5; ip netns exec %s ping -c 10 -i 0.2 -w 3 10.10.0.2' % ns_a,
                            shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    start = time.monotonic()
    p = run_netbench(netbench_bin, ['--sim', 'scenario.yml', '--duration', '4s', '--json'],
                     cwd=str(tmp_path))
    out = ping.communicate(timeout=20)[0].decode()
    assert p.returncode == 0, p.stdout + p.stderr
    assert time.monotonic() - start >= 3.5
    assert ' 0 received' in out, out


@needs_netns
def test_timeline_traffic_start_releases_a_tap(netbench_bin, tmp_path, netns_pair):
    # Held until 2.5 s, then released: the pings go through after that.
    ns_a, ns_b = netns_pair
    text = tap_scenario(ns_a, ns_b, extra='timeline:\n'
                        '  - {at: 0s, traffic: {side: host, action: stop}}\n'
                        '  - {at: 2500ms, traffic: {side: host, action: start}}\n'
                        'assert:\n'
                        '  - {frames: far.rx, filter: "icmp[icmptype] == icmp-echo", min: 1}\n'
                        '  - {frames: host.rx, filter: "icmp[icmptype] == icmp-echoreply", '
                        'min: 1}\n')
    write_scenario(tmp_path, text)
    ping = subprocess.Popen('sleep 0.5; ip netns exec %s ping -c 15 -i 0.2 -w 3 10.10.0.2'
                            % ns_a, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    p = run_netbench(netbench_bin, ['--sim', 'scenario.yml', '--duration', '4s', '--json'],
                     cwd=str(tmp_path))
    out = ping.communicate(timeout=20)[0].decode()
    assert p.returncode == 0, p.stdout + p.stderr + out
