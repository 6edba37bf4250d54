/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
#ifndef __SCX_LOAD_LOG_H
#define __SCX_LOAD_LOG_H

/* begin: take libbpf's print callback; end: give it back and return what was
 * said meanwhile (valid until release). */
void scx_load_log__begin(void);
const char *scx_load_log__end(void);
void scx_load_log__release(void);

#endif
