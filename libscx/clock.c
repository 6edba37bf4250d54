// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The library's one clock: monotonic milliseconds, sleeping on it, and a
 * rate limit over it. */
#include <errno.h>
#include <time.h>

#include "clock.h"

long long scx__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long scx__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void scx__sleep_ms(unsigned int ms)
{
	struct timespec left = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&left, &left) && errno == EINTR)
		;
}

void scx__ratelimit_init(struct scx_ratelimit *rl, unsigned int burst, long long interval_ms)
{
	*rl = (struct scx_ratelimit){ .burst = burst, .interval_ms = interval_ms };
}

/*
 * Take one event at time now: false once `burst` events were taken within
 * the interval that began with the first of them. A new interval begins with
 * the first event after the old one ran out, so a steady trickle of events
 * (a daemon seeing a hotplug now and then) never runs out of budget.
 */
bool scx__ratelimit_take(struct scx_ratelimit *rl, long long now)
{
	if (!rl->count || now - rl->begin_ms >= rl->interval_ms) {
		rl->begin_ms = now;
		rl->count = 0;
	}
	if (rl->count >= rl->burst)
		return false;
	rl->count++;
	return true;
}
