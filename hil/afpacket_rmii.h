/* SPDX-License-Identifier: MIT */
/**
 * @file afpacket_rmii.h
 * @brief The RMII frame port (drivers/bus/rmii.h) over a Linux network interface: an
 *        AF_PACKET socket carries the frames of a LAN8720 whose MAC side reaches the host
 *        through a NIC or a bridge (an RMII-to-USB/Ethernet adapter, an FPGA, a PIO bridge).
 *
 * The interface must carry nothing but the PHY's frames: bring it up without an address (and
 * out of NetworkManager's hands), or the host's own traffic goes to the PHY's TX side too.
 *
 * Socket: SOCK_RAW, ETH_P_ALL, bound to the interface (frames queued before the bind, from
 * any interface, are drained), PACKET_AUXDATA on, PACKET_IGNORE_OUTGOING on where the kernel
 * has it (4.20+; otherwise frames this host sent are recognised by sll_pkttype and skipped),
 * optional promiscuous membership. Non-blocking: the run loop watches nb_afpacket_fd() for
 * readability and calls nb_afpacket_service(), which runs the port's notify callback.
 *
 * FCS. Frames through an RMII port carry their FCS (rmii.h); frames through a host NIC do not:
 * the NIC checks and strips it on receive and appends it on transmit. So:
 *  - receive: the port appends a correct FCS (computed with cfg.crc32) to every frame, so the
 *    MAC driver's FCS check holds. This means a frame that was corrupted on the wire never
 *    reaches the driver at all: the NIC dropped it and counted it in its own statistics
 *    (ip -s link: "rx crc errors"), not in the driver's NB_DROP_RX_FCS. The driver's FCS check
 *    is not exercised on this path. With nic_keeps_fcs the NIC delivers the FCS itself
 *    (`ethtool -K <if> rx-fcs on`, and `rx-all on` to also get bad frames): then frames are
 *    passed as received and the driver's check is real again.
 *  - transmit: the driver's FCS is checked and stripped; the NIC computes its own. A frame
 *    whose FCS is wrong is not sent (a NIC would "repair" it) and is counted in tx_bad_fcs:
 *    on a real wire the partner would have dropped it.
 * Short frames (a veth or a bridge can deliver frames below 60 bytes) are padded with zeros
 * to 60 before the FCS, as a MAC on a real wire would have received them (rx_padded).
 * VLAN: when the NIC took the 802.1Q tag out (hardware VLAN stripping), the tag from the
 * auxiliary data is put back at offset 12. A frame longer than the port's buffer (2048 bytes
 * with FCS) is cut and flagged NB_RMII_RX_TRUNC.
 *
 * Speed: set_speed() is recorded only (nb_afpacket_speed()); the NIC runs at its own speed.
 * rx_dropped: the kernel's PACKET_STATISTICS drops (socket buffer full), accumulated.
 *
 * Errors: open(): -ENODEV no such interface, -EPERM without CAP_NET_RAW, -EIO other socket
 * failures. tx(): -EAGAIN when the socket cannot take the frame now; a frame the kernel
 * refuses for another reason (interface down, too long) is taken and lost, counted in
 * tx_errors and logged once per errno. Every failure leaves one line in
 * nb_afpacket_last_error().
 *
 * Context: not thread-safe; the notify callback runs from nb_afpacket_service().
 */
#ifndef NB_HIL_AFPACKET_RMII_H
#define NB_HIL_AFPACKET_RMII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/log.h"
#include "drivers/bus/rmii.h"
#include "drivers/util/crc32.h"

/** Receive buffer: the longest frame the port hands over, FCS included. */
#define NB_AFPACKET_FRAME_MAX 2048u

struct nb_afpacket_cfg {
	const char *ifname;  /**< interface (required; copied) */
	bool promisc;        /**< receive frames for any destination (PACKET_MR_PROMISC) */
	bool nic_keeps_fcs;  /**< the NIC delivers frames with their FCS (rx-fcs on) */
	nb_crc32_fn crc32;   /**< NULL = nb_crc32 */
	struct nb_log log;
};

struct nb_afpacket_stats {
	uint64_t rx_frames, rx_bytes;
	uint64_t rx_outgoing_skipped; /**< our own transmissions seen on the socket */
	uint64_t rx_padded;           /**< frames below 60 bytes, padded */
	uint64_t rx_vlan_restored;    /**< 802.1Q tags put back from the auxiliary data */
	uint64_t rx_truncated;
	uint64_t rx_errors;           /**< recvmsg failures */
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_bad_fcs;          /**< frames not sent: the driver's FCS was wrong */
	uint64_t tx_errors;           /**< frames the kernel refused (lost) */
	uint64_t tx_busy;             /**< -EAGAIN answers */
};

struct nb_afpacket;

/** @retval 0, -EINVAL (no interface name), -ENODEV, -EPERM, -EIO, -ENOMEM. */
int nb_afpacket_open(const struct nb_afpacket_cfg *cfg, struct nb_afpacket **out, char *err,
		     size_t errlen);
/** Close the socket (promiscuous membership ends with it). Accepts NULL. */
void nb_afpacket_close(struct nb_afpacket *a);
/** The frame port (valid until close). */
struct nb_rmii_port nb_afpacket_rmii(struct nb_afpacket *a);
/** The socket, for the run loop (readable: frames waiting). */
int nb_afpacket_fd(const struct nb_afpacket *a);
/** Call when the socket is readable: runs the notify callback if one is set.
 *  @return 1 notified, 0 nothing to do. */
int nb_afpacket_service(struct nb_afpacket *a);
/** Speed and duplex the MAC driver last set (0 before). */
uint16_t nb_afpacket_speed(const struct nb_afpacket *a, bool *full_duplex);
const struct nb_afpacket_stats *nb_afpacket_stats(const struct nb_afpacket *a);
const char *nb_afpacket_last_error(const struct nb_afpacket *a);

#endif /* NB_HIL_AFPACKET_RMII_H */
