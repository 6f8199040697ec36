/* SPDX-License-Identifier: MIT */
/*
 * Faults the cyw43439 device injects by name (scenario timeline `fault:`), through the chip
 * model's and the AP's back doors: bus faults for the next N gSPI transactions, a
 * deauthentication by the AP, and the firmware's SDPCM credit frozen and restored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "sim/cyw43439/ap.h"
#include "sim/cyw43439/cyw43439_model.h"
#include "src/dev_cyw43439.h"

static const struct {
	const char *name;
	int bus_fault;      /* enum nb_cyw43439_fault, or 0 for the others below */
	const char *what;
} faults[] = {
	{ "bus-all-ones", NB_CYW43439_FAULT_READ_ONES, "the chip does not answer (reads 0xFF)" },
	{ "bus-status-underflow", NB_CYW43439_FAULT_STATUS_UNDERFLOW, "F2 reads underflow" },
	{ "bus-shift1", NB_CYW43439_FAULT_SHIFT1, "read data shifted by one bit" },
	{ "bus-eio", NB_CYW43439_FAULT_EIO, "the bus operation fails with EIO" },
	{ "ap-kick", 0, "the AP deauthenticates the station (reason 4, inactivity)" },
	{ "credits-zero", 0, "the firmware grants no more SDPCM credit" },
	{ "credits-restore", 0, "credit is granted again (the configured window)" },
};

/* The names of faults[] for the scenario check at load time (same order). */
const char *const nb_cyw43439_fault_names[] = {
	"bus-all-ones", "bus-status-underflow", "bus-shift1", "bus-eio",
	"ap-kick", "credits-zero", "credits-restore", NULL,
};
_Static_assert(NB_ARRAY_SIZE(nb_cyw43439_fault_names) == NB_ARRAY_SIZE(faults) + 1,
	       "every fault has its name in nb_cyw43439_fault_names");

int nb_cyw43439_inject(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap,
		       unsigned credit_window, const char *spec, const char **what, char *err,
		       size_t len)
{
	const char *colon = strchr(spec, ':');
	size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
	unsigned long count = 1;
	size_t i, o = 0;

	for (i = 0; i < NB_ARRAY_SIZE(faults); i++)
		if (strlen(faults[i].name) == nlen && !strncmp(faults[i].name, spec, nlen))
			break;
	if (i == NB_ARRAY_SIZE(faults)) {
		o = (size_t)snprintf(err, len, "unknown cyw43439 fault '%.*s' (known:", (int)nlen,
				     spec);
		for (i = 0; i < NB_ARRAY_SIZE(faults) && o < len; i++)
			o += (size_t)snprintf(err + o, len - o, " %s%s%s", faults[i].name,
					      faults[i].bus_fault ? " [count]" : "",
					      i + 1 < NB_ARRAY_SIZE(faults) ? "," : ")");
		return -ENOENT;
	}
	if (colon) {
		char *end;

		if (!faults[i].bus_fault) {
			snprintf(err, len, "cyw43439 fault '%s' takes no count", faults[i].name);
			return -EINVAL;
		}
		count = strtoul(colon + 1, &end, 10);
		if (*end || count < 1 || count > 1000000) {
			snprintf(err, len, "cyw43439 fault '%s': count 1..1000000, got '%s'",
				 faults[i].name, colon + 1);
			return -EINVAL;
		}
	}
	if (faults[i].bus_fault) {
		nb_cyw43439_model_inject_fault(m, (enum nb_cyw43439_fault)faults[i].bus_fault,
					       (unsigned)count);
	} else if (!strcmp(faults[i].name, "ap-kick")) {
		uint8_t sta[6];
		int ret;

		nb_cyw43439_model_mac(m, sta);
		ret = nb_wifi_ap_kick(ap, sta, 4);
		if (ret < 0) {
			snprintf(err, len, "cyw43439 fault 'ap-kick': the station is not associated "
				 "(%s)", strerror(-ret));
			return ret;
		}
	} else {
		bool zero = !strcmp(faults[i].name, "credits-zero");

		nb_cyw43439_model_set_credit_window(m, zero ? 0 : credit_window);
	}
	*what = faults[i].what;
	return 0;
}
