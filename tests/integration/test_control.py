"""The control socket: line commands while a run goes (no root needed: real time without
TAPs, on the bus-less ideal device so the link follows the cable at once)."""
import json
import os
import socket
import subprocess
import time

import pytest

from conftest import Netbench, run_netbench, write_scenario

REALTIME_IDLE = ('time: realtime\nduration: 60s\ndevice: {type: ideal}\nhost: none\n')


@pytest.fixture
def running(netbench_bg):
    nb = netbench_bg(REALTIME_IDLE)
    nb.wait_link_up(timeout=10)
    return nb


def test_status_is_one_json_line_with_counters(running):
    line = running.command('status')
    assert '\n' not in line
    st = json.loads(line)
    assert st['state'] == 'running'
    assert st['time']['mode'] == 'realtime'
    dev = st['device']
    assert dev['type'] == 'ideal' and dev['mac'] == '02:00:00:00:00:01'
    assert dev['link'] == {'up': True, 'speed_mbps': 100, 'full_duplex': True}
    for key in ['rx_frames', 'tx_frames', 'rx_bytes', 'tx_bytes', 'irqs', 'polls',
                'drops_total']:
        assert isinstance(dev[key], int), key
    assert set(dev['drops']) >= {'rx_fcs', 'rx_overflow', 'tx_link_down'}
    for section in ['stack', 'host', 'far', 'wire', 'loop']:
        assert section in st


def test_link_down_and_up(running):
    assert running.command('link down') == 'ok'
    st = running.wait_for(lambda s: not s['device']['link']['up'], 5, 'link down')
    assert st['wire']['plugged'] is False
    assert st['device']['link_changes'] >= 2
    assert running.command('link up') == 'ok'
    st = running.wait_for(lambda s: s['device']['link']['up'], 5, 'link up')
    assert st['wire']['plugged'] is True


def test_unknown_and_malformed_commands(running):
    assert running.command('frobnicate') == "error: unknown command 'frobnicate' (try: help)"
    assert running.command('link sideways').startswith('error: unknown command')
    assert running.command('help').startswith('commands: status')
    # the ideal NIC has no promiscuous mode: the device says so
    assert running.command('promisc on') == 'error: promisc on: Operation not supported'


def test_several_commands_on_one_connection(running):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(running.sock_path)
        s.sendall(b'help\r\nstatus\nhelp\n')
        buf = b''
        while buf.count(b'\n') < 3:
            chunk = s.recv(65536)
            assert chunk, buf
            buf += chunk
    lines = buf.decode().splitlines()
    assert lines[0].startswith('commands:') and lines[2].startswith('commands:')
    assert json.loads(lines[1])['state'] == 'running'


def test_stop_ends_the_run_cleanly(running):
    assert running.command('stop') == 'ok'
    running.proc.wait(timeout=10)
    rc, report = running.stop()
    assert rc == 0, running.log()
    assert report['stopped_by_control'] is True
    assert not os.path.exists(running.sock_path)


def test_sigterm_cuts_a_timed_run_short_exit_130(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, 'time: realtime\ndevice: {type: ideal}\nhost: {pcap: '
                          '{write: out.pcap}}\n')
    # the file alone would be rejected (nothing ends it): --duration makes it a timed run
    nb = Netbench(netbench_bin, path, tmp_path, ['--duration', '60s'])
    try:
        nb.wait_socket()
        nb.proc.terminate()
        nb.proc.wait(timeout=10)
        rc, report = nb.stop()
        # the run had a defined end (60 s) and was cut short: exit code "interrupted"
        assert rc == 130
        assert report['interrupted'] is True
        assert os.path.getsize(tmp_path / 'out.pcap') == 24  # header flushed and closed
    finally:
        nb.kill()


def test_socket_in_use_is_refused(running, netbench_bin, tmp_path):
    path = write_scenario(tmp_path, REALTIME_IDLE, 'second.yml')
    p = run_netbench(netbench_bin, ['--sim', path, '--control', running.sock_path], timeout=20)
    assert p.returncode == 1
    assert 'another process is listening on it' in p.stderr
    assert running.alive()
    assert json.loads(running.command('status'))['state'] == 'running'


def test_stale_socket_file_is_replaced(netbench_bin, tmp_path):
    stale = str(tmp_path / 'stale.sock')
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(stale)
    s.close()  # the file stays, nobody listens
    path = write_scenario(tmp_path, 'time: realtime\nduration: 300ms\ndevice: {type: ideal}\n'
                          'host: none\n')
    p = run_netbench(netbench_bin, ['--sim', path, '--control', stale], timeout=20)
    assert p.returncode == 0, p.stderr
    assert not os.path.exists(stale)
