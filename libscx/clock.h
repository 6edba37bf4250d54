/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Time as the library measures it (clock.c); not installed. */
#ifndef __SCX_CLOCK_H
#define __SCX_CLOCK_H

/* Milliseconds on CLOCK_MONOTONIC: for deadlines and intervals, never
 * affected by changes of the wall clock. */
long long scx_now_ms(void);

/* Sleep for ms milliseconds, resuming after signals. */
void scx_sleep_ms(unsigned int ms);

#endif /* __SCX_CLOCK_H */
