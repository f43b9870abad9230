/*
 * prescan: what the rule library's literal search costs by itself. Reads
 * gzip'd logs, hands each decompressed block to fl_matcher_prescan as the
 * scanner does, and prints the seconds spent in that call alone:
 *
 *   prescan FILE.gz... -> "SECONDS BYTES"
 *
 * Every byte of every line pays this search whatever the rules then do, so
 * the benchmark sets it against "parsing only": it is the part of the
 * library's cost that no rule edit removes. Exit 3 when the build has no
 * block search (no Hyperscan).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

#include "fl_rules.h"
#include "fl_util.h"

#define BLOCK (128 * 1024)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct fl_ruleset *rs;
	struct fl_matcher *m;
	static char buf[BLOCK];
	double spent = 0;
	unsigned long long bytes = 0;
	int i, n;

#ifndef HAVE_HYPERSCAN
	(void)argc;
	(void)argv;
	fprintf(stderr, "prescan: built without Hyperscan: no block search\n");
	return 3;
#endif
	rs = fl_ruleset_new();
	if (fl_ruleset_add_builtin(rs, NULL) != FL_OK ||
	    fl_ruleset_compile(rs, NULL) != FL_OK ||
	    (m = fl_matcher_new(rs)) == NULL) {
		fprintf(stderr, "prescan: the rule library did not load\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		gzFile f = gzopen(argv[i], "rb");

		if (f == NULL) {
			fprintf(stderr, "prescan: %s: cannot open\n", argv[i]);
			return 2;
		}
		while ((n = gzread(f, buf, sizeof buf)) > 0) {
			double t = now();

			fl_matcher_prescan(m, buf, (size_t)n);
			spent += now() - t;
			bytes += (unsigned)n;
		}
		if (n < 0) {
			fprintf(stderr, "prescan: %s: corrupt\n", argv[i]);
			return 2;
		}
		gzclose(f);
	}
	printf("%.3f %llu\n", spent, bytes);
	fl_matcher_free(m);
	fl_ruleset_free(rs);
	return 0;
}
