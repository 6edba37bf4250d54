/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A statistics server speaking sched-ext/scx's scx_stats protocol, so that
 * the tools written for scx's Rust schedulers (their --monitor, scxtop, the
 * OpenMetrics script) and `scxtool stats` read a libscx scheduler:
 *
 *	SCX_OPTS(scx_stats_server_opts, o, .sched = s);
 *	struct scx_stats_server *srv = scx_stats_server__new(NULL, &o);
 *	scx_stats_server__add_field(srv, "mode", "current mode", SCX_STATS_STRING, 0, get_mode, ctx);
 *	... poll scx_stats_server__fd(srv) with your other fds; when it is
 *	    readable: scx_stats_server__process(srv, 0) ...
 *	scx_stats_server__destroy(srv);
 *
 * The protocol: a UNIX stream socket (by default /var/run/scx/root/stats),
 * one JSON object per line in both directions. Requests are
 * {"req":"stats","args":{"target":NAME}} (target defaults to "top") and
 * {"req":"stats_meta","args":{}}; replies are {"errno":0,"args":{"resp":V}},
 * or a non-zero errno (22, EINVAL, for a bad request) with a description
 * string as V. Objects in V have their keys in byte order, numbers are
 * written as serde_json writes them.
 *
 * What is served: one struct of fields named "top" as a target (its name in
 * stats_meta is opts->top_name). It holds, when opts->sched is set, the
 * scheduler's name ("sched"), scx_sched__restarts() ("restarts"), the
 * milliseconds since the server was created ("uptime_ms"), its per-CPU
 * counters ("counters", struct scx_counters) and the kernel's SCX_EV_*
 * event counters ("events", struct scx_events; empty before kernel 6.15 or
 * when nothing is attached); and every field and struct the application
 * adds. Each struct is also a target of its own name.
 *
 * Threads: without opts->thread the server has none: everything (getters
 * included) runs in scx_stats_server__process(), in the caller's thread.
 *
 * scx_sched__run() serves it from its loop when scx_run_opts.stats_server
 * names it; scx/cli.h's --stats-socket[=PATH] and `scxtool run
 * --stats-socket` do that.
 */
#ifndef __SCX_STATS_SERVER_H
#define __SCX_STATS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include <scx/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_sched;
struct scx_stats_server;

/* The socket scx's own schedulers and clients use by default. */
#define SCX_STATS_DEFAULT_PATH "/var/run/scx/root/stats"

struct scx_stats_server_opts {
	size_t sz;
	/* Serve this scheduler's name, counters, restarts and events, read at
	 * each request (so restarts by scx_sched__run() are followed). The
	 * handle must outlive the server. */
	struct scx_sched *sched;
	/* The top struct's name and description in stats_meta; default
	 * "libscx" and a generic description. */
	const char *top_name;
	const char *top_desc;
	/* Connections served at once; more are accepted and closed at once.
	 * 0 means 64. */
	__u32 max_clients;
	/* A client that leaves this many bytes of replies unread, or whose
	 * unread reply makes no progress for stall_ms, is disconnected (by
	 * the first scx_stats_server__process() call after that: without a
	 * thread, the server looks only when it is called). 0 means 4 MiB
	 * and 5000 ms. */
	__u32 max_pending;
	__u32 stall_ms;
	/* Report the scheduler's counters and events as the increase since
	 * the same connection's previous request of the same target (the
	 * first request of a connection answers the totals), as scx's
	 * schedulers do for their --monitor. */
	bool counter_deltas;
	/* Serve from a helper thread of the server's own: getters and fill
	 * callbacks then run in that thread and must be thread-safe.
	 * scx_stats_server__process() is then refused, and so is opts->sched
	 * (a scheduler handle is used by one thread at a time, see
	 * scx/common.h). */
	bool thread;
	/* sysfs root for the kernel's events, default "/sys" (tests). */
	const char *sysfs_root;
	size_t :0;
};
#define scx_stats_server_opts__last_field sysfs_root

/**
 * @brief Create the socket at path (NULL: SCX_STATS_DEFAULT_PATH) and start
 * listening. Missing parent directories are created with mode 0755. A
 * socket file already at path that no server answers (left by a process that
 * died) is replaced; anything else there is not.
 * @return a new server, or NULL with errno set: EINVAL bad options (unknown
 *   non-zero bytes, a top_name that is not an identifier, sched together
 *   with thread); ENAMETOOLONG a path longer than a UNIX socket address
 *   takes; EEXIST path exists and is not a socket; EADDRINUSE a server is
 *   listening at path; EACCES, ENOTDIR and other errors of mkdir(2),
 *   socket(2), bind(2), epoll_create(2) and pthread_create(3); ENOMEM.
 */
SCX_API struct scx_stats_server *scx_stats_server__new(const char *path,
						       const struct scx_stats_server_opts *opts);

/**
 * @brief One file descriptor (an epoll fd) that becomes readable when the
 * server has work: a connection, a request, a client ready for the rest of a
 * reply. Owned by the server.
 * @return the fd; -EINVAL for NULL.
 */
SCX_API int scx_stats_server__fd(const struct scx_stats_server *srv);

/**
 * @brief Accept connections and answer the requests that are ready, waiting
 * at most timeout_ms for some (0: never wait; negative: until there is
 * work). Never blocks on a client: writes are non-blocking, and a client
 * that does not read its replies is disconnected (opts max_pending,
 * stall_ms). Each connection is answered at most 16 requests per call; the
 * fd stays readable while more are waiting.
 * @return the number of requests answered (0 when none was ready or a signal
 *   interrupted the wait); -EINVAL for NULL or a server with its own thread.
 */
SCX_API int scx_stats_server__process(struct scx_stats_server *srv, int timeout_ms);

/*
 * What serving has cost so far. The times are the server's work inside
 * scx_stats_server__process() (or its thread's passes), the waiting for
 * work excluded: what it adds to the loop that calls it. Set sz to
 * sizeof(struct scx_stats_server_usage) before the call.
 */
struct scx_stats_server_usage {
	size_t sz;
	__u64 calls;		/* scx_stats_server__process() calls */
	__u64 requests;		/* requests answered */
	__u64 busy_ns;		/* time all those calls spent working */
	__u64 max_call_ns;	/* the longest one */
	__u64 accepted;		/* connections accepted */
	__u64 refused;		/* connections closed at once: max_clients reached */
	__u64 dropped_stalled;	/* clients dropped: reply unread for stall_ms */
	__u64 dropped_overflow;	/* clients dropped: more than max_pending unread */
	size_t :0;
};

/**
 * @brief Copy the server's usage into *usage (up to usage->sz bytes; members
 * beyond what this library knows read as 0).
 * @return the number of bytes filled; -EINVAL for NULL or an sz smaller
 *   than up to max_call_ns.
 */
SCX_API int scx_stats_server__usage(const struct scx_stats_server *srv,
				    struct scx_stats_server_usage *usage);

/** @brief Number of connections being served now; 0 for NULL. */
SCX_API unsigned int scx_stats_server__nr_clients(const struct scx_stats_server *srv);

/** Kinds of value a field holds (the protocol's datum types). */
enum scx_stats_kind {
	SCX_STATS_U64 = 1,
	SCX_STATS_I64,
	SCX_STATS_FLOAT,
	SCX_STATS_STRING,
};

/* A u64 field that is reported as its increase since the same connection's
 * previous request of the same target (a counter shown as a rate). */
#define SCX_STATS_F_DELTA	(1U << 0)

/* Longest string a getter returns, NUL included. */
#define SCX_STATS_STR_MAX	256

union scx_stats_value {
	__u64 u64;
	__s64 i64;
	double f;
	char str[SCX_STATS_STR_MAX];
};

/* Fill val->u64, ->i64, ->f or ->str as the field's kind says (the union is
 * zeroed first); a negative errno fails the request with that errno. */
typedef int (*scx_stats_get_fn)(union scx_stats_value *val, void *ctx);

/**
 * @brief Add a field to the top struct, read by get at each request.
 * @param name an identifier ([A-Za-z_][A-Za-z0-9_]*), unique in the top
 *   struct ("sched", "restarts", "uptime_ms", "counters" and "events" are
 *   taken when opts->sched is set)
 * @param desc shown by stats_meta; may be NULL
 * @param flags SCX_STATS_F_DELTA (u64 fields only) or 0
 * @return 0; -EINVAL bad arguments; -EEXIST the name is taken; -ENOMEM.
 */
SCX_API int scx_stats_server__add_field(struct scx_stats_server *srv, const char *name,
					const char *desc, enum scx_stats_kind kind, __u32 flags,
					scx_stats_get_fn get, void *ctx);

/* One member of a record that a struct's fill callback fills. */
struct scx_stats_field {
	const char *name;		/* identifier, unique in the struct */
	const char *desc;		/* may be NULL */
	enum scx_stats_kind kind;
	__u32 flags;			/* SCX_STATS_F_DELTA or 0 */
	size_t offset;			/* where in the record */
	size_t size;			/* 8 for numbers; the char array's size for strings */
};

/* A member of struct TYPE as a field: SCX_STATS_FIELD(struct my_stats,
 * nr_dispatched, SCX_STATS_U64, 0, "tasks dispatched"). */
#define SCX_STATS_FIELD(TYPE, MEMBER, KIND, FLAGS, DESC)			\
	{ .name = #MEMBER, .desc = (DESC), .kind = (KIND), .flags = (FLAGS),	\
	  .offset = __builtin_offsetof(TYPE, MEMBER),				\
	  .size = sizeof(((TYPE *)0)->MEMBER) }

/* Fill the record (rec_size bytes, zeroed first) at each request; a negative
 * errno fails the request with that errno. */
typedef int (*scx_stats_fill_fn)(void *rec, void *ctx);

/**
 * @brief Add a struct of fields: a field NAME of the top struct whose datum
 * is {"struct": NAME}, and a target NAME of its own. At each request, fill
 * is called once and the fields are read from the record it filled.
 * @param fields nr_fields descriptions, copied (the strings too)
 * @return 0; -EINVAL bad arguments (a field out of rec_size, a number field
 *   whose size is not 8, a string field smaller than 2 bytes, a bad or
 *   repeated name, a name that is "top" or another struct's); -EEXIST NAME
 *   is taken in the top struct; -ENOMEM.
 */
SCX_API int scx_stats_server__add_struct(struct scx_stats_server *srv, const char *name,
					 const char *desc, const struct scx_stats_field *fields,
					 size_t nr_fields, size_t rec_size,
					 scx_stats_fill_fn fill, void *ctx);

/**
 * @brief Stop the helper thread if any, close every connection, remove the
 * socket file (if it is still the one the server made) and free everything.
 * NULL is a no-op.
 */
SCX_API void scx_stats_server__destroy(struct scx_stats_server *srv);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_STATS_SERVER_H */
