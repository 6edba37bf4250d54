// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * msgbench: a small hackbench. GROUPS groups of FDS sender and FDS receiver
 * processes; each receiver owns one UNIX stream socketpair, and each sender
 * of its group writes LOOPS messages of SIZE bytes to every receiver of the
 * group. The time from the start signal to the last receiver finishing,
 * turned into messages per second:
 *	msgbench msgs=N secs=S ops_per_s=R
 * Built static: the bench guest is busybox only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "benchio.h"

/* Block until the parent closes the start pipe (read returns 0). */
static void wait_start(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	int groups = 2, fds = 4, loops = 400, size = 100, opt, start[2], nproc = 0, status, fail = 0;
	long long msgs;
	double t0, t1;

	while ((opt = getopt(argc, argv, "g:f:l:s:h")) != -1) {
		switch (opt) {
		case 'g': groups = atoi(optarg); break;
		case 'f': fds = atoi(optarg); break;
		case 'l': loops = atoi(optarg); break;
		case 's': size = atoi(optarg); break;
		default:
			fputs("usage: msgbench [-g GROUPS] [-f FDS] [-l LOOPS] [-s SIZE]\n"
			      "  defaults: 2 groups, 4 senders + 4 receivers each, 400 loops, 100 bytes\n",
			      opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (groups < 1 || fds < 1 || loops < 1 || size < 1 || size > 4096 || pipe(start))
		return 2;
	for (int g = 0; g < groups; g++) {
		int sp[fds][2];

		for (int r = 0; r < fds; r++)
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp[r])) {
				perror("msgbench: socketpair");
				return 1;
			}
		for (int r = 0; r < fds; r++) {
			if (fork() == 0) {	/* receiver r */
				char buf[4096];
				long long left = (long long)fds * loops * size;

				close(start[1]);
				wait_start(start[0]);
				while (left > 0) {
					ssize_t n = read(sp[r][0], buf, left < (long long)sizeof(buf) ? left : (long long)sizeof(buf));

					if (n < 0 && errno == EINTR)
						continue;
					if (n <= 0)
						_exit(1);
					left -= n;
				}
				_exit(0);
			}
			nproc++;
		}
		for (int w = 0; w < fds; w++) {
			if (fork() == 0) {	/* sender w */
				char buf[4096];

				memset(buf, 'm', size);
				close(start[1]);
				wait_start(start[0]);
				for (int l = 0; l < loops; l++)
					for (int r = 0; r < fds; r++)
						if (bench_io(sp[r][1], buf, size, 1))
							_exit(1);
				_exit(0);
			}
			nproc++;
		}
		for (int r = 0; r < fds; r++) {
			close(sp[r][0]);
			close(sp[r][1]);
		}
	}
	close(start[0]);
	usleep(100 * 1000);	/* let every child reach its start read */
	t0 = bench_now_s();
	close(start[1]);
	while (nproc-- > 0) {
		if (wait(&status) < 0)
			break;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail = 1;
	}
	t1 = bench_now_s();
	if (fail) {
		fprintf(stderr, "msgbench: a sender or receiver failed\n");
		return 1;
	}
	msgs = (long long)groups * fds * fds * loops;
	printf("msgbench msgs=%lld secs=%.4f ops_per_s=%.0f\n", msgs, t1 - t0, msgs / (t1 - t0));
	return 0;
}
