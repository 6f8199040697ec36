/* SPDX-License-Identifier: MIT */
/* The simulated clause-22 MDIO bus: frame decoding at pin and register level. */
#include <errno.h>
#include <string.h>

#include "drivers/bus/mdio_bitbang.h"
#include "sim/bus/mdio_bus.h"
#include "sim/lan8720/lan8720_model.h"
#include "tests/unit/support/test_support.h"

/* ---- a plain register-file device ----------------------------------------------------- */

struct fake {
	uint8_t addr;
	uint16_t regs[32];
	unsigned reads, writes;
	struct nb_sim_mdio *bus; /* for the re-entrancy test */
	int nested;
};

static bool fake_answers(void *ctx, uint8_t addr)
{
	return addr == ((struct fake *)ctx)->addr;
}

static uint16_t fake_read(void *ctx, uint8_t reg)
{
	struct fake *f = ctx;

	f->reads++;
	if (f->bus) {
		struct nb_mdio_bus b = nb_sim_mdio_bus(f->bus);

		f->nested = nb_mdio_read(&b, f->addr, 0);
	}
	return f->regs[reg];
}

static void fake_write(void *ctx, uint8_t reg, uint16_t val)
{
	struct fake *f = ctx;

	f->writes++;
	f->regs[reg] = val;
}

static const struct nb_sim_mdio_dev_ops fake_ops = {
	.answers = fake_answers, .read = fake_read, .write = fake_write,
};

struct bus_rig {
	struct nb_sim *sim;
	struct nb_sim_mdio *bus;
	struct nb_mdio_bus mdio;
	struct nb_gpio gpio;
	struct fake fake;
};

static void bus_up(struct bus_rig *r, const struct nb_sim_mdio_cfg *cfg)
{
	struct nb_sim_cfg sc = { 0 };

	memset(r, 0, sizeof(*r));
	r->sim = nb_sim_new(&sc);
	r->bus = nb_sim_mdio_new(r->sim, cfg);
	assert_non_null(r->bus);
	r->mdio = nb_sim_mdio_bus(r->bus);
	r->gpio = nb_sim_mdio_gpio(r->bus);
	r->fake.addr = 3;
	for (unsigned i = 0; i < 32; i++)
		r->fake.regs[i] = (uint16_t)(0x1111u * (i % 15) + i);
	assert_int_equal(nb_sim_mdio_attach(r->bus, &fake_ops, &r->fake), 0);
}

static void bus_down(struct bus_rig *r)
{
	nb_sim_mdio_free(r->bus);
	nb_sim_free(r->sim);
}

/* ---- a bit-banging station with the IEEE timing, written here so each field can be
 *      broken on purpose (Linux mdio-bitbang's sequence) --------------------------------- */

struct frame_spec {
	unsigned preamble; /* ones before ST */
	unsigned st;       /* 2 bits */
	unsigned op;       /* 2 bits */
	uint8_t phy, reg;
	unsigned ta;       /* 2 bits a writer drives */
	uint16_t data;
	bool read;
	bool drive_ta;     /* a reader that keeps driving 1 through the turnaround */
};

static void pin_out(const struct nb_gpio *g, bool bit)
{
	assert_int_equal(nb_gpio_write(g, NB_SIM_MDIO_PIN_MDIO, bit), 0);
	assert_int_equal(nb_gpio_write(g, NB_SIM_MDIO_PIN_MDC, true), 0);
	assert_int_equal(nb_gpio_write(g, NB_SIM_MDIO_PIN_MDC, false), 0);
}

static int pin_in(const struct nb_gpio *g)
{
	int v;

	assert_int_equal(nb_gpio_write(g, NB_SIM_MDIO_PIN_MDC, true), 0);
	v = nb_gpio_read(g, NB_SIM_MDIO_PIN_MDIO);
	assert_int_equal(nb_gpio_write(g, NB_SIM_MDIO_PIN_MDC, false), 0);
	assert_true(v == 0 || v == 1);
	return v;
}

static void pin_bits(const struct nb_gpio *g, uint32_t v, unsigned n)
{
	while (n-- > 0)
		pin_out(g, (v >> n) & 1u);
}

/* @return the 16 data bits as read (reads), with *ta the turnaround bit. */
static uint16_t pin_frame(const struct nb_gpio *g, const struct frame_spec *f, int *ta)
{
	uint16_t v = 0;

	assert_int_equal(nb_gpio_set_dir(g, NB_SIM_MDIO_PIN_MDC, true, false), 0);
	assert_int_equal(nb_gpio_set_dir(g, NB_SIM_MDIO_PIN_MDIO, true, true), 0);
	for (unsigned i = 0; i < f->preamble; i++)
		pin_out(g, 1);
	pin_bits(g, f->st, 2);
	pin_bits(g, f->op, 2);
	pin_bits(g, f->phy, 5);
	pin_bits(g, f->reg, 5);
	if (f->read) {
		if (!f->drive_ta)
			assert_int_equal(nb_gpio_set_dir(g, NB_SIM_MDIO_PIN_MDIO, false, false), 0);
		/* The PHY drives TA's second bit right after edge 47: one clock, then data. */
		*ta = pin_in(g);
		for (unsigned i = 0; i < 16; i++) {
			v = (uint16_t)((v << 1) | pin_in(g));
			/* a bad reader lets go only after edge 48 (the PHY's TA zero) */
			if (i == 0 && f->drive_ta)
				assert_int_equal(nb_gpio_set_dir(g, NB_SIM_MDIO_PIN_MDIO, false,
								 false), 0);
		}
		(void)pin_in(g);
	} else {
		pin_bits(g, f->ta, 2);
		pin_bits(g, f->data, 16);
		assert_int_equal(nb_gpio_set_dir(g, NB_SIM_MDIO_PIN_MDIO, false, false), 0);
		(void)pin_in(g);
	}
	return v;
}

static uint16_t pin_read(const struct nb_gpio *g, uint8_t phy, uint8_t reg, int *ta)
{
	struct frame_spec f = { .preamble = 32, .st = 1, .op = 2, .phy = phy, .reg = reg,
				.read = true };

	return pin_frame(g, &f, ta);
}

static void pin_write(const struct nb_gpio *g, uint8_t phy, uint8_t reg, uint16_t val)
{
	struct frame_spec f = { .preamble = 32, .st = 1, .op = 1, .phy = phy, .reg = reg,
				.ta = 2, .data = val };

	(void)pin_frame(g, &f, NULL);
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_mdio_bus_register_level_read_write(void **state)
{
	struct bus_rig r;
	const struct nb_sim_mdio_stats *st;

	(void)state;
	bus_up(&r, NULL);
	assert_int_equal(nb_mdio_read(&r.mdio, 3, 7), r.fake.regs[7]);
	/* 64 MDC periods at 2.5 MHz */
	assert_int_equal(nb_sim_now(r.sim), 64 * 400);
	assert_int_equal(nb_mdio_write(&r.mdio, 3, 9, 0xBEEF), 0);
	assert_int_equal(r.fake.regs[9], 0xBEEF);
	assert_int_equal(nb_mdio_read(&r.mdio, 3, 9), 0xBEEF);
	assert_int_equal(nb_sim_now(r.sim), 3 * 64 * 400);
	st = nb_sim_mdio_stats(r.bus);
	assert_int_equal(st->reads, 2);
	assert_int_equal(st->writes, 1);
	assert_int_equal(st->bad_frames, 0);
	assert_int_equal(nb_mdio_read(&r.mdio, 32, 0), -EINVAL);
	assert_int_equal(nb_mdio_write(&r.mdio, 0, 32, 0), -EINVAL);
	bus_down(&r);
}

static void test_mdio_bus_mdc_rate_sets_frame_time(void **state)
{
	struct nb_sim_mdio_cfg cfg = { .mdc_hz = 1000000 };
	struct bus_rig r;

	(void)state;
	bus_up(&r, &cfg);
	assert_int_equal(nb_mdio_read(&r.mdio, 3, 1), r.fake.regs[1]);
	assert_int_equal(nb_sim_now(r.sim), 64 * 1000);
	/* pins: each MDC level change is half a period */
	assert_int_equal(nb_gpio_set_dir(&r.gpio, NB_SIM_MDIO_PIN_MDC, true, false), 0);
	assert_int_equal(nb_gpio_write(&r.gpio, NB_SIM_MDIO_PIN_MDC, true), 0);
	assert_int_equal(nb_sim_now(r.sim), 64 * 1000 + 500);
	assert_int_equal(nb_gpio_write(&r.gpio, NB_SIM_MDIO_PIN_MDC, true), 0); /* no edge */
	assert_int_equal(nb_sim_now(r.sim), 64 * 1000 + 500);
	bus_down(&r);
}

static void test_mdio_bus_absent_address_floats(void **state)
{
	struct nb_sim_mdio_cfg nopull = { .no_pullup = true };
	struct bus_rig r;
	int ta = -1;

	(void)state;
	bus_up(&r, NULL);
	assert_int_equal(nb_mdio_read(&r.mdio, 4, 2), 0xFFFF);
	assert_int_equal(pin_read(&r.gpio, 4, 2, &ta), 0xFFFF);
	assert_int_equal(ta, 1); /* nobody pulled the turnaround low */
	assert_int_equal(nb_sim_mdio_stats(r.bus)->unanswered, 2);
	assert_int_equal(r.fake.reads, 0);
	bus_down(&r);

	bus_up(&r, &nopull);
	assert_int_equal(nb_mdio_read(&r.mdio, 4, 2), 0x0000);
	assert_int_equal(pin_read(&r.gpio, 4, 2, &ta), 0x0000);
	/* the device at 3 still answers over a line without pull-up */
	assert_int_equal(nb_mdio_read(&r.mdio, 3, 5), r.fake.regs[5]);
	assert_int_equal(pin_read(&r.gpio, 3, 5, &ta), r.fake.regs[5]);
	assert_int_equal(ta, 0);
	bus_down(&r);
}

static void test_mdio_bus_pins_match_register_level(void **state)
{
	struct bus_rig a, b;
	int ta;

	(void)state;
	bus_up(&a, NULL);
	bus_up(&b, NULL);
	for (unsigned i = 0; i < 40; i++) {
		uint8_t reg = (uint8_t)((i * 7) % 32);

		if (i % 3 == 0) {
			uint16_t v = (uint16_t)(0x9C35u * (i + 1));

			assert_int_equal(nb_mdio_write(&a.mdio, 3, reg, v), 0);
			pin_write(&b.gpio, 3, reg, v);
		}
		assert_int_equal(pin_read(&b.gpio, 3, reg, &ta), nb_mdio_read(&a.mdio, 3, reg));
		assert_int_equal(ta, 0);
	}
	assert_memory_equal(a.fake.regs, b.fake.regs, sizeof(a.fake.regs));
	assert_int_equal(nb_sim_mdio_stats(a.bus)->reads, nb_sim_mdio_stats(b.bus)->reads);
	assert_int_equal(nb_sim_mdio_stats(b.bus)->bad_frames, 0);
	bus_down(&a);
	bus_down(&b);
}

/* A LAN8720A model behind drivers/bus/mdio_bitbang.c and behind the register-level station:
 * the same sequence of accesses must give the same values and the same register state. */
static void test_mdio_bus_bitbang_driver_matches_register_level(void **state)
{
	static const struct { bool write; uint8_t reg; uint16_t val; } seq[] = {
		{ false, 2, 0 },       { false, 3, 0 },      { false, 1, 0 },
		{ false, 1, 0 },       { false, 18, 0 },     { true, 4, 0x0061 },
		{ false, 4, 0 },       { true, 30, 0x00D0 }, { false, 30, 0 },
		{ false, 29, 0 },      { false, 27, 0 },     { true, 27, 0xA00B },
		{ false, 27, 0 },      { false, 31, 0 },     { false, 9, 0 },
		{ true, 0, 0x1200 },   { false, 0, 0 },      { false, 17, 0 },
	};
	struct nb_sim_cfg sc = { 0 };
	struct nb_lan8720_model_cfg mc = { .phy_addr = 1, .lax = true };
	struct nb_sim *sa = nb_sim_new(&sc), *sb = nb_sim_new(&sc);
	struct nb_sim_mdio *ba = nb_sim_mdio_new(sa, NULL), *bb = nb_sim_mdio_new(sb, NULL);
	struct nb_lan8720_model *ma = nb_lan8720_model_new(sa, &mc), *mb = nb_lan8720_model_new(sb, &mc);
	struct nb_mdio_bus reg = nb_sim_mdio_bus(ba);
	struct nb_mdio_bitbang bang;
	struct nb_mdio_bitbang_cfg bcfg = { .gpio = nb_sim_mdio_gpio(bb),
					    .mdc_pin = NB_SIM_MDIO_PIN_MDC,
					    .mdio_pin = NB_SIM_MDIO_PIN_MDIO };
	unsigned differ = 0;

	(void)state;
	assert_int_equal(nb_lan8720_model_attach_mdio(ma, ba), 0);
	assert_int_equal(nb_lan8720_model_attach_mdio(mb, bb), 0);
	assert_int_equal(nb_mdio_bitbang_init(&bang, &bcfg), 0);
	for (size_t i = 0; i < NB_ARRAY_SIZE(seq); i++) {
		if (seq[i].write) {
			assert_int_equal(nb_mdio_write(&reg, 1, seq[i].reg, seq[i].val), 0);
			assert_int_equal(nb_mdio_write(&bang.bus, 1, seq[i].reg, seq[i].val), 0);
			continue;
		}
		int va = nb_mdio_read(&reg, 1, seq[i].reg);
		int vb = nb_mdio_read(&bang.bus, 1, seq[i].reg);

		assert_true(va >= 0 && vb >= 0);
		if (va != vb)
			differ++;
	}
	for (uint8_t r = 0; r < 32; r++)
		assert_int_equal(nb_lan8720_model_peek(ma, r), nb_lan8720_model_peek(mb, r));
	nb_lan8720_model_free(ma);
	nb_lan8720_model_free(mb);
	nb_sim_mdio_free(ba);
	nb_sim_mdio_free(bb);
	nb_sim_free(sa);
	nb_sim_free(sb);
	assert_int_equal(differ, 0);
	assert_int_equal(bang.ta_errors, 0);
}

static void test_mdio_bus_short_preamble_ignored(void **state)
{
	struct bus_rig r;
	struct frame_spec f = { .preamble = 31, .st = 1, .op = 1, .phy = 3, .reg = 4, .ta = 2,
				.data = 0x1234 };
	const struct nb_sim_mdio_stats *st;

	(void)state;
	bus_up(&r, NULL);
	/* Idle ones first would make up the preamble: start from a low line. */
	assert_int_equal(nb_gpio_set_dir(&r.gpio, NB_SIM_MDIO_PIN_MDIO, true, false), 0);
	assert_int_equal(nb_gpio_set_dir(&r.gpio, NB_SIM_MDIO_PIN_MDC, true, false), 0);
	pin_out(&r.gpio, 0);
	(void)pin_frame(&r.gpio, &f, NULL);
	st = nb_sim_mdio_stats(r.bus);
	assert_int_equal(r.fake.writes, 0);
	assert_int_not_equal(r.fake.regs[4], 0x1234);
	assert_int_equal(st->short_preamble, 1);
	assert_int_equal(st->bad_frames, 1);
	assert_int_equal(st->writes, 0);
	/* the next well-formed frame is decoded */
	pin_write(&r.gpio, 3, 4, 0x1234);
	assert_int_equal(r.fake.regs[4], 0x1234);
	assert_int_equal(st->writes, 1);
	assert_int_equal(st->bad_frames, 1);
	bus_down(&r);
}

static void test_mdio_bus_clause45_frames_ignored(void **state)
{
	struct bus_rig r;
	/* clause-45 address frame then read frame: ST = 00, OP 00 / 11 */
	struct frame_spec addr = { .preamble = 32, .st = 0, .op = 0, .phy = 3, .reg = 1, .ta = 2,
				   .data = 0x0004 };
	struct frame_spec rd = { .preamble = 32, .st = 0, .op = 3, .phy = 3, .reg = 1,
				 .read = true };
	int ta;

	(void)state;
	bus_up(&r, NULL);
	(void)pin_frame(&r.gpio, &addr, NULL);
	assert_int_equal(pin_frame(&r.gpio, &rd, &ta), 0xFFFF);
	assert_int_equal(ta, 1);
	assert_int_equal(nb_sim_mdio_stats(r.bus)->clause45, 2);
	assert_int_equal(nb_sim_mdio_stats(r.bus)->bad_frames, 2);
	assert_int_equal(r.fake.reads + r.fake.writes, 0);
	assert_int_equal(nb_mdio_read(&r.mdio, 3, 1), r.fake.regs[1]);
	bus_down(&r);
}

static void test_mdio_bus_bad_op_and_write_turnaround_ignored(void **state)
{
	struct bus_rig r;
	struct frame_spec op11 = { .preamble = 32, .st = 1, .op = 3, .phy = 3, .reg = 6, .ta = 2,
				   .data = 0x5555 };
	struct frame_spec ta11 = { .preamble = 32, .st = 1, .op = 1, .phy = 3, .reg = 6, .ta = 3,
				   .data = 0x5555 };
	const struct nb_sim_mdio_stats *st;
	uint16_t before;

	(void)state;
	bus_up(&r, NULL);
	before = r.fake.regs[6];
	(void)pin_frame(&r.gpio, &op11, NULL);
	(void)pin_frame(&r.gpio, &ta11, NULL);
	st = nb_sim_mdio_stats(r.bus);
	assert_int_equal(st->bad_op, 1);
	assert_int_equal(st->bad_ta, 1);
	assert_int_equal(st->bad_frames, 2);
	assert_int_equal(r.fake.regs[6], before);
	assert_int_equal(r.fake.writes, 0);
	bus_down(&r);
}

static void test_mdio_bus_contention_counted(void **state)
{
	struct bus_rig r;
	/* REGAD ends in 1: the station goes on driving 1 against the PHY's TA zero */
	struct frame_spec f = { .preamble = 32, .st = 1, .op = 2, .phy = 3, .reg = 1,
				.read = true, .drive_ta = true };
	int ta;

	(void)state;
	bus_up(&r, NULL);
	(void)pin_frame(&r.gpio, &f, &ta);
	assert_int_equal(ta, 0); /* low wins the fight */
	assert_int_equal(nb_sim_mdio_stats(r.bus)->contention, 1);
	(void)pin_read(&r.gpio, 3, 1, &ta);
	assert_int_equal(nb_sim_mdio_stats(r.bus)->contention, 1);
	bus_down(&r);
}

struct trace_rec {
	unsigned n;
	uint64_t t[8];
	bool write[8];
	uint8_t phy[8], reg[8];
	uint16_t val[8];
	bool answered[8];
};

static void on_trace(void *ctx, uint64_t t, bool write, uint8_t phy, uint8_t reg, uint16_t val,
		     bool answered)
{
	struct trace_rec *tr = ctx;

	if (tr->n < 8) {
		tr->t[tr->n] = t;
		tr->write[tr->n] = write;
		tr->phy[tr->n] = phy;
		tr->reg[tr->n] = reg;
		tr->val[tr->n] = val;
		tr->answered[tr->n] = answered;
	}
	tr->n++;
}

static void test_mdio_bus_trace_once_per_frame(void **state)
{
	struct bus_rig r;
	struct trace_rec tr = { 0 };
	struct frame_spec bad = { .preamble = 32, .st = 0, .op = 2, .phy = 3, .reg = 1,
				  .read = true };
	int ta;

	(void)state;
	bus_up(&r, NULL);
	nb_sim_mdio_set_trace(r.bus, on_trace, &tr);
	assert_int_equal(nb_mdio_write(&r.mdio, 3, 17, 0x00AB), 0);
	assert_int_equal(nb_mdio_read(&r.mdio, 9, 1), 0xFFFF);
	(void)pin_frame(&r.gpio, &bad, &ta);
	assert_int_equal(tr.n, 2);
	assert_true(tr.write[0]);
	assert_int_equal(tr.phy[0], 3);
	assert_int_equal(tr.reg[0], 17);
	assert_int_equal(tr.val[0], 0x00AB);
	assert_true(tr.answered[0]);
	/* decoded on the 64th rising edge: 64 low and 63 high half periods */
	assert_int_equal(tr.t[0], 127 * 200);
	assert_false(tr.write[1]);
	assert_int_equal(tr.phy[1], 9);
	assert_int_equal(tr.val[1], 0xFFFF);
	assert_false(tr.answered[1]);
	assert_int_equal(tr.t[1], 64 * 400 + 127 * 200);
	bus_down(&r);
}

static void test_mdio_bus_gpio_and_reentry_errors(void **state)
{
	struct bus_rig r;
	struct bus_rig r2;
	struct fake second = { .addr = 3 };

	(void)state;
	bus_up(&r, NULL);
	assert_int_equal(nb_gpio_write(&r.gpio, NB_SIM_MDIO_PIN_MDIO, true), -EPERM);
	assert_int_equal(nb_gpio_write(&r.gpio, NB_SIM_MDIO_PIN_MDC, true), -EPERM);
	assert_int_equal(nb_gpio_write(&r.gpio, 2, true), -EINVAL);
	assert_int_equal(nb_gpio_read(&r.gpio, 7), -EINVAL);
	assert_int_equal(nb_gpio_set_dir(&r.gpio, 5, true, true), -EINVAL);
	assert_int_equal(nb_gpio_set_irq(&r.gpio, 1, NB_GPIO_IRQ_RISING, NULL, NULL), -EOPNOTSUPP);
	assert_int_equal(nb_sim_mdio_attach(r.bus, NULL, NULL), -EINVAL);
	/* A device callback may not use the bus (it runs inside an MDC edge). */
	r.fake.bus = r.bus;
	assert_int_equal(nb_mdio_read(&r.mdio, 3, 0), r.fake.regs[0]);
	assert_int_equal(r.fake.nested, -EBUSY);
	bus_down(&r);

	/* a bus holds 32 devices; the first of two at one address drives, detach works */
	bus_up(&r2, NULL);
	second.regs[0] = 0x4242;
	assert_int_equal(nb_sim_mdio_attach(r2.bus, &fake_ops, &second), 0);
	assert_int_equal(nb_mdio_read(&r2.mdio, 3, 0), r2.fake.regs[0]);
	nb_sim_mdio_detach(r2.bus, &r2.fake);
	assert_int_equal(nb_mdio_read(&r2.mdio, 3, 0), 0x4242);
	for (int i = 0; i < 31; i++)
		assert_int_equal(nb_sim_mdio_attach(r2.bus, &fake_ops, &second), 0);
	assert_int_equal(nb_sim_mdio_attach(r2.bus, &fake_ops, &second), -ENOSPC);
	bus_down(&r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mdio_bus_register_level_read_write),
		cmocka_unit_test(test_mdio_bus_mdc_rate_sets_frame_time),
		cmocka_unit_test(test_mdio_bus_absent_address_floats),
		cmocka_unit_test(test_mdio_bus_pins_match_register_level),
		cmocka_unit_test(test_mdio_bus_bitbang_driver_matches_register_level),
		cmocka_unit_test(test_mdio_bus_short_preamble_ignored),
		cmocka_unit_test(test_mdio_bus_clause45_frames_ignored),
		cmocka_unit_test(test_mdio_bus_bad_op_and_write_turnaround_ignored),
		cmocka_unit_test(test_mdio_bus_contention_counted),
		cmocka_unit_test(test_mdio_bus_trace_once_per_frame),
		cmocka_unit_test(test_mdio_bus_gpio_and_reentry_errors),
	};
	return cmocka_run_group_tests_name("mdio_bus", tests, NULL, NULL);
}
