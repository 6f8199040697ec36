"""Every shipped scenario runs; the quickstart runs without root; captures are deterministic;
a run whose frames did not arrive fails."""
import filecmp
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time

import pytest
import yaml

from conftest import (SCENARIOS, ROOT, add_netns, del_netns, needs_netns, run_netbench,
                      sanitized, write_scenario)

QUICKSTART = os.path.join(SCENARIOS, 'quickstart.yml')


def shipped():
    return sorted(n for n in os.listdir(SCENARIOS) if n.endswith('.yml'))


def namespaces_of(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    found = []
    for ep in (doc.get('host'), (doc.get('wire') or {}).get('far')):
        if isinstance(ep, dict) and isinstance(ep.get('tap'), dict) and ep['tap'].get('netns'):
            found.append(ep['tap']['netns'])
    return found


@pytest.mark.parametrize('name', shipped())
def test_shipped_scenario_runs(netbench_bin, tmp_path, name):
    path = os.path.join(SCENARIOS, name)
    namespaces = namespaces_of(path)
    args = ['--sim', path]
    created = []
    if namespaces:
        if os.geteuid() != 0 or not os.path.exists('/dev/net/tun'):
            pytest.skip('TAP scenario: needs root and /dev/net/tun')
        args += ['--duration', '4s']
        for ns in namespaces:
            if not os.path.exists('/run/netns/' + ns):
                add_netns(ns)
                created.append(ns)
    # "# drive: <shell command>" lines: traffic a scenario's assertions need (a ping), run
    # beside it
    drivers = [subprocess.Popen(line[len('# drive:'):].strip(), shell=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for line in open(path) if line.startswith('# drive:') and namespaces]
    try:
        p = run_netbench(netbench_bin, args, timeout=120, cwd=str(tmp_path))
    finally:
        for d in drivers:
            try:
                d.wait(timeout=10)
            except subprocess.TimeoutExpired:
                d.kill()
                d.wait()
        for ns in created:
            del_netns(ns)
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'result: PASS' in p.stdout


def test_quickstart_runs_without_root(netbench_bin):
    user = None
    binary, scenario, where = netbench_bin, QUICKSTART, ROOT
    tmp = None
    if os.geteuid() == 0:
        user = '65534'  # nobody:nogroup
        # The checkout may sit below a directory only root can enter (mktemp -d): give the
        # unprivileged user its own world-readable copy of the program and the scenario.
        tmp = tempfile.mkdtemp(prefix='nb-noroot-')
        os.chmod(tmp, 0o755)
        for name in ('quickstart.yml', 'quickstart-host.pcap', 'quickstart-far.pcap'):
            shutil.copy(os.path.join(SCENARIOS, name), tmp)
        binary = shutil.copy(netbench_bin, os.path.join(tmp, 'netbench'))
        for name in os.listdir(tmp):
            os.chmod(os.path.join(tmp, name), 0o755)
        scenario, where = os.path.join(tmp, 'quickstart.yml'), tmp
    try:
        start = time.monotonic()
        p = run_netbench(binary, ['--sim', scenario], cwd=where, user=user, timeout=60)
        elapsed = time.monotonic() - start
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(p.stdout)
    print('quickstart took %.3f s of wall time' % elapsed)
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'result: PASS' in p.stdout
    assert p.stdout.count(': ok') >= 3  # deliveries both ways, drops, link


def test_quickstart_report_counts_match(netbench_bin):
    p = run_netbench(netbench_bin, ['--sim', QUICKSTART, '--json'], cwd=ROOT)
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r['time']['mode'] == 'virtual'
    host, far = r['host'], r['far']
    assert host['sent_frames'] == far['recv_frames'] == 26
    assert far['sent_frames'] == host['recv_frames'] == 20
    assert r['device']['drops_total'] == 0
    assert r['device']['link']['up'] is True
    assert r['device']['violations'] == 0
    # virtual time: seconds of simulated time in a fraction of that on the wall clock
    assert r['time']['sim_ns'] > r['wall']['elapsed_ns']


CAPTURE = '''seed: 7
device: {type: %s, mac: 02:00:00:00:00:01}
host: {pcap: {read: %s/quickstart-host.pcap, write: host-rx.pcap}}
wire:
  far: {pcap: {read: %s/quickstart-far.pcap, write: far-rx.pcap}}
expect: {all_delivered: true}
'''


@pytest.mark.parametrize('device', ['lan8720', 'ideal'])
def test_virtual_time_captures_are_byte_identical(netbench_bin, tmp_path, device):
    outs = []
    for run in ('a', 'b'):
        d = tmp_path / run
        d.mkdir()
        path = write_scenario(d, CAPTURE % (device, SCENARIOS, SCENARIOS))
        p = run_netbench(netbench_bin, ['--sim', path], cwd=str(d))
        assert p.returncode == 0, p.stdout + p.stderr
        outs.append(d)
    for f in ('host-rx.pcap', 'far-rx.pcap'):
        a, b = outs[0] / f, outs[1] / f
        assert os.path.getsize(a) > 1000
        assert filecmp.cmp(a, b, shallow=False), f


def test_capture_holds_what_the_far_side_sent(netbench_bin, tmp_path):
    """The far side's capture of frames from the device equals the host's source frames."""
    path = write_scenario(tmp_path, CAPTURE % ('lan8720', SCENARIOS, SCENARIOS))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr

    def frames(name):
        data = open(name, 'rb').read()
        magic = struct.unpack('<I', data[:4])[0]
        assert magic in (0xA1B2C3D4, 0xA1B23C4D)
        off, out = 24, []
        while off < len(data):
            _, _, incl, _ = struct.unpack('<IIII', data[off:off + 16])
            out.append(data[off + 16:off + 16 + incl])
            off += 16 + incl
        return out

    sent = frames(os.path.join(SCENARIOS, 'quickstart-host.pcap'))
    got = frames(str(tmp_path / 'far-rx.pcap'))
    assert len(sent) == len(got)
    for s, g in zip(sent, got):
        # the MAC pads runts to 60 bytes; everything else arrives unchanged
        assert g == s + b'\0' * max(0, 60 - len(s))


def test_frames_that_do_not_arrive_fail_the_run(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, '''device: {type: lan8720, mac: 02:00:00:00:00:01}
timeout: 10s
host: {pcap: {read: %s/quickstart-host.pcap}}
wire:
  cable: unplugged
  far: {pcap: {write: far.pcap}}
expect: {all_delivered: true}
''' % SCENARIOS)
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'all_delivered host->far: FAILED - the source was not finished (0 frames sent)' \
        in p.stdout
    assert 'result: FAIL' in p.stdout


def test_wrong_expectation_fails_the_run(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, '''device: {type: lan8720}
host: {pcap: {read: %s/quickstart-host.pcap}}
expect: {drops: 3, link: down}
''' % SCENARIOS)
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'drops: FAILED - 0 dropped, expected 3' in p.stdout
    assert 'link: FAILED - link is up, expected down' in p.stdout


def test_unreadable_capture_fails_at_setup(netbench_bin, tmp_path):
    (tmp_path / 'junk.pcap').write_bytes(b'not a capture at all')
    path = write_scenario(tmp_path, 'device: {type: ideal}\nhost: {pcap: {read: junk.pcap}}\n')
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1
    assert 'host side: pcap:' in p.stderr


def test_quiet_prints_only_failures(netbench_bin, tmp_path):
    ok = run_netbench(netbench_bin, ['--sim', QUICKSTART, '--quiet'], cwd=ROOT)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, '', '')
    path = write_scenario(tmp_path, '''device: {type: lan8720}
host: {pcap: {read: %s/quickstart-host.pcap}}
expect: {drops: 3, link: up}
''' % SCENARIOS)
    bad = run_netbench(netbench_bin, ['--sim', path, '-q'], cwd=str(tmp_path))
    assert bad.returncode == 1
    assert bad.stdout == ''
    assert bad.stderr.splitlines() == ['check      drops: FAILED - 0 dropped, expected 3']


@pytest.mark.parametrize('device', ['lan8720', 'ideal'])
def test_backpressure_loses_nothing(netbench_bin, tmp_path, device):
    """A 10 Mb/s cable with room for two frames in flight: the sources (26 and 20 frames,
    read as fast as they are taken) are much faster, so the device, the wrapper and the
    partner MAC must hold frames back instead of dropping them."""
    path = write_scenario(tmp_path, '''seed: 3
device: {type: %s}
host: {pcap: {read: %s/quickstart-host.pcap}}
wire:
  partner: {autoneg: true, ability: [10HD]}
  queue: 2
  far: {pcap: {read: %s/quickstart-far.pcap}}
expect: {all_delivered: true, drops: 0}
''' % (device, SCENARIOS, SCENARIOS))
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads(p.stdout)
    assert r['device']['link']['speed_mbps'] == 10
    # Flow control by looking first (tx_space, as netif_stop_queue): nobody even tried to
    # push into a full queue, and nothing was lost anywhere.
    assert r['wire']['to_far']['busy'] == r['wire']['to_host']['busy'] == 0
    assert r['device']['tx_busy'] == 0 and r['stack']['tx_deferred'] == 0
    assert r['far']['partner_mac']['tx_deferred'] == 0
    assert r['far']['partner_mac']['rx_overflow'] == 0
    for d in ('to_far', 'to_host'):
        assert r['wire'][d]['lost_unplugged'] == 0


def test_missing_namespace_is_named_with_the_fix(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, 'device: {type: lan8720}\n'
                          'host: {tap: {name: nbX, netns: nb-no-such-ns}}\n')
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1
    assert ("tap nbX: network namespace 'nb-no-such-ns' (/run/netns/nb-no-such-ns): No such "
            'file or directory; create it with: ip netns add nb-no-such-ns') in p.stderr
