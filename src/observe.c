/* SPDX-License-Identifier: MIT */
#include "src/observe.h"

#include <string.h>

#include "src/run.h"

static const char *const point_names[NB_POINT__COUNT] = {
	[NB_POINT_HOST_TX] = "host.tx",
	[NB_POINT_HOST_RX] = "host.rx",
	[NB_POINT_FAR_TX] = "far.tx",
	[NB_POINT_FAR_RX] = "far.rx",
};

void nb_observe_add(struct nb_run *r, struct nb_observer *o)
{
	struct nb_observer **p = &r->observers;

	while (*p)
		p = &(*p)->next;
	o->next = NULL;
	*p = o;
}

void nb_observe_frame(struct nb_run *r, enum nb_point point, const uint8_t *frame, size_t len)
{
	uint64_t now;

	if (!r->observers)
		return;
	now = nb_sim_now(r->sim);
	for (struct nb_observer *o = r->observers; o; o = o->next)
		o->frame(o->ctx, point, now, frame, len);
}

const char *nb_point_name(enum nb_point point)
{
	if ((unsigned)point >= NB_POINT__COUNT)
		return "?";
	return point_names[point];
}

int nb_point_parse(const char *name)
{
	for (int i = 0; i < NB_POINT__COUNT; i++)
		if (strcmp(name, point_names[i]) == 0)
			return i;
	return -1;
}
