/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A sched_ext scheduler: a BPF object with a sched_ext_ops struct_ops map,
 * opened, loaded, attached, watched, restarted and unloaded through one
 * handle. Works with any such object, including ones written without libscx.
 *
 *	struct scx_sched *s = scx_sched__open_file("sched.bpf.o", NULL);
 *	if (!s || scx_sched__load(s) || scx_sched__attach(s))
 *		... errno / the log say why ...
 *	scx_sched__wait(s, -1);              // or poll(scx_sched__fd(s))
 *	printf("%s\n", scx_exit_info__msg(scx_sched__exit_info(s)));
 *	scx_sched__destroy(s);
 */
#ifndef __SCX_SCHED_H
#define __SCX_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include <scx/common.h>
#include <scx/exit.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;
struct scx_sched;

struct scx_sched_opts {
	size_t sz;
	/* The sched_ext_ops map to use when the object has several. */
	const char *ops_map;
	/* Replace the scheduler's name (ops.name, shown in root/ops). */
	const char *name;
	/* Watchdog timeout; 0 keeps the object's. The kernel caps it at 30 s. */
	__u32 timeout_ms;
	/* Exit dump buffer size; 0 keeps the object's or the default (32 KiB). */
	__u32 exit_dump_len;
	/* SCX_OPS_* flags ORed into the object's ops.flags (values from the
	 * kernel's enum scx_ops_flags; see scx_features__enum_value()). */
	__u64 ops_flags;
	/* Schedule only tasks that ask for SCHED_EXT (SCX_OPS_SWITCH_PARTIAL). */
	bool partial;
	/* Probe features from this BTF file instead of the running kernel. */
	const char *btf_path;
	/* sysfs root, default "/sys" (tests point it at a fake tree). */
	const char *sysfs_root;
	size_t :0;
};
#define scx_sched_opts__last_field sysfs_root

/**
 * @brief Open a scheduler from a BPF object file.
 * @return a new handle, or NULL with errno set:
 *   EINVAL bad options (a name with characters other than letters, digits,
 *   '_' and '.') or a malformed object; ENOENT no such file; EISDIR a
 *   directory;
 *   ESRCH the object has no sched_ext_ops struct_ops map (or not the one
 *   opts->ops_map names); ENOTUNIQ several and opts->ops_map is not set;
 *   EOPNOTSUPP the kernel has no sched_ext (CONFIG_SCHED_CLASS_EXT), or no
 *   SCX_OPS_SWITCH_PARTIAL for opts->partial; E2BIG timeout_ms above the
 *   kernel's 30 s cap; ENAMETOOLONG opts->name longer than the kernel's
 *   limit; ENOENT also for a missing opts->btf_path; ENOMEM.
 */
SCX_API struct scx_sched *scx_sched__open_file(const char *path, const struct scx_sched_opts *opts);

/**
 * @brief Open a scheduler from an object in memory. The buffer is copied (a
 * restart reopens from the copy), so it may be freed after the call.
 * @return as scx_sched__open_file().
 */
SCX_API struct scx_sched *scx_sched__open_mem(const void *buf, size_t size,
					      const struct scx_sched_opts *opts);

/**
 * @brief Wrap an object opened by the caller (a bpftool skeleton's
 * skel->obj), before it is loaded. The caller keeps ownership of obj and must
 * destroy it after scx_sched__destroy(). Such a handle cannot be reopened, so
 * scx_sched__run() will not restart it.
 * @return as scx_sched__open_file(); EBUSY if obj is already loaded.
 */
SCX_API struct scx_sched *scx_sched__from_object(struct bpf_object *obj,
						 const struct scx_sched_opts *opts);

/** @brief The underlying libbpf object (changes after a restart). NULL for NULL. */
SCX_API struct bpf_object *scx_sched__object(const struct scx_sched *s);

/** @brief The scheduler's name: ops.name after options were applied. */
SCX_API const char *scx_sched__name(const struct scx_sched *s);

/**
 * @brief Set a global variable (.rodata, .data, .bss or a custom data
 * section) by name before load. The value is remembered and set again when
 * scx_sched__run() reopens the scheduler.
 * @return 0; -ENOENT no such variable; -EINVAL size differs from the
 *   variable's; -EBUSY the scheduler is already loaded; -ENOMEM.
 */
SCX_API int scx_sched__set_global(struct scx_sched *s, const char *name,
				  const void *val, size_t size);

/**
 * @brief Read a global variable by name; after load, its live value.
 * @return 0; -ENOENT no such variable; -EINVAL size differs.
 */
SCX_API int scx_sched__get_global(const struct scx_sched *s, const char *name,
				  void *val, size_t size);

/**
 * @brief Set a global variable from a string read by the variable's BTF
 * type, before load: integers of 1, 2, 4 or 8 bytes take decimal, 0x hex or
 * 0 octal numbers within the type's range; bool takes true, false, 1 or 0;
 * enums an enumerator name or a number; char arrays a string shorter than
 * the array. Then as scx_sched__set_global() (remembered for restarts). The
 * reason of a failure goes to the print callback. What `--set NAME=VALUE`
 * does (scx_cli, scxtool run).
 * @return 0; -ENOENT no such variable (the message lists the object's), or
 *   the object has no BTF; -EINVAL value not of the type (not a number, not a
 *   boolean, not an enumerator), or NULL/empty arguments; -ERANGE a number out
 *   of the type's range or a string too long for the array; -EOPNOTSUPP a type
 *   that cannot be written from a string (struct, pointer, other arrays,
 *   integers of other sizes); -EBUSY already loaded; -ENOMEM.
 */
SCX_API int scx_sched__set_global_str(struct scx_sched *s, const char *name, const char *value);

/**
 * @brief Load the object into the kernel (verification happens here). On a
 * verifier rejection the tail of the verifier log goes to the print callback.
 * @return 0; -EBUSY already loaded; -EACCES/-EINVAL verifier rejection;
 *   -ESRCH a kfunc the kernel lacks (named in the log); -EINVAL a retry
 *   after a failed load (libbpf cannot retry: open the scheduler again);
 *   -EPERM missing privileges; other -errno from libbpf.
 */
SCX_API int scx_sched__load(struct scx_sched *s);

/**
 * @brief Attach the loaded scheduler: from here on it schedules tasks.
 * @return 0; -EBUSY another sched_ext scheduler is attached (named in the
 *   log; it is left running); -EINVAL not loaded; -EALREADY attached;
 *   -ECANCELED the kernel unloaded the scheduler while enabling it (ops.init()
 *   or ops.init_task() failed or called scx_bpf_error(); the reason is logged
 *   and scx_sched__exit_info() has it); other -errno from the kernel (the
 *   kernel's reason is logged).
 */
SCX_API int scx_sched__attach(struct scx_sched *s);

/**
 * @brief A file descriptor that becomes readable (POLLIN) once the scheduler
 * has exited for any reason: detach, error, stall, SysRq, hotplug. Use with
 * poll/epoll, then call scx_sched__wait(s, 0) to consume the event. Valid from
 * attach until destroy; owned by the library.
 *
 * It is a netlink socket receiving the kernel's uevent for the removal of
 * /sys/kernel/sched_ext/root. Uevents reach the initial network namespace
 * only: in another one the fd stays silent, and scx_sched__wait() (which
 * also looks at sysfs each second) is the way to wait.
 * @return the fd; -EINVAL when the scheduler is not attached; -EOPNOTSUPP
 *   when the uevent socket could not be created (see the log).
 */
SCX_API int scx_sched__fd(const struct scx_sched *s);

/**
 * @brief Wait until the scheduler exits.
 * @param timeout_ms 0 to check, negative to wait forever.
 * @return 0 once it has exited (exit info is then available); -ETIMEDOUT
 *   when it is still running; -EINVAL when it was never attached; -EINTR when
 *   a signal arrived.
 */
SCX_API int scx_sched__wait(struct scx_sched *s, int timeout_ms);

/** @brief True once the scheduler has exited (same as wait with 0). */
SCX_API bool scx_sched__exited(struct scx_sched *s);

/**
 * @brief Why the scheduler exited.
 * @return the exit info, or NULL with errno EAGAIN while it has not exited,
 *   EINVAL for NULL.
 */
SCX_API const struct scx_exit_info *scx_sched__exit_info(const struct scx_sched *s);

/**
 * @brief Detach the scheduler; the system goes back to the fair class.
 * Idempotent; a no-op when not attached.
 * @return 0, or -errno when the kernel refused to detach.
 */
SCX_API int scx_sched__detach(struct scx_sched *s);

/** @brief Detach (if needed) and free everything. NULL is a no-op. */
SCX_API void scx_sched__destroy(struct scx_sched *s);

struct scx_run_opts {
	size_t sz;
	/* Do not install SIGINT/SIGTERM handlers; stop with scx_sched__stop(). */
	bool no_signals;
	/* Restarts allowed after the kernel asks for one (hotplug); 0 means
	 * the default (16), negative means never restart. */
	int max_restarts;
	/* First delay before a restart; doubles each time, up to 5 s.
	 * 0 means the default (50 ms). */
	__u32 restart_backoff_ms;
	/* Call stats_fn every interval while the scheduler runs. */
	__u32 stats_interval_ms;
	/* A non-zero return stops the scheduler. */
	int (*stats_fn)(struct scx_sched *s, void *ctx);
	/* Called after each successful restart. */
	void (*restart_fn)(struct scx_sched *s, const struct scx_exit_info *ei, void *ctx);
	void *ctx;
	size_t :0;
};
#define scx_run_opts__last_field ctx

/**
 * @brief Supervise the scheduler: load it if needed, attach it, and wait.
 * SIGINT/SIGTERM (unless opts->no_signals) or scx_sched__stop() detach it
 * cleanly. When the kernel unloads it asking for a restart (CPU hotplug), the
 * scheduler is reopened from the same source, the globals set with
 * scx_sched__set_global() are set again, and it is reloaded and reattached,
 * with backoff and a limit.
 * @return SCX_EXIT_UNREG after a stop (signal, scx_sched__stop(), or a
 *   non-zero stats_fn return), the exit kind when the scheduler exited by
 *   itself (SCX_EXIT_NONE when it left no trace of why), or a negative errno
 *   when it could not be loaded, attached or restarted.
 */
SCX_API int scx_sched__run(struct scx_sched *s, const struct scx_run_opts *opts);

/** @brief Make a running scx_sched__run() detach and return. Async-signal-safe. */
SCX_API void scx_sched__stop(struct scx_sched *s);

/** @brief Number of restarts scx_sched__run() performed. */
SCX_API unsigned int scx_sched__restarts(const struct scx_sched *s);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_SCHED_H */
