"""Reports: --report JSON with every check, --junit XML, the SVG plot, --report-dir, the live
status line (only on a terminal), and the summary table."""
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

from conftest import SCENARIOS, run_netbench, write_scenario

BODY = '''seed: 1
duration: %s
%sdevice: {type: lan8720, phy_address: 1}
host:
  pcap: {read: quickstart-host.pcap}
wire:
  far:
    pcap: {read: quickstart-far.pcap}
assert:
  - {counter: device.rx_frames, eq: 20}
  - {frames: far.rx, filter: "icmp", min: 1}
  - {counter: device.tx_frames, eq: 999}
'''


def scenario(tmp_path, duration='4s', extra=''):
    for name in ('quickstart-host.pcap', 'quickstart-far.pcap'):
        shutil.copy(os.path.join(SCENARIOS, name), str(tmp_path))
    write_scenario(tmp_path, BODY % (duration, extra))
    return 'scenario.yml'


def test_report_json_has_every_check_even_when_the_run_fails(netbench_bin, tmp_path):
    path = scenario(tmp_path)
    p = run_netbench(netbench_bin, ['--sim', path, '--report', 'r.json', '--quiet'],
                     cwd=str(tmp_path))
    assert p.returncode == 1
    r = json.loads((tmp_path / 'r.json').read_text())
    checks = {c['name']: c for c in r['checks']}
    assert checks['scenario.yml:10: counter device.rx_frames eq 20']['result'] == 'pass'
    assert checks['scenario.yml:11: frames far.rx "icmp" min 1']['result'] == 'pass'
    failed = checks['scenario.yml:12: counter device.tx_frames eq 999']
    assert failed == {'name': 'scenario.yml:12: counter device.tx_frames eq 999',
                      'result': 'fail', 'detail': '26', 'line': 12}
    # everything --json has is there too
    j = json.loads(run_netbench(netbench_bin, ['--sim', path, '--json'], cwd=str(tmp_path)).stdout)
    assert set(j) == set(r)
    assert r['device']['tx_frames'] == 26 and r['wall']['elapsed_ns'] > 0


def test_junit_is_valid_xml_with_one_testcase_per_check(netbench_bin, tmp_path):
    path = scenario(tmp_path)
    p = run_netbench(netbench_bin, ['--sim', path, '--junit', 'j.xml', '--quiet'],
                     cwd=str(tmp_path))
    assert p.returncode == 1
    root = ET.parse(str(tmp_path / 'j.xml')).getroot()
    assert root.tag == 'testsuites'
    suite = root.find('testsuite')
    assert suite.get('name') == 'scenario.yml'
    cases = suite.findall('testcase')
    names = [c.get('name') for c in cases]
    # the expectations' and failure conditions' checks would be here too; this scenario has
    # only assertions
    assert names == ['scenario.yml:10: counter device.rx_frames eq 20',
                     'scenario.yml:11: frames far.rx "icmp" min 1',
                     'scenario.yml:12: counter device.tx_frames eq 999']
    assert suite.get('tests') == '3' and suite.get('failures') == '1'
    failures = [c.find('failure') for c in cases]
    assert failures[0] is None and failures[1] is None
    assert failures[2].get('message') == '26'


def test_report_dir_writes_report_junit_and_a_plot(netbench_bin, tmp_path):
    path = scenario(tmp_path)
    p = run_netbench(netbench_bin, ['--sim', path, '--report-dir', 'out', '--quiet'],
                     cwd=str(tmp_path))
    assert p.returncode == 1
    out = tmp_path / 'out'
    assert sorted(os.listdir(str(out))) == ['junit.xml', 'plot.svg', 'report.json']
    svg = ET.parse(str(out / 'plot.svg')).getroot()
    assert svg.tag == '{http://www.w3.org/2000/svg}svg'
    lines = svg.findall('{http://www.w3.org/2000/svg}polyline')
    assert len(lines) == 4  # throughput at the four points
    # host.tx carried traffic: some point of its line is above the axis
    ys = [float(pt.split(',')[1]) for pt in lines[0].get('points').split()]
    assert min(ys) < max(ys)
    texts = ''.join(t.text or '' for t in svg.iter('{http://www.w3.org/2000/svg}text'))
    assert 'Throughput' in texts and 'Latency' in texts and 'host.tx' in texts


def test_report_written_when_interrupted(netbench_bin, tmp_path):
    path = scenario(tmp_path, duration='60s', extra='time: realtime\n')
    proc = subprocess.Popen([netbench_bin, '--sim', path, '--report', 'r.json', '--quiet'],
                            cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=20)
    assert code != 0
    r = json.loads((tmp_path / 'r.json').read_text())
    assert r['interrupted'] is True
    assert any(c['name'] == 'run' and c['result'] == 'fail' for c in r['checks'])


def test_summary_table_lists_points(netbench_bin, tmp_path):
    path = scenario(tmp_path)
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    rows = {line.split()[0]: line.split()[1:] for line in p.stdout.splitlines()
            if line.split() and line.split()[0] in ('host.tx', 'far.rx', 'far.tx', 'host.rx')}
    assert rows['host.tx'][0] == '26' and rows['far.rx'][0] == '26'
    assert rows['far.tx'][0] == '20' and rows['host.rx'][0] == '20'
    assert rows['far.rx'][2] == '0' and rows['host.rx'][2] == '0'  # nothing lost


def _run_on_pty(args, cwd):
    """Run with stderr on a pseudo-terminal; returns (exit code, what the terminal got)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    data = b''
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=10)
    os.close(master)
    return code, data.decode(errors='replace')


def test_status_line_only_on_a_terminal(netbench_bin, tmp_path):
    # real time for a second, so the line is drawn a few times
    path = scenario(tmp_path, duration='1200ms', extra='time: realtime\n')
    code, tty = _run_on_pty([netbench_bin, '--sim', path], str(tmp_path))
    assert code == 1  # the failing assertion
    assert '\r\x1b[K' in tty and ' s sim (' in tty and 'frames/s (sim)' in tty
    # and erased before the report
    assert tty.rstrip().endswith('\x1b[K') or tty.count('\r\x1b[K') >= 2
    code, tty = _run_on_pty([netbench_bin, '--sim', path, '--quiet'], str(tmp_path))
    assert 'frames/s' not in tty
    p = run_netbench(netbench_bin, ['--sim', path], cwd=str(tmp_path))
    assert 'frames/s' not in p.stderr and '\x1b' not in p.stderr


def test_reports_written_when_the_run_cannot_start(netbench_bin, tmp_path):
    write_scenario(tmp_path, 'duration: 1s\ndevice: {type: ideal}\n'
                   'host: {pcap: {read: missing.pcap}}\n')
    p = run_netbench(netbench_bin, ['--sim', 'scenario.yml', '--report-dir', 'out'],
                     cwd=str(tmp_path))
    assert p.returncode == 1
    r = json.loads((tmp_path / 'out' / 'report.json').read_text())
    assert r['state'] == 'not started'
    assert r['error'] == 'host side: pcap: ./missing.pcap: No such file or directory'
    assert r['checks'] == [{'name': 'run', 'result': 'fail', 'detail': r['error']}]
    suite = ET.parse(str(tmp_path / 'out' / 'junit.xml')).getroot().find('testsuite')
    assert suite.get('failures') == '1'
    assert suite.find('testcase').find('failure').get('message') == r['error']
