"""TAP(ns A) -> stack wrapper -> driver -> buses -> chip model -> wire -> TAP(ns B), with the
kernel's own tools on both ends: ping, iperf3, a link flap, and an idle run's CPU use."""
import json
import os
import subprocess
import time

import pytest

from conftest import (have, ns_exec, needs_netns, results_dir, sanitized, tap_scenario)

pytestmark = needs_netns

DEVICES = {
    'lan8720': 'type: lan8720\nmdio: register\nirq: nint\nphy_address: 1',
    'ideal': 'type: ideal',
}
# AN takes 1.5 s of (here real) time on the LAN8720 model, plus reset and bring-up.
LINK_TIMEOUT = 30 if sanitized() else 15


def start(netbench_bg, netns_pair, device, **kw):
    nb = netbench_bg(tap_scenario(netns_pair[0], netns_pair[1], DEVICES[device], **kw))
    nb.wait_link_up(LINK_TIMEOUT)
    return nb


def carrier(ns, ifname):
    p = ns_exec(ns, ['cat', '/sys/class/net/%s/carrier' % ifname], timeout=10)
    return p.stdout.strip()


def ping(ns, count, interval, timeout):
    p = ns_exec(ns, ['ping', '-c', str(count), '-i', str(interval), '-W', '1', '-q',
                     '10.10.0.2'], timeout=timeout)
    return p


def loss_percent(ping_output):
    for line in ping_output.splitlines():
        if 'packet loss' in line:
            return float(line.split('%')[0].split()[-1])
    raise AssertionError('no ping summary in:\n' + ping_output)


def assert_no_drops(st, allowed=()):
    drops = {k: v for k, v in st['device']['drops'].items() if v and k not in allowed}
    assert not drops, drops
    mac = st['far']['partner_mac']
    assert (mac['rx_fcs_errors'], mac['rx_overflow'], mac['tx_no_carrier']) == (0, 0, 0), mac
    for direction in ('to_far', 'to_host'):
        assert st['wire'][direction]['lost_unplugged'] == 0, st['wire']
    # nobody sends before the link is negotiated: the PHY model turned nothing away
    assert st['device']['model'].get('rx_no_link', 0) == 0, st['device']['model']


@pytest.mark.parametrize('device', ['lan8720', 'ideal'])
def test_ping_100_no_loss(netbench_bg, netns_pair, device):
    nb = start(netbench_bg, netns_pair, device)
    # the first ping also resolves ARP; give the kernel a moment after carrier came up
    p = ping(netns_pair[0], 100, 0.01, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert loss_percent(p.stdout) == 0.0, p.stdout
    st = nb.status()
    assert st['device']['tx_frames'] >= 100 and st['device']['rx_frames'] >= 100
    assert_no_drops(st)
    rc, report = nb.stop()
    assert rc == 0, nb.log()  # open-ended run stopped by SIGINT
    assert report['interrupted'] is True


def iperf3(netns_pair, seconds, timeout):
    server = subprocess.Popen(['ip', 'netns', 'exec', netns_pair[1], 'iperf3', '-s', '-1',
                               '-B', '10.10.0.2', '--json'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        client = ns_exec(netns_pair[0], ['iperf3', '-c', '10.10.0.2', '-t', str(seconds),
                                         '--connect-timeout', '5000', '--json'],
                         timeout=timeout)
        return client
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)


@pytest.mark.skipif(not have('iperf3'), reason='iperf3 not installed')
@pytest.mark.parametrize('device', ['lan8720'])
def test_iperf3_tcp_5s(netbench_bg, netns_pair, device):
    nb = start(netbench_bg, netns_pair, device)
    client = iperf3(netns_pair, 5, timeout=40)
    assert client.returncode == 0, client.stdout[-2000:] + client.stderr
    result = json.loads(client.stdout)
    sent = result['end']['sum_sent']['bits_per_second']
    received = result['end']['sum_received']['bits_per_second']
    assert received > 0
    line = ('iperf3 TCP 5 s, %s over TAP -> netbench -> TAP (line-rate wire, %s build): '
            'sent %.1f Mbit/s, received %.1f Mbit/s, retransmits %s\n'
            % (device, 'sanitizer' if sanitized() else 'normal', sent / 1e6, received / 1e6,
               result['end']['sum_sent'].get('retransmits')))
    print(line)
    with open(os.path.join(results_dir(), 'iperf3-%s.txt' % device), 'a') as f:
        f.write(line)
    st = nb.status()
    assert_no_drops(st)
    assert st['device']['tx_frames'] > 1000


@pytest.mark.parametrize('device', ['lan8720', 'ideal'])
def test_link_flap_follows_to_carrier_and_ping_resumes(netbench_bg, netns_pair, device):
    nb = start(netbench_bg, netns_pair, device)
    a, b = netns_pair
    assert carrier(a, 'nbA') == '1' and carrier(b, 'nbB') == '1'
    p = ping(a, 3, 0.2, timeout=30)
    assert p.returncode == 0, p.stdout
    before = nb.status()

    assert nb.command('link down') == 'ok'
    st = nb.wait_for(lambda s: not s['device']['link']['up'], 10, 'the driver to see link down')
    assert st['device']['link_changes'] > before['device']['link_changes']
    deadline = time.monotonic() + 5
    while carrier(a, 'nbA') != '0' and time.monotonic() < deadline:
        time.sleep(0.05)
    assert carrier(a, 'nbA') == '0'
    assert carrier(b, 'nbB') == '0'  # far side: the wire's carrier
    if device == 'lan8720':
        model = st['device']['model']
        assert model['link_downs'] >= 1
        assert model['nint_irqs'] > before['device']['model']['nint_irqs']
    p = ping(a, 2, 0.2, timeout=30)
    assert p.returncode != 0  # nothing gets through while the cable is out

    assert nb.command('link up') == 'ok'
    nb.wait_link_up(LINK_TIMEOUT)
    assert carrier(a, 'nbA') == '1' and carrier(b, 'nbB') == '1'
    # Ping resumes once the kernel has re-resolved the neighbour (its ARP entry failed while
    # the cable was out); from then on nothing is lost.
    deadline = time.monotonic() + 15
    while ping(a, 1, 0.2, timeout=10).returncode != 0:
        assert time.monotonic() < deadline, 'ping did not resume after the link came back'
    p = ping(a, 20, 0.05, timeout=30)
    assert p.returncode == 0, p.stdout
    assert loss_percent(p.stdout) == 0.0, p.stdout
    st = nb.status()
    assert st['device']['link_changes'] >= before['device']['link_changes'] + 2
    rc, _ = nb.stop()
    assert rc == 0, nb.log()


def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.parametrize('device', ['lan8720'])
def test_idle_run_uses_almost_no_cpu(netbench_bg, netns_pair, device):
    nb = start(netbench_bg, netns_pair, device)
    time.sleep(1.0)  # let IPv6 autoconfiguration chatter settle
    hz = os.sysconf('SC_CLK_TCK')
    t0, c0 = time.monotonic(), cpu_ticks(nb.proc.pid)
    time.sleep(3.0)
    t1, c1 = time.monotonic(), cpu_ticks(nb.proc.pid)
    percent = 100.0 * (c1 - c0) / hz / (t1 - t0)
    print('idle CPU over %.1f s: %.2f %%' % (t1 - t0, percent))
    # busy polling would show ~100 %; an idle loop sleeps in epoll_wait
    assert percent < 5.0
    st = nb.status()
    assert st['loop']['waits'] > 0


def test_deleted_tap_fails_the_run_instead_of_spinning(netbench_bg, netns_pair):
    nb = start(netbench_bg, netns_pair, 'ideal')
    ns_exec(netns_pair[0], ['ip', 'link', 'del', 'nbA'], timeout=10, check=True)
    nb.proc.wait(timeout=10)
    rc, report = nb.stop()
    assert rc == 1
    assert report['state'] == 'finished'
    log = nb.log()  # with --json the checks go to stderr
    assert 'host side: FAILED - tap nbA (netns %s): No such device' % netns_pair[0] in log
