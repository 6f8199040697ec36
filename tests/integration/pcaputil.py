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
