/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool: the Prometheus text exposition format, version 0.0.4 (what
 * node_exporter's textfile collector and `promtool check metrics` read).
 * Families are collected first and written at the end, so that the samples
 * of one family stay together whatever order they are found in, each with
 * one HELP and one TYPE line. Names are made valid and free of what
 * promtool's lint refuses: counters end in _total, other types never in
 * _total, _count, _sum or _bucket, no camelCase, no colons.
 */
#ifndef __SCXTOOL_PROM_H
#define __SCXTOOL_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum prom_type { PROM_GAUGE, PROM_COUNTER };

#define PROM_MAX_LABELS 16

struct prom_family {
	char *key;		/* where its values come from; one family per key */
	char *name;
	char *help;
	enum prom_type type;
	char *body;		/* the sample lines */
	size_t body_len;
	FILE *f;		/* writes body */
};

struct prom {
	/* each family on its own: its memstream points into it */
	struct prom_family **fams;
	size_t n, cap;
	const char *common[PROM_MAX_LABELS];	/* name, value pairs on every sample */
	size_t nr_common;
	bool failed;		/* out of memory on the way: prom_render() refuses */
};

void prom_init(struct prom *p);
void prom_free(struct prom *p);

/* A label every sample carries (name and value are not copied). */
void prom_common_label(struct prom *p, const char *name, const char *value);

/*
 * The family for key, created on first use with name (made valid for its
 * type, and unique: a name another key took gets _2, _3...) and help.
 * NULL when out of memory.
 */
struct prom_family *prom_family(struct prom *p, const char *key, const char *name,
				enum prom_type type, const char *help);

/*
 * One sample of f: labels holds nr name, value pairs (names made valid,
 * values escaped) after the common ones; value is a number as text.
 */
void prom_sample(struct prom *p, struct prom_family *f, const char *const *labels, size_t nr,
		 const char *value);

/* The whole exposition, malloc'd, with its length; NULL when out of memory. */
char *prom_render(struct prom *p, size_t *len);

/*
 * s made a valid snake_case name into out ([a-zA-Z_][a-zA-Z0-9_]*: every
 * other byte becomes '_', camelCase humps get a '_' and lose their case,
 * runs of '_' become one). Used for metric and label names alike.
 */
void prom_name(const char *s, char *out, size_t size);

/*
 * When name (as prom_name() writes it) holds a time unit other than
 * seconds (ns, us, ms, s, sec, ...milliseconds...), rewrite that word as
 * "seconds" and return the factor that turns its values into seconds;
 * else return 1.
 */
double prom_base_unit(char *name, size_t size);

/* s escaped as a label value (\\, \", \n; bytes that are not UTF-8 as U+FFFD) */
void prom_escape_label(FILE *f, const char *s);
/* s escaped as HELP text (\\, \n; bytes that are not UTF-8 as U+FFFD) */
void prom_escape_help(FILE *f, const char *s);

#endif /* __SCXTOOL_PROM_H */
