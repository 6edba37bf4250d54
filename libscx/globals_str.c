// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Global variables set from strings ("slice_ns" = "5000000"), each string
 * read according to the variable's BTF type as found in the object's data
 * sections (.rodata, .data, .bss and custom .data.*): what `--set NAME=VALUE`
 * of scxtool and of every libscx scheduler's command line does.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "globals_str.h"
#include <scx/sched.h>

#define set_err(code, ...)					\
	({						\
		snprintf(err, err_size, __VA_ARGS__);	\
		-(code);				\
	})

/* Data sections holding the object's global variables: .rodata, .data,
 * .bss and custom ones (.data.NAME, ...); not .kconfig, .ksyms or license. */
static bool skip_datasec(const char *name)
{
	return strncmp(name, ".rodata", 7) && strncmp(name, ".data", 5) && strncmp(name, ".bss", 4);
}

/* The BTF id of global variable name's type, or 0; lists the object's
 * variables in names (for the error message) when it is not found. */
static __u32 find_var(const struct btf *btf, const char *name, char *names, size_t size)
{
	__u32 id, n = btf__type_cnt(btf);
	size_t len = 0;

	if (size)
		names[0] = '\0';
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs;
		int i;

		if (!btf_is_datasec(t) || skip_datasec(btf__name_by_offset(btf, t->name_off)))
			continue;
		vs = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);
			const char *vname;

			if (!v || !btf_is_var(v))
				continue;
			vname = btf__name_by_offset(btf, v->name_off);
			if (!strcmp(vname, name))
				return v->type;
			if (len + strlen(vname) + 8 < size)
				len += snprintf(names + len, size - len, "%s%s", len ? ", " : "", vname);
			else if (len + 4 < size && (len < 3 || strcmp(names + len - 3, "...")))
				/* (a first name too long: nothing before the "...") */
				len += snprintf(names + len, size - len, "%s...", len ? ", " : "");
		}
	}
	return 0;
}

/* Parse a whole string as a number; false on syntax errors. *neg tells a
 * negative number, whose value is then in *sv; otherwise in *uv. ERANGE
 * beyond 64 bits is reported through *big. */
static bool parse_number(const char *s, bool *neg, long long *sv, unsigned long long *uv,
			 bool *big)
{
	char *end;

	*big = false;
	*neg = *s == '-';
	if (!*s || *s == ' ' || *s == '\t' || *s == '+')
		return false;
	errno = 0;
	if (*neg)
		*sv = strtoll(s, &end, 0);
	else
		*uv = strtoull(s, &end, 0);
	if (end == s || *end)
		return false;
	*big = errno == ERANGE;
	return true;
}

/* Write v into buf as a little-endian-or-native integer of size bytes. */
static void store(unsigned char *buf, size_t size, unsigned long long v)
{
	__u8 v8 = v;
	__u16 v16 = v;
	__u32 v32 = v;
	__u64 v64 = v;

	switch (size) {
	case 1: memcpy(buf, &v8, 1); break;
	case 2: memcpy(buf, &v16, 2); break;
	case 4: memcpy(buf, &v32, 4); break;
	default: memcpy(buf, &v64, 8); break;
	}
}

/* Parse a number for an integer of size bytes into buf, with a range check. */
static int parse_int(const char *name, const char *type, const char *val, size_t size,
		     bool is_signed, unsigned char *buf, char *err, size_t err_size)
{
	unsigned long long umax = size >= 8 ? ULLONG_MAX : (1ULL << (size * 8)) - 1;
	long long smax = (long long)(umax >> 1), smin = -smax - 1;
	unsigned long long uv = 0;
	long long sv = 0;
	bool neg, big;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return set_err(EOPNOTSUPP, "'%s' is a %zu-byte integer, which cannot be set from a string",
			    name, size);
	if (!parse_number(val, &neg, &sv, &uv, &big))
		return set_err(EINVAL, "'%s' is not a number, as '%s' (%s) needs", val, name, type);
	if (is_signed) {
		if (big || (neg ? sv < smin : uv > (unsigned long long)smax))
			return set_err(ERANGE, "%s is out of range for '%s' (%s: %lld..%lld)",
				    val, name, type, smin, smax);
		store(buf, size, neg ? (unsigned long long)sv : uv);
	} else {
		if (big || neg || uv > umax)
			return set_err(ERANGE, "%s is out of range for '%s' (%s: 0..%llu)",
				    val, name, type, umax);
		store(buf, size, uv);
	}
	return 0;
}

static int parse_enum(const struct btf *btf, const struct btf_type *t, const char *name,
		      const char *val, unsigned char *buf, char *err, size_t err_size)
{
	const char *ename = btf__name_by_offset(btf, t->name_off);
	bool is_signed = btf_kflag(t);
	char type[160], names[512];
	size_t len = 0;
	int i;

	snprintf(type, sizeof(type), "enum %s", *ename ? ename : "(anonymous)");
	names[0] = '\0';
	for (i = 0; i < btf_vlen(t); i++) {
		const char *n;
		unsigned long long v;

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;

			n = btf__name_by_offset(btf, e->name_off);
			v = is_signed ? (unsigned long long)(long long)e->val : (__u32)e->val;
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			n = btf__name_by_offset(btf, e->name_off);
			v = btf_enum64_value(e);
		}
		if (!strcmp(n, val)) {
			store(buf, t->size, v);
			return 0;
		}
		if (len + strlen(n) + 8 < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len, "%s, ", n);
	}
	if ((*val >= '0' && *val <= '9') || *val == '-')
		return parse_int(name, type, val, t->size, is_signed, buf, err, err_size);
	return set_err(EINVAL, "'%s' is not a value of %s for '%s' (%sor a number)", val, type,
		    name, names);
}

static int parse_value(const struct btf *btf, __u32 type_id, const char *name, const char *val,
		       unsigned char *buf, size_t size, char *err, size_t err_size)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	char type[32];

	if (btf_is_int(t)) {
		__u8 enc = btf_int_encoding(t);

		if (enc & BTF_INT_BOOL) {
			if (!strcasecmp(val, "true") || !strcmp(val, "1"))
				buf[0] = 1;
			else if (!strcasecmp(val, "false") || !strcmp(val, "0"))
				buf[0] = 0;
			else
				return set_err(EINVAL, "'%s' is not a boolean, as '%s' needs "
					    "(true, false, 1 or 0)", val, name);
			return 0;
		}
		snprintf(type, sizeof(type), "%c%u", enc & BTF_INT_SIGNED ? 's' : 'u',
			 t->size * 8);
		return parse_int(name, type, val, t->size, enc & BTF_INT_SIGNED, buf, err,
				 err_size);
	}
	if (btf_is_enum(t) || btf_is_enum64(t))
		return parse_enum(btf, t, name, val, buf, err, err_size);
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		int elem_id = btf__resolve_type(btf, a->type);
		const struct btf_type *e = elem_id > 0 ? btf__type_by_id(btf, elem_id) : NULL;
		size_t len = strlen(val);

		if (e && btf_is_int(e) && e->size == 1 && a->nelems == size) {
			if (len >= a->nelems)
				return set_err(ERANGE, "'%s' is too long for '%s' (char[%u]: at most "
					    "%u characters)", val, name, a->nelems, a->nelems - 1);
			memset(buf, 0, size);
			memcpy(buf, val, len);
			return 0;
		}
	}
	return set_err(EOPNOTSUPP, "'%s' has a type that cannot be set from a string (BTF kind %u); it takes "
		    "integers, booleans, enums and char arrays", name, btf_kind(t));
}

int scx__global_parse_str(const struct btf *btf, const char *name, const char *val,
			 void **buf, size_t *size, char *err, size_t err_size)
{
	char names[512];
	unsigned char *v;
	__s64 sz;
	__u32 var_type;
	int type_id, ret;

	*buf = NULL;
	*size = 0;
	if (!btf)
		return set_err(ENOENT, "the object has no BTF, so its variables cannot be set by name");
	var_type = find_var(btf, name, names, sizeof(names));
	if (!var_type)
		return set_err(ENOENT, "no global variable '%s' in the object (it has: %s)", name,
			       *names ? names : "none");
	type_id = btf__resolve_type(btf, var_type);
	sz = btf__resolve_size(btf, var_type);
	if (type_id < 0 || sz <= 0)
		return set_err(EOPNOTSUPP, "'%s' has a type that cannot be set from a string", name);
	v = calloc(1, sz);
	if (!v)
		return set_err(ENOMEM, "out of memory");
	ret = parse_value(btf, type_id, name, val, v, sz, err, err_size);
	if (ret) {
		free(v);
		return ret;
	}
	*buf = v;
	*size = sz;
	return 0;
}

SCX_API int scx_sched__set_global_str(struct scx_sched *s, const char *name, const char *value)
{
	struct bpf_object *obj = scx_sched__object(s);
	char err[1024];
	size_t size;
	void *buf;
	int ret;

	if (!s || !name || !*name || !value)
		return scx_err(-EINVAL);
	ret = scx__global_parse_str(obj ? bpf_object__btf(obj) : NULL, name, value, &buf, &size,
				   err, sizeof(err));
	if (ret) {
		pr_warn("%s: set %s=%s: %s\n", scx_sched__name(s), name, value, err);
		return scx_err(ret);
	}
	ret = scx_sched__set_global(s, name, buf, size);
	free(buf);
	return ret;
}
