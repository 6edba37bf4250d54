// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: two processes attach at the same moment, several rounds:
 * exactly one wins, the other gets -EBUSY; the loser can attach with the
 * same handle once the winner has detached, and both end with the fd count
 * they started with. (Kernel selftest parity: reload_loop.)
 */
#include "parity_util.h"

#define ROUNDS 3

static pid_t kids[2];

static void cleanup(void)
{
	t_kill(kids[0]);
	t_kill(kids[1]);
}

/* one byte over a pipe, both ways */
static void put(int fd, char c)
{
	T_ASSERT(write(fd, &c, 1) == 1, "pipe write");
}

static char get(int fd)
{
	char c = 0;

	T_ASSERT(read(fd, &c, 1) == 1, "pipe read");
	return c;
}

/*
 * A contender: open and load, say 'r'eady, wait for 'g'o, attach, report
 * 'w'on or 'l'ost. The winner detaches on 'd'; the loser then attaches
 * again on 'a' and detaches. Exit 0 when all went as it should.
 */
static int contend(int in, int out)
{
	struct scx_sched *s;
	int fds0 = p_nr_fds(), err;
	char cmd;

	t_on_fail(NULL);	/* the parent's cleanup is not ours */
	t_capture_log();
	s = p_open_load(P_NONE);
	put(out, 'r');
	get(in);
	err = scx_sched__attach(s);
	if (err && err != -EBUSY) {
		printf("  pid %d: attach gave %d (%s), expected 0 or -EBUSY\n", getpid(), err,
		       strerror(-err));
		return 1;
	}
	put(out, err ? 'l' : 'w');
	cmd = get(in);
	if (cmd == 'a') {
		err = scx_sched__attach(s);
		if (err) {
			printf("  pid %d: retry after the winner left gave %d (%s)\n", getpid(), err,
			       strerror(-err));
			return 1;
		}
	}
	if (scx_sched__detach(s)) {
		printf("  pid %d: detach failed\n", getpid());
		return 1;
	}
	scx_sched__destroy(s);
	if (p_nr_fds() != fds0) {
		printf("  pid %d: %d fds open, %d before\n", getpid(), p_nr_fds(), fds0);
		return 1;
	}
	return 0;
}

static int finish(pid_t pid)
{
	int status;

	T_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	int to[2][2], from[2][2];
	char r[2];

	t_require_sched_ext();
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_on_fail(cleanup);

	for (int round = 0; round < ROUNDS; round++) {
		int winner;

		for (int i = 0; i < 2; i++) {
			T_ASSERT(!pipe(to[i]) && !pipe(from[i]), "pipe");
			kids[i] = fork();
			T_ASSERT(kids[i] >= 0, "fork");
			if (kids[i] == 0) {
				close(to[i][1]);
				close(from[i][0]);
				_exit(contend(to[i][0], from[i][1]));
			}
			close(to[i][0]);
			close(from[i][1]);
		}
		T_ASSERT(get(from[0][0]) == 'r' && get(from[1][0]) == 'r', "contenders not ready");
		/* both are blocked in read(): release them together */
		put(to[0][1], 'g');
		put(to[1][1], 'g');
		r[0] = get(from[0][0]);
		r[1] = get(from[1][0]);
		t_log("round %d: %c %c", round, r[0], r[1]);
		T_ASSERT((r[0] == 'w') + (r[1] == 'w') == 1 && (r[0] == 'l') + (r[1] == 'l') == 1,
			 "not exactly one winner and one -EBUSY loser");
		winner = r[0] == 'w' ? 0 : 1;
		put(to[winner][1], 'd');
		T_ASSERT(finish(kids[winner]) == 0, "the winner failed");
		kids[winner] = 0;
		T_ASSERT(t_wait_state("disabled", 10000), "not disabled after the winner left");
		put(to[!winner][1], 'a');
		T_ASSERT(finish(kids[!winner]) == 0, "the loser failed");
		kids[!winner] = 0;
		T_ASSERT(t_wait_state("disabled", 10000), "not disabled after the loser left");
		for (int i = 0; i < 2; i++) {
			close(to[i][1]);
			close(from[i][0]);
		}
	}
	return T_PASS;
}
