// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

struct t_case {
	const char *name;
	t_fn fn;
};

static struct t_case cases[512];
static int ncases;
int t_failed;

void t_register(const char *name, t_fn fn)
{
	if (ncases < (int)(sizeof(cases) / sizeof(cases[0])))
		cases[ncases++] = (struct t_case){ name, fn };
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_failed++;
	fprintf(stderr, "# %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int t_main(int argc, char **argv)
{
	int i, n = 0, passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ncases; i++) {
		bool selected = argc <= 1;
		int j, status;
		pid_t pid;

		for (j = 1; j < argc; j++)
			if (!strcmp(argv[j], cases[i].name))
				selected = true;
		if (!selected)
			continue;
		n++;
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			t_failed = 0;
			cases[i].fn();
			fflush(NULL);
			if (t_failed)
				_exit(1);	/* no leak report for an aborted test */
			exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0) {
			status = -1;
		}
		if (status == 0) {
			passed++;
			printf("ok %d - %s\n", n, cases[i].name);
		} else {
			failed++;
			if (status > 0 && WIFSIGNALED(status))
				fprintf(stderr, "# %s: killed by signal %d\n",
					cases[i].name, WTERMSIG(status));
			printf("not ok %d - %s\n", n, cases[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
