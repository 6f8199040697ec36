"""Read classic pcap files (what netbench's pcap endpoint writes) without third-party
modules, checking that the file is complete: a truncated or damaged file raises."""
import struct

MAGIC_US = 0xA1B2C3D4
MAGIC_NS = 0xA1B23C4D


def read_pcap(path):
    """[(t_ns, frame bytes)]; raises ValueError unless the whole file is valid pcap."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError('%s: %d bytes, shorter than a pcap header' % (path, len(data)))
    magic, major, _minor, _tz, _sig, snaplen, link = struct.unpack('<IHHiIII', data[:24])
    if magic not in (MAGIC_US, MAGIC_NS) or major != 2 or link != 1:
        raise ValueError('%s: not a little-endian Ethernet pcap' % path)
    scale = 1 if magic == MAGIC_NS else 1000
    out, off = [], 24
    while off < len(data):
        if off + 16 > len(data):
            raise ValueError('%s: record header cut at offset %d' % (path, off))
        sec, frac, caplen, length = struct.unpack('<IIII', data[off:off + 16])
        if caplen > snaplen or caplen != length or off + 16 + caplen > len(data):
            raise ValueError('%s: bad record at offset %d' % (path, off))
        out.append((sec * 1000000000 + frac * scale, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return out


def write_pcap(path, records, nano=True):
    """Write [(t_ns, frame bytes)] as a little-endian Ethernet pcap."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', MAGIC_NS if nano else MAGIC_US, 2, 4, 0, 0, 65535, 1))
        for t, data in records:
            frac = t % 1000000000 if nano else (t % 1000000000) // 1000
            f.write(struct.pack('<IIII', t // 1000000000, frac, len(data), len(data)) + data)


def numbered_frame(n, size=60, dst=b'\xff' * 6, src=bytes.fromhex('020000000001')):
    """Frame number n (ethertype 0x88B5, the number in the first 4 payload bytes)."""
    body = struct.pack('!I', n) + bytes((n * 7 + i) & 0xFF for i in range(size - 18))
    return dst + src + struct.pack('!H', 0x88B5) + body


def read_pcapng(path):
    """[(t_ns, frame bytes)] from the Enhanced Packet Blocks of a little-endian pcapng with
    nanosecond resolution (what netbench writes); raises ValueError on a damaged file."""
    with open(path, 'rb') as f:
        data = f.read()
    out, off = [], 0
    while off < len(data):
        if off + 12 > len(data):
            raise ValueError('%s: block cut at offset %d' % (path, off))
        btype, blen = struct.unpack('<II', data[off:off + 8])
        if blen < 12 or blen % 4 or off + blen > len(data) or \
                struct.unpack('<I', data[off + blen - 4:off + blen])[0] != blen:
            raise ValueError('%s: bad block at offset %d' % (path, off))
        if off == 0 and (btype != 0x0A0D0D0A or data[8:12] != b'\x4d\x3c\x2b\x1a'):
            raise ValueError('%s: not a little-endian pcapng' % path)
        if btype == 6:
            _if, hi, lo, caplen, _orig = struct.unpack('<IIIII', data[off + 8:off + 28])
            out.append(((hi << 32) | lo, data[off + 28:off + 28 + caplen]))
        off += blen
    return out
