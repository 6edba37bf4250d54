// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The scx_stats protocol server of scx/stats_server.h: one non-blocking
 * listening socket and its connections under one epoll fd, served from the
 * caller's loop (or a helper thread when asked). A connection that cannot
 * take its reply keeps it here, bounded, and is dropped when it stops
 * reading; nothing a client does can make a call block.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <scx/monitor.h>
#include <scx/sched.h>
#include <scx/stats.h>
#include <scx/stats_server.h>

#include "internal.h"
#include "json.h"

#define DEF_MAX_CLIENTS		64
#define DEF_MAX_PENDING		(4U << 20)
#define DEF_STALL_MS		5000
#define MAX_LINE		(64 * 1024)	/* longest request line */
#define REQS_PER_CALL		16		/* per connection and process() call */
#define EINVAL_RESP		22		/* the protocol's errno for a bad request */

enum field_src {
	SRC_GET,		/* add_field(): a getter */
	SRC_REC,		/* a member of the struct's filled record */
	SRC_STRUCT,		/* a nested struct */
	SRC_SCHED_NAME,
	SRC_RESTARTS,
	SRC_UPTIME,
};

struct field {
	char *name, *desc;
	enum scx_stats_kind kind;	/* 0 for SRC_STRUCT */
	__u32 flags;
	enum field_src src;
	scx_stats_get_fn get;
	void *ctx;
	size_t offset, size;
	int child;			/* SRC_STRUCT: index in srv->structs */
};

enum struct_kind {
	ST_FIELDS,
	ST_COUNTERS,		/* the scheduler's per-CPU counters, listed when asked */
	ST_EVENTS,		/* the kernel's SCX_EV_* counters, likewise */
};

struct sstruct {
	char *name, *desc;
	enum struct_kind kind;
	struct field *fields;	/* kept in byte order of name */
	int nr_fields;
	scx_stats_fill_fn fill;
	void *ctx;
	size_t rec_size;
};

/* The value a delta field had at the connection's previous request. */
struct prev_val {
	char *key;		/* "target/struct.field" */
	__u64 val;
};

struct client {
	int fd;
	struct scx_buf in, out;
	long long progress_ms;	/* when out last became non-empty or shrank */
	bool eof;		/* the client sent all it will */
	bool closing;		/* close once out is sent; read nothing more */
	__u32 events;		/* the epoll interest set now */
	struct prev_val *prev;
	int nr_prev;
};

struct scx_stats_server {
	int epfd, lfd, wakefd;
	char *path;
	dev_t dev;
	ino_t ino;
	struct scx_sched *sched;
	char *sysfs_root;
	__u32 max_clients, max_pending, stall_ms;
	bool deltas;
	long long start_ms;
	struct sstruct *structs;	/* [0] is the top struct */
	int nr_structs;
	struct client **clients;
	unsigned int nr_clients;
	bool has_thread;
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;		/* under lock */
	struct scx_stats_server_usage usage;	/* under lock */
};

/* ---- fields and structs -------------------------------------------------- */

static bool ident_ok(const char *s)
{
	const char *p;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static void free_field(struct field *f)
{
	free(f->name);
	free(f->desc);
}

static void free_struct(struct sstruct *st)
{
	int i;

	for (i = 0; i < st->nr_fields; i++)
		free_field(&st->fields[i]);
	free(st->fields);
	free(st->name);
	free(st->desc);
}

static struct field *find_field(struct sstruct *st, const char *name)
{
	int i;

	for (i = 0; i < st->nr_fields; i++)
		if (!strcmp(st->fields[i].name, name))
			return &st->fields[i];
	return NULL;
}

/* Insert a copy of *f (its strings duplicated) in name order. */
static int insert_field(struct sstruct *st, const struct field *f)
{
	struct field *arr, copy = *f;
	int i;

	copy.name = strdup(f->name);
	copy.desc = f->desc ? strdup(f->desc) : NULL;
	arr = realloc(st->fields, (st->nr_fields + 1) * sizeof(*arr));
	if (!copy.name || (f->desc && !copy.desc) || !arr) {
		free_field(&copy);
		if (arr)
			st->fields = arr;
		return -ENOMEM;
	}
	st->fields = arr;
	for (i = st->nr_fields; i > 0 && strcmp(arr[i - 1].name, copy.name) > 0; i--)
		arr[i] = arr[i - 1];
	arr[i] = copy;
	st->nr_fields++;
	return 0;
}

static int new_struct(struct scx_stats_server *srv, const char *name, const char *desc,
		      enum struct_kind kind)
{
	struct sstruct *arr = realloc(srv->structs, (srv->nr_structs + 1) * sizeof(*arr));
	struct sstruct *st;

	if (!arr)
		return -ENOMEM;
	srv->structs = arr;
	st = &arr[srv->nr_structs];
	*st = (struct sstruct){ .kind = kind, .name = strdup(name), .desc = desc ? strdup(desc) : NULL };
	if (!st->name || (desc && !st->desc)) {
		free_struct(st);
		return -ENOMEM;
	}
	return srv->nr_structs++;
}

static int find_struct(const struct scx_stats_server *srv, const char *name)
{
	int i;

	for (i = 0; i < srv->nr_structs; i++)
		if (!strcmp(srv->structs[i].name, name))
			return i;
	return -1;
}

/* The fields opts->sched brings into the top struct. */
static int add_sched_fields(struct scx_stats_server *srv)
{
	const char *delta = srv->deltas ? "; the increase since this connection's previous request" : "";
	char cdesc[160], edesc[160];
	int ci, ei, err;

	snprintf(cdesc, sizeof(cdesc), "the scheduler's per-CPU counters, summed over CPUs%s", delta);
	snprintf(edesc, sizeof(edesc), "the kernel's sched_ext event counters (SCX_EV_*)%s", delta);
	ci = new_struct(srv, "scx_counters", cdesc, ST_COUNTERS);
	if (ci < 0)
		return ci;
	ei = new_struct(srv, "scx_events", edesc, ST_EVENTS);
	if (ei < 0)
		return ei;
	if ((err = insert_field(&srv->structs[0], &(struct field){ .name = "counters",
			.desc = "the scheduler's counters", .src = SRC_STRUCT, .child = ci })) ||
	    (err = insert_field(&srv->structs[0], &(struct field){ .name = "events",
			.desc = "the kernel's event counters", .src = SRC_STRUCT, .child = ei })) ||
	    (err = insert_field(&srv->structs[0], &(struct field){ .name = "sched",
			.desc = "the scheduler's name", .kind = SCX_STATS_STRING,
			.src = SRC_SCHED_NAME })) ||
	    (err = insert_field(&srv->structs[0], &(struct field){ .name = "restarts",
			.desc = "restarts performed by scx_sched__run()", .kind = SCX_STATS_U64,
			.src = SRC_RESTARTS })) ||
	    (err = insert_field(&srv->structs[0], &(struct field){ .name = "uptime_ms",
			.desc = "milliseconds since the stats server started", .kind = SCX_STATS_U64,
			.src = SRC_UPTIME })))
		return err;
	return 0;
}

static bool kind_ok(enum scx_stats_kind kind, __u32 flags)
{
	if (kind < SCX_STATS_U64 || kind > SCX_STATS_STRING)
		return false;
	if (flags & ~SCX_STATS_F_DELTA)
		return false;
	return !(flags & SCX_STATS_F_DELTA) || kind == SCX_STATS_U64;
}

int scx_stats_server__add_field(struct scx_stats_server *srv, const char *name, const char *desc,
				enum scx_stats_kind kind, __u32 flags, scx_stats_get_fn get, void *ctx)
{
	int err;

	if (!srv || !ident_ok(name) || !kind_ok(kind, flags) || !get)
		return scx_err(-EINVAL);
	pthread_mutex_lock(&srv->lock);
	if (find_field(&srv->structs[0], name))
		err = -EEXIST;
	else
		err = insert_field(&srv->structs[0], &(struct field){ .name = (char *)name,
			.desc = (char *)desc, .kind = kind, .flags = flags, .src = SRC_GET,
			.get = get, .ctx = ctx });
	pthread_mutex_unlock(&srv->lock);
	return scx_err(err);
}

static int check_struct_fields(const char *name, const struct scx_stats_field *fields,
			       size_t nr, size_t rec_size)
{
	size_t i, j;

	for (i = 0; i < nr; i++) {
		const struct scx_stats_field *f = &fields[i];

		if (!ident_ok(f->name) || !kind_ok(f->kind, f->flags) ||
		    f->offset > rec_size || f->size > rec_size - f->offset ||
		    (f->kind == SCX_STATS_STRING ? f->size < 2 : f->size != 8)) {
			pr_warn("stats server: struct %s: field %zu (%s) is not a u64/i64/float of 8 bytes or a char array within the record\n",
				name, i, f->name ? f->name : "(null)");
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(fields[j].name, f->name)) {
				pr_warn("stats server: struct %s: field %s twice\n", name, f->name);
				return -EINVAL;
			}
	}
	return 0;
}

int scx_stats_server__add_struct(struct scx_stats_server *srv, const char *name, const char *desc,
				 const struct scx_stats_field *fields, size_t nr_fields,
				 size_t rec_size, scx_stats_fill_fn fill, void *ctx)
{
	struct sstruct *st;
	size_t i;
	int idx, err;

	if (!srv || !ident_ok(name) || !strcmp(name, "top") || !fill || !rec_size ||
	    (nr_fields && !fields))
		return scx_err(-EINVAL);
	err = check_struct_fields(name, fields, nr_fields, rec_size);
	if (err)
		return scx_err(err);
	pthread_mutex_lock(&srv->lock);
	if (find_field(&srv->structs[0], name)) {
		err = -EEXIST;
		goto out;
	}
	if (find_struct(srv, name) >= 0) {
		err = -EINVAL;
		goto out;
	}
	idx = new_struct(srv, name, desc, ST_FIELDS);
	if (idx < 0) {
		err = idx;
		goto out;
	}
	st = &srv->structs[idx];
	st->fill = fill;
	st->ctx = ctx;
	st->rec_size = rec_size;
	for (i = 0; i < nr_fields && !err; i++)
		err = insert_field(st, &(struct field){ .name = (char *)fields[i].name,
			.desc = (char *)fields[i].desc, .kind = fields[i].kind,
			.flags = fields[i].flags, .src = SRC_REC, .offset = fields[i].offset,
			.size = fields[i].size });
	if (!err)
		err = insert_field(&srv->structs[0], &(struct field){ .name = (char *)name,
			.desc = (char *)desc, .src = SRC_STRUCT, .child = idx });
	if (err) {
		free_struct(st);
		srv->nr_structs--;
	}
out:
	pthread_mutex_unlock(&srv->lock);
	return scx_err(err);
}

/* ---- replies ------------------------------------------------------------- */

static const char *kind_str(enum scx_stats_kind kind)
{
	switch (kind) {
	case SCX_STATS_U64: return "u64";
	case SCX_STATS_I64: return "i64";
	case SCX_STATS_FLOAT: return "float";
	default: return "string";
	}
}

/* v minus what this connection saw at its previous request of target (the
 * total the first time; the new value when it went down: a restart). */
static __u64 delta(struct client *c, const char *target, const char *st, const char *field,
		   __u64 v)
{
	struct prev_val *arr;
	char key[512];
	__u64 old;
	int i;

	snprintf(key, sizeof(key), "%s/%s.%s", target, st, field);
	for (i = 0; i < c->nr_prev; i++) {
		if (strcmp(c->prev[i].key, key))
			continue;
		old = c->prev[i].val;
		c->prev[i].val = v;
		return v >= old ? v - old : v;
	}
	arr = realloc(c->prev, (c->nr_prev + 1) * sizeof(*arr));
	if (arr) {
		c->prev = arr;
		arr[c->nr_prev].key = strdup(key);
		arr[c->nr_prev].val = v;
		if (arr[c->nr_prev].key)
			c->nr_prev++;
	}
	return v;
}

/* A list of (name, value) counters, sorted before it is written. */
struct named_u64 {
	char name[128];
	__u64 val;
};

struct counter_list {
	struct named_u64 *v;
	int nr;
	int err;
};

static int collect_counter(const char *name, __u64 value, void *ctx)
{
	struct counter_list *l = ctx;
	struct named_u64 *arr = realloc(l->v, (l->nr + 1) * sizeof(*arr));

	if (!arr) {
		l->err = -ENOMEM;
		return 1;
	}
	l->v = arr;
	snprintf(arr[l->nr].name, sizeof(arr[0].name), "%s", name);
	arr[l->nr++].val = value;
	return 0;
}

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named_u64 *)a)->name, ((const struct named_u64 *)b)->name);
}

static int list_counters(struct scx_stats_server *srv, enum struct_kind kind,
			 struct counter_list *l)
{
	SCX_OPTS(scx_monitor_opts, mon, .sysfs_root = srv->sysfs_root);
	int ret;

	*l = (struct counter_list){};
	if (kind == ST_COUNTERS) {
		ret = scx_sched__for_each_counter(srv->sched, collect_counter, l);
	} else {
		ret = scx_system__for_each_event(collect_counter, l, &mon);
		/* nothing attached, a kernel before 6.15 or without
		 * sched_ext: no events, which is not an error */
		if (ret < 0 && ret != -ENOMEM)
			ret = 0;
	}
	if (l->err)
		ret = l->err;
	if (ret < 0) {
		free(l->v);
		return ret;
	}
	if (l->nr > 1)
		qsort(l->v, l->nr, sizeof(*l->v), cmp_named);
	return 0;
}

static void put_value(struct scx_buf *b, enum scx_stats_kind kind, const union scx_stats_value *v)
{
	switch (kind) {
	case SCX_STATS_U64:
		scx__buf_printf(b, "%llu", (unsigned long long)v->u64);
		break;
	case SCX_STATS_I64:
		scx__buf_printf(b, "%lld", (long long)v->i64);
		break;
	case SCX_STATS_FLOAT:
		scx__json_double(b, v->f);
		break;
	default:
		scx__json_str(b, v->str);
	}
}

/* The value of f, a field of a struct whose record (if it has one) is rec. */
static int read_field(struct scx_stats_server *srv, const struct field *f, const char *rec,
		      union scx_stats_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (f->src) {
	case SRC_GET: {
		int ret = f->get(v, f->ctx);

		v->str[sizeof(v->str) - 1] = '\0';
		return ret < 0 ? ret : 0;
	}
	case SRC_REC:
		if (f->kind == SCX_STATS_STRING) {
			size_t n = strnlen(rec + f->offset, f->size);

			if (n >= sizeof(v->str))
				n = sizeof(v->str) - 1;
			memcpy(v->str, rec + f->offset, n);
		} else {
			memcpy(v, rec + f->offset, 8);
		}
		return 0;
	case SRC_SCHED_NAME:
		snprintf(v->str, sizeof(v->str), "%s", scx_sched__name(srv->sched) ?: "");
		return 0;
	case SRC_RESTARTS:
		v->u64 = scx_sched__restarts(srv->sched);
		return 0;
	case SRC_UPTIME:
		v->u64 = scx__now_ms() - srv->start_ms;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Struct idx as a JSON object of its values, for a request of target. */
static int put_struct(struct scx_stats_server *srv, struct client *c, const char *target,
		      int idx, struct scx_buf *b)
{
	struct sstruct *st = &srv->structs[idx];
	union scx_stats_value v;
	char *rec = NULL;
	int i, ret = 0;

	if (st->kind != ST_FIELDS) {
		struct counter_list l;

		ret = list_counters(srv, st->kind, &l);
		if (ret)
			return ret;
		scx__buf_addc(b, '{');
		for (i = 0; i < l.nr; i++) {
			__u64 val = l.v[i].val;

			if (srv->deltas)
				val = delta(c, target, st->name, l.v[i].name, val);
			scx__buf_adds(b, i ? "," : "");
			scx__json_str(b, l.v[i].name);
			scx__buf_printf(b, ":%llu", (unsigned long long)val);
		}
		scx__buf_addc(b, '}');
		free(l.v);
		return 0;
	}
	if (st->fill) {
		rec = calloc(1, st->rec_size);
		if (!rec)
			return -ENOMEM;
		ret = st->fill(rec, st->ctx);
		if (ret < 0)
			goto out;
		ret = 0;
	}
	scx__buf_addc(b, '{');
	for (i = 0; i < st->nr_fields; i++) {
		const struct field *f = &st->fields[i];

		scx__buf_adds(b, i ? "," : "");
		scx__json_str(b, f->name);
		scx__buf_addc(b, ':');
		if (f->src == SRC_STRUCT) {
			ret = put_struct(srv, c, target, f->child, b);
		} else {
			ret = read_field(srv, f, rec, &v);
			if (!ret && (f->flags & SCX_STATS_F_DELTA))
				v.u64 = delta(c, target, st->name, f->name, v.u64);
			if (!ret)
				put_value(b, f->kind, &v);
		}
		if (ret) {
			pr_debug("stats server: reading %s.%s: %s\n", st->name, f->name, strerror(-ret));
			goto out;
		}
	}
	scx__buf_addc(b, '}');
out:
	free(rec);
	return ret;
}

/* {"datum":...,"desc":...} of one field. */
static void put_field_meta(struct scx_buf *b, const char *name, const char *datum_struct,
			   enum scx_stats_kind kind, const char *desc)
{
	scx__json_str(b, name);
	scx__buf_adds(b, ":{\"datum\":");
	if (datum_struct) {
		scx__buf_adds(b, "{\"struct\":");
		scx__json_str(b, datum_struct);
		scx__buf_addc(b, '}');
	} else {
		scx__json_str(b, kind_str(kind));
	}
	if (desc) {
		scx__buf_adds(b, ",\"desc\":");
		scx__json_str(b, desc);
	}
	scx__buf_addc(b, '}');
}

static int put_struct_meta(struct scx_stats_server *srv, int idx, struct scx_buf *b)
{
	struct sstruct *st = &srv->structs[idx];
	int i, ret;

	scx__buf_addc(b, '{');
	if (st->desc) {
		scx__buf_adds(b, "\"desc\":");
		scx__json_str(b, st->desc);
		scx__buf_addc(b, ',');
	}
	scx__buf_adds(b, "\"fields\":{");
	if (st->kind != ST_FIELDS) {
		const char *desc = st->kind == ST_COUNTERS ? "a per-CPU counter" : "a kernel event counter";
		struct counter_list l;

		ret = list_counters(srv, st->kind, &l);
		if (ret)
			return ret;
		for (i = 0; i < l.nr; i++) {
			scx__buf_adds(b, i ? "," : "");
			put_field_meta(b, l.v[i].name, NULL, SCX_STATS_U64, desc);
		}
		free(l.v);
	}
	for (i = 0; st->kind == ST_FIELDS && i < st->nr_fields; i++) {
		const struct field *f = &st->fields[i];

		scx__buf_adds(b, i ? "," : "");
		put_field_meta(b, f->name, f->src == SRC_STRUCT ? srv->structs[f->child].name : NULL,
			       f->kind, f->desc);
	}
	scx__buf_adds(b, "},\"name\":");
	scx__json_str(b, st->name);
	if (idx == 0)
		scx__buf_adds(b, ",\"top\":\"true\"");
	scx__buf_addc(b, '}');
	return 0;
}

static int cmp_struct_idx(const void *a, const void *b, void *srv)
{
	const struct sstruct *st = ((struct scx_stats_server *)srv)->structs;

	return strcmp(st[*(const int *)a].name, st[*(const int *)b].name);
}

/* stats_meta's resp: every struct by name, in name order. */
static int put_meta(struct scx_stats_server *srv, struct scx_buf *b)
{
	int *order = calloc(srv->nr_structs, sizeof(*order));
	int i, ret = 0;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < srv->nr_structs; i++)
		order[i] = i;
	qsort_r(order, srv->nr_structs, sizeof(*order), cmp_struct_idx, srv);
	scx__buf_addc(b, '{');
	for (i = 0; i < srv->nr_structs && !ret; i++) {
		scx__buf_adds(b, i ? "," : "");
		scx__json_str(b, srv->structs[order[i]].name);
		scx__buf_addc(b, ':');
		ret = put_struct_meta(srv, order[i], b);
	}
	scx__buf_addc(b, '}');
	free(order);
	return ret;
}

static void put_error(struct scx_buf *b, int err, const char *msg)
{
	scx__buf_printf(b, "{\"errno\":%d,\"args\":{\"resp\":", err);
	scx__json_str(b, msg);
	scx__buf_adds(b, "}}\n");
}

/* The parts of a request the server acts on. */
struct request {
	char *req, *target;
	bool have_args;
};

static void free_request(struct request *rq)
{
	free(rq->req);
	free(rq->target);
}

/* args: an object of strings; only "target" means anything here (the last
 * one wins, as in scx). */
static bool parse_args(struct scx_json_reader *r, struct request *rq)
{
	char *key, *val;
	int ret;

	if (!scx__json_object_open(r))
		return false;
	while ((ret = scx__json_next_key(r, &key)) > 0) {
		bool ok = scx__json_string(r, &val);

		if (ok && !strcmp(key, "target")) {
			free(rq->target);
			rq->target = val;
		} else if (ok) {
			free(val);
		}
		free(key);
		if (!ok)
			return false;
	}
	return ret == 0;
}

/* {"req": string, "args": {string: string}} with other members ignored,
 * as scx reads it. False with r->err set when it is not one. */
static bool parse_request(struct scx_json_reader *r, struct request *rq)
{
	char *key;
	bool ok;
	int ret;

	if (!scx__json_object_open(r))
		return false;
	while ((ret = scx__json_next_key(r, &key)) > 0) {
		if (!strcmp(key, "req")) {
			ok = !rq->req ? scx__json_string(r, &rq->req) :
			     (snprintf(r->err, sizeof(r->err), "duplicate field `req`"), false);
		} else if (!strcmp(key, "args")) {
			ok = !rq->have_args ? parse_args(r, rq) :
			     (snprintf(r->err, sizeof(r->err), "duplicate field `args`"), false);
			rq->have_args = true;
		} else {
			ok = scx__json_skip(r);
		}
		free(key);
		if (!ok)
			return false;
	}
	if (ret < 0)
		return false;
	if (!scx__json_at_end(r)) {
		snprintf(r->err, sizeof(r->err), "trailing characters at column %td", r->p - r->start + 1);
		return false;
	}
	if (!rq->req) {
		snprintf(r->err, sizeof(r->err), "missing field `req`");
		return false;
	}
	return true;
}

/* Answer one request line into c->out (empty when called). */
static void answer(struct scx_stats_server *srv, struct client *c, const char *line, size_t len)
{
	struct scx_json_reader r;
	struct request rq = {};
	char msg[256];
	int ret, idx;

	scx__json_reader_init(&r, line, len);
	if (!parse_request(&r, &rq)) {
		snprintf(msg, sizeof(msg), "malformed request: %s", r.err[0] ? r.err : "not JSON");
		put_error(&c->out, EINVAL_RESP, msg);
		goto out;
	}
	if (!strcmp(rq.req, "stats_meta")) {
		scx__buf_adds(&c->out, "{\"errno\":0,\"args\":{\"resp\":");
		ret = put_meta(srv, &c->out);
	} else if (!strcmp(rq.req, "stats")) {
		const char *target = rq.target ? rq.target : "top";

		idx = !strcmp(target, "top") ? 0 : find_struct(srv, target);
		if (idx < 0) {
			snprintf(msg, sizeof(msg), "unknown stat target \"%.200s\"", target);
			put_error(&c->out, EINVAL_RESP, msg);
			goto out;
		}
		scx__buf_adds(&c->out, "{\"errno\":0,\"args\":{\"resp\":");
		ret = put_struct(srv, c, target, idx, &c->out);
	} else {
		snprintf(msg, sizeof(msg), "unknown command \"%.200s\"", rq.req);
		put_error(&c->out, EINVAL_RESP, msg);
		goto out;
	}
	if (ret) {
		c->out.len = 0;
		c->out.failed = false;
		snprintf(msg, sizeof(msg), "%s: %s", rq.req, strerror(-ret));
		put_error(&c->out, -ret, msg);
	} else {
		scx__buf_adds(&c->out, "}}\n");
	}
out:
	free_request(&rq);
}

/* ---- connections --------------------------------------------------------- */

static void drop_client(struct scx_stats_server *srv, unsigned int i, const char *why)
{
	struct client *c = srv->clients[i];
	int j;

	if (why)
		pr_debug("stats server: dropping a client: %s\n", why);
	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	scx__buf_free(&c->in);
	scx__buf_free(&c->out);
	for (j = 0; j < c->nr_prev; j++)
		free(c->prev[j].key);
	free(c->prev);
	free(c);
	srv->clients[i] = srv->clients[--srv->nr_clients];
}

static void accept_clients(struct scx_stats_server *srv)
{
	int n, fd;

	for (n = 0; n < 64; n++) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct client *c;

		fd = accept4(srv->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				pr_debug("stats server: accept: %s\n", strerror(errno));
			return;
		}
		if (srv->nr_clients >= srv->max_clients) {
			pr_debug("stats server: %u clients already; closing a new one\n", srv->nr_clients);
			srv->usage.refused++;
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		ev.data.fd = fd;
		if (!c || epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->events = EPOLLIN;
		scx__buf_init(&c->in, MAX_LINE + 8192);
		scx__buf_init(&c->out, srv->max_pending);
		srv->clients[srv->nr_clients++] = c;
		srv->usage.accepted++;
	}
}

/* Read what is there, up to a little more than one line's limit. False
 * when the connection failed. */
static bool read_client(struct client *c)
{
	char tmp[4096];
	ssize_t n;

	while (!c->eof && c->in.len <= MAX_LINE) {
		n = recv(c->fd, tmp, sizeof(tmp), MSG_DONTWAIT);
		if (n > 0) {
			scx__buf_add(&c->in, tmp, n);
		} else if (n == 0) {
			c->eof = true;
		} else if (errno == EINTR) {
			continue;
		} else {
			return errno == EAGAIN;
		}
	}
	return !c->in.failed;
}

/* Send what fits now. False when the connection failed. */
static bool flush_client(struct client *c)
{
	ssize_t n;

	while (c->out.len) {
		n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			scx__buf_consume(&c->out, n);
			c->progress_ms = scx__now_ms();
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			return n < 0 && errno == EAGAIN;
		}
	}
	return true;
}

/* Answer the complete lines c has sent, while its replies go out at once.
 * Returns the number answered. */
static int serve_client(struct scx_stats_server *srv, struct client *c)
{
	int answered = 0;

	while (answered < REQS_PER_CALL && !c->closing && !c->out.len) {
		char *nl = c->in.len ? memchr(c->in.data, '\n', c->in.len) : NULL;
		size_t len = nl ? (size_t)(nl - c->in.data) : c->in.len;

		if (len > MAX_LINE) {
			char msg[96];

			snprintf(msg, sizeof(msg), "malformed request: line longer than %d bytes", MAX_LINE);
			put_error(&c->out, EINVAL_RESP, msg);
			c->closing = true;
		} else if (nl || (c->eof && len)) {
			/* at the end, a last line without '\n' counts, as in scx */
			answer(srv, c, c->in.data, len);
			scx__buf_consume(&c->in, nl ? len + 1 : len);
			answered++;
		} else {
			c->closing = c->eof;
			break;
		}
		c->progress_ms = scx__now_ms();
		if (c->out.failed)
			break;
		if (!flush_client(c))
			return answered;
	}
	return answered;
}

/* Whether c has a request it could be answered now (REQS_PER_CALL ran out). */
static bool has_ready_line(const struct client *c)
{
	return !c->closing && !c->out.len &&
	       (memchr(c->in.data ? c->in.data : "", '\n', c->in.len) || c->eof);
}

/* After serving: drop c, or wait for what it can do next. False when c
 * was dropped. */
static bool settle_client(struct scx_stats_server *srv, unsigned int i, long long now)
{
	struct client *c = srv->clients[i];
	struct epoll_event ev = { .data.fd = c->fd };

	if (c->out.failed) {
		pr_warn("stats server: a reply exceeded %u bytes; dropping the client\n", srv->max_pending);
		srv->usage.dropped_overflow++;
		drop_client(srv, i, NULL);
		return false;
	}
	if (c->closing && !c->out.len) {
		drop_client(srv, i, NULL);
		return false;
	}
	if (c->out.len && now - c->progress_ms > srv->stall_ms) {
		srv->usage.dropped_stalled++;
		drop_client(srv, i, "it stopped reading its replies");
		return false;
	}
	/* one direction at a time: no new request is read while a reply waits */
	ev.events = c->out.len ? EPOLLOUT : c->eof ? 0 : EPOLLIN;
	if (ev.events != c->events) {
		if (epoll_ctl(srv->epfd, EPOLL_CTL_MOD, c->fd, &ev)) {
			drop_client(srv, i, "epoll_ctl failed");
			return false;
		}
		c->events = ev.events;
	}
	return true;
}

static struct client *client_by_fd(struct scx_stats_server *srv, int fd)
{
	unsigned int i;

	for (i = 0; i < srv->nr_clients; i++)
		if (srv->clients[i]->fd == fd)
			return srv->clients[i];
	return NULL;
}

/* Handle what epoll reported, then serve every client; under srv->lock. */
static int handle(struct scx_stats_server *srv, const struct epoll_event *evs, int n)
{
	bool pending = false;
	long long now;
	__u64 cnt;
	unsigned int i;
	int k, answered = 0;

	for (k = 0; k < n; k++) {
		struct client *c;

		if (evs[k].data.fd == srv->lfd) {
			accept_clients(srv);
			continue;
		}
		if (evs[k].data.fd == srv->wakefd) {
			if (read(srv->wakefd, &cnt, sizeof(cnt)) < 0)
				cnt = 0;
			continue;
		}
		c = client_by_fd(srv, evs[k].data.fd);
		if (!c)
			continue;
		if (!flush_client(c) || ((evs[k].events & EPOLLIN) && !read_client(c)) ||
		    ((evs[k].events & (EPOLLERR | EPOLLHUP)) && !(evs[k].events & EPOLLIN))) {
			/* gone: nothing more to send, dropped below */
			c->out.len = 0;
			c->closing = true;
		}
	}
	now = scx__now_ms();
	for (i = 0; i < srv->nr_clients;) {
		struct client *c = srv->clients[i];

		if (!c->closing)
			answered += serve_client(srv, c);
		/* a dropped client's slot now holds the last one: look at i again */
		if (settle_client(srv, i, now)) {
			pending |= has_ready_line(c);
			i++;
		}
	}
	if (pending) {
		cnt = 1;
		if (write(srv->wakefd, &cnt, sizeof(cnt)) < 0)
			pr_debug("stats server: eventfd: %s\n", strerror(errno));
	}
	return answered;
}

static int process(struct scx_stats_server *srv, int timeout_ms)
{
	struct epoll_event evs[64];
	struct scx_stats_server_usage *u = &srv->usage;
	long long t0;
	__u64 ns;
	int n, answered;

	n = epoll_wait(srv->epfd, evs, 64, timeout_ms);
	if (n < 0)
		n = 0;		/* EINTR: handle the clients all the same */
	/* the cost to the caller's loop: the work, not the wait */
	t0 = scx__now_ns();
	pthread_mutex_lock(&srv->lock);
	answered = handle(srv, evs, n);
	ns = scx__now_ns() - t0;
	u->calls++;
	u->requests += answered;
	u->busy_ns += ns;
	if (ns > u->max_call_ns)
		u->max_call_ns = ns;
	pthread_mutex_unlock(&srv->lock);
	return answered;
}

int scx_stats_server__process(struct scx_stats_server *srv, int timeout_ms)
{
	if (!srv || srv->has_thread)
		return scx_err(-EINVAL);
	return process(srv, timeout_ms);
}

static void *server_thread(void *arg)
{
	struct scx_stats_server *srv = arg;
	bool stop = false;

	while (!stop) {
		/* stale clients are looked at each second at least */
		process(srv, 1000);
		pthread_mutex_lock(&srv->lock);
		stop = srv->stop;
		pthread_mutex_unlock(&srv->lock);
	}
	return NULL;
}

int scx_stats_server__fd(const struct scx_stats_server *srv)
{
	return srv ? srv->epfd : scx_err(-EINVAL);
}

int scx_stats_server__usage(const struct scx_stats_server *srv,
			    struct scx_stats_server_usage *out)
{
	size_t skip = sizeof(out->sz), n;

	if (!srv || !out || out->sz < offsetofend(struct scx_stats_server_usage, max_call_ns))
		return scx_err(-EINVAL);
	n = out->sz < sizeof(*out) ? out->sz : sizeof(*out);
	pthread_mutex_lock((pthread_mutex_t *)&srv->lock);
	memcpy((char *)out + skip, (const char *)&srv->usage + skip, n - skip);
	pthread_mutex_unlock((pthread_mutex_t *)&srv->lock);
	/* a newer caller's members this library does not know read as 0 */
	if (out->sz > n)
		memset((char *)out + n, 0, out->sz - n);
	return (int)n;
}

unsigned int scx_stats_server__nr_clients(const struct scx_stats_server *srv)
{
	unsigned int n;

	if (!srv)
		return 0;
	pthread_mutex_lock((pthread_mutex_t *)&srv->lock);
	n = srv->nr_clients;
	pthread_mutex_unlock((pthread_mutex_t *)&srv->lock);
	return n;
}

/* ---- the socket ---------------------------------------------------------- */

/* mkdir -p of path's parent directory, each new one 0755. */
static int make_parents(const char *path)
{
	char *dir = strdup(path), *p;
	int err = 0;

	if (!dir)
		return -ENOMEM;
	p = strrchr(dir, '/');
	if (p && p != dir) {
		*p = '\0';
		for (p = dir + 1; !err; p++) {
			bool last = !*p;

			if (*p != '/' && !last)
				continue;
			*p = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST)
				err = -errno;
			if (last)
				break;
			*p = '/';
		}
		if (err)
			pr_warn("stats server: cannot create directory %s: %s\n", dir, strerror(-err));
	}
	free(dir);
	return err;
}

/* Clear the way for bind(): remove a socket nobody listens on, refuse
 * anything else. */
static int clear_path(const char *path, const struct sockaddr_un *addr)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		pr_warn("stats server: %s exists and is not a socket; not replacing it\n", path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) ? -errno : 0;
	close(fd);
	if (ret == 0 || ret == -EAGAIN) {
		pr_warn("stats server: a server is already listening at %s\n", path);
		return -EADDRINUSE;
	}
	pr_debug("stats server: replacing the stale socket %s\n", path);
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

static int open_socket(struct scx_stats_server *srv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int err;

	if (strlen(srv->path) >= sizeof(addr.sun_path)) {
		pr_warn("stats server: socket path longer than %zu bytes: %s\n",
			sizeof(addr.sun_path) - 1, srv->path);
		return -ENAMETOOLONG;
	}
	memcpy(addr.sun_path, srv->path, strlen(srv->path));
	err = make_parents(srv->path);
	if (!err)
		err = clear_path(srv->path, &addr);
	if (err)
		return err;
	srv->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->lfd < 0)
		return -errno;
	if (bind(srv->lfd, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv->lfd, 128)) {
		err = -errno;
		pr_warn("stats server: cannot listen at %s: %s\n", srv->path, strerror(-err));
		return err;
	}
	if (!stat(srv->path, &st)) {
		srv->dev = st.st_dev;
		srv->ino = st.st_ino;
	}
	return 0;
}

static int add_to_epoll(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

struct scx_stats_server *scx_stats_server__new(const char *path,
					       const struct scx_stats_server_opts *opts)
{
	const char *top_name = SCX_OPT(opts, top_name, NULL) ?: "libscx";
	const char *top_desc = SCX_OPT(opts, top_desc, NULL) ?:
		"statistics of a libscx sched_ext scheduler";
	const char *sysfs_root = SCX_OPT(opts, sysfs_root, NULL);
	struct scx_stats_server *srv;
	int err;

	if (!SCX_OPTS_VALID(opts, scx_stats_server_opts))
		return scx_err_ptr(-EINVAL);
	if (!ident_ok(top_name) || (SCX_OPT(opts, sched, NULL) && SCX_OPT(opts, thread, false))) {
		pr_warn("stats server: %s\n", ident_ok(top_name) ?
			"a scheduler handle cannot be served from a helper thread" :
			"top_name must be an identifier");
		return scx_err_ptr(-EINVAL);
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return scx_err_ptr(-ENOMEM);
	srv->epfd = srv->lfd = srv->wakefd = -1;
	pthread_mutex_init(&srv->lock, NULL);
	srv->sched = SCX_OPT(opts, sched, NULL);
	srv->max_clients = SCX_OPT(opts, max_clients, 0) ?: DEF_MAX_CLIENTS;
	srv->max_pending = SCX_OPT(opts, max_pending, 0) ?: DEF_MAX_PENDING;
	srv->stall_ms = SCX_OPT(opts, stall_ms, 0) ?: DEF_STALL_MS;
	srv->deltas = SCX_OPT(opts, counter_deltas, false);
	srv->start_ms = scx__now_ms();
	srv->path = strdup(path ?: SCX_STATS_DEFAULT_PATH);
	srv->sysfs_root = sysfs_root ? strdup(sysfs_root) : NULL;
	srv->clients = calloc(srv->max_clients, sizeof(*srv->clients));
	if (!srv->path || (sysfs_root && !srv->sysfs_root) || !srv->clients) {
		err = -ENOMEM;
		goto fail;
	}
	err = new_struct(srv, top_name, top_desc, ST_FIELDS);
	if (err >= 0 && srv->sched)
		err = add_sched_fields(srv);
	if (err < 0)
		goto fail;
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	srv->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (srv->epfd < 0 || srv->wakefd < 0) {
		err = -errno;
		goto fail;
	}
	err = open_socket(srv);
	if (!err)
		err = add_to_epoll(srv->epfd, srv->lfd);
	if (!err)
		err = add_to_epoll(srv->epfd, srv->wakefd);
	if (err)
		goto fail;
	if (SCX_OPT(opts, thread, false)) {
		err = -pthread_create(&srv->thread, NULL, server_thread, srv);
		if (err)
			goto fail;
		srv->has_thread = true;
	}
	return srv;
fail:
	scx_stats_server__destroy(srv);
	return scx_err_ptr(err);
}

void scx_stats_server__destroy(struct scx_stats_server *srv)
{
	struct stat st;
	int i;

	if (!srv)
		return;
	if (srv->has_thread) {
		__u64 one = 1;

		pthread_mutex_lock(&srv->lock);
		srv->stop = true;
		pthread_mutex_unlock(&srv->lock);
		if (write(srv->wakefd, &one, sizeof(one)) < 0)
			pr_debug("stats server: eventfd: %s\n", strerror(errno));
		pthread_join(srv->thread, NULL);
	}
	while (srv->nr_clients)
		drop_client(srv, srv->nr_clients - 1, NULL);
	if (srv->lfd >= 0) {
		/*
		 * Unlink before the close: a client arriving in between then
		 * finds no socket (said as "no server") instead of a socket
		 * that refuses (said as a stale one).  Only the socket this
		 * server made: another may have replaced it.
		 */
		if (srv->ino && !lstat(srv->path, &st) && st.st_dev == srv->dev &&
		    st.st_ino == srv->ino)
			unlink(srv->path);
		close(srv->lfd);
	}
	if (srv->wakefd >= 0)
		close(srv->wakefd);
	if (srv->epfd >= 0)
		close(srv->epfd);
	for (i = 0; i < srv->nr_structs; i++)
		free_struct(&srv->structs[i]);
	free(srv->structs);
	free(srv->clients);
	free(srv->path);
	free(srv->sysfs_root);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}
