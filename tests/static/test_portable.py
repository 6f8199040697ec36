"""drivers/ is code for the microcontroller: it must build freestanding for a Cortex-M0+
and must not include host headers or call allocation/stdio/time functions."""
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import portable_check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_drivers_have_no_host_headers_or_forbidden_calls():
    problems = portable_check.check_tree(ROOT)
    assert not problems, '\n'.join(problems)


@pytest.mark.parametrize('snippet,expect', [
    ('#include <stdio.h>\n', 'includes host header <stdio.h>'),
    ('#include <errno.h>\n', 'includes host header <errno.h>'),
    ('#include "sim/core/sim.h"\n', 'from outside drivers/'),
    ('void f(void) { char *p = malloc(4); (void)p; }\n', 'calls malloc()'),
    ('void f(void) { printf("x"); }\n', 'calls printf()'),
    ('void f(void) { usleep(10); }\n', 'calls usleep()'),
])
def test_checker_flags_violations(tmp_path, snippet, expect):
    d = tmp_path / 'drivers' / 'x'
    d.mkdir(parents=True)
    (d / 'bad.c').write_text(snippet)
    problems = portable_check.check_tree(str(tmp_path))
    assert any(expect in p for p in problems), problems


def test_checker_ignores_comments_strings_and_members(tmp_path):
    d = tmp_path / 'drivers' / 'x'
    d.mkdir(parents=True)
    (d / 'ok.c').write_text('/* never call malloc( here */\n'
                            'static const char *s = "printf(";\n'
                            'int g(struct o *x) { return x->ops->read(x, 1) + nb_free(x); }\n')
    assert portable_check.check_tree(str(tmp_path)) == []


@pytest.mark.skipif(not shutil.which('arm-none-eabi-gcc'), reason='arm-none-eabi-gcc not installed')
def test_drivers_cross_build_for_cortex_m0plus():
    p = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'cross-build')],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(p.stdout)
    assert p.returncode == 0, p.stdout
    assert 'drivers/netdev' in p.stdout


@pytest.mark.skipif(not shutil.which('arm-none-eabi-gcc'), reason='arm-none-eabi-gcc not installed')
def test_cross_build_rejects_host_dependency(tmp_path):
    """The cross-build itself fails when driver code needs something a freestanding target
    lacks, so the check above can fail."""
    d = tmp_path / 'drivers' / 'x'
    d.mkdir(parents=True)
    (d / 'bad.c').write_text('extern int getpid(void);\nint f(void) { return getpid(); }\n')
    p = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'cross-build'),
                        '--root', str(tmp_path)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert p.returncode == 1
    assert 'getpid' in p.stdout
