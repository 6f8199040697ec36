/* SPDX-License-Identifier: MIT */
#include "src/timeline.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/conf.h"
#include "src/devices.h"
#include "src/run.h"

int nb_timeline_check_fault(struct nb_conf *c, const struct nb_device_type *type,
			    const struct nb_event_cfg *ev)
{
	const char *colon;
	char known[512];
	size_t nlen, o = 0;

	if (!ev->has_fault || !type || !type->fault_names)
		return 0;
	colon = strchr(ev->fault, ':');
	nlen = colon ? (size_t)(colon - ev->fault) : strlen(ev->fault);
	for (const char *const *n = type->fault_names; *n; n++)
		if (strlen(*n) == nlen && !strncmp(*n, ev->fault, nlen))
			return 0;
	known[0] = '\0';
	for (const char *const *n = type->fault_names; *n && o < sizeof(known); n++)
		o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s",
				      n == type->fault_names ? "" : ", ", *n);
	return nb_conf_error(c, nb_conf_find(c, ev->node, "fault"),
			     "unknown fault '%.*s' for %s (expected one of: %s)", (int)nlen,
			     ev->fault, type->name, known);
}

static void fire_fault(struct nb_run *r, const struct nb_event_cfg *ev)
{
	char name[80], err[256] = "", check[64], detail[400];
	int ret;

	/* The device op takes one name; a count travels as "name:count". */
	if (ev->has_count)
		snprintf(name, sizeof(name), "%s:%u", ev->fault, ev->count);
	else
		snprintf(name, sizeof(name), "%s", ev->fault);
	ret = r->dev->ops->fault ? r->dev->ops->fault(r->dev, name, err, sizeof(err))
				 : -EOPNOTSUPP;
	if (ret == 0) {
		nb_logf(&r->logger, NB_LOG_INFO, "netbench", "timeline: fault %s", name);
		return;
	}
	snprintf(check, sizeof(check), "%s:%zu: fault %s", r->scn->conf.path,
		 (size_t)ev->node->start_mark.line + 1, ev->fault);
	if (ret == -EOPNOTSUPP)
		snprintf(detail, sizeof(detail), "the %s device has no fault injection",
			 r->dev->type_name);
	else
		snprintf(detail, sizeof(detail), "%s", err[0] ? err : strerror(-ret));
	nb_logf(&r->logger, NB_LOG_ERR, "netbench", "%s: %s", check, detail);
	nb_run_add_check(r, false, check, detail, (size_t)ev->node->start_mark.line + 1);
}

static void fire_traffic(struct nb_run *r, const struct nb_event_cfg *ev)
{
	struct nb_endpoint *ep = ev->traffic.side == NB_SIDE_FAR ? r->far : r->host;
	bool hold = ev->traffic.action == NB_TRAFFIC_STOP;

	ep->held = hold;
	nb_logf(&r->logger, NB_LOG_INFO, "netbench", "timeline: %s traffic %s",
		ev->traffic.side == NB_SIDE_FAR ? "far" : "host", hold ? "stopped" : "started");
	nb_loop_wake(r->loop);
}

void nb_timeline_fire(struct nb_run *r, const struct nb_event_cfg *ev)
{
	if (ev->has_fault)
		fire_fault(r, ev);
	else if (ev->has_traffic)
		fire_traffic(r, ev);
}
