"""Command line: help, version, options, exit codes for usage errors."""
import os

import pytest

from conftest import SCENARIOS, run_netbench, write_scenario


def test_help_documents_options_and_exit_codes(netbench_bin):
    p = run_netbench(netbench_bin, ['--help'])
    assert p.returncode == 0, p.stderr
    for opt in ['--sim', '--duration', '--control', '--json', '--quiet', '--check', '--verbose',
                '--list-devices', '--help', '--version']:
        assert opt in p.stdout, opt
    for cmd in ['status', 'link down', 'link up', 'stop']:
        assert cmd in p.stdout, cmd
    assert 'Exit status' in p.stdout
    for code in ['0  ', '1  ', '2  ']:
        assert code in p.stdout


def test_version(netbench_bin):
    p = run_netbench(netbench_bin, ['--version'])
    assert p.returncode == 0
    assert p.stdout.startswith('netbench ')


def test_list_devices(netbench_bin):
    p = run_netbench(netbench_bin, ['--list-devices'])
    assert p.returncode == 0
    names = [line.split()[0] for line in p.stdout.splitlines()]
    assert 'lan8720' in names and 'ideal' in names


@pytest.mark.parametrize('args,message', [
    (['--bogus'], "unknown option '--bogus'"),
    (['-x'], "unknown option '-x'"),
    (['--sim'], "option '--sim' needs an argument"),
    ([], 'no scenario given'),
    (['--sim', 'a.yml', 'extra'], "unexpected argument 'extra'"),
])
def test_usage_errors_exit_2(netbench_bin, args, message):
    p = run_netbench(netbench_bin, args)
    assert p.returncode == 2
    assert message in p.stderr
    assert "Try 'netbench --help'" in p.stderr


def test_missing_file_exits_2(netbench_bin, tmp_path):
    p = run_netbench(netbench_bin, ['--sim', str(tmp_path / 'nope.yml')])
    assert p.returncode == 2
    assert 'nope.yml: cannot open: No such file or directory' in p.stderr


@pytest.mark.parametrize('value', ['0s', 'ten', '5', '-1s'])
def test_bad_duration_option_exits_2(netbench_bin, value):
    p = run_netbench(netbench_bin, ['--sim', os.path.join(SCENARIOS, 'quickstart.yml'),
                                    '--duration', value])
    assert p.returncode == 2
    assert "--duration: expected a duration above 0" in p.stderr


def test_check_accepts_every_shipped_scenario(netbench_bin):
    for name in sorted(os.listdir(SCENARIOS)):
        if name.endswith('.yml'):
            p = run_netbench(netbench_bin, ['--check', '--sim', os.path.join(SCENARIOS, name)])
            assert p.returncode == 0, (name, p.stderr)
            assert p.stdout.strip().endswith(': ok')


def test_duration_option_overrides_file(netbench_bin, tmp_path):
    path = write_scenario(tmp_path, 'duration: 10s\ndevice: {type: ideal}\nhost: none\n')
    p = run_netbench(netbench_bin, ['--sim', path, '--duration', '250ms', '--json'])
    assert p.returncode == 0, p.stderr
    import json
    report = json.loads(p.stdout)
    assert report['time']['sim_ns'] == 250_000_000
