#!/usr/bin/python3
"""Write the small synthetic captures the quickstart scenario replays.

    tools/mkpcap.py [OUTDIR]      (default: scenarios/)

Two classic pcap files (Ethernet link type, microsecond time stamps), built from scratch
so their content is known exactly:
  quickstart-host.pcap  what the device's own stack sends (src 02:00:00:00:00:01): an ARP
                        request, ICMP echo requests, UDP datagrams from the shortest frame
                        (padded by the MAC) to a full 1514-byte frame, and one 802.1Q-tagged
                        1518-byte frame;
  quickstart-far.pcap   what the partner host sends back to the device
                        (02:00:00:00:00:02 -> 02:00:00:00:00:01, plus one broadcast).
  cyw43439-host.pcap    quickstart-host.pcap without the 802.1Q frame: the CYW43439 carries
                        frames up to 1514 bytes (MTU 1500, no VLAN headroom); the Wi-Fi
                        scenarios replay it with quickstart-far.pcap.
Checksums are correct, so Wireshark shows no errors. The output is deterministic.
"""
import os
import struct
import sys

DEV_MAC = bytes.fromhex('020000000001')
FAR_MAC = bytes.fromhex('020000000002')
BCAST = b'\xff' * 6
DEV_IP = bytes([10, 10, 0, 1])
FAR_IP = bytes([10, 10, 0, 2])


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, ethertype, payload, vlan=None):
    if vlan is not None:
        return dst + src + struct.pack('!HHH', 0x8100, vlan, ethertype) + payload
    return dst + src + struct.pack('!H', ethertype) + payload


def ipv4(src, dst, proto, payload, ident):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                      src, dst)
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(src, dst, sport, dport, data):
    length = 8 + len(data)
    pseudo = src + dst + struct.pack('!BBH', 0, 17, length)
    hdr = struct.pack('!HHHH', sport, dport, length, 0)
    c = csum(pseudo + hdr + data) or 0xFFFF
    return struct.pack('!HHHH', sport, dport, length, c) + data


def icmp_echo(kind, ident, seq, data):
    hdr = struct.pack('!BBHHH', kind, 0, 0, ident, seq)
    c = csum(hdr + data)
    return struct.pack('!BBHHH', kind, 0, c, ident, seq) + data


def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, sha, spa, tha, tpa)


def pattern(n, seed):
    return bytes((seed * 31 + i * 7) & 0xFF for i in range(n))


def udp_frame(src_mac, dst_mac, src_ip, dst_ip, size, ident, vlan=None):
    """Ethernet frame of exactly `size` bytes (no FCS) carrying UDP."""
    hdrs = 14 + (4 if vlan is not None else 0) + 20 + 8
    data = pattern(size - hdrs, ident)
    return eth(dst_mac, src_mac, 0x0800,
               ipv4(src_ip, dst_ip, 17, udp(src_ip, dst_ip, 40000 + ident, 9, data), ident),
               vlan)


def host_frames():
    frames = [eth(BCAST, DEV_MAC, 0x0806, arp(1, DEV_MAC, DEV_IP, b'\0' * 6, FAR_IP))]
    for seq in range(1, 9):
        frames.append(eth(FAR_MAC, DEV_MAC, 0x0800,
                          ipv4(DEV_IP, FAR_IP, 1, icmp_echo(8, 0x4e42, seq, pattern(56, seq)),
                               0x100 + seq)))
    for i, size in enumerate([60, 64, 128, 256, 512, 590, 1000, 1024, 1400, 1500, 1514, 1514,
                              333, 77, 1513, 999]):
        frames.append(udp_frame(DEV_MAC, FAR_MAC, DEV_IP, FAR_IP, size, 0x200 + i))
    frames.append(udp_frame(DEV_MAC, FAR_MAC, DEV_IP, FAR_IP, 1518, 0x2ff, vlan=5))
    return frames


def far_frames():
    frames = [eth(DEV_MAC, FAR_MAC, 0x0806, arp(2, FAR_MAC, FAR_IP, DEV_MAC, DEV_IP))]
    for seq in range(1, 9):
        frames.append(eth(DEV_MAC, FAR_MAC, 0x0800,
                          ipv4(FAR_IP, DEV_IP, 1, icmp_echo(0, 0x4e42, seq, pattern(56, seq)),
                               0x300 + seq)))
    for i, size in enumerate([1514, 60, 700, 1200, 128, 1514, 64, 900, 1450, 250]):
        frames.append(udp_frame(FAR_MAC, DEV_MAC, FAR_IP, DEV_IP, size, 0x400 + i))
    frames.append(eth(BCAST, FAR_MAC, 0x0806, arp(1, FAR_MAC, FAR_IP, b'\0' * 6, DEV_IP)))
    return frames


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            usec = 1000 * i
            f.write(struct.pack('<IIII', usec // 1000000, usec % 1000000, len(fr), len(fr)))
            f.write(fr)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'scenarios')
    write_pcap(os.path.join(out, 'quickstart-host.pcap'), host_frames())
    write_pcap(os.path.join(out, 'quickstart-far.pcap'), far_frames())
    write_pcap(os.path.join(out, 'cyw43439-host.pcap'),
               [f for f in host_frames() if f[12:14] != b'\x81\x00'])


if __name__ == '__main__':
    main()
