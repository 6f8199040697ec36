/* SPDX-License-Identifier: MIT */
/* CYW43439 model: lifecycle, configuration defaults, pins (WL_REG_ON, HOST_WAKE), power
 * cycling, violation/warning reports and the read-only back door. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cyw43439/model_priv.h"

uint64_t cy_now(const struct nb_cyw43439_model *m)
{
	return nb_sim_now(m->sim);
}

static void report(struct nb_cyw43439_model *m, const char *prefix, const char *fmt, va_list ap)
{
	char msg[384];
	int n = 0;

	if (prefix)
		n = snprintf(msg, sizeof(msg), "%s", prefix);
	if (m->where[0] && n >= 0 && (size_t)n < sizeof(msg))
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, "%s: ", m->where);
	if (n >= 0 && (size_t)n < sizeof(msg))
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	if (m->viol_fn)
		m->viol_fn(m->viol_ctx, msg, cy_now(m));
}

bool cy_violation(struct nb_cyw43439_model *m, const char *fmt, ...)
{
	va_list ap;

	m->stats.violations++;
	va_start(ap, fmt);
	report(m, NULL, fmt, ap);
	va_end(ap);
	return !m->cfg.lax;
}

void cy_warning(struct nb_cyw43439_model *m, const char *fmt, ...)
{
	va_list ap;

	m->stats.warnings++;
	va_start(ap, fmt);
	report(m, "warning: ", fmt, ap);
	va_end(ap);
}

/* ---- HOST_WAKE (§1.9): level = (interrupt & enable) != 0, polarity from bus control ---- */

static bool wake_irq_matches(enum nb_gpio_irq_mode mode, bool old, bool now)
{
	switch (mode) {
	case NB_GPIO_IRQ_RISING:
		return !old && now;
	case NB_GPIO_IRQ_FALLING:
		return old && !now;
	case NB_GPIO_IRQ_BOTH:
		return old != now;
	case NB_GPIO_IRQ_LEVEL_HIGH:
		return !old && now;
	case NB_GPIO_IRQ_LEVEL_LOW:
		return old && !now;
	default:
		return false;
	}
}

void cy_update_irq(struct nb_cyw43439_model *m)
{
	bool active = false, level;

	if (m->powered)
		active = (cy_f0_interrupts(m) & nb_get_le16(&m->f0[F0_INT_EN])) != 0;
	if (!m->powered)
		level = false; /* unpowered: the host's pull-down wins */
	else if (m->f0[F0_BUS_CTRL] & BUSCTL_INT_POL_HIGH)
		level = active;
	else
		level = !active;
	if (level == m->wake_level)
		return;
	bool old = m->wake_level;

	m->wake_level = level;
	if (m->wake_fn && wake_irq_matches(m->wake_mode, old, level))
		m->wake_fn(m->wake_ctx);
}

static void wake_deferred(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;

	if (!m->wake_fn)
		return;
	if ((m->wake_mode == NB_GPIO_IRQ_LEVEL_HIGH && m->wake_level) ||
	    (m->wake_mode == NB_GPIO_IRQ_LEVEL_LOW && !m->wake_level))
		m->wake_fn(m->wake_ctx);
}

/* ---- power ------------------------------------------------------------------------------- */

static void chip_reset(struct nb_cyw43439_model *m)
{
	cy_join_detach(m);
	cy_f0_reset(m);
	cy_f1_reset(m);
	cy_fw_reset(m);
	cy_sdpcm_reset(m);
	cy_wifi_reset(m);
	m->fault = NB_CYW43439_FAULT_NONE;
	m->fault_count = 0;
}

static void set_power(struct nb_cyw43439_model *m, bool on)
{
	if (on == m->powered)
		return;
	chip_reset(m);
	m->powered = on;
	if (on) {
		/* Rising WL_REG_ON: a full reset; the bus answers after power_on_ns. RAM
		 * content is not retained (the model starts it at zero). */
		memset(m->ram, 0, CY_RAM_SIZE);
		m->bus_ready_at = cy_now(m) + m->cfg.power_on_ns;
		m->stats.power_cycles++;
	}
	cy_update_irq(m);
}

static void reg_on_changed(struct nb_cyw43439_model *m)
{
	/* An input pin (host not driving) floats low: WL_REG_ON has a pull-down on the module. */
	set_power(m, m->reg_on_output && m->reg_on_level);
}

static int gpio_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	struct nb_cyw43439_model *m = ctx;

	if (pin == NB_CYW43439_PIN_WL_REG_ON) {
		m->reg_on_output = output;
		m->reg_on_level = level;
		reg_on_changed(m);
		return 0;
	}
	if (pin == NB_CYW43439_PIN_HOST_WAKE)
		return output ? -EPERM : 0; /* the chip drives it: no contention allowed */
	return -EINVAL;
}

static int gpio_write(void *ctx, unsigned pin, bool level)
{
	struct nb_cyw43439_model *m = ctx;

	if (pin == NB_CYW43439_PIN_WL_REG_ON) {
		if (!m->reg_on_output)
			return -EPERM;
		m->reg_on_level = level;
		reg_on_changed(m);
		return 0;
	}
	if (pin == NB_CYW43439_PIN_HOST_WAKE)
		return -EPERM;
	return -EINVAL;
}

static int gpio_read(void *ctx, unsigned pin)
{
	struct nb_cyw43439_model *m = ctx;

	if (pin == NB_CYW43439_PIN_WL_REG_ON)
		return m->reg_on_output && m->reg_on_level;
	if (pin == NB_CYW43439_PIN_HOST_WAKE)
		return m->wake_level;
	return -EINVAL;
}

static int gpio_set_irq(void *ctx, unsigned pin, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
			void *fn_ctx)
{
	struct nb_cyw43439_model *m = ctx;

	if (pin != NB_CYW43439_PIN_HOST_WAKE)
		return pin == NB_CYW43439_PIN_WL_REG_ON ? -EOPNOTSUPP : -EINVAL;
	if (mode > NB_GPIO_IRQ_LEVEL_LOW)
		return -EINVAL;
	m->wake_mode = mode;
	m->wake_fn = mode == NB_GPIO_IRQ_NONE ? NULL : fn;
	m->wake_ctx = fn_ctx;
	nb_sim_timer_cancel(m->sim, &m->wake_timer);
	/* A level interrupt armed while the line is active fires, but not from inside
	 * set_irq(): the caller may hold its own locks (the SDK re-enables from its poll). */
	if ((mode == NB_GPIO_IRQ_LEVEL_HIGH && m->wake_level) ||
	    (mode == NB_GPIO_IRQ_LEVEL_LOW && !m->wake_level))
		nb_sim_timer_arm_in(m->sim, &m->wake_timer, 0);
	return 0;
}

static const struct nb_gpio_ops gpio_ops = {
	.set_dir = gpio_set_dir,
	.write = gpio_write,
	.read = gpio_read,
	.set_irq = gpio_set_irq,
};

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void apply_defaults(struct nb_cyw43439_model_cfg *c)
{
	static const uint8_t def_mac[6] = NB_CYW43439_DEFAULT_MAC;
	static const uint8_t zero[6];

	if (!c->credit_window)
		c->credit_window = NB_CYW43439_DEFAULT_CREDIT_WINDOW;
	if (c->credit_window > NB_CYW43439_MAX_CREDIT_WINDOW)
		c->credit_window = NB_CYW43439_MAX_CREDIT_WINDOW;
	if (!c->boot_ns)
		c->boot_ns = NB_CYW43439_DEFAULT_BOOT_NS;
	if (!c->alp_ns)
		c->alp_ns = NB_CYW43439_DEFAULT_ALP_NS;
	if (!c->power_on_ns)
		c->power_on_ns = NB_CYW43439_DEFAULT_POWER_ON_NS;
	if (!c->gspi_hz)
		c->gspi_hz = NB_CYW43439_DEFAULT_GSPI_HZ;
	if (!memcmp(c->mac, zero, 6))
		memcpy(c->mac, def_mac, 6);
	if (!c->country[0])
		memcpy(c->country, "XX", 3);
	c->country[3] = '\0';
	if (!c->ioctl_ns)
		c->ioctl_ns = NB_CYW43439_DEFAULT_IOCTL_NS;
	if (!c->join_scan_ns)
		c->join_scan_ns = NB_CYW43439_DEFAULT_JOIN_SCAN_NS;
	if (!c->scan_ns)
		c->scan_ns = NB_CYW43439_DEFAULT_SCAN_NS;
	if (!c->beacon_loss_ns)
		c->beacon_loss_ns = NB_CYW43439_DEFAULT_BEACON_LOSS_NS;
	if (!c->air_mbps)
		c->air_mbps = NB_CYW43439_DEFAULT_AIR_MBPS;
	if (!c->rx_queue)
		c->rx_queue = NB_CYW43439_DEFAULT_RX_QUEUE;
}

struct nb_cyw43439_model *nb_cyw43439_model_new(struct nb_sim *sim,
						const struct nb_cyw43439_model_cfg *cfg)
{
	struct nb_cyw43439_model *m = calloc(1, sizeof(*m));

	if (!m)
		goto err_alloc;
	m->sim = sim;
	if (cfg)
		m->cfg = *cfg;
	apply_defaults(&m->cfg);
	m->ram = calloc(1, CY_RAM_SIZE);
	if (!m->ram)
		goto err_ram;
	if (cy_sdpcm_alloc(m))
		goto err_sdpcm;
	nb_sim_timer_init(&m->wake_timer, wake_deferred, m);
	nb_sim_timer_init(&m->sched_timer, cy_sched_fire, m);
	cy_f1_init(m);
	cy_fw_init(m);
	chip_reset(m);
	return m;

err_sdpcm:
	free(m->ram);
err_ram:
	free(m);
err_alloc:
	return NULL;
}

void nb_cyw43439_model_free(struct nb_cyw43439_model *m)
{
	if (!m)
		return;
	chip_reset(m); /* leaves APs, cancels every timer */
	nb_sim_timer_cancel(m->sim, &m->wake_timer);
	cy_sdpcm_free(m);
	free(m->nvram);
	free(m->ram);
	free(m);
}

struct nb_gspi_bus nb_cyw43439_model_gspi(struct nb_cyw43439_model *m)
{
	struct nb_gspi_bus bus = { .ops = &cy_gspi_ops, .ctx = m };

	return bus;
}

struct nb_gpio nb_cyw43439_model_gpio(struct nb_cyw43439_model *m)
{
	struct nb_gpio g = { .ops = &gpio_ops, .ctx = m };

	return g;
}

int nb_cyw43439_model_add_ap(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap)
{
	for (unsigned i = 0; i < m->n_aps; i++)
		if (m->aps[i] == ap)
			return -EEXIST;
	if (m->n_aps >= CY_MAX_APS)
		return -ENOSPC;
	m->aps[m->n_aps++] = ap;
	return 0;
}

void nb_cyw43439_model_remove_ap(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap)
{
	for (unsigned i = 0; i < m->n_aps; i++) {
		if (m->aps[i] != ap)
			continue;
		if (m->wifi.ap == ap)
			cy_join_detach(m);
		memmove(&m->aps[i], &m->aps[i + 1], (m->n_aps - i - 1) * sizeof(m->aps[0]));
		m->n_aps--;
		return;
	}
}

/* ---- back door ---------------------------------------------------------------------------- */

void nb_cyw43439_model_set_violation_cb(struct nb_cyw43439_model *m,
					nb_cyw43439_violation_fn fn, void *ctx)
{
	m->viol_fn = fn;
	m->viol_ctx = ctx;
}

void nb_cyw43439_model_set_trace_cb(struct nb_cyw43439_model *m, nb_cyw43439_trace_fn fn,
				    void *ctx)
{
	m->trace_fn = fn;
	m->trace_ctx = ctx;
}

int nb_cyw43439_model_inject_event(struct nb_cyw43439_model *m,
				   const struct nb_cyw43439_event *ev)
{
	int rc = cy_event_send(m, ev);

	cy_update_irq(m);
	return rc;
}

int nb_cyw43439_model_inject_f2(struct nb_cyw43439_model *m, const uint8_t *frame, size_t len)
{
	int rc;

	if (!cy_fw_running(m))
		return -ENODEV;
	rc = cy_sdpcm_queue_raw(m, frame, len);
	cy_update_irq(m);
	return rc;
}

void nb_cyw43439_model_inject_fault(struct nb_cyw43439_model *m, enum nb_cyw43439_fault kind,
				    unsigned count)
{
	m->fault = count ? kind : NB_CYW43439_FAULT_NONE;
	m->fault_count = kind == NB_CYW43439_FAULT_NONE ? 0 : count;
}

void nb_cyw43439_model_set_credit_window(struct nb_cyw43439_model *m, unsigned window)
{
	cy_sdpcm_set_window(m, window);
}

void nb_cyw43439_model_set_flow_control(struct nb_cyw43439_model *m, uint8_t fc)
{
	m->flow_control = fc;
}

const struct nb_cyw43439_model_stats *nb_cyw43439_model_stats(const struct nb_cyw43439_model *m)
{
	return &m->stats;
}

bool nb_cyw43439_model_powered(const struct nb_cyw43439_model *m)
{
	return m->powered;
}

enum nb_cyw43439_fw_state nb_cyw43439_model_fw_state(const struct nb_cyw43439_model *m)
{
	return m->fw;
}

const char *nb_cyw43439_model_fw_error(const struct nb_cyw43439_model *m)
{
	return m->fw_error;
}

bool nb_cyw43439_model_link_up(const struct nb_cyw43439_model *m)
{
	return m->wifi.join == JOIN_UP;
}

void nb_cyw43439_model_mac(const struct nb_cyw43439_model *m, uint8_t mac[6])
{
	memcpy(mac, m->wifi.mac, 6);
}

const char *nb_cyw43439_model_nvram_get(const struct nb_cyw43439_model *m, const char *key)
{
	size_t klen = strlen(key);

	for (size_t off = 0; m->nvram && off < m->nvram_len;) {
		const char *e = m->nvram + off;
		size_t elen = strlen(e);

		if (elen > klen && !memcmp(e, key, klen) && e[klen] == '=')
			return e + klen + 1;
		off += elen + 1;
	}
	return NULL;
}

uint32_t nb_cyw43439_model_wl_gpio(const struct nb_cyw43439_model *m)
{
	return m->wifi.gpio_out;
}

int nb_cyw43439_model_peek_backplane(const struct nb_cyw43439_model *m, uint32_t addr,
				     uint8_t *buf, size_t len)
{
	return cy_bp_peek(m, addr, buf, len);
}

int nb_cyw43439_model_peek_f0(const struct nb_cyw43439_model *m, uint32_t addr, uint8_t *buf,
			      size_t len)
{
	if (addr >= F0_REGS || len > F0_REGS - addr)
		return -EINVAL;
	cy_f0_read_bytes(m, addr, buf, len);
	return 0;
}

unsigned nb_cyw43439_model_rx_pending(const struct nb_cyw43439_model *m)
{
	return m->rxq_count;
}
