/* faultline: a thin dispatcher to the subcommands. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif

#include "fl_commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"analyze", fl_cmd_analyze,
	    "decide what caused an outage, with evidence and what was ruled out"},
	{"timeline", fl_cmd_timeline,
	    "print rule hits (or every line with --all) in time order"},
	{"scan", fl_cmd_scan,
	    "read and match evidence into a partial result, to merge later"},
	{"sources", fl_cmd_sources,
	    "list the log streams in the evidence with their chain of custody"},
	{"rules", fl_cmd_rules,
	    "list, lint, test the rule library, or match one line against it"},
};

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out,
	    "usage: faultline COMMAND [OPTIONS] PATH...\n"
	    "\n"
	    "Log forensics for datacenter outages: accident, sabotage or attack?\n"
	    "\n"
	    "commands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(out,
	    "\n"
	    "'faultline COMMAND --help' describes a command's options.\n"
	    "Exit status: 0 success (benign cause), 1 some evidence unreadable,\n"
	    "2 usage error or nothing readable, 3 sabotage or cyberattack,\n"
	    "4 inconclusive.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

#if defined(HAVE_MALLOPT) && defined(M_MMAP_THRESHOLD)
	/* The large arrays (a stream's events and activity) are built and
	 * freed stream after stream: mapped apart from the heap, they are given
	 * back when freed. glibc would raise this threshold after the first
	 * such free and keep them in the heap, where freed memory stays. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("faultline %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "faultline: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
