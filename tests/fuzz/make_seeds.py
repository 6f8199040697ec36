#!/usr/bin/python3
"""Write the seed corpora of the frame-path fuzzers (tests/fuzz/corpus/<harness>/).

Seeds are well-formed inputs built here from the frame layouts (Ethernet with FCS for the
LAN8720 wire; SDPCM/BDC/event frames for the CYW43439 F2 path), so the fuzzers start from
inputs that reach deep into the parsers. Run from the repository root; output is
deterministic.
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
DEV_MAC = bytes([0x02, 0x00, 0x00, 0x00, 0x00, 0x01])
PEER = bytes([0x02, 0x00, 0x00, 0x00, 0x00, 0x02])


def eth(dst, src, etype, payload):
    return dst + src + struct.pack('>H', etype) + payload


def write(name, idx, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-%02d' % idx), 'wb') as f:
        f.write(data)


def lan_record(frame, flags):
    return bytes([flags]) + struct.pack('<H', len(frame)) + frame


def lan8720_seeds():
    ipv4 = eth(DEV_MAC, PEER, 0x0800, bytes(range(46)))
    vlan = DEV_MAC + PEER + bytes([0x81, 0x00, 0x00, 0x05, 0x08, 0x00]) + bytes(1500)
    bcast = eth(b'\xff' * 6, PEER, 0x0806, bytes(28))
    seeds = [
        lan_record(ipv4, 1),
        lan_record(ipv4, 1) + lan_record(bcast, 1),
        lan_record(vlan, 1 | 4),
        lan_record(ipv4, 0),                      # no FCS: arrives as a bad frame
        lan_record(ipv4, 1 | 2),                  # RXER
        lan_record(ipv4[:10], 1),                 # runt
        lan_record(eth(DEV_MAC, PEER, 0x88B5, bytes(1600)), 1),  # oversize
    ]
    for i, s in enumerate(seeds):
        write('lan8720_rx', i, s)


def sdpcm(chan, payload, hdrlen=12, seq=0, credit=8):
    size = hdrlen + len(payload)
    hdr = struct.pack('<HHBBBBBBH', size, size ^ 0xFFFF, seq, chan, 0, hdrlen, 0, credit, 0)
    return hdr + bytes(hdrlen - 12) + payload


def bdc(offset=0):
    return bytes([0x20, 0, 0, offset]) + bytes(4 * offset)


def event(etype, status=0, reason=0, flags=0, data=b''):
    msg = struct.pack('>HHIIIII', 2, flags, etype, status, reason, 0, len(data))
    msg += PEER + b'wl0'.ljust(16, b'\0') + bytes([0, 0])
    body = struct.pack('>HH', 0x8001, 8 + 48 + len(data)) + bytes([0, 0x00, 0x10, 0x18])
    body += struct.pack('>H', 1) + msg + data + bytes(2)
    return eth(DEV_MAC, PEER, 0x886C, body)


def f2_record(frame):
    return struct.pack('<H', len(frame)) + frame


def cyw43439_seeds():
    data = sdpcm(2, bdc() + eth(DEV_MAC, PEER, 0x0800, bytes(range(64))), hdrlen=14)
    data_off = sdpcm(2, bdc(1) + eth(DEV_MAC, PEER, 0x0800, bytes(100)), hdrlen=14)
    link = sdpcm(1, bdc() + event(16, flags=1, data=bytes(22)), hdrlen=14)
    deauth = sdpcm(1, bdc() + event(6, status=0, reason=3), hdrlen=14)
    cdc = sdpcm(0, struct.pack('<IIII', 262, 8, 7 << 16, 0) + b'ver\0' + bytes(4))
    credit_only = sdpcm(1, b'')
    seeds = [f2_record(data), f2_record(data_off), f2_record(link) + f2_record(data),
             f2_record(deauth), f2_record(cdc), f2_record(credit_only),
             f2_record(data[:20])]
    for i, s in enumerate(seeds):
        write('cyw43439_f2', i, s)


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def scenario_seeds():
    """Every shipped scenario, plus replay and TAP-record forms the shipped ones lack."""
    sdir = os.path.join(ROOT, 'scenarios')
    texts = []
    for name in sorted(os.listdir(sdir)):
        if name.endswith('.yml'):
            with open(os.path.join(sdir, name), 'rb') as f:
                texts.append(f.read())
    texts += [
        b'device: {type: ideal}\nhost:\n  pcap: {read: a.pcap, timing: {rate: 2.5}, loop: 3}\n',
        b'device: {type: ideal}\nduration: 1s\nhost: {pcap: {read: a.pcap, timing: recorded, '
        b'loop: 0, write: b.pcap}}\n',
        b'device: {type: lan8720}\nhost: {tap: {name: t0, record: in.pcapng}}\n'
        b'wire: {far: {pcap: {read: in.pcapng, timing: absolute}}}\n',
    ]
    for i, t in enumerate(texts):
        write('scenario', i, t)


def pcap_seeds():
    """[mode byte] + a capture: the quickstart files, the broken ones, a pcapng."""
    files = [os.path.join(ROOT, 'scenarios', n) for n in ('quickstart-host.pcap',
                                                           'quickstart-far.pcap')]
    bdir = os.path.join(ROOT, 'tests', 'data', 'broken-pcaps')
    files += [os.path.join(bdir, n) for n in sorted(os.listdir(bdir)) if n.endswith('.pcap')]
    seeds = []
    for i, path in enumerate(files):
        with open(path, 'rb') as f:
            seeds.append(bytes([i % 16 * 17]) + f.read()[:4096])
    # a small pcapng: SHB, IDB (if_tsresol 9), two EPBs
    def block(btype, body):
        body += bytes(-len(body) % 4)
        n = 12 + len(body)
        return struct.pack('<II', btype, n) + body + struct.pack('<I', n)
    shb = block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
    idb = block(1, struct.pack('<HHI', 1, 0, 65535) + struct.pack('<HHB', 9, 1, 9) + bytes(3)
                + bytes(4))
    frame = eth(PEER, DEV_MAC, 0x88B5, bytes(46))
    epbs = b''.join(block(6, struct.pack('<IIIII', 0, 0, t, len(frame), len(frame)) + frame)
                    for t in (1000, 2000000))
    seeds.append(bytes([1 | 4]) + shb + idb + epbs)
    for i, s in enumerate(seeds):
        write('pcap', i, s)


if __name__ == '__main__':
    lan8720_seeds()
    cyw43439_seeds()
    scenario_seeds()
    pcap_seeds()
    # zlib is only used to show that every seed file is stable across runs
    total = 0
    for root, _d, files in os.walk(OUT):
        for f in sorted(files):
            with open(os.path.join(root, f), 'rb') as fh:
                total = zlib.crc32(fh.read(), total)
    print('seeds written, crc32 %08x' % total)
