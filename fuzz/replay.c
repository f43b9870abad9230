/*
 * Replays inputs through a fuzz target built with the ordinary compiler,
 * as a TAP test: every file under $srcdir/tests/regress/TARGET (inputs
 * that once crashed or hung the target, kept as regression tests), or the
 * files given as arguments. A crash fails the test run; a replay that
 * returns is a pass.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FL_FUZZ_TARGET
#error "FL_FUZZ_TARGET names the target's regression directory"
#endif

static int
replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct fl_buf b = {0};
	char chunk[65536];
	size_t n;
	int bad;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fl_buf_add(&b, chunk, n);
	bad = ferror(f);
	fclose(f);
	if (bad) {
		fl_buf_free(&b);
		return -1;
	}
	/* A copy of exactly the input's size, as libFuzzer passes it. */
	{
		uint8_t *data = fl_xmalloc(b.len ? b.len : 1);

		memcpy(data, b.data ? b.data : "", b.len);
		LLVMFuzzerTestOneInput(data, b.len);
		free(data);
	}
	fl_buf_free(&b);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int failed = 0, t = 0;
	char *dir;
	DIR *d;
	struct dirent *de;

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++) {
			int r = replay(argv[i]);

			printf("%s %d - %s\n", r == 0 ? "ok" : "not ok", ++t,
			    argv[i]);
			failed |= r != 0;
		}
		printf("1..%d\n", t);
		return failed;
	}
	dir = fl_xasprintf("%s/tests/regress/%s", srcdir ? srcdir : ".",
	    FL_FUZZ_TARGET);
	d = opendir(dir);
	if (d == NULL) {
		printf("1..0 # SKIP no directory %s\n", dir);
		free(dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		FL_GROW(names, cap, n + 1);
		names[n++] = fl_xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; i < n; i++) {
		const char *base = strrchr(names[i], '/') + 1;
		int r;

		/* Said before the replay, so that a crash names its input. */
		printf("# %s/%s\n", FL_FUZZ_TARGET, base);
		fflush(stdout);
		r = replay(names[i]);

		printf("%s %d - %s/%s replays\n", r == 0 ? "ok" : "not ok",
		    ++t, FL_FUZZ_TARGET, base);
		fflush(stdout);
		failed |= r != 0;
		free(names[i]);
	}
	free(names);
	free(dir);
	printf("1..%d\n", t);
	return failed;
}
