/* faultline scan: the expensive half alone, written to a partial result. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fl_cli.h"
#include "fl_commands.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: faultline scan -o PART [--all] [--shard K/N] [OPTIONS] PATH...\n"
	    "\n"
	    "Reads, parses and matches the evidence and writes a compact partial\n"
	    "result to PART instead of a report. Give the parts (and any raw\n"
	    "evidence) to 'faultline analyze', 'timeline' or 'sources': the output\n"
	    "is the same as one run over all the evidence. Every option that\n"
	    "changes what is kept (zones, year, filters, limits, rules, --all)\n"
	    "must be the same in the scan and in the run that merges it.\n"
	    "\n"
	    "  -o, --output PART     the partial result to write (required)\n"
	    "  --all                 keep every line (for 'timeline --all')\n"
	    "Exit status: 0 all read, 1 some inputs damaged or unreadable,\n"
	    "2 usage error or nothing readable.\n\n%s", fl_cli_scan_help);
}

int
fl_cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		FL_CLI_SCAN_OPTIONS,
		{"all", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct fl_cli cli;
	struct fl_evidence *ev = NULL;
	int all = 0, status;

	fl_cli_init(&cli, "scan");
	status = fl_cli_getopt(&cli, argc, argv, "a", longopts, usage,
	    fl_cli_take_all, &all);
	if (status >= 0) {
		fl_cli_free(&cli);
		return status;
	}
	if (cli.output == NULL || strcmp(cli.output, "-") == 0) {
		fprintf(stderr, "faultline scan: -o PART is required (a file)\n");
		fl_cli_free(&cli);
		return 2;
	}
	if (fl_cli_load_rules(&cli) != 0 ||
	    fl_cli_scan_part(&cli, argv + optind, (size_t)(argc - optind), all,
	    cli.output, &ev) != 0) {
		fl_evidence_free(ev);
		fl_cli_free(&cli);
		return 2;
	}
	status = fl_cli_evidence_status(ev);
	fl_evidence_free(ev);
	fl_cli_free(&cli);
	return status;
}
