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
 *   '_' and '.'), a malformed object, or a path that is not a regular file
 *   (a FIFO, a device, a socket); ENOENT no such file; EISDIR a directory;
 *   EFBIG a file larger than 256 MiB (no BPF object comes near that);
 *   EACCES and other open(2)/read(2) errors as such;
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
 * @brief Set the number of entries of map NAME before load, as the object's
 * own loader would: a map declared with max_entries 0 (sized by its loader,
 * e.g. one entry per CPU pair) cannot be loaded until it is sized. The size is
 * kept and set again when scx_sched__run() reopens the scheduler.
 * @return 0; -ENOENT no map NAME; -EINVAL s or name NULL, max_entries 0, or a
 *   map whose size is not a number of entries (a global-variable section, the
 *   sched_ext_ops map, task/cgroup/inode/socket storage, a perf event array);
 *   -EBUSY already loaded; -ENOMEM.
 */
SCX_API int scx_sched__resize_map(struct scx_sched *s, const char *name, __u32 max_entries);

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
 * @brief Load the object into the kernel (verification happens here). An
 * object that includes scx/topology.bpf.h (directly or through domain.bpf.h,
 * dsq.bpf.h, idle.bpf.h) gets the machine's topology, read from the sysfs
 * of scx_sched_opts, in those maps here, before it can be attached; the maps
 * are first trimmed to the machine's CPU ids. On a
 * verifier rejection the tail of the refused program's verifier log goes to
 * libscx's print callback. libbpf's own messages keep going to libbpf's print
 * callback (libbpf_set_print()), which libscx never replaces; for an object
 * from scx_sched__from_object() libbpf also prints the verifier log there.
 * @return 0; -EBUSY already loaded; -EACCES/-EINVAL verifier rejection;
 *   -ENOSPC a verifier log longer than 1 MiB (its tail is logged);
 *   -EINVAL a map with max_entries 0 (named in the log; size it with
 *   scx_sched__resize_map() and load again);
 *   -ESRCH a kfunc the kernel lacks (named in libbpf's log); -EINVAL a retry
 *   after a failed load (libbpf cannot retry: open the scheduler again);
 *   -EPERM missing privileges; the errors of scx_topology__open() and
 *   scx_topology__export() when the topology cannot be read or does not fit
 *   the object's maps (the map is named in the log); other -errno from libbpf.
 */
SCX_API int scx_sched__load(struct scx_sched *s);

/**
 * @brief Attach the loaded scheduler: from here on it schedules tasks.
 * The kernel enables it in the calling thread, which this function raises to
 * SCHED_FIFO for that time and then gives back its policy, nice value and
 * reset-on-fork: kernels before 7.0 let CPUs busy with fair-class tasks
 * stall an enable run at a lower class (a thread already RT or deadline is
 * left as it is; without CAP_SYS_NICE it attaches at its own priority).
 * @return 0; -EBUSY another sched_ext scheduler is attached (named in the
 *   log; it is left running); -EINVAL not loaded; -EALREADY attached;
 *   -ECANCELED the kernel unloaded the scheduler while enabling it (ops.init()
 *   or ops.init_task() failed or called scx_bpf_error(); the reason is logged
 *   and scx_sched__exit_info() has it); other -errno from the kernel (the
 *   kernel's reason is logged).
 */
SCX_API int scx_sched__attach(struct scx_sched *s);

/**
 * @brief A file descriptor that becomes readable (POLLIN) when the scheduler
 * may have exited, for any reason: detach, error, stall, SysRq, hotplug. Use
 * it with poll/epoll, then call scx_sched__wait(s, 0): it consumes what woke
 * you and returns 0 once the exit is complete, -ETIMEDOUT otherwise (poll
 * again). From then on the fd stays readable. Valid from attach until
 * destroy; owned by the library.
 *
 * It is an epoll fd over the kernel's uevent for the removal of
 * /sys/kernel/sched_ext/root and a timer. Uevents only reach network
 * namespaces owned by the initial user namespace: in any namespace but the
 * initial one (where that cannot be told apart) the timer
 * makes it readable every 100 ms, to look at sysfs instead. While an exit is
 * being completed (the kernel is still moving tasks back, or its log line
 * with the reason has not come yet) it ticks every 10 ms. Unrelated uevents
 * never wake it.
 * @return the fd; -EINVAL when the scheduler is not attached; -EOPNOTSUPP
 *   when it could not be created (out of fds; see the log).
 */
SCX_API int scx_sched__fd(const struct scx_sched *s);

/**
 * @brief Wait until the scheduler exits and the exit is complete: the kernel
 * is back on the fair class and the reason is known (from the exit record,
 * the kernel log, or our own detach; an ejection whose reason the kernel
 * has not logged 500 ms after it is reported without one).
 * @param timeout_ms 0 to check without ever blocking, negative to wait
 *   forever.
 * @return 0 once it has exited (exit info is then available); -ETIMEDOUT
 *   when it is still running or its exit is not complete yet; -EINVAL when
 *   it was never attached; -EINTR when a signal arrived.
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
 * Idempotent; a no-op when not attached. Returns once the kernel is back on
 * the fair class.
 * @return 0; -errno when the kernel refused to detach it while it still
 *   runs (the error is logged; the handle stays attached and the call can be
 *   repeated); -errno from closing the link (it is detached all the same).
 */
SCX_API int scx_sched__detach(struct scx_sched *s);

/** @brief Detach (if needed) and free everything. NULL is a no-op. */
SCX_API void scx_sched__destroy(struct scx_sched *s);

struct scx_topology;
struct scx_stats_server;

struct scx_run_opts {
	size_t sz;
	/* Ignored: signals are left alone unless handle_signals is set. */
	bool no_signals;
	/* Restarts allowed within restart_window_ms after the kernel asks for
	 * them (CPU hotplug); every try counts, failed ones too. 0 means the
	 * default (16), negative means never restart. */
	int max_restarts;
	/* First delay before a restart; doubles each time, up to 5 s.
	 * 0 means the default (50 ms). */
	__u32 restart_backoff_ms;
	/* Call stats_fn every interval while the scheduler runs. */
	__u32 stats_interval_ms;
	/* A non-zero return stops the scheduler. */
	int (*stats_fn)(struct scx_sched *s, void *ctx);
	/* Called after each successful restart, with the exit that caused it. */
	void (*restart_fn)(struct scx_sched *s, const struct scx_exit_info *ei, void *ctx);
	void *ctx;
	/* The window max_restarts counts in: a budget that is spent starts
	 * again once this long has passed since the window's first restart
	 * (like systemd's StartLimitIntervalSec=). 0 means 60000 (60 s). */
	__u32 restart_window_ms;
	/* Called after open, before load, with the machine as it is now: set
	 * globals that depend on it (scx_sched__set_global()). Runs before the
	 * first load when run() does it, and before every restart's load (the
	 * globals set before are set again first, then this hook runs). A
	 * non-zero return stops run(): negative errno, or -ECANCELED for any
	 * other value. */
	int (*prepare_fn)(struct scx_sched *s, const struct scx_topology *topo, void *ctx);
	/* Called after load, before attach: fill maps. Same rules as
	 * prepare_fn. The maps of scx/topology.bpf.h, when the object has
	 * them, are filled by the load, before this runs. */
	int (*loaded_fn)(struct scx_sched *s, const struct scx_topology *topo, void *ctx);
	/* Make SIGINT and SIGTERM stop the scheduler (scx_sched__stop()) while
	 * run() runs. A signal the application ignores (SIG_IGN) or handles
	 * itself is left alone; the previous dispositions are restored when
	 * run() returns. Off by default: without it, stop with
	 * scx_sched__stop() from your own handler or thread. */
	bool handle_signals;
	/* Serve this scx_stats server (scx/stats_server.h; one without a
	 * thread of its own) from run()'s loop: requests are answered as they
	 * come while the scheduler runs, not while a restart backs off. The
	 * application creates and destroys it. */
	struct scx_stats_server *stats_server;
	size_t :0;
};
#define scx_run_opts__last_field stats_server

/**
 * @brief Supervise the scheduler: load it if needed, attach it, and wait.
 * scx_sched__stop() (and SIGINT/SIGTERM with opts->handle_signals) detach it
 * cleanly. When the kernel unloads it asking for a restart (CPU hotplug; for
 * an object without an exit record, an unregistration by the kernel while
 * the kernel's hotplug_seq moved), the scheduler is reopened from the same
 * source, the globals set with scx_sched__set_global() are set again, the
 * topology is read again, prepare_fn, load (which fills the topology maps),
 * loaded_fn run again, and it is reattached, with backoff and at most max_restarts tries
 * per restart_window_ms.
 *
 * When run() loads the scheduler itself (it was not loaded yet), the first
 * start goes through the same steps; when the caller loaded it, the first
 * start only attaches.
 * @return SCX_EXIT_UNREG after a stop (scx_sched__stop(), a handled signal,
 *   or a non-zero stats_fn return), the exit kind when the scheduler exited by
 *   itself or the restart budget ran out (SCX_EXIT_NONE when it left no trace
 *   of why), or a negative errno when it could not be loaded, attached or
 *   restarted, or a hook failed.
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
