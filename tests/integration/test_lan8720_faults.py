"""LAN8720 under MDIO faults in a whole run: bus errors after bring-up are counted in the
report and retried, the link holds and recovers by itself, frames keep flowing; with nINT a
link drop whose interrupt acknowledge fails is still seen."""
import json
import os
import shutil

from conftest import SCENARIOS, run_netbench, write_scenario


def run_json(binary, tmp_path, args):
    p = run_netbench(binary, args + ['--json'], cwd=str(tmp_path))
    return p, (json.loads(p.stdout) if p.stdout.strip() else None)


def test_shipped_mdio_fault_scenario_keeps_the_link(netbench_bin, tmp_path):
    p, r = run_json(netbench_bin, tmp_path,
                    ['--sim', os.path.join(SCENARIOS, 'lan8720-mdio-faults.yml')])
    assert p.returncode == 0, p.stderr + json.dumps(r and r['checks'])
    model = r['device']['model']
    assert model['driver_state'] == 'running'
    assert model['driver_error'] == 0
    assert model['mdio_errors'] == 6
    assert model['mdio_injected_faults'] == 6
    assert [c['result'] for c in r['checks']] == ['pass'] * 13


def test_mdio_timeouts_with_nint_link_drop_is_still_seen(netbench_bin, tmp_path):
    # The timeouts hit the interrupt status read of the link-down interrupt: nINT stays
    # asserted, the driver has to retry on its own and still report down, then up again.
    for name in ('quickstart-host.pcap', 'quickstart-far.pcap'):
        shutil.copy(os.path.join(SCENARIOS, name), str(tmp_path))
    write_scenario(tmp_path, '''seed: 1
duration: 8s
device: {type: lan8720, phy_address: 1, irq: nint, link_poll: 200ms}
host:
  pcap: {read: quickstart-host.pcap}
wire:
  far:
    pcap: {read: quickstart-far.pcap}
timeline:
  - {at: 0s, traffic: {side: host, action: stop}}
  - {at: 3s, fault: mdio-timeout, count: 4}
  - {at: 3s, link: down}
  - {at: 4500ms, link: up}
  - {at: 7s, traffic: {side: host, action: start}}
expect:
  all_delivered: true
  link: up
  link_changes: 3
assert:
  - {link: down, at: 4s}
  - {link: up, at: 6500ms}
  - {counter: device.model.mdio_errors, eq: 4}
''')
    p, r = run_json(netbench_bin, tmp_path, ['--sim', 'scenario.yml'])
    assert p.returncode == 0, p.stderr + json.dumps(r and r['checks'])
    assert r['device']['model']['driver_state'] == 'running'
