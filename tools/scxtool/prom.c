// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool: the Prometheus text exposition writer of prom.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "prom.h"

void prom_init(struct prom *p)
{
	memset(p, 0, sizeof(*p));
}

static void family_free(struct prom_family *f)
{
	if (f->f)
		fclose(f->f);
	free(f->body);
	free(f->key);
	free(f->name);
	free(f->help);
	free(f);
}

void prom_free(struct prom *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		family_free(p->fams[i]);
	free(p->fams);
	prom_init(p);
}

void prom_common_label(struct prom *p, const char *name, const char *value)
{
	if (p->nr_common + 2 > PROM_MAX_LABELS) {
		p->failed = true;
		return;
	}
	p->common[p->nr_common++] = name;
	p->common[p->nr_common++] = value;
}

void prom_name(const char *s, char *out, size_t size)
{
	unsigned char prev = 0;
	size_t n = 0;

	for (; *s && n + 3 < size; prev = *s++) {
		unsigned char c = *s;

		/* a hump of camelCase, not every letter of an UPPER_CASE name */
		if (isupper(c) && islower(prev) && n)
			out[n++] = '_';
		if (!isalnum(c))
			c = '_';
		if (c == '_' && (!n || out[n - 1] == '_'))
			continue;	/* no leading '_' (names from "__" are reserved), no runs */
		if (!n && isdigit(c))
			out[n++] = '_';
		out[n++] = tolower(c);
	}
	while (n > 1 && out[n - 1] == '_')
		n--;
	if (!n)
		out[n++] = '_';
	out[n] = '\0';
}

static const struct {
	const char *word;
	double factor;
} time_units[] = {
	{ "ns", 1e-9 }, { "nsec", 1e-9 }, { "nsecs", 1e-9 }, { "nanoseconds", 1e-9 },
	{ "us", 1e-6 }, { "usec", 1e-6 }, { "usecs", 1e-6 }, { "microseconds", 1e-6 },
	{ "ms", 1e-3 }, { "msec", 1e-3 }, { "msecs", 1e-3 }, { "milliseconds", 1e-3 },
	{ "s", 1 }, { "sec", 1 }, { "secs", 1 },
};

double prom_base_unit(char *name, size_t size)
{
	char *w = name;

	while (*w) {
		size_t len = strcspn(w, "_"), i;

		for (i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++) {
			const char *u = time_units[i].word;

			if (strlen(u) != len || strncmp(w, u, len))
				continue;
			if (strlen(name) - len + strlen("seconds") + 1 > size)
				return 1;
			memmove(w + strlen("seconds"), w + len, strlen(w + len) + 1);
			memcpy(w, "seconds", strlen("seconds"));
			return time_units[i].factor;
		}
		w += len;
		w += *w == '_';
	}
	return 1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static bool name_taken(const struct prom *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->fams[i]->name, name))
			return true;
	return false;
}

/* The family name for wanted: valid, right for type, not taken. */
static char *family_name(const struct prom *p, const char *wanted, enum prom_type type)
{
	char base[256], name[300];
	const char *suffix = "";
	int i;

	prom_name(wanted, base, sizeof(base));
	if (type == PROM_COUNTER) {
		/* counters alone end in _total: one given without it gets it */
		if (ends_with(base, "_total"))
			base[strlen(base) - strlen("_total")] = '\0';
		suffix = "_total";
	} else if (ends_with(base, "_total") || ends_with(base, "_count") ||
		   ends_with(base, "_sum") || ends_with(base, "_bucket")) {
		/* suffixes that only counters, summaries and histograms may carry */
		suffix = "_value";
	}
	snprintf(name, sizeof(name), "%s%s", base, suffix);
	for (i = 2; name_taken(p, name); i++)
		snprintf(name, sizeof(name), "%s_%d%s", base, i, suffix);
	return strdup(name);
}

struct prom_family *prom_family(struct prom *p, const char *key, const char *name,
				enum prom_type type, const char *help)
{
	struct prom_family *f;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->fams[i]->key, key))
			return p->fams[i];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		struct prom_family **fams = realloc(p->fams, cap * sizeof(*fams));

		if (!fams)
			goto oom;
		p->fams = fams;
		p->cap = cap;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		goto oom;
	f->type = type;
	f->key = strdup(key);
	f->name = family_name(p, name, type);
	f->help = strdup(help);
	f->f = open_memstream(&f->body, &f->body_len);
	if (!f->key || !f->name || !f->help || !f->f) {
		family_free(f);
		goto oom;
	}
	p->fams[p->n++] = f;
	return f;
oom:
	p->failed = true;
	return NULL;
}

/* s with esc's escapes (a backslash, then each byte of esc that is
 * escaped: '"' as \", '\n' as \n); bytes that are not UTF-8 as U+FFFD */
static void escape(FILE *f, const char *str, const char *esc)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		int n;

		if (*s == '\\' || (*s && strchr(esc, *s))) {
			fputc('\\', f);
			fputc(*s == '\n' ? 'n' : *s, f);
			s++;
			continue;
		}
		n = json_utf8_len(s);
		if (!n) {
			fputs("\xef\xbf\xbd", f);
			s++;
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
}

void prom_escape_label(FILE *f, const char *s)
{
	escape(f, s, "\"\n");
}

void prom_escape_help(FILE *f, const char *s)
{
	escape(f, s, "\n");
}

void prom_sample(struct prom *p, struct prom_family *f, const char *const *labels, size_t nr,
		 const char *value)
{
	const char *const *sets[2] = { p->common, labels };
	size_t counts[2] = { p->nr_common / 2, nr }, s, i;
	bool first = true;
	char name[128];

	if (!f)
		return;
	fputs(f->name, f->f);
	for (s = 0; s < 2; s++) {
		for (i = 0; i < counts[s]; i++) {
			prom_name(sets[s][2 * i], name, sizeof(name));
			fprintf(f->f, "%s%s=\"", first ? "{" : ",", name);
			prom_escape_label(f->f, sets[s][2 * i + 1]);
			fputc('"', f->f);
			first = false;
		}
	}
	fprintf(f->f, "%s %s\n", first ? "" : "}", value);
}

char *prom_render(struct prom *p, size_t *len)
{
	char *out = NULL;
	size_t size = 0, i;
	FILE *o;

	if (p->failed)
		return NULL;
	o = open_memstream(&out, &size);
	if (!o)
		return NULL;
	for (i = 0; i < p->n; i++) {
		struct prom_family *f = p->fams[i];

		if (fflush(f->f))
			p->failed = true;
		if (!f->body_len)
			continue;	/* a family without samples says nothing */
		fprintf(o, "# HELP %s ", f->name);
		prom_escape_help(o, f->help);
		fprintf(o, "\n# TYPE %s %s\n", f->name, f->type == PROM_COUNTER ? "counter" : "gauge");
		fwrite(f->body, 1, f->body_len, o);
	}
	if (fclose(o) || p->failed) {
		free(out);
		return NULL;
	}
	*len = size;
	return out;
}
