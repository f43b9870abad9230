/* faultline analyze: what caused the outage, with evidence and what was
 * ruled out. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fl_cli.h"
#include "fl_commands.h"
#include "fl_inventory.h"
#include "fl_manifest.h"
#include "fl_report.h"
#include "fl_report_views.h"
#include "fl_verdict.h"

enum { OPT_INVENTORY = 400, OPT_SKEW, OPT_HELP, OPT_MANIFEST };

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: faultline analyze [--format text|json|html|markdown] "
	    "[-o FILE]\n"
	    "                         [--manifest FILE] [--inventory FILE]\n"
	    "                         [--skew HOST=+-SECONDS]... [OPTIONS] "
	    "PATH...\n"
	    "\n"
	    "Decides whether an outage was an accidental power fault, "
	    "sabotage, a\n"
	    "cyberattack or a planned shutdown (or no incident at all), "
	    "with the\n"
	    "evidence lines behind every finding, what was ruled out and "
	    "how, and\n"
	    "the recovery. See docs/REPORT.md.\n"
	    "\n"
	    "  -f, --format FMT      text (default), json, html (one "
	    "self-contained\n"
	    "                        page) or markdown (a post-mortem "
	    "skeleton)\n"
	    "  -o, --output FILE     write the report to FILE\n"
	    "  --manifest FILE       write the chain-of-custody record "
	    "(inputs and\n"
	    "                        report SHA-256, options, zones) to FILE\n"
	    "  --inventory FILE      site topology and services "
	    "(docs/REPORT.md)\n"
	    "  --skew HOST=SECONDS   add SECONDS (signed) to HOST's clock; no\n"
	    "                        estimate is made for that host "
	    "(repeatable)\n"
	    "\n"
	    "exit status: 0 accidental-power-fault, planned-shutdown or "
	    "no-incident;\n"
	    "3 sabotage or cyberattack; 4 inconclusive; 1 analysis done but "
	    "some\n"
	    "evidence unreadable (3 and 4 take precedence); 2 usage error or "
	    "nothing\n"
	    "readable.\n\n%s", fl_cli_scan_help);
}

static void
print_diag(void *ctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	struct fl_buf b = {0};

	(void)ctx;
	fl_buf_adds(&b, "faultline: ");
	if (where != NULL) {
		fl_buf_text_safe(&b, where, strlen(where));
		fl_buf_adds(&b, ": ");
	}
	if (level == FL_DIAG_WARNING)
		fl_buf_adds(&b, "warning: ");
	fl_buf_text_safe(&b, msg, strlen(msg));
	fl_buf_addc(&b, '\n');
	fputs(b.data, stderr);
	fl_buf_free(&b);
}

/* An inventory zone= applies unless --tz-host named the host. */
static void
inventory_zones(struct fl_cli *cli, const struct fl_inventory *inv,
    char ***strs, size_t *n_strs)
{
	size_t i, j;

	for (i = 0; i < inv->n_hosts; i++) {
		const struct fl_inv_host *h = &inv->hosts[i];
		int given = 0;
		char *arg;

		if (h->zone == NULL)
			continue;
		for (j = 0; j < cli->n_tz_hosts; j++)
			if (strcmp(cli->tz_hosts[j].host, h->name) == 0)
				given = 1;
		if (given)
			continue;
		arg = fl_xasprintf("%s=%s", h->name, h->zone);
		*strs = fl_xreallocarray(*strs, *n_strs + 1, sizeof **strs);
		(*strs)[(*n_strs)++] = arg;
		fl_cli_option(cli, FL_OPT_TZ_HOST, arg);
	}
}

static int
write_manifest(const char *path, const struct fl_cli *cli, char **args,
    size_t n_args, const char *inv_path, const struct fl_evidence *ev,
    const struct fl_report *rep, const struct fl_buf *report)
{
	struct fl_manifest m;
	struct fl_buf b = {0};
	FILE *f;
	int rc = 0;

	memset(&m, 0, sizeof m);
	m.version = PACKAGE_VERSION;
	m.argv = (const char *const *)args;
	m.argc = n_args;
	m.scan = &cli->scan;
	m.format = cli->format;
	m.inventory = inv_path;
	m.ev = ev;
	m.report = rep;
	m.report_path = cli->output;
	m.report_data = report->data;
	m.report_len = report->len;
	fl_manifest_json(&m, &b);
	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(b.data, 1, b.len, f) != b.len) {
		fprintf(stderr, "faultline: %s: cannot write the manifest: %s\n",
		    path, strerror(errno));
		rc = -1;
	}
	if (f != NULL && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "faultline: %s: cannot write the manifest: %s\n",
		    path, strerror(errno));
		rc = -1;
	}
	fl_buf_free(&b);
	return rc;
}

/* A site inventory handed over with the evidence (see
 * fl_scan_is_inventory) is used when --inventory names none. */
static char *
find_inventory(char **paths, size_t n, int quiet)
{
	struct fl_input_list list = {0};
	char *found = NULL;
	size_t i;

	fl_input_collect((const char *const *)paths, n, &list);
	for (i = 0; i < list.n && found == NULL; i++)
		if (list.v[i].kind == FL_INPUT_FILE &&
		    fl_scan_is_inventory(list.v[i].path))
			found = fl_xstrdup(list.v[i].path);
	fl_input_list_free(&list);
	if (found != NULL && !quiet)
		fprintf(stderr, "faultline: %s: note: using the site inventory "
		    "found with the evidence\n", found);
	return found;
}

int
fl_cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		FL_CLI_SCAN_OPTIONS,
		{"inventory", required_argument, NULL, OPT_INVENTORY},
		{"skew", required_argument, NULL, OPT_SKEW},
		{"manifest", required_argument, NULL, OPT_MANIFEST},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0}
	};
	struct fl_cli cli;
	struct fl_diag diag = {print_diag, NULL};
	struct fl_skew_opt *skews = NULL;
	size_t n_skews = 0, n_strs = 0, i;
	char **strs = NULL;
	const char *inv_path = NULL, *manifest = NULL;
	char *found_inv = NULL;
	char **args = fl_xcalloc((size_t)argc + 1, sizeof *args);
	struct fl_buf rb = {0};
	struct fl_inventory *inv = NULL;
	struct fl_evidence *ev = NULL;
	struct fl_report *rep = NULL;
	struct fl_analyze_opts ao;
	int opt, rc = 2, status;
	FILE *out;

	fl_cli_init(&cli, "analyze");
	/* the command line as given, for the manifest (getopt permutes) */
	memcpy(args, argv, (size_t)argc * sizeof *args);
	optind = 1;
	while ((opt = getopt_long(argc, argv, FL_CLI_SHORT "h", longopts,
	    NULL)) != -1) {
		int r;

		switch (opt) {
		case 'h':
		case OPT_HELP:
			usage(stdout);
			rc = 0;
			goto done;
		case OPT_INVENTORY:
			inv_path = optarg;
			continue;
		case OPT_MANIFEST:
			manifest = cli.output2 = optarg;
			continue;
		case OPT_SKEW:
			skews = fl_xreallocarray(skews, n_skews + 1,
			    sizeof *skews);
			if (fl_skew_parse(optarg, &skews[n_skews]) != 0) {
				fprintf(stderr, "faultline analyze: --skew wants "
				    "HOST=+SECONDS or HOST=-SECONDS, not '%s'\n",
				    optarg);
				goto done;
			}
			n_skews++;
			continue;
		default:
			break;
		}
		r = fl_cli_option(&cli, opt, optarg);
		if (r < 0)
			goto done;
		if (r == 0) {
			usage(stderr);
			goto done;
		}
	}
	if (cli.format == NULL)
		cli.format = "text";
	if (strcmp(cli.format, "text") != 0 && strcmp(cli.format, "json") != 0 &&
	    strcmp(cli.format, "html") != 0 &&
	    strcmp(cli.format, "markdown") != 0) {
		fprintf(stderr, "faultline analyze: unknown --format '%s' (text, "
		    "json, html or markdown)\n", cli.format);
		goto done;
	}
	if (optind >= argc) {
		fprintf(stderr, "faultline analyze: no evidence given "
		    "(PATH...)\n");
		usage(stderr);
		goto done;
	}
	if (inv_path == NULL)
		inv_path = found_inv = find_inventory(argv + optind,
		    (size_t)(argc - optind), cli.quiet);
	if (inv_path != NULL) {
		if (fl_inventory_load(inv_path, &inv, &diag) != FL_OK) {
			fprintf(stderr, "faultline analyze: the inventory could "
			    "not be loaded\n");
			goto done;
		}
		inventory_zones(&cli, inv, &strs, &n_strs);
	}
	if (fl_cli_load_rules(&cli) != 0)
		goto done;
	/* the site zone is looked up even when only partial results are
	 * given (no raw evidence to scan) */
	if (cli.zones == NULL)
		cli.zones = fl_zones_new();
	if (fl_cli_scan(&cli, argv + optind, (size_t)(argc - optind), 0,
	    &ev) != 0)
		goto done;
	status = fl_cli_evidence_status(ev);
	if (status == 2) {
		fprintf(stderr, "faultline analyze: nothing in the evidence "
		    "could be read\n");
		goto done;
	}
	fl_analyze_opts_default(&ao);
	ao.inv = inv;
	ao.skews = skews;
	ao.n_skews = n_skews;
	ao.zones = cli.zones;
	if (cli.scan.tz != NULL) {
		char *err = NULL;

		ao.site_zone = fl_zones_get(cli.zones, cli.scan.tz, &err);
		free(err);
	}
	ao.version = PACKAGE_VERSION;
	ao.evidence_status = status;
	rep = fl_analyze(ev, cli.rules, &ao);
	if (strcmp(cli.format, "json") == 0)
		fl_report_json_buf(rep, &rb);
	else if (strcmp(cli.format, "html") == 0)
		fl_report_html_buf(rep, inv, &rb);
	else if (strcmp(cli.format, "markdown") == 0)
		fl_report_markdown_buf(rep, &rb);
	else if ((cli.output == NULL || strcmp(cli.output, "-") == 0) &&
	    isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL)
		fl_report_text_color_buf(rep, &rb);
	else
		fl_report_text_buf(rep, &rb);
	if ((out = fl_cli_open_output(&cli)) == NULL)
		goto done;
	/* a short write leaves the stream's error flag for close to report */
	fwrite(rb.data != NULL ? rb.data : "", 1, rb.len, out);
	if (fl_cli_close_output(&cli, out) != 0)
		goto done;
	if (manifest != NULL && write_manifest(manifest, &cli, args,
	    (size_t)argc, inv_path, ev, rep, &rb) != 0)
		goto done;
	rc = fl_report_exit_status(rep);
done:
	fl_report_free(rep);
	fl_evidence_free(ev);
	fl_inventory_free(inv);
	free(found_inv);
	for (i = 0; i < n_skews; i++)
		free((char *)skews[i].host);
	free(skews);
	free(args);
	fl_buf_free(&rb);
	fl_cli_free(&cli);
	for (i = 0; i < n_strs; i++)
		free(strs[i]);
	free(strs);
	return rc;
}
