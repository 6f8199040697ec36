"""Shared fixtures for integration tests: the netbench binary of the build under test and
network namespaces that are always removed."""
import os
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_dir():
    return os.environ.get('NB_BUILD', os.path.join(ROOT, 'build'))


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


@pytest.fixture
def netns_pair():
    """Two fresh namespaces, names unique per test; removed whatever happens."""
    if not _can_netns():
        pytest.skip('needs root and /dev/net/tun for TAP + network namespaces')
    tag = uuid.uuid4().hex[:6]
    names = ['nbA' + tag, 'nbB' + tag]
    for n in names:
        subprocess.run(['ip', 'netns', 'add', n], check=True)
        subprocess.run(['ip', '-n', n, 'link', 'set', 'lo', 'up'], check=True)
    try:
        yield names
    finally:
        for n in names:
            subprocess.run(['ip', 'netns', 'pids', n], stdout=subprocess.PIPE)
            pids = subprocess.run(['ip', 'netns', 'pids', n], stdout=subprocess.PIPE,
                                  text=True).stdout.split()
            for pid in pids:
                subprocess.run(['kill', '-9', pid])
            subprocess.run(['ip', 'netns', 'del', n])
