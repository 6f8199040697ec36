#!/usr/bin/python3
"""Receiver of tools/bench/replay: time-stamps every bench frame crossing one interface.

    replay_rx.py IFACE OUTFILE        (run inside the namespace that holds IFACE)

An AF_PACKET socket (ETH_P_ALL: the only kind that also sees frames the interface sends)
with SO_TIMESTAMPNS: each frame carries the kernel's time stamp of when it crossed the
interface, so this process's own scheduling does not enter the numbers. Frames with the
bench ethertype 0x88B5 are written to OUTFILE as "direction t_ns seq length" lines
(direction: in = the interface received it, out = the interface sent it). Prints "ready"
once listening; stops on SIGTERM/SIGINT.
"""
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35
PACKET_OUTGOING = 4
BENCH_ETHERTYPE = 0x88B5

stop = False


def on_signal(_sig, _frame):
    global stop
    stop = True


def main():
    iface, out = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((iface, 0))
    s.settimeout(0.2)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print('ready', flush=True)
    with open(out, 'w') as f:
        while not stop:
            try:
                data, anc, _flags, addr = s.recvmsg(2048, socket.CMSG_SPACE(16))
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            except OSError:
                break  # the interface went away with netbench: nothing more can come
            if len(data) < 18 or struct.unpack('!H', data[12:14])[0] != BENCH_ETHERTYPE:
                continue
            t = None
            for level, kind, val in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack('qq', val[:16])
                    t = sec * 10**9 + nsec
            if t is None:
                continue
            direction = 'out' if addr[2] == PACKET_OUTGOING else 'in'
            f.write('%s %d %d %d\n' % (direction, t, struct.unpack('!I', data[14:18])[0],
                                        len(data)))


if __name__ == '__main__':
    main()
