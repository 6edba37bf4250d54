/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Time as the library measures it (clock.c); not installed. */
#ifndef __SCX_CLOCK_H
#define __SCX_CLOCK_H

#include <stdbool.h>

/* Milliseconds on CLOCK_MONOTONIC: for deadlines and intervals, never
 * affected by changes of the wall clock. */
long long scx__now_ms(void);

/* The same clock in nanoseconds, for measuring short work. */
long long scx__now_ns(void);

/* Sleep for ms milliseconds, resuming after signals. */
void scx__sleep_ms(unsigned int ms);

/* At most `burst` events per interval (systemd's StartLimitBurst= within
 * StartLimitIntervalSec=, as one struct). */
struct scx_ratelimit {
	unsigned int burst, count;
	long long interval_ms, begin_ms;
};

void scx__ratelimit_init(struct scx_ratelimit *rl, unsigned int burst, long long interval_ms);
bool scx__ratelimit_take(struct scx_ratelimit *rl, long long now);

#endif /* __SCX_CLOCK_H */
