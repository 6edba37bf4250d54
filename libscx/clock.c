// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The library's one clock: monotonic milliseconds, and sleeping on it. */
#include <errno.h>
#include <time.h>

#include "clock.h"

long long scx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void scx_sleep_ms(unsigned int ms)
{
	struct timespec left = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&left, &left) && errno == EINTR)
		;
}
