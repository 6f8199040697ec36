"""Link impairments in whole runs: measured loss against the configured rate (tolerances
from the binomial / Gilbert-Elliott variance), corruption caught by the driver's FCS check,
the timeline change taking effect at its time, determinism by seed, and schema errors."""
import json
import math
import os
import shutil

import pytest

from conftest import (SCENARIOS, needs_netns, ns_exec, results_dir, run_netbench, sanitized,
                      tap_scenario, write_scenario)

SIGMAS = 5.0

LOSSY = '''seed: %(seed)d
device: {type: lan8720, phy_address: 1, irq: nint}
host: {pcap: {read: %(dir)s/quickstart-host.pcap, loop: %(loops)d}}
wire:
  far: {pcap: {read: %(dir)s/quickstart-far.pcap, loop: %(loops)d}}
  impair:
%(impair)s
expect: {losses_accounted: true, link: up}
'''


def run_json(netbench_bin, tmp_path, text, args=(), name='scenario.yml'):
    path = write_scenario(tmp_path, text, name)
    p = run_netbench(netbench_bin, ['--sim', path, '--json'] + list(args), cwd=str(tmp_path),
                     timeout=300)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return json.loads(p.stdout)


def record(name, text):
    with open(os.path.join(results_dir(), name), 'a') as f:
        f.write(text + '\n')
    print(text)


def ge_tolerance(n, p, burst):
    """SIGMAS standard deviations of the number of losses among n frames of a two-state
    chain with stationary loss p and mean burst length `burst`."""
    r = 1.0 / burst
    g = p * r / (1.0 - p)
    lam = 1.0 - g - r
    return SIGMAS * math.sqrt(n * p * (1.0 - p) * (1.0 + lam) / (1.0 - lam))


def test_lossy_run_loss_within_tolerance(netbench_bin, tmp_path):
    """26 000 frames towards the far side with 5 % independent loss, 20 000 towards the
    device with 3 % loss in bursts of 4: the measured loss (and burst length) lies within
    5 standard deviations of the setting, and every missing frame is one the wire lost."""
    impair = ('    to_far: {loss: 5%}\n'
              '    to_device: {loss: {rate: 0.03, burst: 4}}')
    r = run_json(netbench_bin, tmp_path, LOSSY % dict(seed=1234, dir=SCENARIOS, loops=1000,
                                                      impair=impair))
    far, dev = r['wire']['impair']['to_far'], r['wire']['impair']['to_device']
    assert far['frames'] == r['host']['sent_frames'] == 26000
    assert dev['frames'] == r['far']['sent_frames'] == 20000
    # independent losses: binomial
    n, p = far['frames'], 0.05
    tol = SIGMAS * math.sqrt(n * p * (1 - p))
    record('impair-loss.txt', 'to_far: configured loss 0.05, measured %.5f over %d frames '
           '(tolerance +-%.5f)' % (far['lost'] / n, n, tol / n))
    assert abs(far['lost'] - n * p) <= tol
    assert far['burst_lost'] == 0 and far['dropped'] == far['lost']
    # bursts: Gilbert-Elliott
    n, p, b = dev['frames'], 0.03, 4.0
    tol = ge_tolerance(n, p, b)
    mean = dev['burst_lost'] / dev['bursts']
    tol_b = SIGMAS * math.sqrt((1 - 1 / b) * b * b / dev['bursts'])
    record('impair-loss.txt', 'to_device: configured loss 0.03 burst 4, measured %.5f '
           '(+-%.5f), mean burst %.2f (+-%.2f) over %d bursts'
           % (dev['burst_lost'] / n, tol / n, mean, tol_b, dev['bursts']))
    assert abs(dev['burst_lost'] - n * p) <= tol
    assert abs(mean - b) <= tol_b
    assert dev['lost'] == 0
    # the books: what did not arrive is what the wire lost, and nothing else dropped
    assert r['far']['recv_frames'] == 26000 - far['dropped']
    assert r['host']['recv_frames'] == 20000 - dev['dropped']
    assert r['device']['drops_total'] == 0


def test_lossy_link_scenario_is_deterministic_by_seed(netbench_bin, tmp_path):
    shipped = open(os.path.join(SCENARIOS, 'lossy-link.yml')).read()
    for pcap in ('quickstart-host.pcap', 'quickstart-far.pcap'):
        shutil.copy(os.path.join(SCENARIOS, pcap), str(tmp_path))
    runs = []
    for seed, name in ((42, 'a.yml'), (42, 'b.yml'), (43, 'c.yml')):
        text = shipped.replace('seed: 42\n', 'seed: %d\n' % seed)
        r = run_json(netbench_bin, tmp_path, text, name=name)
        runs.append((r['wire'], r['host']['recv_frames'], r['far']['recv_frames']))
    assert runs[0][0]['impair']['to_far']['dropped'] > 0
    assert runs[0][0]['impair']['to_device']['dropped'] > 0
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_corruption_is_caught_by_the_fcs_check(netbench_bin, tmp_path):
    """Every corrupted frame towards the device is an rx_fcs drop of the LAN8720 driver and
    nothing else; towards the far side, an FCS error of the partner's MAC. With duplication
    on too, a corrupted frame sent twice is two FCS errors and is counted twice."""
    impair = ('    both: {corrupt: {rate: 3%, bits: 3}, duplicate: 10%}')
    text = LOSSY % dict(seed=77, dir=SCENARIOS, loops=200, impair=impair)
    text = text.replace('expect: {', 'expect: {fcs_matches_corrupted: true, ')
    r = run_json(netbench_bin, tmp_path, text)
    far, dev = r['wire']['impair']['to_far'], r['wire']['impair']['to_device']
    drops = r['device']['drops']
    assert dev['corrupted'] > 50 and far['corrupted'] > 50
    assert drops['rx_fcs'] == dev['corrupted']
    assert r['device']['drops_total'] == drops['rx_fcs']
    assert r['far']['partner_mac']['rx_fcs_errors'] == far['corrupted']
    for d in (dev, far):  # the copy rides behind its original even on a full queue
        assert abs(d['duplicated'] - 0.1 * d['frames']) <= \
            SIGMAS * math.sqrt(d['frames'] * 0.1 * 0.9)
    assert r['host']['recv_frames'] == 4000 + dev['duplicated'] - dev['corrupted']
    n = dev['frames']
    record('impair-corrupt.txt', 'to_device: configured corrupt 0.03 duplicate 0.10, '
           'corrupted %d of %d frames (+%d copies), FCS drops %d'
           % (dev['corrupted'], n, dev['duplicated'], drops['rx_fcs']))


def test_shipped_corruption_scenario_counts_match(netbench_bin, tmp_path):
    p = run_netbench(netbench_bin, ['--sim', os.path.join(SCENARIOS, 'corruption.yml'),
                                    '--json'], cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    dev = r['wire']['impair']['to_device']
    assert dev['corrupted'] > 0
    assert r['device']['drops']['rx_fcs'] == dev['corrupted']


def test_timeline_change_takes_effect_at_its_time(netbench_bin, tmp_path):
    """impair-timeline.yml: 50 % loss towards the device from 2 s to 4 s only. Cut at 2 s
    nothing is lost; every loss of the full run happened by 4 s; the number lost is half of
    the frames sent between 2 s and 4 s, within the binomial tolerance."""
    path = os.path.join(SCENARIOS, 'impair-timeline.yml')

    def run(duration=None):
        args = ['--sim', path, '--json'] + (['--duration', duration] if duration else [])
        p = run_netbench(netbench_bin, args, cwd=str(tmp_path))
        assert p.returncode in (0, 1), p.stderr
        return json.loads(p.stdout)

    before, at2, at4, full = run('1999ms'), run('2s'), run('4s'), run()
    assert before['wire']['impair']['to_device']['lost'] == 0
    assert full['wire']['impair']['to_device']['lost'] == at4['wire']['impair']['to_device']['lost']
    window = at4['far']['sent_frames'] - at2['far']['sent_frames']
    lost = at4['wire']['impair']['to_device']['lost']
    tol = SIGMAS * math.sqrt(window * 0.25)
    record('impair-timeline.txt', 'loss 0.5 from 2 s to 4 s: %d of %d frames sent in the '
           'window lost (%.4f, tolerance +-%.4f)' % (lost, window, lost / window, tol / window))
    assert window > 1000
    assert abs(lost - window / 2) <= tol
    assert full['host']['recv_frames'] == full['far']['sent_frames'] - lost


def test_rate_limit_and_mtu_in_a_run(netbench_bin, tmp_path):
    """A 2 Mb/s limit with room for 4 waiting frames towards the far side: frames offered
    at line rate overflow it and are dropped and counted, the rest arrive. An MTU of 1500
    towards the device is not crossed by the far capture; towards the far side the one
    1518-byte 802.1Q frame of each pass of the host capture is over it."""
    impair = ('    to_far: {rate: {speed: 2mbit, queue: 4}, mtu: 1500}\n'
              '    to_device: {mtu: 1500}')
    r = run_json(netbench_bin, tmp_path, LOSSY % dict(seed=5, dir=SCENARIOS, loops=20,
                                                      impair=impair))
    far, dev = r['wire']['impair']['to_far'], r['wire']['impair']['to_device']
    assert far['mtu_dropped'] == 20 and dev['mtu_dropped'] == 0
    assert far['rate_dropped'] > 0 and far['delayed'] > 0
    assert r['far']['recv_frames'] == 520 - far['mtu_dropped'] - far['rate_dropped']


BASE = 'duration: 1s\ndevice: {type: lan8720}\nhost: none\nwire:\n  impair:\n'
PROB = 'a probability 0..1 such as 0.02, or a percentage 0%..100% such as 2%'
ERRORS = [
    ('rate_above_one', BASE + '    loss: 1.5\n',
     "bad.yml:6:11: expected %s for 'loss', got '1.5'" % PROB),
    ('percentage_above_100', BASE + '    both: {duplicate: 101%}\n',
     "bad.yml:6:23: expected %s for 'duplicate', got '101%%'" % PROB),
    ('negative_rate', BASE + '    to_far: {loss: {rate: -0.1}}\n',
     "bad.yml:6:27: expected %s for 'rate', got '-0.1'" % PROB),
    ('unknown_key', BASE + '    both: {lose: 2%}\n',
     "bad.yml:6:12: unknown key 'lose' in both (expected one of: loss, delay, jitter, "
     "reorder, rate, corrupt, duplicate, mtu)"),
    ('unknown_direction', BASE + '    to_host: {loss: 2%}\n',
     "bad.yml:6:5: unknown key 'to_host' in impair (expected one of: both, to_far, "
     "to_device, loss, delay, jitter, reorder, rate, corrupt, duplicate, mtu)"),
    ('negative_delay', BASE + '    delay: -5ms\n',
     "bad.yml:6:12: expected a duration such as 10s, 1.5s, 250ms, 20us or 100ns for "
     "'delay', got '-5ms'"),
    ('oversize_mtu', BASE + '    to_device: {mtu: 100000}\n',
     "bad.yml:6:22: expected an integer 68..65535 for 'mtu', got '100000'"),
    ('oversize_bits', BASE + '    corrupt: {rate: 1%, bits: 17}\n',
     "bad.yml:6:31: expected an integer 1..16 for 'bits', got '17'"),
    ('bad_bit_rate', BASE + '    rate: {speed: fast}\n',
     "bad.yml:6:19: expected a bit rate 1kbit..100gbit such as 10mbit, 512kbit or 2000000 "
     "(bits/s) for 'speed', got 'fast'"),
    ('jitter_over_delay', BASE + '    to_far: {delay: 1ms, jitter: 2ms}\n',
     "bad.yml:6:13: expected jitter at most delay (delays are uniform in delay +- jitter), "
     "in to_far"),
    ('burst_loss_impossible', BASE + '    both: {loss: {rate: 0.9, burst: 2}}\n',
     "bad.yml:6:11: expected a loss rate of at most b/(b+1) for bursts of mean length b (a "
     "burst is always followed by a delivered frame), in both"),
    ('reorder_without_delay', BASE + '    reorder: 10%\n',
     "bad.yml:6:5: expected a delay with reorder (a reordered frame is one that skips the "
     "delay), in impair"),
    ('queue_not_below_wire_queue', BASE + '    rate: {speed: 1mbit, queue: 40}\n',
     "bad.yml:6:11: expected a rate limit queue (40 frames) shorter than the wire's queue "
     "(32 frames), in to_far: frames waiting for the rate limit occupy the wire's queue; "
     "raise wire: queue or lower the rate's queue"),
    ('empty', BASE + '    {}\n',
     "bad.yml:6:5: expected settings in impair: both, to_far, to_device or settings for "
     "both directions such as loss: 2%"),
    ('timeline_bad_rate',
     'duration: 1s\ndevice: {type: lan8720}\nhost: none\ntimeline:\n'
     '  - {at: 0.5s, impair: {to_device: {loss: 2}}}\n',
     "bad.yml:5:43: expected %s for 'loss', got '2'" % PROB),
    ('timeline_two_actions',
     'duration: 1s\ndevice: {type: lan8720}\nhost: none\ntimeline:\n'
     '  - {at: 0.5s, link: down, impair: {both: {loss: 2%}}}\n',
     "bad.yml:5:5: expected exactly one action"),
]


@pytest.mark.parametrize('name,text,message', ERRORS, ids=[e[0] for e in ERRORS])
def test_impair_schema_errors(netbench_bin, tmp_path, name, text, message):
    write_scenario(tmp_path, text, 'bad.yml')
    p = run_netbench(netbench_bin, ['--sim', 'bad.yml'], cwd=str(tmp_path))
    assert p.returncode == 2, p.stdout + p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    if name == 'timeline_two_actions':  # the list of actions is the timeline's own text
        assert lines[0].startswith(message), p.stderr
    else:
        assert lines[0] == message, p.stderr


def test_wifi_path_through_impairments(netbench_bin, tmp_path):
    """The same stage sits between the simulated AP and the far peer for the CYW43439: the
    books balance both ways, and the frames corrupted towards the device are caught by the
    AP's wired FCS check (the wired side of a Wi-Fi device ends at the AP)."""
    shipped = open(os.path.join(SCENARIOS, 'cyw43439-quickstart.yml')).read()
    text = (shipped
            .replace('read: cyw43439-host.pcap}', 'read: %s/cyw43439-host.pcap, loop: 20}'
                     % SCENARIOS)
            .replace('read: quickstart-far.pcap}', 'read: %s/quickstart-far.pcap, loop: 20, '
                     'timing: recorded}\n  impair: {both: {loss: 5%%, corrupt: 2%%}}'
                     % SCENARIOS)
            .replace('all_delivered: true', 'losses_accounted: true')
            .replace('  drops: 0\n', ''))
    assert 'impair:' in text and 'losses_accounted' in text
    r = run_json(netbench_bin, tmp_path, text)
    far, dev = r['wire']['impair']['to_far'], r['wire']['impair']['to_device']
    assert far['lost'] > 0 and dev['lost'] > 0 and dev['corrupted'] > 0
    assert r['device']['model']['ap']['wire_rx_bad_fcs'] == dev['corrupted']
    assert r['far']['partner_mac']['rx_fcs_errors'] == far['corrupted']


@needs_netns
def test_tap_ping_rtt_follows_the_configured_delay(netbench_bg, netns_pair):
    """In real time through TAPs: 20 ms +- 2 ms each way, so no echo can come back in less
    than 36 ms, and the mean is near 40 ms (the host adds a little on top)."""
    nb = netbench_bg(tap_scenario(netns_pair[0], netns_pair[1],
                                  'type: lan8720\nirq: nint\nphy_address: 1',
                                  wire_extra='  impair: {both: {delay: 20ms, jitter: 2ms}}\n'))
    nb.wait_link_up(30 if sanitized() else 15)
    p = ns_exec(netns_pair[0], ['ping', '-c', '20', '-i', '0.05', '-W', '2', '-q',
                                '10.10.0.2'], timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    rtt = [ln for ln in p.stdout.splitlines() if ln.startswith('rtt')][0]
    lo, avg, hi = (float(v) for v in rtt.split('=')[1].split()[0].split('/')[:3])
    record('impair-tap.txt', 'ping through delay 20ms +- 2ms each way: rtt min %.2f avg %.2f '
           'max %.2f ms' % (lo, avg, hi))
    assert lo >= 36.0
    assert avg <= 40.0 + (30.0 if sanitized() else 10.0)
    st = nb.status()
    assert st['wire']['impair']['to_far']['delayed'] >= 20
    assert st['wire']['impair']['to_device']['delayed'] >= 20


@needs_netns
def test_control_socket_changes_impairments_while_running(netbench_bg, netns_pair):
    """`impair {...}` on the control socket: 100 % loss towards the far side stops ping,
    a bad mapping is refused with its position and changes nothing, and an empty mapping
    gives the clean cable back."""
    nb = netbench_bg(tap_scenario(netns_pair[0], netns_pair[1], 'type: ideal'))
    nb.wait_link_up(30 if sanitized() else 15)

    def ping(count):
        return ns_exec(netns_pair[0], ['ping', '-c', str(count), '-i', '0.05', '-W', '1',
                                       '-q', '10.10.0.2'], timeout=60)

    assert ping(3).returncode == 0
    assert nb.command('impair {to_far: {loss: 100%}}') == 'ok; to_far: loss 100%'
    assert nb.command('impair {to_far: {loss: 2}}') == (
        "error: impair:1:24: expected a probability 0..1 such as 0.02, or a percentage "
        "0%..100% such as 2% for 'loss', got '2'")
    assert nb.command('impair {to_far: {los: 1%}}').startswith(
        "error: impair:1:18: unknown key 'los' in to_far")
    p = ping(5)
    assert p.returncode != 0 and '100% packet loss' in p.stdout, p.stdout
    lost = nb.status()['wire']['impair']['to_far']['lost']
    assert lost >= 5
    assert nb.command('impair {to_far: {}}') == 'ok; to_far: none'
    assert ping(5).returncode == 0
    assert nb.status()['wire']['impair']['to_far']['lost'] == lost
