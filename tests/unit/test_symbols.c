// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the ABI surface. Every SCX_API function declared in the
 * public headers (include/scx) must be listed in libscx/libscx.map and be
 * exported, versioned, by TEST_BUILDDIR/lib/libscx.so; the .so must export no
 * other scx_ or libscx_ symbol; the map must list nothing that no header
 * declares. Exports are read with "nm -D --defined-only".
 *
 * The static library: every global symbol of TEST_BUILDDIR/lib/libscx.a is
 * either API (default visibility, in the map) or hidden and named so that it
 * does not look like API (the scx__ prefix), except the names still waiting
 * for their rename (pending_renames below, to be emptied, never extended).
 *
 * The version: include/scx/common.h's LIBSCX_*_VERSION, the newest node of
 * libscx.map, libscx_version_string(), the .so's file name and libscx.pc (when
 * built) all say the same.
 */
#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <scx/common.h>

#define MAX_SYMS 1024

struct symset {
	char *name[MAX_SYMS];
	char *where[MAX_SYMS];	/* header file, or version node */
	int nr;
};

static struct symset headers, map, exports;
static char newest_node[256];
static int so_missing;

static void add(struct symset *s, const char *name, size_t len, const char *where)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (strlen(s->name[i]) == len && !strncmp(s->name[i], name, len))
			return;
	assert_true(s->nr < MAX_SYMS);
	s->name[s->nr] = strndup(name, len);
	s->where[s->nr] = strdup(where);
	s->nr++;
}

static const char *find(const struct symset *s, const char *name)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->name[i], name))
			return s->where[i];
	return NULL;
}

/* "SCX_API <type> NAME(" at the start of a line: NAME is the identifier just
 * before the first '(' (declarations may continue on further lines). */
static void read_header(const char *path, const char *file)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *paren, *end;

		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "SCX_API ", 8))
			continue;
		paren = strchr(p, '(');
		if (!paren)
			fail_msg("%s: cannot parse SCX_API declaration: %s", file, line);
		end = paren;
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		p = end;
		while (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			p--;
		assert_true(end > p);
		add(&headers, p, end - p, file);
	}
	fclose(f);
}

static void read_headers(void)
{
	const char *dir = TEST_SRCDIR "/../include/scx";
	struct dirent *d;
	DIR *dp = opendir(dir);

	assert_non_null(dp);
	while ((d = readdir(dp))) {
		char path[4096];
		size_t len = strlen(d->d_name);

		if (len < 3 || strcmp(d->d_name + len - 2, ".h"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		read_header(path, d->d_name);
	}
	closedir(dp);
}

/* Names in the global: parts of every version node. */
static void read_map(void)
{
	char word[256], node[256] = "";
	FILE *f = fopen(TEST_SRCDIR "/../libscx/libscx.map", "r");
	int global = 0;

	assert_non_null(f);
	while (fscanf(f, " %255[^ \t\n;{}]", word) == 1 || fscanf(f, " %1[;{}]", word) == 1) {
		size_t len = strlen(word);

		if (!strcmp(word, "global:")) {
			global = 1;
		} else if (!strcmp(word, "local:")) {
			global = 0;
		} else if (!strcmp(word, "}")) {
			global = 0;
		} else if (!strcmp(word, "{") || !strcmp(word, ";")) {
			;
		} else if (global && len && word[len - 1] != ':') {
			add(&map, word, len, node);
		} else if (!global && strncmp(word, "/*", 2)) {
			snprintf(node, sizeof(node), "%s", word);	/* a node name */
		}
		/* nodes are listed oldest first: the last name opening a
		 * "{" is the newest (one after a "}" names a parent) */
		if (!strcmp(word, "{"))
			snprintf(newest_node, sizeof(newest_node), "%s", node);
	}
	fclose(f);
}

/* Dynamic symbols defined by the .so: "ADDR T name@@NODE". */
static void read_exports(void)
{
	const char *so = TEST_BUILDDIR "/lib/libscx.so";
	char cmd[4352], line[1024];
	FILE *p;

	if (access(so, R_OK)) {
		so_missing = 1;
		return;
	}
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s'", so);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char addr[64], type[8], name[512], *at;

		if (sscanf(line, "%63s %7s %511s", addr, type, name) != 3)
			continue;
		at = strchr(name, '@');
		add(&exports, name, at ? (size_t)(at - name) : strlen(name), at ? at : "");
	}
	assert_int_equal(pclose(p), 0);
}

static int setup(void **state)
{
	read_headers();
	read_map();
	read_exports();
	return 0;
}

static int is_ours(const char *name)
{
	return !strncmp(name, "scx_", 4) || !strncmp(name, "libscx_", 7);
}

static void require_so(void)
{
	if (so_missing) {
		print_message("# %s/lib/libscx.so is not built (make builds it)\n", TEST_BUILDDIR);
		skip();
	}
}

static void parsed_something(void **state)
{
	print_message("# %d SCX_API functions in the headers, %d in libscx.map, %d dynamic symbols\n",
		      headers.nr, map.nr, exports.nr);
	assert_true(headers.nr >= 40);
	assert_non_null(find(&headers, "scx_sched__open_file"));
	assert_non_null(find(&headers, "scx_set_print"));
	assert_non_null(find(&map, "scx_sched__open_file"));
}

static void header_apis_in_map(void **state)
{
	int i, missing = 0;

	for (i = 0; i < headers.nr; i++) {
		if (find(&map, headers.name[i]))
			continue;
		print_message("# %s (declared in %s) is not in libscx/libscx.map\n",
			      headers.name[i], headers.where[i]);
		missing++;
	}
	if (missing)
		fail_msg("%d SCX_API functions are missing from libscx/libscx.map", missing);
}

static void header_apis_exported(void **state)
{
	int i, missing = 0;

	require_so();
	for (i = 0; i < headers.nr; i++) {
		const char *ver = find(&exports, headers.name[i]);

		if (ver && !strncmp(ver, "@@LIBSCX_", 9))
			continue;
		print_message("# %s (declared in %s) is %s by libscx.so\n", headers.name[i],
			      headers.where[i], ver ? "exported without a LIBSCX_ version" : "not exported");
		missing++;
	}
	if (missing)
		fail_msg("%d SCX_API functions are not exported by libscx.so", missing);
}

static void no_unlisted_exports(void **state)
{
	int i, extra = 0;

	require_so();
	for (i = 0; i < exports.nr; i++) {
		if (!is_ours(exports.name[i]) || find(&map, exports.name[i]))
			continue;
		print_message("# libscx.so exports %s, which libscx/libscx.map does not list\n",
			      exports.name[i]);
		extra++;
	}
	if (extra)
		fail_msg("%d scx_/libscx_ symbols exported outside the map", extra);
	/* and nothing of ours is exported unversioned or under another name */
	for (i = 0; i < exports.nr; i++)
		if (!strncmp(exports.name[i], "LIBSCX_", 7))
			continue;
		else if (is_ours(exports.name[i]) && strncmp(exports.where[i], "@@LIBSCX_", 9))
			fail_msg("%s is exported as %s%s", exports.name[i], exports.name[i],
				 exports.where[i]);
}

static void map_entries_declared(void **state)
{
	int i, stale = 0;

	for (i = 0; i < map.nr; i++) {
		if (find(&headers, map.name[i]))
			continue;
		print_message("# libscx.map lists %s (node %s), which no public header declares\n",
			      map.name[i], map.where[i]);
		stale++;
	}
	if (stale)
		fail_msg("%d map entries have no SCX_API declaration", stale);
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define HEADER_VERSION STR(LIBSCX_MAJOR_VERSION) "." STR(LIBSCX_MINOR_VERSION) "." STR(LIBSCX_PATCH_VERSION)

static void version_in_one_place(void **state)
{
	char want[300], path[4352], line[512], *real;
	FILE *f;

	print_message("# header %s, newest map node %s, run-time %s\n", HEADER_VERSION, newest_node,
		      libscx_version_string());
	assert_string_equal(libscx_version_string(), HEADER_VERSION);
	assert_int_equal(libscx_major_version(), LIBSCX_MAJOR_VERSION);
	assert_int_equal(libscx_minor_version(), LIBSCX_MINOR_VERSION);
	snprintf(want, sizeof(want), "LIBSCX_%s", HEADER_VERSION);
	if (strcmp(newest_node, want))
		fail_msg("libscx.map's newest node is %s; the version (include/scx/common.h) is %s: "
			 "a release adds its node", newest_node, HEADER_VERSION);
	require_so();
	/* libscx.so -> libscx.so.MAJOR -> libscx.so.VERSION (the ASan build
	 * links to the normal build's) */
	snprintf(path, sizeof(path), "%s/lib/libscx.so", TEST_BUILDDIR);
	real = realpath(path, NULL);
	assert_non_null(real);
	snprintf(want, sizeof(want), "libscx.so.%s", HEADER_VERSION);
	if (strcmp(strrchr(real, '/') + 1, want))
		fail_msg("%s is %s, not %s: the Makefile's VERSION differs from the header's", path,
			 real, want);
	free(real);
	snprintf(path, sizeof(path), "%s/libscx.pc", TEST_BUILDDIR);
	f = fopen(path, "r");
	if (!f)
		return;		/* built by make install only */
	snprintf(want, sizeof(want), "Version: %s\n", HEADER_VERSION);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Version:", 8) && strcmp(line, want))
			fail_msg("%s says %s", path, line);
	fclose(f);
}

/*
 * Internal symbols of files others are rewriting at the time of issue 13;
 * each is to get the scx__ prefix. Remove a name when it is renamed; never
 * add one.
 */
static const char *const pending_renames[] = {
	NULL,
};

static bool pending(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(pending_renames) / sizeof(pending_renames[0]); i++)
		if (pending_renames[i] && !strcmp(pending_renames[i], name))
			return true;
	return false;
}

/* "NUM: VALUE SIZE TYPE BIND VIS NDX NAME" lines of readelf -sW. */
static void static_lib_symbols(void **state)
{
	const char *a = TEST_BUILDDIR "/lib/libscx.a";
	char cmd[4352], line[1024];
	int bad = 0, nr = 0;
	FILE *p;

	if (access(a, R_OK)) {
		print_message("# %s is not built (make builds it)\n", a);
		skip();
	}
	snprintf(cmd, sizeof(cmd), "readelf -sW '%s'", a);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char num[32], val[64], size[32], type[32], bind[32], vis[32], ndx[32], name[512];

		if (sscanf(line, "%31s %63s %31s %31s %31s %31s %31s %511s", num, val, size, type,
			   bind, vis, ndx, name) != 8 || strcmp(bind, "GLOBAL") || !strcmp(ndx, "UND"))
			continue;
		nr++;
		if (!strcmp(vis, "DEFAULT")) {
			if (find(&map, name))
				continue;
			print_message("# libscx.a: %s has default visibility but is not API\n", name);
			bad++;
		} else if (!strncmp(name, "scx__", 5) || !is_ours(name) || pending(name)) {
			continue;
		} else {
			print_message("# libscx.a: internal %s is named like API; "
				      "internal names start with scx__\n", name);
			bad++;
		}
	}
	assert_int_equal(pclose(p), 0);
	assert_true(nr > 40);
	if (bad)
		fail_msg("%d global symbols of libscx.a break the naming or visibility rule", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parsed_something),
		cmocka_unit_test(header_apis_in_map),
		cmocka_unit_test(header_apis_exported),
		cmocka_unit_test(no_unlisted_exports),
		cmocka_unit_test(map_entries_declared),
		cmocka_unit_test(version_in_one_place),
		cmocka_unit_test(static_lib_symbols),
	};

	return cmocka_run_group_tests_name("symbols", tests, setup, NULL);
}
