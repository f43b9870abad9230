/*
 * fl_cli: the options every evidence-reading command shares (zones, years,
 * time and host filters, limits, rules, threads, output) and the plumbing
 * from options to a loaded rule set and scanned evidence. Diagnostics are
 * printed to stderr as "faultline: WHERE: message", one line each.
 *
 * Ownership: struct fl_cli owns the lists it collects; fl_cli_free
 * releases them and the ruleset/zones it created.
 */
#ifndef FL_CLI_H
#define FL_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "fl_evidence.h"
#include "fl_rules.h"
#include "fl_scan.h"

struct fl_cli {
	const char *command;           /* "analyze", for messages */
	struct fl_scan_opts scan;
	const char *format;            /* --format, NULL for the default */
	const char *output;            /* -o FILE, NULL for stdout */
	const char *output2;           /* a second file the command writes
	                                * (analyze --manifest), or NULL */
	int quiet;
	int no_default_rules;
	const char **rule_dirs;        /* --rules DIR (repeatable) */
	size_t n_rule_dirs;
	struct fl_tz_host *tz_hosts;   /* --tz-host HOST=ZONE */
	size_t n_tz_hosts;
	const char **hosts;            /* --host, NULL-terminated */
	size_t n_hosts;
	struct fl_ruleset *rules;      /* after fl_cli_load_rules */
	struct fl_zones *zones;
	unsigned diag_errors;          /* errors reported while scanning */
	char digest[65];               /* rules digest, scratch */
};

/* Long options shared by the commands; FL_CLI_SCAN_OPTIONS expands to the
 * struct option entries, to be placed in a command's own table. Values
 * above 256 are the option codes fl_cli_option understands. */
enum {
	FL_OPT_TZ = 300, FL_OPT_TZ_HOST, FL_OPT_YEAR, FL_OPT_SINCE,
	FL_OPT_UNTIL, FL_OPT_HOST, FL_OPT_RULES, FL_OPT_NO_DEFAULT_RULES,
	FL_OPT_FORMAT_HINT, FL_OPT_MAX_LINE, FL_OPT_MAX_DEPTH,
	FL_OPT_MAX_MEMBER, FL_OPT_MAX_TOTAL, FL_OPT_MAX_RATIO, FL_OPT_QUIET,
	FL_OPT_SHARD
};
#define FL_CLI_SCAN_OPTIONS                                               \
	{"tz", required_argument, NULL, FL_OPT_TZ},                       \
	{"tz-host", required_argument, NULL, FL_OPT_TZ_HOST},             \
	{"year", required_argument, NULL, FL_OPT_YEAR},                   \
	{"since", required_argument, NULL, FL_OPT_SINCE},                 \
	{"until", required_argument, NULL, FL_OPT_UNTIL},                 \
	{"host", required_argument, NULL, FL_OPT_HOST},                   \
	{"rules", required_argument, NULL, FL_OPT_RULES},                 \
	{"no-default-rules", no_argument, NULL, FL_OPT_NO_DEFAULT_RULES}, \
	{"format-hint", required_argument, NULL, FL_OPT_FORMAT_HINT},     \
	{"max-line", required_argument, NULL, FL_OPT_MAX_LINE},           \
	{"max-depth", required_argument, NULL, FL_OPT_MAX_DEPTH},         \
	{"max-member-bytes", required_argument, NULL, FL_OPT_MAX_MEMBER}, \
	{"max-total-bytes", required_argument, NULL, FL_OPT_MAX_TOTAL},   \
	{"max-ratio", required_argument, NULL, FL_OPT_MAX_RATIO},         \
	{"quiet", no_argument, NULL, FL_OPT_QUIET},                       \
	{"shard", required_argument, NULL, FL_OPT_SHARD},                 \
	{"jobs", required_argument, NULL, 'j'},                           \
	{"format", required_argument, NULL, 'f'},                         \
	{"output", required_argument, NULL, 'o'}
/* Short options handled by fl_cli_option: j: f: o: q */
#define FL_CLI_SHORT "j:f:o:q"
/* Help text for the shared options, to print under a command's usage. */
extern const char fl_cli_scan_help[];

void fl_cli_init(struct fl_cli *cli, const char *command);
/* Handles one option from getopt_long. Returns 1 when handled, 0 when the
 * option is not a shared one, -1 on a bad value (message printed). */
int fl_cli_option(struct fl_cli *cli, int opt, const char *arg);
/* Parses argv: the shared options, --help ('h') and the command's own
 * options, which own() handles (returning 1 when it took the option). On
 * return optind is at the first PATH. Returns -1 to go on, or the exit
 * status to return at once: 0 after --help, 2 on a usage error. */
int fl_cli_getopt(struct fl_cli *cli, int argc, char **argv,
    const char *own_short, const struct option *longopts,
    void (*usage)(FILE *out), int (*own)(void *ctx, int opt), void *ctx);
/* An own() for fl_cli_getopt: takes -a/--all, setting the int at ctx. */
int fl_cli_take_all(void *ctx, int opt);
/* Loads the builtin rules (unless --no-default-rules) and every --rules
 * directory; compiles them. Returns 0, or -1 after printing errors. */
int fl_cli_load_rules(struct fl_cli *cli);
/* Scans the given paths with the collected options and merges any partial
 * results (files written by `faultline scan`) given among them; the result
 * is canonical (fl_evidence_finish). keep_all keeps every line. Returns 0,
 * or -1 on a usage error or a refused part (message printed). */
int fl_cli_scan(struct fl_cli *cli, char **paths, size_t n_paths,
    int keep_all, struct fl_evidence **out);
/* Scans the given paths (raw evidence only) and writes a partial result to
 * part_path. Returns 0, or -1 (message printed). */
int fl_cli_scan_part(struct fl_cli *cli, char **paths, size_t n_paths,
    int keep_all, const char *part_path, struct fl_evidence **out);
/* Opens -o FILE (or stdout); returns NULL after printing an error. */
FILE *fl_cli_open_output(const struct fl_cli *cli);
/* Closes what fl_cli_open_output returned; reports write errors. Returns 0
 * or -1. */
int fl_cli_close_output(const struct fl_cli *cli, FILE *f);
void fl_cli_free(struct fl_cli *cli);

/* Exit status for the evidence accounting: 0 all read, 1 some evidence
 * unreadable or damaged, 2 nothing at all readable. */
int fl_cli_evidence_status(const struct fl_evidence *ev);

#endif
