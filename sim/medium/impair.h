/* SPDX-License-Identifier: MIT */
/**
 * @file impair.h
 * @brief Seeded link impairments on a simulated wire (loss, bursts, delay, jitter, rate
 *        limit, corruption, duplication, reordering, MTU), as a struct nb_wire_stage.
 *
 * Each direction of the wire has its own settings and counters; the direction is named by
 * the end frames enter at: NB_IMPAIR_TO_FAR (end 0, the device's side) and
 * NB_IMPAIR_TO_DEVICE (end 1, the far peer). Per frame, in this order (as a frame would
 * meet them on a path):
 *  1. MTU: a frame longer than mtu + 14 bytes (FCS not counted) is dropped (mtu_dropped).
 *  2. Loss: independent with probability loss, or, with loss_burst > 1, a two-state
 *     Gilbert–Elliott chain (good: delivered, bad: lost) whose stationary loss is loss and
 *     whose bad-state runs average loss_burst frames (lost / burst_lost, bursts).
 *  3. Rate limit: a token bucket of rate_bps (frame bytes with FCS, 8 bits each) and
 *     rate_burst bytes. Frames wait FIFO; one arriving while rate_queue frames already wait
 *     is dropped (rate_dropped).
 *  4. Duplication with probability duplicate: the wire sends the frame twice
 *     (duplicated), the copy right behind the original.
 *  5. Corruption with probability corrupt: 1..corrupt_bits distinct random bits anywhere in
 *     the frame, FCS included, are flipped (corrupted; counted per frame on the wire, so a
 *     corrupted frame that is also duplicated counts twice), so the receiving MAC sees an FCS
 *     error (CRC-32 detects any 3 flipped bits; with more, 2^-32 of them pass, as on a
 *     real link).
 *  6. Delay: delay_ns plus a uniform offset in [-jitter_ns, +jitter_ns] (delayed). Frames
 *     keep their order, as in a cable or a queue: a frame never arrives before one sent
 *     earlier in its direction, so jitter alone does not reorder. Reordering
 *     (reorder > 0, needs a delay) works as netem's: once at least reorder_gap - 1 frames
 *     went through delayed since the last reordered one, a frame skips the delay with
 *     probability reorder and overtakes the delayed frames (reordered).
 *
 * Randomness: each concern of each direction draws from its own stream seeded from the
 * sim's seed (nb_sim_rng, "impair.<dir>.<concern>"), so the same seed gives the same
 * decisions, and turning one impairment on does not change the frames another one picks.
 *
 * Context: the run loop (apply() runs inside nb_wire_send()). Not thread-safe.
 */
#ifndef NB_SIM_IMPAIR_H
#define NB_SIM_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/core/sim.h"
#include "sim/medium/wire.h"

enum nb_impair_dir {
	NB_IMPAIR_TO_FAR = 0,    /**< frames entering at end 0 (the device's PHY / the AP) */
	NB_IMPAIR_TO_DEVICE = 1, /**< frames entering at end 1 (the far peer) */
};

#define NB_IMPAIR_MAX_QUEUE 4096u
#define NB_IMPAIR_MAX_BITS 16u
#define NB_IMPAIR_DEFAULT_QUEUE 16u

/** Settings of one direction. All zero: no impairment. */
struct nb_impair_dir_cfg {
	double loss;           /**< probability a frame is lost, 0..1 */
	double loss_burst;     /**< mean loss burst (frames); 0 or 1: independent losses */
	uint64_t delay_ns;     /**< added to every frame */
	uint64_t jitter_ns;    /**< uniform ± around delay_ns; at most delay_ns */
	double reorder;        /**< probability an eligible frame skips the delay */
	uint32_t reorder_gap;  /**< frames between reorderings (netem's gap); 0 = 1 */
	uint64_t rate_bps;     /**< 0: no rate limit */
	uint32_t rate_burst;   /**< bucket depth in bytes; 0: frames leave at the rate */
	uint32_t rate_queue;   /**< frames that may wait; 0 = NB_IMPAIR_DEFAULT_QUEUE */
	double corrupt;        /**< probability a frame is corrupted */
	uint32_t corrupt_bits; /**< at most this many bits flipped (1..16); 0 = 1 */
	double duplicate;      /**< probability a frame is sent twice */
	uint32_t mtu;          /**< 0: no limit; else frames over mtu + 14 bytes (no FCS) drop */
};

/** Counters of one direction. */
struct nb_impair_stats {
	uint64_t frames;       /**< entered the stage */
	uint64_t lost;         /**< independent losses */
	uint64_t burst_lost;   /**< losses of the Gilbert–Elliott bad state */
	uint64_t bursts;       /**< bad-state runs entered */
	uint64_t corrupted;    /**< corrupted frames put on the wire (a duplicate counts too) */
	uint64_t duplicated;
	uint64_t reordered;
	uint64_t mtu_dropped;
	uint64_t rate_dropped;
	uint64_t delayed;      /**< given an extra delay (delay, jitter or a rate-limit wait) */
};

struct nb_impair;

/**
 * Check one direction's settings.
 * @return NULL when valid, else a sentence saying what is wrong (static storage).
 */
const char *nb_impair_cfg_problem(const struct nb_impair_dir_cfg *cfg);

/**
 * New stage with random streams seeded from @p sim. With @p wire non-NULL it installs
 * itself there (nb_wire_set_stage), and keeps frames in order against the wire's own timing;
 * with NULL, apply() is called by hand (tests) and times are relative to nb_sim_now().
 * @p cfg: two directions (NULL: none impaired).
 * @return the stage, or NULL: out of memory or invalid settings (errno EINVAL/ENOMEM).
 */
struct nb_impair *nb_impair_new(struct nb_sim *sim, struct nb_wire *wire,
				const struct nb_impair_dir_cfg cfg[2]);
/** Removes itself from the wire; accepts NULL. */
void nb_impair_free(struct nb_impair *ip);

/**
 * Replace the settings of direction @p dir from now on (timeline). Frames already on the
 * wire keep their fate; the random streams and the rate limit's queue carry on.
 * @retval 0 @retval -EINVAL invalid settings (nothing changed) or direction.
 */
int nb_impair_set(struct nb_impair *ip, int dir, const struct nb_impair_dir_cfg *cfg);
const struct nb_impair_dir_cfg *nb_impair_get(const struct nb_impair *ip, int dir);

/** The stage to install on a wire; valid as long as @p ip. */
const struct nb_wire_stage *nb_impair_stage(const struct nb_impair *ip);
const struct nb_impair_stats *nb_impair_stats(const struct nb_impair *ip, int dir);
/** Frames that dropped for any cause in direction @p dir. */
uint64_t nb_impair_dropped(const struct nb_impair *ip, int dir);

#endif /* NB_SIM_IMPAIR_H */
