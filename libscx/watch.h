/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
#ifndef __SCX_WATCH_H
#define __SCX_WATCH_H

#include <stdbool.h>

/* A socket that becomes readable when a sched_ext scheduler is removed. */
int scx_watch__open(void);
bool scx_watch__drain(int fd);

#endif
