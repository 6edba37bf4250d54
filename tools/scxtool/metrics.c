// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * scxtool metrics: the system's sched_ext state, the kernel's event
 * counters and the attached scheduler's statistics (from its scx_stats
 * server, when one answers) in the Prometheus text format, on stdout or as
 * a file node_exporter's textfile collector reads, replaced atomically.
 *
 * What it writes: every sample carries the labels ops (the attached
 * scheduler's name, "" when none) and kernel (the release, from uname), so
 * a fleet's series split by scheduler and kernel without a join. The
 * system part comes from sysfs; the server's values follow one rule for
 * any server: a number at path a.b.c becomes the gauge scx_stats_a_b_c
 * (time units rewritten to seconds), array elements and dict entries
 * become samples labelled with the array's or dict's field name, and the
 * field's stats_meta description is its HELP. They are gauges because
 * the protocol does not say whether a value only grows (many servers
 * answer increases since the connection's previous request); each
 * collection asks on a new connection, where a libscx server answers
 * totals.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <scx/monitor.h>
#include <scx/stats_server.h>

#include "json_parse.h"
#include "prom.h"
#include "scxtool.h"
#include "stats_client.h"

/* The file in --textfile DIR; node_exporter reads every *.prom there. */
#define TEXTFILE_NAME	"scx.prom"
#define MAX_DEPTH	8
#define REPLY_TIMEOUT_S	5	/* a reply later than this: not a scx_stats server */

static void metrics_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool metrics [--socket PATH] [--textfile DIR [--interval S]]\n\n"
		"Print the sched_ext state in the Prometheus text format (version 0.0.4):\n"
		"scx_enabled, scx_state{state}, scx_switch_all, scx_enable_seq_total,\n"
		"scx_hotplug_seq_total, scx_rejected_tasks_total, the kernel's event counters\n"
		"as scx_events_total{event}, whether a stats server answered (scx_stats_up),\n"
		"and every number the scheduler's scx_stats server answers as a gauge\n"
		"scx_stats_NAME (nested names joined with '_', array elements and dict\n"
		"entries labelled with their field's name). Every sample is labelled with\n"
		"ops (the attached scheduler, \"\" when none) and kernel (the release).\n\n"
		"  --socket PATH    the stats server's socket (default " SCX_STATS_DEFAULT_PATH ");\n"
		"                   without this option a missing server is not an error\n"
		"  --textfile DIR   write DIR/" TEXTFILE_NAME " instead of printing, for node_exporter's\n"
		"                   textfile collector (DIR is its --collector.textfile.directory),\n"
		"                   replaced atomically: a reader never sees a half-written file\n"
		"  --interval S     with --textfile: write it again every S seconds (e.g. 15)\n"
		"                   until SIGINT/SIGTERM, which leave the last complete file\n"
		"  -h, --help       this text\n\n"
		"Exit status: 0 success (also when no stats server answers); 1 no sched_ext,\n"
		"or the file could not be written; 2 a usage error.\n");
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

struct collect {
	struct prom *p;
	const struct jv *meta;	/* the stats_meta reply's resp, or NULL */
	const char *labels[2 * MAX_DEPTH];
	size_t nr_labels;
	char store[MAX_DEPTH][128];	/* label names */
};

/* A struct's meta by name; the top one when name is NULL. */
static const struct jv *meta_struct(const struct jv *meta, const char *name)
{
	size_t i;

	if (!meta || meta->type != JV_OBJ)
		return NULL;
	if (name)
		return jv_get(meta, name);
	for (i = 0; i < meta->n; i++) {
		const struct jv *top = jv_get(&meta->items[i], "top");

		if (top && top->type == JV_STR && !strcmp(top->text, "true"))
			return &meta->items[i];
	}
	return NULL;
}

static void add_value(struct collect *c, const struct jv *v, const struct jv *datum,
		      const char *name, const char *key, const char *help, int depth);

/* Each member of object v, a struct (described by st, or not at all). */
static void add_struct(struct collect *c, const struct jv *v, const struct jv *st,
		       const char *name, const char *key, int depth)
{
	const struct jv *fields = jv_get(st, "fields");
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct jv *fm = jv_get(fields, v->keys[i]), *desc = jv_get(fm, "desc");
		char *cname, *ckey;

		if (asprintf(&cname, "%s_%s", name, v->keys[i]) < 0)
			continue;
		if (asprintf(&ckey, "%s%s%s", key, *key ? "." : "", v->keys[i]) < 0) {
			free(cname);
			continue;
		}
		add_value(c, &v->items[i], jv_get(fm, "datum"), cname, ckey,
			  desc && desc->type == JV_STR ? desc->text : NULL, depth + 1);
		free(ckey);
		free(cname);
	}
}

static bool label_taken(const struct collect *c, size_t nr, const char *label)
{
	size_t i;

	if (!strcmp(label, "ops") || !strcmp(label, "kernel"))
		return true;
	for (i = 0; i < nr; i += 2)
		if (!strcmp(c->labels[i], label))
			return true;
	return false;
}

/* Elements of array or dict v as samples labelled with the field's name. */
static void add_elements(struct collect *c, const struct jv *v, const struct jv *datum,
			 const char *name, const char *key, const char *help, int depth)
{
	char *label = c->store[depth], *ckey, idx[32];
	const char *field = strrchr(key, '.') ? strrchr(key, '.') + 1 : key;
	size_t i, at = c->nr_labels;
	int n = 2;

	/* the field's name, unless another label of the sample has it */
	prom_name(field, label, sizeof(c->store[0]));
	while (label_taken(c, at, label)) {
		prom_name(field, label, sizeof(c->store[0]) - 12);
		snprintf(label + strlen(label), 12, "_%d", n++);
	}
	if (asprintf(&ckey, "%s%s", key, v->type == JV_ARR ? "[]" : "{}") < 0)
		return;
	c->labels[at] = label;
	c->nr_labels = at + 2;
	for (i = 0; i < v->n; i++) {
		if (v->type == JV_ARR) {
			snprintf(idx, sizeof(idx), "%zu", i);
			c->labels[at + 1] = idx;
		} else {
			c->labels[at + 1] = v->keys[i];
		}
		add_value(c, &v->items[i], datum, name, ckey, help, depth + 1);
	}
	c->nr_labels = at;
	free(ckey);
}

static void add_value(struct collect *c, const struct jv *v, const struct jv *datum,
		      const char *name, const char *key, const char *help, int depth)
{
	const struct jv *inner;
	char fname[256], hbuf[512], num[64];
	struct prom_family *f;
	double factor;

	if (depth >= MAX_DEPTH)
		return;
	switch (v->type) {
	case JV_NULL:
	case JV_STR:
		return;		/* not a number: names and modes have no sample */
	case JV_ARR:
		add_elements(c, v, jv_get(datum, "array"), name, key, help, depth);
		return;
	case JV_OBJ:
		inner = jv_get(datum, "dict");
		if (inner) {
			add_elements(c, v, jv_get(inner, "datum"), name, key, help, depth);
			return;
		}
		inner = jv_get(datum, "struct");
		add_struct(c, v, inner && inner->type == JV_STR ? meta_struct(c->meta, inner->text) :
			   NULL, name, key, depth);
		return;
	case JV_BOOL:
	case JV_NUM:
		break;
	}
	prom_name(name, fname, sizeof(fname));
	factor = prom_base_unit(fname, sizeof(fname));
	snprintf(hbuf, sizeof(hbuf), "%s%sscx_stats field %s%s%s", help ?: "", help ? " (" : "",
		 key, factor != 1 ? ", in seconds" : "", help ? ")" : "");
	f = prom_family(c->p, key, fname, PROM_GAUGE, hbuf);
	if (v->type == JV_BOOL)
		snprintf(num, sizeof(num), "%d", !strcmp(v->text, "true"));
	else if (factor != 1)
		snprintf(num, sizeof(num), "%.15g", strtod(v->text, NULL) * factor);
	else
		snprintf(num, sizeof(num), "%s", v->text);
	prom_sample(c->p, f, c->labels, c->nr_labels / 2, num);
}

/* The server's reply to req: its resp inside *reply (to jv_free), or NULL
 * with why printed (nothing when a signal ended the wait). */
static const struct jv *ask(int fd, const char *path, const char *req, struct jv **reply)
{
	const struct jv *resp = NULL;
	char *buf = NULL, err[512];
	size_t cap = 0;

	*reply = NULL;
	if (!scxtool_stats_exchange(fd, path, req, &stop, &buf, &cap, err, sizeof(err)))
		resp = scxtool_stats_resp(buf, path, reply, err, sizeof(err));
	if (!resp && err[0])
		fprintf(stderr, "scxtool metrics: %s\n", err);
	free(buf);
	return resp;
}

/* The server's statistics into p; false when it did not answer them. */
static bool add_server(struct prom *p, const char *path, bool quiet)
{
	struct collect c = { .p = p };
	const struct jv *stats;
	struct jv *reply, *meta_reply = NULL;
	char err[512];
	bool ok;
	int fd;

	fd = scxtool_stats_connect(path, REPLY_TIMEOUT_S, err, sizeof(err));
	if (fd < 0) {
		if (!quiet)
			fprintf(stderr, "scxtool metrics: %s\n", err);
		return false;
	}
	/* totals first: the first request of a connection answers them */
	stats = ask(fd, path, "{\"req\":\"stats\",\"args\":{\"target\":\"top\"}}\n", &reply);
	if (stats)
		c.meta = ask(fd, path, "{\"req\":\"stats_meta\",\"args\":{}}\n", &meta_reply);
	close(fd);
	ok = stats && stats->type == JV_OBJ;
	if (ok)
		add_struct(&c, stats, meta_struct(c.meta, NULL), "scx_stats", "", 0);
	jv_free(meta_reply);
	jv_free(reply);
	return ok;
}

struct events_ctx {
	struct prom *p;
	struct prom_family *f;
};

static int add_event(const char *name, __u64 value, void *ctx)
{
	struct events_ctx *e = ctx;
	const char *labels[2] = { "event", NULL };
	char ev[128], num[32];
	size_t i;

	snprintf(ev, sizeof(ev), "%s", strncmp(name, "SCX_EV_", 7) ? name : name + 7);
	for (i = 0; ev[i]; i++)
		ev[i] = tolower((unsigned char)ev[i]);
	labels[1] = ev;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)value);
	prom_sample(e->p, e->f, labels, 1, num);
	return 0;
}

static void add_u64(struct prom *p, const char *name, enum prom_type type, const char *help,
		    unsigned long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", v);
	prom_sample(p, prom_family(p, name, name, type, help), NULL, 0, num);
}

struct metrics_opts {
	const char *socket;
	bool socket_given;
	bool was_down;		/* the previous collection found no server */
	struct scx_monitor_opts mon;
};

/* One collection into a malloc'd exposition, or NULL with the reason printed. */
static char *collect(struct metrics_opts *o, size_t *len)
{
	static const char *const states[] = { "disabled", "enabling", "enabled", "disabling" };
	struct scx_system_status st = { .sz = sizeof(st) };
	struct events_ctx ev;
	struct utsname u;
	struct prom p;
	char *out;
	size_t i;
	bool up;
	int ret;

	ret = scx_system__status(&st, &o->mon);
	if (ret == -EOPNOTSUPP) {
		scxtool_need_sched_ext("metrics");
		return NULL;
	}
	if (ret < 0) {
		fprintf(stderr, "scxtool metrics: cannot read the sched_ext state in sysfs: %s\n",
			strerror(-ret));
		return NULL;
	}
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	prom_init(&p);
	prom_common_label(&p, "ops", st.ops);
	prom_common_label(&p, "kernel", u.release);
	add_u64(&p, "scx_enabled", PROM_GAUGE,
		"1 when a sched_ext scheduler is attached and enabled, else 0",
		!strcmp(st.state, "enabled"));
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		const char *labels[2] = { "state", states[i] };

		prom_sample(&p, prom_family(&p, "scx_state", "scx_state", PROM_GAUGE,
					    "sched_ext's state: 1 for the current one, 0 for the others"),
			    labels, 1, strcmp(st.state, states[i]) ? "0" : "1");
	}
	add_u64(&p, "scx_switch_all", PROM_GAUGE,
		"1 when every task is on sched_ext, 0 for a partial switch or none", st.switch_all);
	add_u64(&p, "scx_enable_seq", PROM_COUNTER, "sched_ext schedulers enabled since boot",
		st.enable_seq);
	add_u64(&p, "scx_hotplug_seq", PROM_COUNTER, "CPU hotplug events since boot",
		st.hotplug_seq);
	add_u64(&p, "scx_rejected_tasks", PROM_COUNTER,
		"tasks that refused to join the current scheduler (nr_rejected)", st.nr_rejected);
	ev.p = &p;
	ev.f = prom_family(&p, "scx_events", "scx_events", PROM_COUNTER,
			   "the kernel's sched_ext event counters (SCX_EV_*, kernel 6.15 and later)");
	/* -ENOENT: nothing attached, or a kernel without event counters */
	scx_system__for_each_event(add_event, &ev, &o->mon);
	/* a missing server named by --socket is said once, not every interval */
	up = add_server(&p, o->socket, !o->socket_given || o->was_down);
	o->was_down = !up;
	add_u64(&p, "scx_stats_up", PROM_GAUGE,
		"1 when the scheduler's scx_stats server answered this collection, else 0", up);
	out = prom_render(&p, len);
	prom_free(&p);
	if (!out)
		fprintf(stderr, "scxtool metrics: out of memory\n");
	return out;
}

/* What is wrong with dir as the textfile directory, or NULL. */
static const char *textfile_dir_error(const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb))
		return errno == ENOENT ? "no such directory: create it (mkdir -p), or name the "
			"directory node_exporter's --collector.textfile.directory reads" :
			strerror(errno);
	if (!S_ISDIR(sb.st_mode))
		return "not a directory: --textfile takes the directory the file goes into";
	if (access(dir, W_OK | X_OK))
		return "cannot write there: run scxtool as a user who may, or choose a directory "
			"it can write";
	return NULL;
}

/*
 * Replace dir/TEXTFILE_NAME with buf atomically: a temporary file in the
 * same directory (a name node_exporter does not read: it ends not in
 * .prom), written whole, synced, then renamed over the old one.
 */
static int write_textfile(const char *dir, const char *buf, size_t len)
{
	char tmp[4096], dst[4096];
	size_t done = 0;
	int fd, dfd;

	snprintf(dst, sizeof(dst), "%s/" TEXTFILE_NAME, dir);
	snprintf(tmp, sizeof(tmp), "%s/." TEXTFILE_NAME ".XXXXXX", dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "scxtool metrics: cannot create a file in %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		done += n;
	}
	/* mkostemp's 0600 would keep node_exporter's user out */
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dst))
		goto fail;
	/* the rename itself reaches the disk too */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	fprintf(stderr, "scxtool metrics: writing %s: %s\n", dst, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int cmd_metrics(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "textfile", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		/* a fake sysfs tree (tests) */
		{ "sysfs-root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct metrics_opts o = { .socket = SCX_STATS_DEFAULT_PATH,
				  .mon = { .sz = sizeof(o.mon) } };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *dir = NULL, *why;
	double interval = 0;
	int opt, ret = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			o.socket = optarg;
			o.socket_given = true;
			break;
		case 't':
			dir = optarg;
			break;
		case 'i':
			if (!scxtool_parse_seconds(optarg, &interval)) {
				fprintf(stderr, "scxtool metrics: --interval takes seconds above 0, not '%s'\n",
					optarg);
				metrics_usage(stderr);
				return SCXTOOL_EXIT_USAGE;
			}
			break;
		case 'r':
			o.mon.sysfs_root = optarg;
			break;
		case 'h':
			metrics_usage(stdout);
			return 0;
		default:
			metrics_usage(stderr);
			return SCXTOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxtool metrics: unexpected argument '%s'\n", argv[optind]);
		metrics_usage(stderr);
		return SCXTOOL_EXIT_USAGE;
	}
	if (interval && !dir) {
		fprintf(stderr, "scxtool metrics: --interval goes with --textfile DIR\n");
		metrics_usage(stderr);
		return SCXTOOL_EXIT_USAGE;
	}
	if (dir && (why = textfile_dir_error(dir))) {
		fprintf(stderr, "scxtool metrics: --textfile %s: %s\n", dir, why);
		return SCXTOOL_EXIT_FAIL;
	}
	scxtool_set_verbose(false);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	do {
		size_t len;
		char *out = collect(&o, &len);

		if (!out)
			return SCXTOOL_EXIT_FAIL;
		if (stop) {
			/* a signal during the collection may have cut it short:
			 * the last complete file stays */
			free(out);
			break;
		}
		if (!dir) {
			fwrite(out, 1, len, stdout);
			ret = fflush(stdout) ? SCXTOOL_EXIT_FAIL : 0;
		} else if (write_textfile(dir, out, len)) {
			ret = SCXTOOL_EXIT_FAIL;
		}
		free(out);
		if (ret || !interval)
			break;
		scxtool_sleep_s(interval);
	} while (!stop);
	return ret;
}
