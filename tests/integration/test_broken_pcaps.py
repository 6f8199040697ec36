"""Broken captures as a pcap source: each gives one exact error naming the file, the packet
(1-based, Wireshark's frame number) and what is wrong; the run exits non-zero; the capture
the run writes on the other side is complete and holds exactly the frames before the
defect (and after it, for a frame that is only skipped)."""
import os
import struct

import pytest

from conftest import ROOT, run_netbench, write_scenario
from pcaputil import read_pcap

DATA = os.path.join(ROOT, 'tests', 'data', 'broken-pcaps')

# file -> (exact error line after the time stamp, frame numbers that must arrive)
CASES = {
    'truncated.pcap': (
        'pcap: error: {path}: packet 3: truncated dump file; tried to read 60 captured '
        'bytes, only got 20; the rest of the file is not replayed', [1, 2]),
    'bad-magic.pcap': (
        'netbench: error: host side: pcap: {path}: file header: unknown file format', []),
    'caplen-huge.pcap': (
        'pcap: error: {path}: packet 2: invalid packet capture length 300000, bigger than '
        'snaplen of 65535; the rest of the file is not replayed', [1]),
    'caplen-snaplen.pcap': (
        "pcap: error: {path}: packet 2: only 64 of the frame's 100 bytes are in the file "
        '(snaplen 64): skipped', [1, 3, 4]),
    'linktype.pcap': (
        'netbench: error: host side: pcap: {path}: file header: link type RAW (Raw IP), '
        'expected Ethernet (EN10MB)', []),
    'oversize.pcap': (
        'pcap: error: {path}: packet 2: 1600-byte frame, longer than the 1518 bytes the '
        'path carries: skipped', [1, 3, 4]),
    'runt.pcap': (
        'pcap: error: {path}: packet 3: 10-byte frame, shorter than an Ethernet header '
        '(14 bytes): skipped', [1, 2, 4]),
}


def scenario(src, out):
    return ('seed: 1\n'
            'device: {type: ideal, mac: 02:00:00:00:00:01}\n'
            'host:\n  pcap: {read: %s}\n'
            'wire:\n  far: {pcap: {write: %s}}\n') % (src, out)


def test_every_broken_file_has_a_case():
    names = sorted(n for n in os.listdir(DATA) if n.endswith('.pcap'))
    assert names == sorted(CASES)


@pytest.mark.parametrize('name', sorted(CASES))
def test_broken_pcap_error(netbench_bin, tmp_path, name):
    src = os.path.join(DATA, name)
    out = str(tmp_path / 'far-out.pcap')
    path = write_scenario(tmp_path, scenario(src, out))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path), timeout=60)
    assert p.returncode == 1, p.stdout + p.stderr
    expected, frames = CASES[name]
    errors = [line.split('] ', 1)[-1] for line in p.stderr.splitlines() if ' error: ' in line]
    assert errors == [expected.format(path=src)], p.stderr
    # what the far side wrote is a complete capture of the frames that could be sent
    got = read_pcap(out)
    numbers = [struct.unpack('!I', f[14:18])[0] for _t, f in got]
    assert numbers == frames
    if frames:
        assert 'check      host source: FAILED' in p.stdout


def test_broken_pcap_in_a_loop_names_the_pass(netbench_bin, tmp_path):
    """With loop, the same defect is found in every pass; each pass's good frames go."""
    src = os.path.join(DATA, 'runt.pcap')
    out = str(tmp_path / 'far-out.pcap')
    text = scenario(src, out).replace('{read: %s}' % src, '{read: %s, loop: 2}' % src)
    path = write_scenario(tmp_path, text)
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path), timeout=60)
    assert p.returncode == 1, p.stderr
    assert p.stderr.count('packet 3: 10-byte frame') == 2, p.stderr
    numbers = [struct.unpack('!I', f[14:18])[0] for _t, f in read_pcap(out)]
    assert numbers == [1, 2, 4, 1, 2, 4]
