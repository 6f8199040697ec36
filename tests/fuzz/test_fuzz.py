"""Run every libFuzzer harness of the fuzz build for a bounded number of inputs.

The harnesses are built by tools/test in <build>-fuzz (clang, -Dfuzz=true, ASan+UBSan).
Each starts from its seed corpus (tests/fuzz/corpus/<name>/) copied to a scratch directory,
so runs do not write into the source tree. Inputs that once crashed are kept in
tests/fuzz/regress/<name>/ and replayed first. NB_FUZZ_RUNS sets the number of inputs.
"""
import glob
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get('NB_FUZZ_BUILD', '')
RUNS = int(os.environ.get('NB_FUZZ_RUNS', '20000'))


def harnesses():
    if not BUILD:
        return []
    return sorted(p for p in glob.glob(os.path.join(BUILD, 'tests', 'fuzz', 'fuzz_*'))
                  if os.path.isfile(p) and os.access(p, os.X_OK))


def _name(path):
    return os.path.basename(path)[len('fuzz_'):]


@pytest.mark.parametrize('harness', harnesses(), ids=[_name(h) for h in harnesses()])
def test_fuzz_harness(harness, tmp_path):
    name = _name(harness)
    regress = os.path.join(HERE, 'regress', name)
    if os.path.isdir(regress) and os.listdir(regress):
        files = sorted(glob.glob(os.path.join(regress, '*')))
        p = subprocess.run([harness] + files, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=300)
        assert p.returncode == 0, 'regression input crashed:\n' + p.stdout[-4000:]
    work = tmp_path / 'corpus'
    seeds = os.path.join(HERE, 'corpus', name)
    if os.path.isdir(seeds):
        shutil.copytree(seeds, work)
    else:
        work.mkdir()
    p = subprocess.run([harness, '-runs=%d' % RUNS, '-max_total_time=120', '-seed=1',
                        '-artifact_prefix=%s/' % tmp_path, str(work)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    tail = p.stdout[-4000:]
    print(tail)
    assert p.returncode == 0, 'fuzzer found a failure (artifact in %s):\n%s' % (tmp_path, tail)
    assert 'Done' in p.stdout
