"""Same scenario + same seed => byte-identical captures and report (virtual time). The
report's wall-clock measurements are in its "wall" section, the only part that may differ;
--reproducible leaves it out so whole files compare equal. With impairments, another seed
gives other output."""
import json
import os
import shutil

import pytest

from conftest import SCENARIOS, run_netbench, write_scenario

BASE = '''seed: %(seed)d
duration: 5s
device: {type: lan8720, phy_address: 1}
host:
  pcap: {read: quickstart-host.pcap, write: host-rx.pcap%(loop)s}
wire:
  far:
    pcap: {read: quickstart-far.pcap, write: far-rx.pcap%(loop)s}
timeline:
  - {at: 3s, link: down}
  - {at: 3200ms, link: up}
assert:
  - {latency: {from: host.tx, to: far.rx}, max: 1s, percentile: 99}
'''

IMPAIR = '''  impair:
    both:
      loss: {rate: 5%%}
      delay: 1ms
      jitter: 300us
'''


def run_once(binary, workdir, seed, impair=False, args=()):
    os.makedirs(workdir, exist_ok=True)
    for name in ('quickstart-host.pcap', 'quickstart-far.pcap'):
        shutil.copy(os.path.join(SCENARIOS, name), workdir)
    text = BASE % {'seed': seed, 'loop': ', loop: 20' if impair else ''}
    if impair:  # wire.impair goes after wire.far
        text = text.replace('    pcap: {read: quickstart-far.pcap, write: far-rx.pcap, loop: 20}\n',
                            '    pcap: {read: quickstart-far.pcap, write: far-rx.pcap, loop: 20}\n'
                            + IMPAIR % ())
    write_scenario(workdir, text)
    p = run_netbench(binary, ['--sim', 'scenario.yml', '--report', 'report.json'] + list(args),
                     cwd=workdir)
    out = {}
    for name in ('host-rx.pcap', 'far-rx.pcap', 'report.json'):
        with open(os.path.join(workdir, name), 'rb') as f:
            out[name] = f.read()
    return p, out


def test_same_seed_gives_identical_captures_and_report(netbench_bin, tmp_path):
    p1, a = run_once(netbench_bin, str(tmp_path / 'a'), 7, args=['--reproducible'])
    p2, b = run_once(netbench_bin, str(tmp_path / 'b'), 7, args=['--reproducible'])
    assert p1.returncode == 0 and p2.returncode == 0, p1.stdout + p1.stderr
    assert len(a['host-rx.pcap']) > 24 and len(a['far-rx.pcap']) > 24
    for name in a:
        assert a[name] == b[name], name
    r = json.loads(a['report.json'])
    assert 'wall' not in r and r['time']['mode'] == 'virtual'


def test_without_reproducible_only_the_wall_section_differs(netbench_bin, tmp_path):
    _, a = run_once(netbench_bin, str(tmp_path / 'a'), 7)
    _, b = run_once(netbench_bin, str(tmp_path / 'b'), 7)
    ra, rb = json.loads(a['report.json']), json.loads(b['report.json'])
    assert ra['wall']['elapsed_ns'] > 0 and rb['wall']['elapsed_ns'] > 0
    del ra['wall'], rb['wall']
    assert ra == rb
    assert a['host-rx.pcap'] == b['host-rx.pcap'] and a['far-rx.pcap'] == b['far-rx.pcap']


def _impair_supported(binary, tmp_path):
    d = str(tmp_path / 'probe')
    os.makedirs(d)
    write_scenario(d, 'duration: 1s\ndevice: {type: ideal}\nhost: none\nwire:\n' + IMPAIR % ())
    return run_netbench(binary, ['--check', '--sim', 'scenario.yml'], cwd=d).returncode == 0


def test_impairments_follow_the_seed(netbench_bin, tmp_path):
    if not _impair_supported(netbench_bin, tmp_path):
        pytest.skip('this build has no wire impairments (wire: impair:)')
    _, a = run_once(netbench_bin, str(tmp_path / 'a'), 7, impair=True, args=['--reproducible'])
    _, b = run_once(netbench_bin, str(tmp_path / 'b'), 7, impair=True, args=['--reproducible'])
    _, c = run_once(netbench_bin, str(tmp_path / 'c'), 8, impair=True, args=['--reproducible'])
    for name in a:
        assert a[name] == b[name], name
    assert a['far-rx.pcap'] != c['far-rx.pcap']
    assert a['host-rx.pcap'] != c['host-rx.pcap']
    ra, rc = json.loads(a['report.json']), json.loads(c['report.json'])
    assert ra['far']['recv_frames'] < ra['host']['sent_frames']  # the loss did happen
    assert ra['seed'] == 7 and rc['seed'] == 8
