/* SPDX-License-Identifier: MIT */
#include "tests/unit/lan8720_model/rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "drivers/util/crc32.h"

static void peer_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct rig_peer *p = ctx;

	(void)flags;
	if (p->rx < RIG_MAX_RX) {
		p->rx_at[p->rx] = nb_sim_now(p->sim);
		p->rx_len[p->rx] = len;
	}
	memcpy(p->last, frame, len);
	p->last_len = len;
	p->rx++;
}

static void peer_carrier(void *ctx, bool present)
{
	((struct rig_peer *)ctx)->carrier = present;
}

static const struct nb_wire_end_ops peer_ops = { .rx = peer_rx, .carrier = peer_carrier };

static void on_violation(void *ctx, const char *what, uint64_t t)
{
	struct rig *r = ctx;

	r->violations++;
	snprintf(r->last_violation, sizeof(r->last_violation), "%s", what);
	r->last_violation_t = t;
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "violation: %s\n", what);
}

void rig_up(struct rig *r, const struct nb_lan8720_model_cfg *cfg, bool wire)
{
	struct nb_sim_cfg sc = { 0 };

	memset(r, 0, sizeof(*r));
	r->sim = nb_sim_new(&sc);
	assert_non_null(r->sim);
	r->bus = nb_sim_mdio_new(r->sim, NULL);
	assert_non_null(r->bus);
	r->mdio = nb_sim_mdio_bus(r->bus);
	r->m = nb_lan8720_model_new(r->sim, cfg);
	assert_non_null(r->m);
	r->addr = cfg ? cfg->phy_addr : 0;
	nb_lan8720_model_set_violation_cb(r->m, on_violation, r);
	assert_int_equal(nb_lan8720_model_attach_mdio(r->m, r->bus), 0);
	if (wire) {
		r->wire = nb_wire_new(r->sim, NULL);
		assert_non_null(r->wire);
		r->peer.sim = r->sim;
		nb_wire_attach(r->wire, 1, &peer_ops, &r->peer);
		nb_wire_set_end_up(r->wire, 1, true);
		nb_lan8720_model_attach_wire(r->m, r->wire, 0);
	}
}

void rig_down(struct rig *r)
{
	nb_lan8720_model_free(r->m);
	nb_wire_free(r->wire);
	nb_sim_mdio_free(r->bus);
	nb_sim_free(r->sim);
}

uint16_t rig_rd(struct rig *r, uint8_t reg)
{
	int v = nb_mdio_read(&r->mdio, r->addr, reg);

	assert_true(v >= 0 && v <= 0xFFFF);
	return (uint16_t)v;
}

void rig_wr(struct rig *r, uint8_t reg, uint16_t val)
{
	assert_int_equal(nb_mdio_write(&r->mdio, r->addr, reg, val), 0);
}

void rig_run(struct rig *r, uint64_t ns)
{
	nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + ns);
}

void rig_link_up(struct rig *r)
{
	nb_lan8720_model_set_cable(r->m, true);
	for (int i = 0; i < 400 && !nb_lan8720_model_link_up(r->m); i++)
		rig_run(r, 10 * MS);
	assert_true(nb_lan8720_model_link_up(r->m));
}

void rig_frame(uint8_t *buf, size_t len, unsigned seed)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 1 }, src[6] = { 0x02, 0, 0, 0, 0, 2 };
	uint32_t fcs;

	nb_test_frame(buf, len - 4, dst, src, seed);
	fcs = nb_crc32(0, buf, len - 4);
	nb_put_le32(buf + len - 4, fcs);
}
