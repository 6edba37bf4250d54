/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* libscx: every public userspace header. */
#ifndef __SCX_SCX_H
#define __SCX_SCX_H

#include <scx/cli.h>
#include <scx/common.h>
#include <scx/exit.h>
#include <scx/features.h>
#include <scx/monitor.h>
#include <scx/sched.h>
#include <scx/stats.h>
#include <scx/stats_server.h>
#include <scx/topology.h>
#include <scx/user.h>

#endif /* __SCX_SCX_H */
