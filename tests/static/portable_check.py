"""Checks that code under a drivers/ tree stays freestanding.

- includes: only freestanding-level system headers, and project headers under drivers/;
- calls: no allocation, no stdio, no process control, no sleeping or ambient time.
Comments and string literals are ignored, so documentation may name what it forbids.
"""
import os
import re

ALLOWED_SYSTEM = {
    'stdint.h', 'stddef.h', 'stdbool.h', 'string.h', 'limits.h', 'stdarg.h', 'stdalign.h',
    'stdatomic.h', 'stdnoreturn.h', 'float.h', 'iso646.h',
}
FORBIDDEN_CALLS = re.compile(
    r'\b(malloc|calloc|realloc|free|aligned_alloc|printf|fprintf|sprintf|snprintf|vprintf|'
    r'puts|putchar|fputs|exit|abort|sleep|usleep|nanosleep|clock_gettime|gettimeofday|time|'
    r'rand|srand|fopen|open|read|write|ioctl)\s*\(')
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def strip_comments_and_strings(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append('\n' * text.count('\n', i, j))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def check_tree(root):
    """Return a list of 'path:line: problem' strings for every violation under root/drivers."""
    problems = []
    drivers = os.path.join(root, 'drivers')
    for dirpath, _dirs, files in os.walk(drivers):
        for f in sorted(files):
            if not f.endswith(('.c', '.h')):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            with open(path, encoding='utf-8', errors='replace') as fh:
                raw = fh.read()
            for m in INCLUDE.finditer(raw):
                line = raw.count('\n', 0, m.start()) + 1
                kind, name = m.group(1), m.group(2)
                if kind == '<' and name not in ALLOWED_SYSTEM:
                    problems.append('%s:%d: includes host header <%s>' % (rel, line, name))
                elif kind == '"' and not name.startswith('drivers/'):
                    problems.append('%s:%d: includes "%s" from outside drivers/' % (rel, line, name))
            if f.endswith('.c'):
                code = strip_comments_and_strings(raw)
                for m in FORBIDDEN_CALLS.finditer(code):
                    # a struct member or our own prefixed name is fine: ops->read(, nb_read(
                    before = code[max(0, m.start() - 2):m.start()]
                    if before.endswith(('->', '.')) or before.endswith('_'):
                        continue
                    line = code.count('\n', 0, m.start()) + 1
                    problems.append('%s:%d: calls %s()' % (rel, line, m.group(1)))
    return problems
