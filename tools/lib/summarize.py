#!/usr/bin/python3
"""Sum JUnit XML results of every suite in a results directory.

Layout: <results>/<suite>.xml (pytest) and <results>/<suite>/*.xml (cmocka, one file per
group) with meson's testlog.json beside them. A meson test that failed without a failing
case in its XML (a crash, a sanitizer abort, a timeout) counts as one failure of its own,
so nothing that broke goes unreported. Prints one line per suite, then the plain total.
Exit status 1 when anything failed or no test ran at all.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def count_xml(path):
    passed = failed = skipped = 0
    failures = []
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        return 0, 1, 0, ['%s: unreadable results (%s)' % (os.path.basename(path), e)]
    for case in root.iter('testcase'):
        name = '%s.%s' % (case.get('classname', ''), case.get('name', ''))
        if case.find('failure') is not None or case.find('error') is not None:
            failed += 1
            failures.append(name.strip('.'))
        elif case.find('skipped') is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failures


def meson_crashes(suite_dir, failed_tests):
    """Meson tests that failed although their XML (<test>--<group>.xml) shows no failing
    case: crashes, sanitizer aborts, timeouts."""
    log = os.path.join(suite_dir, 'meson-testlog.json')
    extra = []
    if not os.path.exists(log):
        return extra
    with open(log) as f:
        for line in f:
            try:
                t = json.loads(line)
            except ValueError:
                continue
            if t.get('result') in ('OK', 'SKIP', 'EXPECTEDFAIL'):
                continue
            extra.append('%s (%s, exit %s)' % (t.get('name'), t.get('result'),
                                               t.get('returncode')))
    return [e for e in extra if e.split(' ')[0] not in failed_tests]


def main(results):
    total = [0, 0, 0]
    for entry in sorted(os.listdir(results)):
        path = os.path.join(results, entry)
        files = []
        if os.path.isdir(path):
            suite = entry
            files = [os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith('.xml')]
        elif entry.endswith('.xml'):
            suite = entry[:-4]
            files = [path]
        else:
            continue
        p = f = s = 0
        names = []
        for x in files:
            a, b, c, n = count_xml(x)
            p, f, s = p + a, f + b, s + c
            names += n
        if os.path.isdir(path):
            # a crashed executable leaves no failing case behind: count it
            tests = {os.path.basename(x).split('--')[0] for x in files if failed_in(x)}
            for crash in meson_crashes(path, tests):
                f += 1
                names.append('crashed: ' + crash)
        print('%-18s %d passed, %d failed, %d skipped' % (suite + ':', p, f, s))
        for n in names[:20]:
            print('    FAILED %s' % n)
        total[0] += p
        total[1] += f
        total[2] += s
    line = '%d passed, %d failed' % (total[0], total[1])
    if total[2]:
        line += ', %d skipped' % total[2]
    print(line)
    return 1 if total[1] or total[0] == 0 else 0


def failed_in(path):
    return count_xml(path)[1] > 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
