"""Shared fixtures for integration tests: the netbench binary of the build under test,
network namespaces that are always removed, and helpers to run netbench (one-shot or in the
background with its control socket) with every wait bounded."""
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIOS = os.path.join(ROOT, 'scenarios')


def build_dir():
    return os.path.abspath(os.environ.get('NB_BUILD', os.path.join(ROOT, 'build')))


def sanitized():
    """True for the ASan+UBSan build (slower: give timing-sensitive waits more room)."""
    return build_dir().rstrip('/').endswith('-san')


def results_dir():
    """Where tests leave numbers they measured: the results directory tools/test makes
    (and empties) for this build pair, <build>/test-results-all (also for <build>-san)."""
    base = build_dir()
    if sanitized():
        base = base[:-len('-san')]
    d = os.path.join(base, 'test-results-all')
    os.makedirs(d, exist_ok=True)
    return d


@pytest.fixture(scope='session')
def netbench_bin():
    path = os.path.join(build_dir(), 'src', 'netbench')
    if not os.path.exists(path):
        pytest.fail('netbench not built at %s (run ./tools/test, which builds it)' % path)
    return path


def _can_netns():
    return os.geteuid() == 0 and os.path.exists('/dev/net/tun')


needs_netns = pytest.mark.skipif(not _can_netns(),
                                 reason='needs root and /dev/net/tun for TAP + network namespaces')


def _kill_netns_pids(name):
    pids = subprocess.run(['ip', 'netns', 'pids', name], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout.split()
    for pid in pids:
        subprocess.run(['kill', '-9', pid], stderr=subprocess.DEVNULL)


def add_netns(name):
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    subprocess.run(['ip', '-n', name, 'link', 'set', 'lo', 'up'], check=True)


def del_netns(name):
    _kill_netns_pids(name)
    subprocess.run(['ip', 'netns', 'del', name], stderr=subprocess.DEVNULL)


@pytest.fixture
def netns_pair():
    """Two fresh namespaces, names unique per test; removed whatever happens."""
    if not _can_netns():
        pytest.skip('needs root and /dev/net/tun for TAP + network namespaces')
    tag = uuid.uuid4().hex[:6]
    names = ['nbA' + tag, 'nbB' + tag]
    created = []
    try:
        for n in names:
            add_netns(n)
            created.append(n)
        yield names
    finally:
        for n in created:
            del_netns(n)


def write_scenario(directory, text, name='scenario.yml'):
    path = os.path.join(str(directory), name)
    with open(path, 'w') as f:
        f.write(text)
    return path


def run_netbench(binary, args, timeout=60, cwd=None, user=None):
    """Run netbench to completion; returns CompletedProcess (text)."""
    cmd = [binary] + list(args)
    if user is not None:
        cmd = ['setpriv', '--reuid=%s' % user, '--regid=%s' % user, '--clear-groups'] + cmd
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, cwd=cwd)


def tap_scenario(ns_a, ns_b, device='type: lan8720', extra='', wire_extra='',
                 pace='line-rate'):
    """A scenario bridging TAP nbA (ns_a, 10.10.0.1) through the device to TAP nbB (ns_b,
    10.10.0.2)."""
    dev = '\n'.join('  ' + line for line in device.strip().splitlines())
    return ('seed: 1\n'
            'device:\n%s\n  mac: 02:00:00:00:00:01\n'
            'host:\n  tap: {name: nbA, netns: %s, address: 10.10.0.1/24}\n'
            'wire:\n  partner: {autoneg: true, ability: [100FD, 100HD, 10FD, 10HD]}\n'
            '  far: {tap: {name: nbB, netns: %s, address: 10.10.0.2/24}}\n'
            '  pace: %s\n%s%s') % (dev, ns_a, ns_b, pace, wire_extra, extra)


class Netbench:
    """netbench running in the background with a control socket."""

    def __init__(self, binary, scenario, workdir, args=()):
        self.workdir = str(workdir)
        self.sock_path = os.path.join(self.workdir, 'ctl-%s.sock' % uuid.uuid4().hex[:6])
        self.out_path = os.path.join(self.workdir, 'netbench.out')
        self.err_path = os.path.join(self.workdir, 'netbench.err')
        self._out = open(self.out_path, 'w')
        self._err = open(self.err_path, 'w')
        self.proc = subprocess.Popen([binary, '--sim', scenario, '--control', self.sock_path,
                                      '--json'] + list(args),
                                     stdout=self._out, stderr=self._err, cwd=self.workdir)
        self.returncode = None

    def log(self):
        with open(self.err_path) as f:
            err = f.read()
        with open(self.out_path) as f:
            out = f.read()
        return 'stdout:\n%s\nstderr:\n%s' % (out[-4000:], err[-4000:])

    def alive(self):
        return self.proc.poll() is None

    def wait_socket(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError('netbench exited (%s) before its control socket came up\n%s'
                                     % (self.proc.returncode, self.log()))
            if os.path.exists(self.sock_path):
                # the file appears at bind(), connections are taken from listen() on
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    try:
                        s.connect(self.sock_path)
                        return
                    except ConnectionRefusedError:
                        pass
            time.sleep(0.02)
        raise AssertionError('control socket did not appear within %ss\n%s' % (timeout, self.log()))

    def command(self, line, timeout=5):
        """Send one command, return its one-line reply (without the newline)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.sock_path)
            s.sendall(line.encode() + b'\n')
            buf = b''
            while not buf.endswith(b'\n'):
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        return buf.decode().rstrip('\n')

    def status(self):
        return json.loads(self.command('status'))

    def wait_for(self, pred, timeout, what):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError('netbench exited while waiting for %s\n%s' % (what, self.log()))
            last = self.status()
            if pred(last):
                return last
            time.sleep(0.05)
        raise AssertionError('timed out after %ss waiting for %s; last status: %s'
                             % (timeout, what, json.dumps(last)))

    def wait_link_up(self, timeout=20):
        return self.wait_for(lambda s: s['device']['link']['up'] and s['host']['carrier'],
                             timeout, 'the link to come up')

    def stop(self, timeout=20):
        """SIGINT, wait (bounded), return (exit code, final JSON report or None)."""
        if self.alive():
            self.proc.send_signal(signal.SIGINT)
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError('netbench did not stop within %ss of SIGINT\n%s'
                                 % (timeout, self.log()))
        finally:
            self._out.close()
            self._err.close()
        with open(self.out_path) as f:
            text = f.read().strip()
        try:
            report = json.loads(text.splitlines()[0]) if text else None
        except ValueError:
            report = None
        return self.returncode, report

    def kill(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait(timeout=10)
        for f in (self._out, self._err):
            if not f.closed:
                f.close()


@pytest.fixture
def netbench_bg(netbench_bin, tmp_path):
    """Factory: start netbench in the background; everything started is killed at the end."""
    started = []

    def start(scenario_text, args=()):
        path = write_scenario(tmp_path, scenario_text, 'bg-%d.yml' % len(started))
        nb = Netbench(netbench_bin, path, tmp_path, args)
        started.append(nb)
        nb.wait_socket()
        return nb

    yield start
    for nb in started:
        nb.kill()


def ns_exec(ns, cmd, timeout, check=False):
    return subprocess.run(['ip', 'netns', 'exec', ns] + cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, check=check)


def have(tool):
    return shutil.which(tool) is not None
