"""pcap replay modes: recorded gaps, a rate multiplier, absolute time stamps, as fast as the
path takes frames (the default), loops; frames the path cannot take yet wait (none lost)
and their lateness is reported; the schema refuses what it cannot replay."""
import json
import os

import pytest

from conftest import needs_netns, ns_exec, run_netbench, tap_scenario, write_scenario
from pcaputil import numbered_frame, read_pcap, read_pcapng, write_pcap

START = 5 * 10**9  # capture time stamps start here: only the differences may matter


def pattern(n=60):
    """n frames: 1 ms apart, every 10th after a 20 us gap (a burst), sizes 60..1460 B."""
    recs, t = [], START
    for i in range(n):
        recs.append((t, numbered_frame(i + 1, 60 + (i * 37) % 1400)))
        t += 20000 if i % 10 == 9 else 1000000
    return recs


def scenario(src, out, pcap_extra='', device='ideal', pace='unpaced', extra=''):
    return ('seed: 1\n'
            'device: {type: %s, mac: 02:00:00:00:00:01}\n'
            'host:\n  pcap: {read: %s%s}\n'
            'wire:\n  pace: %s\n  far: {pcap: {write: %s}}\n%s'
            % (device, src, pcap_extra, pace, out, extra))


def run(netbench_bin, tmp_path, text, ok=True):
    path = write_scenario(tmp_path, text)
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path), timeout=120)
    if ok:
        assert p.returncode == 0, p.stdout + p.stderr
        return json.loads(p.stdout)
    return p


def gaps(recs):
    return [b[0] - a[0] for a, b in zip(recs, recs[1:])]


@pytest.fixture
def capture(tmp_path):
    src = str(tmp_path / 'in.pcap')
    write_pcap(src, pattern())
    return src


def test_replay_recorded_keeps_the_gaps(netbench_bin, tmp_path, capture):
    report = run(netbench_bin, tmp_path, scenario(capture, 'out.pcap', ', timing: recorded'))
    out = read_pcap(str(tmp_path / 'out.pcap'))
    src = read_pcap(capture)
    assert [f for _t, f in out] == [f for _t, f in src]
    # unpaced wire, bus-less device: what arrives keeps the schedule to the nanosecond
    assert gaps(out) == gaps(src)
    host = report['host']
    assert host['timing'] == 'recorded' and host['rate'] == 1
    assert host['late_frames'] == 0 and host['lag_max_ns'] == 0


def test_replay_rate_divides_the_gaps(netbench_bin, tmp_path, capture):
    report = run(netbench_bin, tmp_path,
                 scenario(capture, 'out.pcap', ', timing: {rate: 10}'))
    out = read_pcap(str(tmp_path / 'out.pcap'))
    assert gaps(out) == [g // 10 for g in gaps(read_pcap(capture))]
    assert report['host']['rate'] == 10
    report = run(netbench_bin, tmp_path,
                 scenario(capture, 'out.pcap', ', timing: {rate: 0.5}'))
    assert gaps(read_pcap(str(tmp_path / 'out.pcap'))) == [g * 2 for g in gaps(pattern())]


def test_replay_asap_is_the_default(netbench_bin, tmp_path, capture):
    report = run(netbench_bin, tmp_path, scenario(capture, 'out.pcap'))
    assert report['host']['timing'] == 'asap'
    assert 'lag_max_ns' not in report['host']
    out = read_pcap(str(tmp_path / 'out.pcap'))
    assert len(out) == 60
    # back to back: the whole file in far less than its recorded 53 ms
    assert out[-1][0] - out[0][0] < 1000000


def test_replay_absolute_uses_the_stamps_as_run_time(netbench_bin, tmp_path):
    src = str(tmp_path / 'abs.pcap')
    recs = [(50 * 10**6 + i * 10**6, numbered_frame(i + 1)) for i in range(5)]
    write_pcap(src, recs)
    run(netbench_bin, tmp_path, scenario(src, 'out.pcap', ', timing: absolute'))
    out = read_pcap(str(tmp_path / 'out.pcap'))
    delay = out[0][0] - recs[0][0]
    assert 0 <= delay < 10000  # the wire's 500 ns, not the 50 ms of the stamps again
    assert [t - delay for t, _f in out] == [t for t, _f in recs]


def test_replay_loop_repeats_the_file(netbench_bin, tmp_path, capture):
    report = run(netbench_bin, tmp_path,
                 scenario(capture, 'out.pcap', ', timing: recorded, loop: 3'))
    out = read_pcap(str(tmp_path / 'out.pcap'))
    src = read_pcap(capture)
    assert [f for _t, f in out] == [f for _t, f in src] * 3
    g = gaps(src)
    # each pass keeps the spacing; the next starts where the last frame of the previous was
    assert gaps(out) == g + [0] + g + [0] + g
    assert report['host']['pass'] == 3 and report['host']['passes'] == 3


def test_replay_loop_forever_until_the_duration(netbench_bin, tmp_path, capture):
    report = run(netbench_bin, tmp_path,
                 scenario(capture, 'out.pcap', ', timing: recorded, loop: 0',
                          extra='duration: 200ms\n'))
    out = read_pcap(str(tmp_path / 'out.pcap'))
    span = pattern()[-1][0] - START  # one pass; the next starts at once
    passes = 200 * 10**6 // span + 1
    assert report['host']['pass'] == passes
    assert report['host']['exhausted'] is False
    assert len(out) == report['far']['recv_frames'] > 3 * 60


def test_replay_late_frames_wait_and_are_counted(netbench_bin, tmp_path):
    """1500-byte frames 10 us apart on a 100 Mb/s LAN8720 path (each takes 122 us on the
    wire): once the wire's queue and the device's TX ring are full the path takes no more
    (a frame the device still refused with -EAGAIN would stay in the stack wrapper and be
    retried), so frames wait in the source; all arrive, in order, none is dropped or
    refused, and the report says how late they went."""
    src = str(tmp_path / 'fast.pcap')
    recs = [(START + i * 10000, numbered_frame(i + 1, 1500)) for i in range(100)]
    write_pcap(src, recs)
    report = run(netbench_bin, tmp_path,
                 scenario(src, 'out.pcap', ', timing: recorded', device='lan8720',
                          pace='line-rate', extra='expect: {all_delivered: true}\n'))
    out = read_pcap(str(tmp_path / 'out.pcap'))
    assert [f for _t, f in out] == [f for _t, f in recs]
    host = report['host']
    assert host['late_frames'] > 50
    # the last frame arrives ~99 x (122 - 10) us behind its schedule; it left the source
    # less late, by the frames the wire queue (32) held
    behind = (out[-1][0] - out[0][0]) - (recs[-1][0] - recs[0][0])
    assert 10 * 10**6 < behind < 12 * 10**6
    assert 5 * 10**6 < host['lag_max_ns'] < behind
    assert 0 < host['lag_mean_ns'] < host['lag_max_ns']
    assert report['far']['recv_frames'] == 100
    stack = report['stack']
    assert stack['tx_sent'] == 100 and stack['tx_dropped'] == 0
    assert stack['port_tx_errors'] == 0 and report['host']['send_errors'] == 0


def test_replay_same_input_same_capture(netbench_bin, tmp_path, capture):
    text = scenario(capture, 'out.pcap', ', timing: {rate: 3}, loop: 2', device='lan8720',
                    pace='line-rate')
    run(netbench_bin, tmp_path, text)
    first = open(str(tmp_path / 'out.pcap'), 'rb').read()
    run(netbench_bin, tmp_path, text)
    assert open(str(tmp_path / 'out.pcap'), 'rb').read() == first


@pytest.mark.parametrize('pcap,expected', [
    ('{read: x.pcap, timing: fast}',
     "4:32: expected 'timing' to be asap, recorded, absolute or {rate: N}, got 'fast'\n"),
    ('{read: x.pcap, timing: {rate: 0}}',
     "4:39: expected 'rate' to be a speed-up factor 0.001..1000000 (the recorded gaps are "
     "divided by it), e.g. 10 or 0.5\n"),
    ('{read: x.pcap, timing: {rate: 1.0005}}',
     "4:39: expected 'rate' to be a speed-up factor 0.001..1000000"),
    ('{read: x.pcap, timing: {rate: 2, loop: 1}}',
     "4:32: expected 'timing' to be asap, recorded, absolute or {rate: N}\n"),
    ('{write: x.pcap, loop: 2}',
     "4:9: 'timing' and 'loop' replay a file: expected 'read' in pcap\n"),
    ('{read: x.pcap, loop: 0}',
     "4:30: loop: 0 replays the file until the run ends: expected a 'duration'\n"),
    ('{read: x.pcap, loop: -1}',
     "4:30: expected an integer 0..4294967295 for 'loop', got '-1'\n"),
])
def test_replay_schema_errors(netbench_bin, tmp_path, pcap, expected):
    path = write_scenario(tmp_path, 'seed: 1\ndevice: {type: ideal}\nhost:\n  pcap: %s\n' % pcap)
    p = run_netbench(netbench_bin, ['--sim', path, '--check'], cwd=str(tmp_path))
    assert p.returncode == 2, p.stdout + p.stderr
    assert p.stderr.startswith(path + ':' + expected), p.stderr


# ---- TAP input record and deterministic replay -------------------------------------------

def _quiet_netns(ns):
    """No IPv6 chatter: the recording holds exactly ARP and the pings."""
    for key in ('all', 'default'):
        ns_exec(ns, ['sysctl', '-qw', 'net.ipv6.conf.%s.disable_ipv6=1' % key], timeout=10)


@needs_netns
def test_tap_record_then_replay_is_deterministic(netbench_bin, netbench_bg, netns_pair,
                                                 tmp_path):
    ns_a, ns_b = netns_pair
    for ns in netns_pair:
        _quiet_netns(ns)
    host_rec, far_rec = str(tmp_path / 'host-in.pcapng'), str(tmp_path / 'far-in.pcapng')
    text = tap_scenario(ns_a, ns_b).replace(
        'address: 10.10.0.1/24}', 'address: 10.10.0.1/24, record: %s}' % host_rec).replace(
        'address: 10.10.0.2/24}', 'address: 10.10.0.2/24, record: %s}' % far_rec)
    nb = netbench_bg(text)
    nb.wait_link_up()
    ping = ns_exec(ns_a, ['ping', '-c', '5', '-i', '0.2', '-W', '2', '10.10.0.2'], timeout=30)
    assert ping.returncode == 0, ping.stdout + ping.stderr + nb.log()
    code, report = nb.stop()
    assert code == 0, nb.log()
    assert report['host']['recorded'] == 6 and report['far']['recorded'] == 6, nb.log()
    host_in, far_in = read_pcapng(host_rec), read_pcapng(far_rec)
    assert [f[12:14] for _t, f in host_in] == [b'\x08\x06'] + [b'\x08\x00'] * 5
    assert [f[12:14] for _t, f in far_in] == [b'\x08\x06'] + [b'\x08\x00'] * 5
    # time stamps: ns since the run's start, in order, after the link came up (~1.5 s)
    stamps = sorted(t for t, _f in host_in + far_in)
    assert 10**9 < stamps[0] and stamps[-1] < 60 * 10**9

    replay = ('seed: 1\n'
              'device: {type: lan8720, mac: 02:00:00:00:00:01}\n'
              'host:\n  pcap: {read: %s, timing: absolute, write: host-out.pcap}\n'
              'wire:\n  far: {pcap: {read: %s, timing: absolute, write: far-out.pcap}}\n'
              'expect: {drops: 0}\n' % (host_rec, far_rec))
    outputs = []
    for i in range(2):
        d = tmp_path / ('replay%d' % i)
        d.mkdir()
        path = write_scenario(d, replay)
        p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(d), timeout=120)
        assert p.returncode == 0, p.stdout + p.stderr
        r = json.loads(p.stdout)
        assert r['time']['mode'] == 'virtual'
        outputs.append([open(str(d / n), 'rb').read() for n in ('host-out.pcap', 'far-out.pcap')])
    assert outputs[0] == outputs[1]

    # what each kernel sent reached the other side unchanged (padded to 60 bytes on the wire)
    d = tmp_path / 'replay0'
    far_out, host_out = read_pcap(str(d / 'far-out.pcap')), read_pcap(str(d / 'host-out.pcap'))
    assert [f for _t, f in far_out] == [f.ljust(60, b'\0') for _t, f in host_in]
    assert [f for _t, f in host_out] == [f.ljust(60, b'\0') for _t, f in far_in]
    # and in the order of the recording: each reply after the request it answers
    for (t_req, _r), (t_rep, _p) in zip(far_out, host_out):
        assert t_req < t_rep
