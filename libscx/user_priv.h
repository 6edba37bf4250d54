/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What run.c's loop asks of user.c (scx/user.h); not installed. */
#ifndef __SCX_USER_PRIV_H
#define __SCX_USER_PRIV_H

#include <stdbool.h>
#include <linux/types.h>

struct scx_user;

/* Bind to the object just loaded, before attach: negative errno. */
int scx__user_bind(struct scx_user *u);
/* The loop is about to wait for tasks. */
void scx__user_doze(struct scx_user *u);
/* Tasks wait (or the policy holds some): run schedule_fn. */
int scx__user_serve(struct scx_user *u);
bool scx__user_has_fn(const struct scx_user *u);
__u64 scx__user_pending(const struct scx_user *u);

#endif
