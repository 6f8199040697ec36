/* SPDX-License-Identifier: MIT */
/**
 * @file afpacket_emu.h
 * @brief A Linux network interface and its AF_PACKET sockets, for the AF_PACKET port tests.
 *
 * The test executable links with -Wl,--wrap= for socket, bind, setsockopt, getsockopt, recv,
 * recvmsg, sendmsg and if_nametoindex. An AF_PACKET socket is backed by a real
 * AF_UNIX SOCK_SEQPACKET pair, so poll() on it is the real thing: readable when a frame is
 * queued. The emulated kernel behaves as Linux does: it delivers a copy of every frame the
 * socket sends back to it as PACKET_OUTGOING unless PACKET_IGNORE_OUTGOING is set (which an
 * "old kernel" option refuses), puts stripped VLAN tags into PACKET_AUXDATA, reports
 * MSG_TRUNC with the full length, and resets PACKET_STATISTICS when read.
 *
 * The NIC behind the interface is either the test (emu_afp_inject / emu_afp_take_sent) or
 * the LAN8720 model's RMII port (emu_afp_connect_rmii): frames the PHY receives from the wire
 * have their FCS checked and stripped as a NIC does (bad ones counted and dropped), frames sent
 * on the socket get a FCS appended and go to the PHY's transmit side.
 */
#ifndef NB_TEST_AFPACKET_EMU_H
#define NB_TEST_AFPACKET_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/rmii.h"

#define EMU_AFP_IFNAME "nbeth0"
#define EMU_AFP_IFINDEX 7

struct emu_afp_opts {
	bool deny;             /**< socket() fails with EPERM (no CAP_NET_RAW) */
	bool old_kernel;       /**< PACKET_IGNORE_OUTGOING unknown (ENOPROTOOPT) */
};

struct emu_afp_state {
	bool bound, auxdata, ignore_outgoing, promisc;
	int bound_ifindex;
	unsigned sent, delivered, nic_crc_errors;
	unsigned protocol_errors;
	char last_error[256];
};

void emu_afp_reset(const struct emu_afp_opts *o);
/** Queue a frame (no FCS) as the kernel would deliver it. @p pkttype PACKET_HOST etc.;
 *  @p vlan_tci >= 0: the NIC stripped a tag with this TCI into the auxiliary data. */
void emu_afp_inject(const uint8_t *frame, size_t len, int pkttype, int vlan_tci);
/** Oldest frame sent on the socket (no FCS); 0 when none. */
size_t emu_afp_take_sent(uint8_t *buf, size_t cap);
/** The next @p count sendmsg calls fail with errno @p err. */
void emu_afp_fail_send(int err, unsigned count);
/** Drops the kernel reports in the next PACKET_STATISTICS read. */
void emu_afp_add_drops(unsigned n);
/** The NIC's far side is @p port (a LAN8720 model's RMII port). */
void emu_afp_connect_rmii(struct nb_rmii_port port);
const struct emu_afp_state *emu_afp_state(void);

#endif
