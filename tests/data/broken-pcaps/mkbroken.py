#!/usr/bin/python3
"""Write the broken captures tests/integration/test_broken_pcaps.py replays.

    tests/data/broken-pcaps/mkbroken.py [OUTDIR]     (default: this directory)

Each file is a classic pcap (microsecond time stamps) of small Ethernet frames from
02:00:00:00:00:01 with one defect; what netbench must say about it is in the test:
  truncated.pcap        the file ends 20 bytes into the data of packet 3
  bad-magic.pcap        the file header's magic number is not a pcap/pcapng one
  caplen-huge.pcap      packet 2's record claims 300000 captured bytes (libpcap's limit is
                        262144)
  caplen-snaplen.pcap   the file's snaplen is 64; packet 2's record holds 100 bytes
  linktype.pcap         link type 101 (raw IP), not Ethernet
  oversize.pcap         packet 2 is a 1600-byte frame: longer than any path carries
  runt.pcap             packet 3 is 10 bytes: shorter than an Ethernet header
The output is deterministic.
"""
import os
import struct
import sys

SRC = bytes.fromhex('020000000001')
DST = bytes.fromhex('020000000002')


def frame(n, size=60):
    """Ethernet frame number n (local experimental ethertype 0x88B5), size bytes."""
    body = struct.pack('!I', n) + bytes((n * 7 + i) & 0xFF for i in range(size - 18))
    return DST + SRC + struct.pack('!H', 0x88B5) + body


def header(snaplen=65535, linktype=1, magic=0xA1B2C3D4):
    return struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snaplen, linktype)


def record(data, t_us, caplen=None, length=None):
    caplen = len(data) if caplen is None else caplen
    length = len(data) if length is None else length
    return struct.pack('<IIII', t_us // 1000000, t_us % 1000000, caplen, length) + data


def files():
    good = [frame(i + 1) for i in range(4)]
    recs = [record(f, 1000 * i) for i, f in enumerate(good)]
    yield 'truncated.pcap', header() + recs[0] + recs[1] + recs[2][:16 + 20]
    yield 'bad-magic.pcap', header(magic=0x12345678) + b''.join(recs)
    yield 'caplen-huge.pcap', (header() + recs[0] +
                               record(good[1], 1000, caplen=300000, length=300000) +
                               b''.join(recs[2:]))
    yield 'caplen-snaplen.pcap', (header(snaplen=64) + recs[0] + record(frame(2, 100), 1000) +
                                  b''.join(recs[2:]))
    yield 'linktype.pcap', header(linktype=101) + b''.join(recs)
    yield 'oversize.pcap', (header() + recs[0] + record(frame(2, 1600), 1000) +
                            b''.join(recs[2:]))
    yield 'runt.pcap', header() + recs[0] + recs[1] + record(frame(3)[:10], 2000) + recs[3]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    for name, data in files():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
