"""The CYW43439 Wi-Fi path end to end: TAP(ns A) -> stack wrapper -> CYW43439 driver -> gSPI ->
chip model -> simulated AP -> wire -> TAP(ns B) with ping and iperf3; a wrong passphrase; the
AP vanishing and returning; firmware files that are missing or bad; schema errors."""
import json
import os
import subprocess
import time

import pytest

from conftest import (ROOT, SCENARIOS, have, needs_netns, ns_exec, results_dir, run_netbench,
                      sanitized, tap_scenario, write_scenario)

PASS = 'correct horse battery'
# Short join scan, beacon loss and re-join interval so the real-time tests take seconds.
CYW = ('type: cyw43439\n'
       'firmware: {generate: {seed: 0x5EED}}\n'
       'join_scan_time: 300ms\n'
       'beacon_loss_time: 300ms\n'
       'rejoin_interval: 500ms\n'
       'wifi: {ssid: netbench-ap, passphrase: "%s"}\n'
       'ap: {ssid: netbench-ap, passphrase: "%s"}\n' % (PASS, PASS))
LINK_TIMEOUT = 30 if sanitized() else 15
MKFW = os.path.join(ROOT, 'tools', 'mkfw')
MKPCAP_HOST = os.path.join(SCENARIOS, 'cyw43439-host.pcap')
MKPCAP_FAR = os.path.join(SCENARIOS, 'quickstart-far.pcap')


def pcap_scenario(device, expect='expect: {all_delivered: true, drops: 0, link: up}\n',
                  extra=''):
    dev = '\n'.join('  ' + line for line in device.strip().splitlines())
    return ('seed: 1\ndevice:\n%s\n  mac: 02:00:00:00:00:01\n'
            'host: {pcap: {read: %s}}\n'
            'wire:\n  far: {pcap: {read: %s}}\n%s%s'
            % (dev, MKPCAP_HOST, MKPCAP_FAR, extra, expect))


def record(name, line):
    print(line)
    with open(os.path.join(results_dir(), name), 'a') as f:
        f.write(line + '\n')


# ---- without root: pcap replay in virtual time ------------------------------------------------

def test_wifi_path_delivers_both_ways_in_virtual_time(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, pcap_scenario(CYW))
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads(p.stdout)
    assert r['time']['mode'] == 'virtual'
    assert r['host']['sent_frames'] == r['far']['recv_frames'] == 25
    assert r['far']['sent_frames'] == r['host']['recv_frames'] == 20
    m = r['device']['model']
    assert m['join']['state'] == 'joined' and m['join']['attempts'] == 1
    assert m['driver_state'] == 'joined' and m['associated'] is True
    assert m['violations'] == 0 and r['device']['violations'] == 0
    assert m['ap']['from_sta'] == 25 and m['ap']['to_sta'] == 20
    assert m['data_tx'] == 25 and m['data_rx'] == 20
    assert r['device']['link']['up'] is True


def test_gspi_clock_is_what_the_bus_costs(netbench_bin, tmp_path):
    """The same run at 31.25 MHz and at 3.125 MHz: the bus time the model charged scales
    with the clock (every transaction costs its bits at spi_hz)."""
    charged = {}
    for hz in (31250000, 3125000):
        d = tmp_path / str(hz)
        d.mkdir()
        path = write_scenario(d, pcap_scenario(CYW + 'spi_hz: %d\n' % hz))
        p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(d))
        assert p.returncode == 0, p.stdout + p.stderr
        r = json.loads(p.stdout)
        charged[hz] = (r['time']['bus_charged_ns'], r['device']['model']['gspi_bytes'])
    ratio = charged[3125000][0] / charged[31250000][0]
    # the same driver work moves (nearly) the same bytes; slower polling may add a few
    assert 9.0 < ratio < 11.5, charged


def test_wrong_passphrase_fails_with_the_reason(netbench_bin, tmp_path):
    dev = CYW.replace('wifi: {ssid: netbench-ap, passphrase: "%s"}' % PASS,
                      'wifi: {ssid: netbench-ap, passphrase: "not the right one"}')
    assert dev != CYW
    path = write_scenario(tmp_path, pcap_scenario(dev, expect='duration: 8s\n'))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1, p.stdout + p.stderr
    msg = ("cyw43439: join 'netbench-ap' failed: authentication failed (wrong passphrase?): "
           'the 4-way handshake did not complete [wrong_passphrase]')
    # logged once, as an error
    assert p.stderr.count(msg[len('cyw43439: '):]) == 1, p.stderr
    assert 'cyw43439: error: ' + msg[len('cyw43439: '):] in p.stderr
    assert 'check      device: FAILED - ' + msg in p.stdout
    assert 'result: FAIL' in p.stdout

    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 1
    r = json.loads(p.stdout)
    join = r['device']['model']['join']
    assert (join['state'], join['reason'], join['result']) == ('failed', 'wrong_passphrase', -13)
    assert join['message'] == msg
    assert r['device']['model']['ap']['handshake_failures'] >= 1
    assert r['device']['link']['up'] is False and r['host']['sent_frames'] == 0


def test_no_such_ssid_is_retried_and_reported(netbench_bin, tmp_path):
    dev = CYW.replace('wifi: {ssid: netbench-ap', 'wifi: {ssid: other-net')
    path = write_scenario(tmp_path, pcap_scenario(dev, expect='duration: 6s\n'))
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 1
    assert ("cyw43439: join 'other-net' failed: no network with this SSID in range "
            '[no_network]') in p.stderr
    join = json.loads(p.stdout)['device']['model']['join']
    assert join['reason'] == 'no_network'
    assert join['attempts'] >= 3  # tried again every rejoin_interval


def test_shipped_wrong_passphrase_scenario_expects_the_failure(netbench_bin, tmp_path):
    p = run_netbench(netbench_bin, ['--sim', os.path.join(SCENARIOS,
                                                          'cyw43439-wrong-passphrase.yml')],
                     cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    assert ("check      device: ok - cyw43439: join 'netbench-ap' failed: authentication "
            'failed (wrong passphrase?)') in p.stdout
    assert 'result: PASS' in p.stdout


def test_ap_loss_and_return_in_virtual_time(netbench_bin, tmp_path):
    extra = 'duration: 10s\ntimeline:\n  - {at: 5s, link: down}\n  - {at: 7s, link: up}\n'
    path = write_scenario(tmp_path, pcap_scenario(
        CYW, expect='expect: {all_delivered: true, link: up, link_changes: 3}\n', extra=extra))
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads(p.stdout)
    m = r['device']['model']
    assert m['link_downs'] == 1 and m['rejoins'] >= 1
    assert m['ap']['assocs'] == 2 and m['ap']['on_air'] is True
    assert r['device']['link_changes'] == 3


def test_timeline_link_events_are_worded_for_the_device(netbench_bin, tmp_path):
    """`link: down/up` is the AP going off air and returning for the Wi-Fi device; the LAN8720
    keeps the cable wording."""
    extra = 'duration: 10s\ntimeline:\n  - {at: 5s, link: down}\n  - {at: 7s, link: up}\n'
    path = write_scenario(tmp_path, pcap_scenario(CYW, expect='expect: {link: up}\n',
                                                  extra=extra))
    p = run_netbench(netbench_bin, ['-v', '--sim', path], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'netbench: info: timeline: AP went off air' in p.stderr, p.stderr
    assert 'netbench: info: timeline: AP back on air' in p.stderr
    assert 'cable' not in p.stderr
    lan = os.path.join(SCENARIOS, 'lan8720-link-flap.yml')
    p = run_netbench(netbench_bin, ['-v', '--sim', lan], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'netbench: info: timeline: cable pulled' in p.stderr, p.stderr
    assert 'netbench: info: timeline: cable plugged in' in p.stderr
    assert 'off air' not in p.stderr


def test_firmware_file_from_mkfw_next_to_the_scenario(netbench_bin, tmp_path):
    subprocess.run([MKFW, '--seed', '0x77', '-o', str(tmp_path / 'fw.bin')], check=True)
    dev = CYW.replace('firmware: {generate: {seed: 0x5EED}}', 'firmware: fw.bin')
    path = write_scenario(tmp_path, pcap_scenario(dev))
    p = run_netbench(netbench_bin, ['--sim', path], cwd='/')
    assert p.returncode == 0, p.stdout + p.stderr


def test_missing_firmware_file_is_named(netbench_bin, tmp_path):
    dev = CYW.replace('firmware: {generate: {seed: 0x5EED}}', 'firmware: no-such-fw.bin')
    path = write_scenario(tmp_path, pcap_scenario(dev))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1
    assert ("device: cyw43439: firmware '%s/no-such-fw.bin' (%s:4:13): No such file or "
            'directory' % (tmp_path, path)) in p.stderr, p.stderr


def test_corrupted_firmware_image_is_refused_with_the_offset(netbench_bin, tmp_path):
    subprocess.run([MKFW, '--seed', '7', '-o', str(tmp_path / 'fw.bin')], check=True)
    img = bytearray((tmp_path / 'fw.bin').read_bytes())
    img[0x1234] ^= 0x40
    (tmp_path / 'bad.bin').write_bytes(bytes(img))
    dev = CYW.replace('firmware: {generate: {seed: 0x5EED}}', 'firmware: bad.bin')
    path = write_scenario(tmp_path, pcap_scenario(dev))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1
    assert ("cyw43439: firmware '%s/bad.bin' (%s:4:13): not a valid netbench test image: "
            'image differs at offset 0x01234' % (tmp_path, path)) in p.stderr, p.stderr


def test_vendor_image_is_accepted_unverified(netbench_bin, tmp_path):
    """A blob that is no netbench image boots with verify: false (the model does not check
    it); with verification on it is refused before the run starts."""
    (tmp_path / 'vendor.bin').write_bytes(bytes((i * 37 + 11) & 0xFF for i in range(50000)))
    dev = CYW.replace('firmware: {generate: {seed: 0x5EED}}', 'firmware: vendor.bin')
    path = write_scenario(tmp_path, pcap_scenario(dev))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1 and "set 'verify: false' for a vendor image" in p.stderr
    path = write_scenario(tmp_path, pcap_scenario(dev + 'verify: false\n'), 'unverified.yml')
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr


SCHEMA_BASE = ('duration: 1s\ndevice:\n  type: cyw43439\n'
               '  firmware: {generate: {seed: 1}}\n'
               '  wifi: {ssid: a, passphrase: "12345678"%s}\n'
               '  ap: {ssid: a, passphrase: "12345678"%s}\n%shost: none\n')


@pytest.mark.parametrize('name,text,message', [
    ('unknown_key', SCHEMA_BASE % ('', '', '  colour: blue\n'),
     "bad.yml:7:3: unknown key 'colour' in device (expected one of: type, mac, name, "
     'firmware, nvram, clm, verify, download_verify, spi_hz, credit_window, irq, strict, '
     'wifi, ap, join_scan_time, beacon_loss_time, rejoin_interval, join_timeout, boot_time)'),
    ('bad_security', SCHEMA_BASE % (', security: wep', '', ''),
     "bad.yml:5:53: expected a security mode (one of: open, wpa2-psk) for 'security', "
     "got 'wep'"),
    ('short_passphrase', SCHEMA_BASE.replace('"12345678"%s}\n  ap', '"short"%s}\n  ap')
     % ('', '', ''),
     'bad.yml:5:31: wifi: expected a WPA2 passphrase of 8..63 printable characters, got 5 '
     'characters'),
    ('open_with_passphrase', SCHEMA_BASE % ('', ', security: open', ''),
     'bad.yml:6:29: ap: a passphrase was given for security: open (remove it, or use '
     'security: wpa2-psk)'),
    ('bad_rssi', SCHEMA_BASE % ('', ', rssi: 5', ''),
     "bad.yml:6:47: expected a signal strength in dBm from -100 to -1 for 'rssi', got '5'"),
    ('unknown_generate_key', SCHEMA_BASE.replace('{seed: 1}', '{sed: 1}') % ('', '', ''),
     "bad.yml:4:25: unknown key 'sed' in generate (expected one of: seed, size)"),
    ('missing_firmware', SCHEMA_BASE.replace('  firmware: {generate: {seed: 1}}\n', '')
     % ('', '', ''),
     "bad.yml:3:3: missing required key 'firmware' in device"),
])
def test_schema_errors_name_the_place(netbench_bin, tmp_path, name, text, message):
    path = write_scenario(tmp_path, text, 'bad.yml')
    p = run_netbench(netbench_bin, ['--sim', 'bad.yml'], cwd=str(tmp_path))
    assert p.returncode == 2, (path, p.stdout, p.stderr)
    assert p.stderr.splitlines() == [message]


# ---- with root: TAP in two namespaces ------------------------------------------------------------

def carrier(ns, ifname):
    return ns_exec(ns, ['cat', '/sys/class/net/%s/carrier' % ifname], timeout=10).stdout.strip()


def ping(ns, count, interval, timeout):
    return ns_exec(ns, ['ping', '-c', str(count), '-i', str(interval), '-W', '1', '-q',
                        '10.10.0.2'], timeout=timeout)


def loss_percent(out):
    for line in out.splitlines():
        if 'packet loss' in line:
            return float(line.split('%')[0].split()[-1])
    raise AssertionError('no ping summary in:\n' + out)


def start(netbench_bg, netns_pair):
    nb = netbench_bg(tap_scenario(netns_pair[0], netns_pair[1], CYW))
    nb.wait_link_up(LINK_TIMEOUT)
    return nb


def assert_clean(st):
    assert not {k: v for k, v in st['device']['drops'].items() if v}, st['device']['drops']
    m = st['device']['model']
    assert m['violations'] == 0 and m['bus_errors'] == 0 and m['ioctl_timeouts'] == 0, m
    assert m['data_rx_dropped'] == 0 and m['ap']['to_sta_dropped'] == 0, m


@needs_netns
def test_tap_ping_100_no_loss(netbench_bg, netns_pair):
    nb = start(netbench_bg, netns_pair)
    p = ping(netns_pair[0], 100, 0.01, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert loss_percent(p.stdout) == 0.0, p.stdout
    rtt = [ln for ln in p.stdout.splitlines() if ln.startswith('rtt')]
    record('ping-cyw43439.txt', 'ping 100 x 10 ms, cyw43439 over TAP -> netbench -> TAP (%s '
           'build): 0%% loss, %s' % ('sanitizer' if sanitized() else 'normal',
                                     rtt[0] if rtt else '?'))
    st = nb.status()
    assert st['device']['tx_frames'] >= 100 and st['device']['rx_frames'] >= 100
    assert st['device']['model']['ap']['from_sta'] >= 100
    assert_clean(st)
    rc, report = nb.stop()
    assert rc == 0, nb.log()
    assert report['interrupted'] is True


@needs_netns
@pytest.mark.skipif(not have('iperf3'), reason='iperf3 not installed')
def test_tap_iperf3_tcp_completes(netbench_bg, netns_pair):
    nb = start(netbench_bg, netns_pair)
    server = subprocess.Popen(['ip', 'netns', 'exec', netns_pair[1], 'iperf3', '-s', '-1',
                               '-B', '10.10.0.2', '--json'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        client = ns_exec(netns_pair[0], ['iperf3', '-c', '10.10.0.2', '-t', '5',
                                         '--connect-timeout', '5000', '--json'], timeout=40)
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)
    assert client.returncode == 0, client.stdout[-2000:] + client.stderr
    result = json.loads(client.stdout)
    sent = result['end']['sum_sent']['bits_per_second']
    received = result['end']['sum_received']['bits_per_second']
    assert received > 0
    record('iperf3-cyw43439.txt',
           'iperf3 TCP 5 s, cyw43439 over TAP -> netbench -> TAP (31.25 MHz gSPI, %s build): '
           'sent %.1f Mbit/s, received %.1f Mbit/s, retransmits %s'
           % ('sanitizer' if sanitized() else 'normal', sent / 1e6, received / 1e6,
              result['end']['sum_sent'].get('retransmits')))
    st = nb.status()
    assert st['device']['tx_frames'] > 1000
    assert_clean(st)


@needs_netns
def test_tap_ap_vanishes_carrier_follows_and_recovers(netbench_bg, netns_pair):
    nb = start(netbench_bg, netns_pair)
    a = netns_pair[0]
    assert carrier(a, 'nbA') == '1'
    assert ping(a, 3, 0.2, timeout=30).returncode == 0
    before = nb.status()

    assert nb.command('link down') == 'ok'  # the AP goes off the air
    st = nb.wait_for(lambda s: not s['device']['link']['up'], 10, 'the driver to lose the AP')
    assert st['device']['link_changes'] == before['device']['link_changes'] + 1
    assert st['device']['model']['ap']['on_air'] is False
    deadline = time.monotonic() + 5
    while carrier(a, 'nbA') != '0' and time.monotonic() < deadline:
        time.sleep(0.05)
    assert carrier(a, 'nbA') == '0'
    assert ping(a, 2, 0.2, timeout=30).returncode != 0

    assert nb.command('link up') == 'ok'  # back on the air: the driver re-joins by itself
    st = nb.wait_link_up(LINK_TIMEOUT)
    assert carrier(a, 'nbA') == '1'
    assert st['device']['model']['rejoins'] >= 1
    assert st['device']['model']['ap']['assocs'] == 2
    deadline = time.monotonic() + 15
    while ping(a, 1, 0.2, timeout=10).returncode != 0:
        assert time.monotonic() < deadline, 'ping did not resume after the AP came back'
    p = ping(a, 20, 0.05, timeout=30)
    assert p.returncode == 0 and loss_percent(p.stdout) == 0.0, p.stdout
    st = nb.status()
    assert st['device']['link_changes'] == before['device']['link_changes'] + 2
    rc, _ = nb.stop()
    assert rc == 0, nb.log()


@needs_netns
def test_tap_wrong_passphrase_exits_non_zero_with_the_message(netbench_bin, netns_pair,
                                                              tmp_path):
    dev = CYW.replace('wifi: {ssid: netbench-ap, passphrase: "%s"}' % PASS,
                      'wifi: {ssid: netbench-ap, passphrase: "not the right one"}')
    path = write_scenario(tmp_path, tap_scenario(netns_pair[0], netns_pair[1], dev,
                                                 extra='duration: 5s\n'))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path), timeout=60)
    assert p.returncode == 1, p.stdout + p.stderr
    assert ("cyw43439: error: join 'netbench-ap' failed: authentication failed (wrong "
            'passphrase?)'
            in p.stderr), p.stderr
    assert 'check      device: FAILED' in p.stdout
    assert 'link down (0 changes)' in p.stdout


# ---- fault injection through the model's back door (timeline `fault:`) ----------------------

def fault_scenario(events, expect):
    """Both sides replay their captures 100 times at their recorded 1 ms spacing, so frames
    cross the bus from the join (under 1 s) until about 3 s; the faults come at 1.5 s."""
    dev = '\n'.join('  ' + line for line in CYW.strip().splitlines())
    return ('seed: 1\nduration: 6s\ndevice:\n%s\n  mac: 02:00:00:00:00:01\n'
            'host: {pcap: {read: %s, timing: recorded, loop: 100}}\n'
            'wire:\n  far: {pcap: {read: %s, timing: recorded, loop: 100}}\n'
            'timeline:\n%s\nexpect: %s\n'
            % (dev, MKPCAP_HOST, MKPCAP_FAR,
               '\n'.join('  - {%s}' % e for e in events), expect))


def run_json(netbench_bin, tmp_path, text):
    path = write_scenario(tmp_path, text)
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    return p, json.loads(p.stdout)


def test_fault_status_underflow_is_recovered_without_loss(netbench_bin, tmp_path):
    p, r = run_json(netbench_bin, tmp_path, fault_scenario(
        ['at: 1500ms, fault: bus-status-underflow, count: 3'], '{all_delivered: true, link: up}'))
    assert p.returncode == 0, p.stderr
    m = r['device']['model']
    assert m['faults_injected'] == 3 and m['violations'] == 0
    assert r['host']['recv_frames'] == r['far']['sent_frames'] == 2000


def test_fault_credits_zero_stalls_tx_until_restored(netbench_bin, tmp_path):
    p, r = run_json(netbench_bin, tmp_path, fault_scenario(
        ['at: 1500ms, fault: credits-zero', 'at: 2s, fault: credits-restore'],
        '{all_delivered: true, drops: 0, link: up}'))
    assert p.returncode == 0, p.stderr
    assert r['far']['recv_frames'] == r['host']['sent_frames'] == 2500
    # without the restore, the station never gets credit back: the source cannot finish
    p, r = run_json(netbench_bin, tmp_path, fault_scenario(
        ['at: 1500ms, fault: credits-zero'], '{link: up}'))
    assert p.returncode == 0, p.stderr
    assert r['far']['recv_frames'] < 2500 and r['host']['sent_frames'] < 2500
    assert r['device']['model']['tx_credit_stalls'] > 0


def test_fault_ap_kick_drops_the_link_and_the_driver_rejoins(netbench_bin, tmp_path):
    p, r = run_json(netbench_bin, tmp_path, fault_scenario(
        ['at: 1500ms, fault: ap-kick'], '{link: up, link_changes: 3}'))
    assert p.returncode == 0, p.stderr
    m = r['device']['model']
    assert m['ap']['deauths'] == 1 and m['ap']['assocs'] == 2 and m['rejoins'] >= 1
    assert m['join']['state'] == 'joined'


def test_fault_bus_eio_is_counted_and_the_link_survives(netbench_bin, tmp_path):
    p, r = run_json(netbench_bin, tmp_path, fault_scenario(
        ['at: 1500ms, fault: bus-eio, count: 2'], '{link: up, link_changes: 1}'))
    assert p.returncode == 0, p.stderr
    m = r['device']['model']
    assert m['faults_injected'] == 2 and m['bus_errors'] == 2
    assert 'wlan0: poll failed: Input/output error' in p.stderr


def test_fault_bus_all_ones_during_traffic_loses_no_frame_uncounted(netbench_bin, tmp_path):
    """The chip does not answer one transaction at a time, three times while frames flow both
    ways (these instants land on F2 writes of data frames, among others). Every frame the host
    side sent reaches the far side or is a device TX drop (tx_bus_error); receive loses
    nothing (an unanswered F2 read leaves the frame in the chip, read again)."""
    p, r = run_json(netbench_bin, tmp_path, fault_scenario(
        ['at: 1500500us, fault: bus-all-ones', 'at: 1506ms, fault: bus-all-ones',
         'at: 1510ms, fault: bus-all-ones'], '{link: up, link_changes: 1}'))
    assert p.returncode == 0, p.stderr
    d, m = r['device'], r['device']['model']
    assert m['faults_injected'] == 3 and m['violations'] == 0
    tx_lost = d['drops']['tx_bus_error']
    assert tx_lost >= 1, d['drops']
    assert r['host']['sent_frames'] == 2500
    assert r['host']['sent_frames'] == r['far']['recv_frames'] + tx_lost
    assert d['tx_frames'] == r['far']['recv_frames'] == m['data_tx']
    assert d['drops_total'] == tx_lost
    assert m['f2_no_answer'] >= tx_lost and m['bus_errors'] >= m['f2_no_answer']
    assert r['far']['sent_frames'] == r['host']['recv_frames'] == 2000


def test_unknown_fault_lists_the_known_ones(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, fault_scenario(['at: 1500ms, fault: bus-melt'], '{link: up}'))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 2  # refused at load (nb_device_type.fault_names)
    assert ("unknown fault 'bus-melt' for cyw43439 (expected one of: bus-all-ones, "
            'bus-status-underflow, bus-shift1, bus-eio, ap-kick, credits-zero, '
            'credits-restore)') in p.stderr, p.stderr


# ---- images and wiring options ------------------------------------------------------------------

def test_vendor_style_nvram_text_file_is_converted(netbench_bin, tmp_path):
    (tmp_path / 'board.txt').write_bytes(
        b'# board NVRAM\r\nNVRAMRev=$Rev$\r\nmanfid=0x2d0\r\n\r\n  boardtype=0x0887\n'
        b'macaddr=00:A0:50:b5:59:5e\nxtalfreq=37400')
    path = write_scenario(tmp_path, pcap_scenario(CYW + 'nvram: board.txt\n'))
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    (tmp_path / 'empty.txt').write_bytes(b'# nothing here\n\n')
    path = write_scenario(tmp_path, pcap_scenario(CYW + 'nvram: empty.txt\n'), 'empty.yml')
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert p.returncode == 1
    assert "cyw43439: nvram '%s/empty.txt' (%s:10:10): no key=value entries" % (
        tmp_path, path) in p.stderr, p.stderr


def test_a_clm_blob_the_firmware_refuses_fails_the_bring_up(netbench_bin, tmp_path):
    (tmp_path / 'clm.bin').write_bytes(bytes((i * 7) & 0xFF for i in range(3000)))
    path = write_scenario(tmp_path, pcap_scenario(CYW + 'clm: clm.bin\n'))
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 1
    assert ('cyw43439: bring-up failed: the firmware answered an ioctl with an error status '
            '(see the driver log) [firmware_rejected]') in p.stderr, p.stderr
    r = json.loads(p.stdout)
    assert r['device']['model']['driver_state'] == 'failed'
    # the refusal is read off F2 and the driver powers the chip down from inside that
    # receive: nothing may touch the bus after WL_REG_ON went low (strict mode counts it)
    assert r['device']['model']['violations'] == 0, p.stderr
    assert r['device']['violations'] == 0, p.stderr
    assert 'WL_REG_ON is low' not in p.stderr


def test_without_host_wake_the_device_is_polled(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, pcap_scenario(CYW + 'irq: poll\n'))
    p = run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    wired = write_scenario(tmp_path, pcap_scenario(CYW), 'wired.yml')
    q = run_netbench(netbench_bin, ['--sim', wired, '--json'], cwd=str(tmp_path))
    assert q.returncode == 0, q.stdout + q.stderr
    polled, irq = json.loads(p.stdout)['device'], json.loads(q.stdout)['device']
    # HOST_WAKE wakes the run on every frame; without it the loop polls every millisecond
    assert irq['irqs'] > 20 and polled['irqs'] < irq['irqs']
    assert polled['polls'] > 10 * irq['polls']
