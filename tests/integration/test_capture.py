"""Captures (docs/capture.md): bus, frames and TAP pcapng files, read back with tshark and
the Lua dissector, compared with the run's own report; interrupted runs leave valid files;
the same scenario and seed give byte-identical files; bus timing at the configured clocks."""
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import (ROOT, SCENARIOS, needs_netns, ns_exec, run_netbench, sanitized,
                      tap_scenario, write_scenario)

LUA = os.path.join(ROOT, 'tools', 'wireshark', 'netbench-bus.lua')
needs_tshark = pytest.mark.skipif(shutil.which('tshark') is None, reason='needs tshark')

LAN = """seed: 1
device: {type: lan8720, phy_address: 1, mdio: %(mdio)s, mdc_hz: %(mdc)d}
host:
  pcap: {read: %(scn)s/quickstart-host.pcap}
wire:
  far:
    pcap: {read: %(scn)s/quickstart-far.pcap}
expect: {all_delivered: true, drops: 0, link: up}
capture: {dir: %(dir)s, bus: true, frames: true}
"""

CYW = """seed: 1
device:
  type: cyw43439
  firmware: {generate: {seed: 0x5EED}}
  spi_hz: %(hz)d
  wifi: {ssid: netbench-ap, security: wpa2-psk, passphrase: "correct horse battery"}
  ap: {ssid: netbench-ap, channel: 6, security: wpa2-psk,
       passphrase: "correct horse battery", rssi: -45}
host:
  pcap: {read: %(scn)s/cyw43439-host.pcap}
wire:
  far:
    pcap: {read: %(scn)s/quickstart-far.pcap}
expect: {all_delivered: true, drops: 0, link: up}
capture: {dir: %(dir)s, bus: true, frames: true}
"""

POINTS = ('host.tx', 'host.rx', 'far.tx', 'far.rx')
IN, OUT = 1, 2  # pcapng epb_flags direction


def tshark(args, lua=False, timeout=120):
    cmd = ['tshark']
    if lua:
        cmd += ['-X', 'lua_script:' + LUA]
    p = subprocess.run(cmd + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    assert p.returncode == 0, 'tshark %s: %s' % (' '.join(args), p.stderr)
    return p.stdout


def fields(path, names, lua=False, filt=None):
    args = ['-r', path, '-T', 'fields', '-E', 'separator=|']
    if filt:
        args += ['-Y', filt]
    for n in names:
        args += ['-e', n]
    rows = [line.split('|') for line in tshark(args, lua).splitlines() if line]
    decoded = [i for i, n in enumerate(names) if n.startswith('netbench_bus.')]
    if lua and rows and decoded and not any(r[i] for r in rows for i in decoded):
        # Wireshark runs Lua plugins as root only if its init.lua allows it (Debian's sets
        # run_user_scripts_when_superuser = true): say so instead of failing on empty fields
        pytest.fail('tshark decoded nothing with %s%s' % (
            LUA, ' (running as root: is run_user_scripts_when_superuser false in init.lua?)'
            if os.geteuid() == 0 else ''))
    return rows


def run_json(netbench_bin, tmp_path, text, name='s.yml'):
    path = write_scenario(tmp_path, text, name)
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], timeout=300, cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    return json.loads(p.stdout.splitlines()[0])


def lan(tmp_path, out, mdio='register', mdc=2500000):
    return LAN % {'mdio': mdio, 'mdc': mdc, 'scn': SCENARIOS, 'dir': out}


@needs_tshark
def test_frame_capture_matches_report(netbench_bin, tmp_path):
    rep = run_json(netbench_bin, tmp_path, lan(tmp_path, 'cap'))
    path = str(tmp_path / 'cap' / 'frames.pcapng')
    assert rep['capture']['frames'].endswith('cap/frames.pcapng')
    rows = fields(path, ['frame.interface_name', 'frame.packet_flags_direction', 'frame.len'])
    counts = {p: 0 for p in POINTS}
    for name, direction, _ in rows:
        counts[name] += 1
        # outbound (2) where the frame leaves a side, inbound (1) where it arrives
        assert int(direction, 0) == (OUT if name.endswith('.tx') else IN), (name, direction)
    expected = {'host.tx': rep['host']['sent_frames'], 'host.rx': rep['host']['recv_frames'],
                'far.tx': rep['far']['sent_frames'], 'far.rx': rep['far']['recv_frames']}
    assert counts == expected
    assert counts == rep['capture']['frame_counts']
    assert counts['host.tx'] == 26 and counts['far.tx'] == 20
    # the interfaces carry their names and descriptions
    desc = fields(path, ['frame.interface_description'], filt='frame.interface_name == "far.rx"')
    assert 'wire to far endpoint' in desc[0][0]


@needs_tshark
def test_bus_capture_mdio_decodes(netbench_bin, tmp_path):
    rep = run_json(netbench_bin, tmp_path, lan(tmp_path, 'cap'))
    path = str(tmp_path / 'cap' / 'bus.pcapng')
    rows = fields(path, ['frame.interface_name', 'netbench_bus.mdio.op', 'netbench_bus.mdio.phy',
                         'netbench_bus.mdio.reg_name', 'netbench_bus.mdio.data',
                         'netbench_bus.mdio.ta_ok', 'frame.packet_flags_direction',
                         'netbench_bus.busy_ns'], lua=True)
    bus = rep['buses']['lan8720.mdio']
    model = rep['device']['model']
    assert bus['transactions'] == model['mdio_reads'] + model['mdio_writes']
    # the report is made before teardown; the driver's deinit (PHY power-down) comes after
    assert len(rows) >= bus['transactions']
    reads = [r for r in rows[:bus['transactions']] if r[1] == '2']
    assert len(reads) == model['mdio_reads']
    assert all(r[0] == 'lan8720.mdio' and r[2] == '1' for r in rows)
    # the driver identifies the PHY first: PHYID1/PHYID2 of a LAN8720A
    assert (rows[0][3], int(rows[0][4], 16)) == ('PHYID1', 0x0007)
    assert (rows[1][3], int(rows[1][4], 16)) == ('PHYID2', 0xC0F1)
    assert all(r[5] in ('1', 'True') for r in rows)  # the PHY answered every frame
    for r in rows:
        assert int(r[6], 0) == (IN if r[1] == '2' else OUT)  # reads in, writes out
        assert int(r[7]) == 25600  # 64 MDC clocks at 2.5 MHz
    assert bus['busy_ns'] == 25600 * bus['transactions']
    assert any(r[3] == 'BMCR' and r[1] == '1' and int(r[4], 16) == 0x8000 for r in rows)


@needs_tshark
def test_bus_capture_bitbang_and_mdc_clock(netbench_bin, tmp_path):
    rep = run_json(netbench_bin, tmp_path, lan(tmp_path, 'bb', mdio='bitbang', mdc=1000000))
    rows = fields(str(tmp_path / 'bb' / 'bus.pcapng'),
                  ['netbench_bus.mdio.reg_name', 'netbench_bus.mdio.data',
                   'netbench_bus.busy_ns'], lua=True)
    assert (rows[0][0], int(rows[0][1], 16)) == ('PHYID1', 0x0007)
    bus = rep['buses']['lan8720.mdio']
    assert bus['clock_hz'] == 1000000
    # a bit-banged frame is at least the 64 clocks of the frame at 1 MHz
    assert all(int(r[2]) >= 64000 for r in rows)
    assert bus['busy_ns'] == sum(int(r[2]) for r in rows[:bus['transactions']])
    assert bus['throughput_bps'] <= 16 / 64e-6 + 1


@needs_tshark
def test_bus_capture_gspi_decodes(netbench_bin, tmp_path):
    rep = run_json(netbench_bin, tmp_path, CYW % {'hz': 31250000, 'scn': SCENARIOS,
                                                  'dir': 'cap'})
    path = str(tmp_path / 'cap' / 'bus.pcapng')
    rows = fields(path, ['netbench_bus.gspi.write', 'netbench_bus.gspi.func',
                         'netbench_bus.gspi.addr', 'netbench_bus.gspi.len',
                         'netbench_bus.gspi.reg_name', 'netbench_bus.gspi.value',
                         'netbench_bus.gspi.mode', 'frame.packet_flags_direction'], lua=True)
    bus = rep['buses']['cyw43439.gspi']
    assert len(rows) == bus['transactions'] == rep['device']['model']['gspi_transactions']
    first = rows[0]
    # the first transaction reads the test pattern, in 16-bit word mode
    assert first[0] in ('0', 'False') and first[1] == '0' and int(first[2], 16) == 0x14
    assert first[4] == 'SPI_READ_TEST_REGISTER' and int(first[5], 16) == 0xFEEDBEAD
    assert int(first[6], 16) == 0 and int(first[7], 0) == IN
    # the bus-control write switches to 32-bit words; later test-pattern reads still decode
    ctl = [i for i, r in enumerate(rows) if r[4] == 'SPI_BUS_CONTROL' and r[0] in ('1', 'True')]
    assert ctl, 'no bus-control write'
    later = [r for r in rows[ctl[0] + 1:] if r[4] == 'SPI_READ_TEST_REGISTER']
    assert later and all(int(r[5], 16) == 0xFEEDBEAD for r in later)
    assert int(later[0][6], 16) & 1
    assert any(r[1] == '2' for r in rows), 'no F2 (frame) transaction'


@needs_tshark
def test_same_seed_gives_identical_files(netbench_bin, tmp_path):
    for run in ('a', 'b'):
        run_json(netbench_bin, tmp_path, lan(tmp_path, run), 'lan-%s.yml' % run)
        run_json(netbench_bin, tmp_path, CYW % {'hz': 31250000, 'scn': SCENARIOS,
                                                'dir': 'cyw-' + run}, 'cyw-%s.yml' % run)
    for d in ('%s', 'cyw-%s'):
        for f in ('bus.pcapng', 'frames.pcapng'):
            a = (tmp_path / (d % 'a') / f).read_bytes()
            b = (tmp_path / (d % 'b') / f).read_bytes()
            assert len(a) > 100 and a == b, (d, f)
    # a different seed on the lossy path would differ; here the content must not depend on
    # the host: no time, host or OS names in the section header
    shb = (tmp_path / 'a' / 'bus.pcapng').read_bytes()[:64]
    assert os.uname().nodename.encode() not in shb


@needs_tshark
def test_sigint_leaves_valid_files(netbench_bin, tmp_path):
    text = lan(tmp_path, 'int').replace('expect: {all_delivered: true, drops: 0, link: up}\n',
                                        'duration: 10min\ntime: realtime\n')
    path = write_scenario(tmp_path, text, 'long.yml')
    proc = subprocess.Popen([netbench_bin, '--sim', path, '--json'], cwd=str(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # wait until the link is up and frames flowed (AN takes 1.5 s of real time)
        time.sleep(6 if sanitized() else 3.5)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err  # interrupted before its defined end
    report = json.loads(out.splitlines()[0])
    assert report['interrupted'] is True
    for f in ('bus.pcapng', 'frames.pcapng'):
        p = str(tmp_path / 'int' / f)
        out = tshark(['-r', p, '-c', '100000'])
        assert len(out.splitlines()) > 0, f
    n = len(tshark(['-r', str(tmp_path / 'int' / 'frames.pcapng')]).splitlines())
    assert n == sum(report['capture']['frame_counts'].values()) > 0


def test_failed_check_still_flushes(netbench_bin, tmp_path):
    text = lan(tmp_path, 'fail').replace('drops: 0', 'drops: 5')
    path = write_scenario(tmp_path, text)
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'drops' in p.stdout
    data = (tmp_path / 'fail' / 'frames.pcapng').read_bytes()
    # 46 frames: the file ends with a complete block (trailing length = leading length)
    assert int.from_bytes(data[-4:], 'little') > 0 and len(data) > 46 * 60


def test_capture_errors_are_named(netbench_bin, tmp_path):
    text = lan(tmp_path, 'x').replace('capture: {dir: x, bus: true, frames: true}',
                                      'capture: {dir: x, tap: true}')
    path = write_scenario(tmp_path, text)
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 2
    assert 'capture.tap needs a TAP endpoint' in p.stderr and ':9:' in p.stderr, p.stderr
    text = lan(tmp_path, 'x').replace('bus: true, frames: true', 'bus: false')
    p = run_netbench(netbench_bin, ['--sim', write_scenario(tmp_path, text)], cwd=str(tmp_path))
    assert p.returncode == 2 and 'at least one of' in p.stderr, p.stderr
    (tmp_path / 'file').write_text('not a directory')
    text = lan(tmp_path, 'file/sub')
    p = run_netbench(netbench_bin, ['--sim', write_scenario(tmp_path, text)], cwd=str(tmp_path))
    assert p.returncode == 1 and 'file/sub' in p.stderr, p.stderr


def test_gspi_clock_sets_bus_time(netbench_bin, tmp_path):
    rates = {}
    for hz in (10000000, 50000000):
        rep = run_json(netbench_bin, tmp_path, CYW % {'hz': hz, 'scn': SCENARIOS,
                                                      'dir': 'c%d' % hz}, 'c%d.yml' % hz)
        bus = rep['buses']['cyw43439.gspi']
        assert bus['clock_hz'] == hz
        rates[hz] = bus['throughput_bps']
        # payload can never move faster than the clock (1 bit per clock plus overhead)
        assert 0 < rates[hz] < hz
    assert rates[50000000] > 4 * rates[10000000]


@needs_netns
@needs_tshark
def test_tap_capture(netbench_bg, netns_pair, tmp_path):
    scn = tap_scenario(netns_pair[0], netns_pair[1],
                       'type: lan8720\nmdio: register\nirq: nint\nphy_address: 1',
                       extra='capture: {dir: tapcap, tap: true, frames: true}\n')
    nb = netbench_bg(scn)
    nb.wait_link_up(30 if sanitized() else 15)
    p = ns_exec(netns_pair[0], ['ping', '-c', '5', '-i', '0.05', '-W', '1', '-q', '10.10.0.2'],
                timeout=30)
    assert p.returncode == 0, p.stdout + p.stderr
    rc, report = nb.stop()
    assert rc == 0, nb.log()
    path = os.path.join(nb.workdir, 'tapcap', 'tap.pcapng')
    rows = fields(path, ['frame.interface_name', 'frame.packet_flags_direction', 'icmp.type'])
    tc = report['capture']['tap_counts']
    for side in ('host', 'far'):
        out = sum(1 for r in rows if r[0] == side and int(r[1], 0) == OUT)
        inb = sum(1 for r in rows if r[0] == side and int(r[1], 0) == IN)
        assert (out, inb) == (tc[side]['from_kernel'], tc[side]['to_kernel'])
    # the echo requests leave the host kernel and reach the far kernel, replies come back
    def n(side, direction, icmp_type):
        return sum(1 for r in rows
                   if r[0] == side and int(r[1], 0) == direction and r[2] == icmp_type)
    assert n('host', OUT, '8') >= 5 and n('far', IN, '8') >= 5 and n('host', IN, '0') >= 5
    # what the host kernel sent is what the driver was given (host.tx)
    assert tc['host']['from_kernel'] == report['capture']['frame_counts']['host.tx']


@needs_tshark
def test_read_error_mid_run_still_flushes(netbench_bin, tmp_path):
    data = open(os.path.join(SCENARIOS, 'quickstart-host.pcap'), 'rb').read()
    (tmp_path / 'cut.pcap').write_bytes(data[:len(data) // 2 + 7])  # ends inside a packet
    text = lan(tmp_path, 'cut').replace('%s/quickstart-host.pcap' % SCENARIOS, 'cut.pcap')
    text = text.replace('expect: {all_delivered: true, drops: 0, link: up}\n', '')
    path = write_scenario(tmp_path, text)
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 1, p.stderr
    assert 'cut.pcap' in p.stderr and 'truncated' in p.stderr, p.stderr
    report = json.loads(p.stdout.splitlines()[0])
    rows = fields(str(tmp_path / 'cut' / 'frames.pcapng'), ['frame.interface_name'])
    counts = {pt: sum(1 for r in rows if r[0] == pt) for pt in POINTS}
    assert counts == report['capture']['frame_counts'] and counts['host.tx'] > 0
