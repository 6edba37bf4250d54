/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libscx: versions, options structs, error conventions and logging.
 *
 * Conventions of every libscx function (the same as libbpf's):
 * - functions returning int give 0 or a positive value on success and a
 *   negative errno on failure, and also set errno to the positive code;
 * - constructors return NULL on failure and set errno;
 * - options structs start with size_t sz, are declared with SCX_OPTS() and
 *   may be passed as NULL for defaults;
 * - the library never exits, aborts or prints directly: messages go to the
 *   print callback (scx_set_print()).
 *
 * Threads: a handle (struct scx_sched, scx_topology, scx_features, scx_cli)
 * is used by one thread at a time; different handles may be used from
 * different threads at once. The exceptions are scx_sched__stop(), which any
 * thread or signal handler may call while another runs scx_sched__run(), and
 * scx_set_print(), which may be called at any time from any thread (the
 * callback itself must then be thread-safe). The library keeps no other
 * process-wide state: it never changes libbpf's print callback, and touches
 * signal dispositions only when scx_sched__run() is asked to
 * (scx_run_opts.handle_signals).
 *
 * Header paths: the kernel's tools/sched_ext and sched-ext/scx also ship a
 * <scx/common.h> (and <scx/common.bpf.h>). libscx's headers replace theirs
 * for a scheduler built on libscx; a program cannot have both sets on its
 * include path, as whichever directory comes first wins for every <scx/...>
 * name. Userspace code includes <scx/scx.h>, which only libscx has.
 */
#ifndef __SCX_COMMON_H
#define __SCX_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The one place the version is written: the Makefile derives the SONAME, the
 * .so's file name and libscx.pc from these lines, and a release adds the node
 * LIBSCX_MAJOR.MINOR.PATCH to libscx/libscx.map (tests/unit/test_symbols.c
 * checks that they agree).
 */
#define LIBSCX_MAJOR_VERSION 0
#define LIBSCX_MINOR_VERSION 1
#define LIBSCX_PATCH_VERSION 0

#ifndef SCX_API
#define SCX_API __attribute__((visibility("default")))
#endif

/**
 * @brief The run-time library's major version.
 * @return LIBSCX_MAJOR_VERSION of the library actually loaded.
 */
SCX_API unsigned int libscx_major_version(void);
/** @brief The run-time library's minor version. */
SCX_API unsigned int libscx_minor_version(void);
/** @brief The run-time version as "MAJOR.MINOR.PATCH"; never NULL. */
SCX_API const char *libscx_version_string(void);

/** Message levels of the print callback. */
enum scx_print_level {
	SCX_WARN,
	SCX_INFO,
	SCX_DEBUG,
};

typedef int (*scx_print_fn_t)(enum scx_print_level level, const char *format, va_list args);

/**
 * @brief Set the function that receives libscx's messages.
 * @param fn the new callback; NULL silences the library.
 * @return the previous callback.
 *
 * The default prints WARN and INFO messages to stderr, and DEBUG ones too when
 * the environment variable LIBSCX_DEBUG is set. Every message starts with
 * "libscx: " and ends with a newline.
 */
SCX_API scx_print_fn_t scx_set_print(scx_print_fn_t fn);

/**
 * SCX_OPTS(TYPE, NAME, ...) declares a zero-filled struct TYPE named NAME with
 * its sz set, and the given members initialized:
 *
 *	SCX_OPTS(scx_sched_opts, opts, .timeout_ms = 5000);
 *
 * Zero-filling the whole struct (padding included) is what lets the library
 * refuse unknown non-zero bytes from a caller built against a newer header.
 */
#define SCX_OPTS(TYPE, NAME, ...)						\
	struct TYPE NAME = ({							\
		memset(&NAME, 0, sizeof(struct TYPE));				\
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };	\
	})

#ifdef __cplusplus
}
#endif

#endif /* __SCX_COMMON_H */
