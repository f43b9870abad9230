#include "config.h"

#include "fl_cli.h"
#include "fl_sandbox.h"

#include "fl_part.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char fl_cli_scan_help[] =
    "evidence options:\n"
    "  --tz ZONE             zone of lines without an offset (IANA name or\n"
    "                        +HH:MM); default UTC\n"
    "  --tz-host HOST=ZONE   zone of one host's lines (repeatable)\n"
    "  --year YYYY           year of the newest line of year-less logs\n"
    "  --since TIME          ignore events before TIME (ISO 8601, UTC unless\n"
    "                        an offset is given)\n"
    "  --until TIME          ignore events after TIME\n"
    "  --host HOST           only this host (repeatable)\n"
    "  --format-hint NAME    force a line format (rfc3164, rfc5424, iso,\n"
    "                        journal-json, audit, apcupsd-events, nmc, sel,\n"
    "                        sel-csv, csv, dmesg)\n"
    "  --rules DIR           add the rules under DIR (repeatable)\n"
    "  --no-default-rules    leave the built-in rule library out\n"
    "  -j, --jobs N          worker threads (default: one per core); threads\n"
    "                        beyond one per file read ahead for the others\n"
    "  -q, --quiet           no progress or notes on stderr\n"
    "  --shard K/N           read only share K of N of the input files,\n"
    "                        balanced by size (for spreading work)\n"
    "limits (reported when hit):\n"
    "  --max-line BYTES      longer lines are truncated (default 65536)\n"
    "  --max-depth N         archive nesting (default 4)\n"
    "  --max-member-bytes N  decompressed bytes of one stream (default 16G)\n"
    "  --max-total-bytes N   decompressed bytes of one input (default 64G)\n"
    "  --max-ratio N         compression ratio of one member (default 1000)\n";

/* Diagnostics are printed one line each; a mutex keeps lines whole. */
static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;

static void
cli_emit(void *vctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	struct fl_cli *cli = vctx;
	struct fl_buf b = {0};

	if (level == FL_DIAG_ERROR)
		cli->diag_errors++;
	if (cli->quiet && level == FL_DIAG_NOTE)
		return;
	fl_buf_adds(&b, "faultline: ");
	if (where != NULL) {
		fl_buf_text_safe(&b, where, strlen(where));
		fl_buf_adds(&b, ": ");
	}
	if (level == FL_DIAG_WARNING)
		fl_buf_adds(&b, "warning: ");
	else if (level == FL_DIAG_NOTE)
		fl_buf_adds(&b, "note: ");
	fl_buf_text_safe(&b, msg, strlen(msg));
	fl_buf_addc(&b, '\n');
	pthread_mutex_lock(&diag_lock);
	fwrite(b.data, 1, b.len, stderr);
	pthread_mutex_unlock(&diag_lock);
	fl_buf_free(&b);
}

/* Progress on a terminal: one line redrawn in place, cleared at the end;
 * nothing before the first second so quick runs stay quiet. */
static void
show_progress(void *vctx, const struct fl_scan_progress *p)
{
	double rate, left;

	(void)vctx;
	pthread_mutex_lock(&diag_lock);
	if (p->done) {
		if (p->elapsed >= 1.0)
			fputs("\r\033[K", stderr);
	} else if (p->elapsed >= 1.0) {
		rate = p->bytes_done / p->elapsed;
		left = rate > 0 && p->bytes_total > p->bytes_done ?
		    (p->bytes_total - p->bytes_done) / rate : 0;
		fprintf(stderr, "\r\033[Kfaultline: %.1f/%.1f MB, %zu/%zu inputs, "
		    "%.1f MB/s, ETA %d:%02d", p->bytes_done / 1e6,
		    p->bytes_total / 1e6, p->files_done, p->files_total,
		    rate / 1e6, (int)left / 60, (int)left % 60);
	}
	pthread_mutex_unlock(&diag_lock);
}

void
fl_cli_init(struct fl_cli *cli, const char *command)
{
	memset(cli, 0, sizeof *cli);
	cli->command = command;
	fl_scan_opts_default(&cli->scan);
}

static int
usage_error(const struct fl_cli *cli, const char *fmt, const char *arg)
{
	fprintf(stderr, "faultline %s: ", cli->command);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return -1;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mult = UINT64_C(1) << 10; end++; break;
	case 'm': case 'M': mult = UINT64_C(1) << 20; end++; break;
	case 'g': case 'G': mult = UINT64_C(1) << 30; end++; break;
	default: return -1;
	}
	if (*end != '\0' || (v != 0 && mult > UINT64_MAX / v))
		return -1;
	*out = (uint64_t)v * mult;
	return 0;
}

int
fl_cli_option(struct fl_cli *cli, int opt, const char *arg)
{
	uint64_t v;
	int64_t t;
	char *eq;

	switch (opt) {
	case FL_OPT_TZ:
		cli->scan.tz = arg;
		return 1;
	case FL_OPT_TZ_HOST:
		eq = strchr(arg, '=');
		if (eq == NULL || eq == arg || eq[1] == '\0')
			return usage_error(cli, "--tz-host wants HOST=ZONE, not '%s'", arg);
		cli->tz_hosts = fl_xreallocarray(cli->tz_hosts,
		    cli->n_tz_hosts + 1, sizeof *cli->tz_hosts);
		cli->tz_hosts[cli->n_tz_hosts].host = fl_xstrndup(arg,
		    (size_t)(eq - arg));
		cli->tz_hosts[cli->n_tz_hosts].zone = eq + 1;
		cli->n_tz_hosts++;
		return 1;
	case FL_OPT_YEAR:
		if (parse_u64(arg, &v) != 0 || v < 1970 || v > 9999)
			return usage_error(cli, "bad --year '%s'", arg);
		cli->scan.year = (int32_t)v;
		return 1;
	case FL_OPT_SINCE:
	case FL_OPT_UNTIL:
		if (fl_parse_time_arg(arg, &t) != 0)
			return usage_error(cli,
			    "bad time '%s' (want ISO 8601, e.g. 2024-08-03T09:00Z)",
			    arg);
		if (opt == FL_OPT_SINCE)
			cli->scan.since_us = t;
		else
			cli->scan.until_us = t;
		return 1;
	case FL_OPT_HOST:
		cli->hosts = fl_xreallocarray(cli->hosts, cli->n_hosts + 2,
		    sizeof *cli->hosts);
		cli->hosts[cli->n_hosts++] = arg;
		cli->hosts[cli->n_hosts] = NULL;
		return 1;
	case FL_OPT_RULES:
		cli->rule_dirs = fl_xreallocarray(cli->rule_dirs,
		    cli->n_rule_dirs + 1, sizeof *cli->rule_dirs);
		cli->rule_dirs[cli->n_rule_dirs++] = arg;
		return 1;
	case FL_OPT_NO_DEFAULT_RULES:
		cli->no_default_rules = 1;
		return 1;
	case FL_OPT_FORMAT_HINT:
		cli->scan.parse.hint = fl_format_from_name(arg);
		if (cli->scan.parse.hint == FL_FMT_UNKNOWN)
			return usage_error(cli, "unknown --format-hint '%s'", arg);
		return 1;
	case FL_OPT_MAX_LINE:
		if (parse_u64(arg, &v) != 0 || v < 64 || v > (UINT64_C(1) << 30))
			return usage_error(cli, "bad --max-line '%s' (64..1G)", arg);
		cli->scan.limits.max_line = (size_t)v;
		return 1;
	case FL_OPT_MAX_DEPTH:
		if (parse_u64(arg, &v) != 0 || v > 32)
			return usage_error(cli, "bad --max-depth '%s' (0..32)", arg);
		cli->scan.limits.max_depth = (unsigned)v;
		return 1;
	case FL_OPT_MAX_MEMBER:
		if (parse_u64(arg, &v) != 0 || v == 0)
			return usage_error(cli, "bad --max-member-bytes '%s'", arg);
		cli->scan.limits.max_member_bytes = v;
		return 1;
	case FL_OPT_MAX_TOTAL:
		if (parse_u64(arg, &v) != 0 || v == 0)
			return usage_error(cli, "bad --max-total-bytes '%s'", arg);
		cli->scan.limits.max_total_bytes = v;
		return 1;
	case FL_OPT_MAX_RATIO:
		if (parse_u64(arg, &v) != 0 || v < 2)
			return usage_error(cli, "bad --max-ratio '%s' (2 or more)", arg);
		cli->scan.limits.max_ratio = v;
		return 1;
	case 'q':
	case FL_OPT_QUIET:
		cli->quiet = 1;
		return 1;
	case FL_OPT_SHARD: {
		char *slash, *end;
		unsigned long k, n;

		errno = 0;
		k = strtoul(arg, &slash, 10);
		n = *slash == '/' ? strtoul(slash + 1, &end, 10) : 0;
		if (errno != 0 || slash == arg || *slash != '/' ||
		    end == slash + 1 || *end != '\0' || n == 0 || k == 0 ||
		    k > n || n > 100000 || arg[0] == '-' || slash[1] == '-')
			return usage_error(cli, "bad --shard '%s' (want K/N, 1 <= K <= N)",
			    arg);
		cli->scan.shard_k = (unsigned)k;
		cli->scan.shard_n = (unsigned)n;
		return 1;
	}
	case 'j':
		if (parse_u64(arg, &v) != 0 || v == 0 || v > 1024)
			return usage_error(cli, "bad --jobs '%s' (1..1024)", arg);
		cli->scan.threads = (unsigned)v;
		return 1;
	case 'f':
		cli->format = arg;
		return 1;
	case 'o':
		cli->output = arg;
		return 1;
	default:
		return 0;
	}
}

int
fl_cli_getopt(struct fl_cli *cli, int argc, char **argv, const char *own_short,
    const struct option *longopts, void (*usage)(FILE *out),
    int (*own)(void *ctx, int opt), void *ctx)
{
	char shortopts[64];
	int opt, r;

	snprintf(shortopts, sizeof shortopts, "%sh%s", FL_CLI_SHORT,
	    own_short ? own_short : "");
	optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return 0;
		}
		if (own != NULL && own(ctx, opt))
			continue;
		r = fl_cli_option(cli, opt, optarg);
		if (r <= 0) {
			if (r == 0)
				usage(stderr);
			return 2;
		}
	}
	return -1;
}

int
fl_cli_take_all(void *ctx, int opt)
{
	if (opt != 'a')
		return 0;
	*(int *)ctx = 1;
	return 1;
}

int
fl_cli_load_rules(struct fl_cli *cli)
{
	struct fl_diag diag = {cli_emit, cli};
	enum fl_err err = FL_OK;
	size_t i;

	cli->rules = fl_ruleset_new();
	if (!cli->no_default_rules)
		err = fl_ruleset_add_builtin(cli->rules, &diag);
	for (i = 0; err == FL_OK && i < cli->n_rule_dirs; i++)
		err = fl_ruleset_add_dir(cli->rules, cli->rule_dirs[i], &diag);
	if (err == FL_OK)
		err = fl_ruleset_compile(cli->rules, &diag);
	if (err != FL_OK) {
		fprintf(stderr, "faultline %s: the rules could not be loaded (%s)\n",
		    cli->command, fl_err_str(err));
		return -1;
	}
	return 0;
}

/* What a partial result must agree on with the run that merges it: every
 * option that changes what the scan keeps or how it reads time. */
static char *
fingerprint(const struct fl_cli *cli, int keep_all)
{
	const struct fl_scan_opts *o = &cli->scan;
	struct fl_buf b = {0};
	size_t i;

	fl_buf_printf(&b, "v1;tz=%s;year=%d;since=%lld;until=%lld;hint=%s;"
	    "max-line=%zu;max-depth=%u;max-member=%llu;max-total=%llu;"
	    "max-ratio=%llu;all=%d;tz-host=", o->tz ? o->tz : "UTC",
	    (int)o->year, (long long)o->since_us, (long long)o->until_us,
	    fl_format_name(o->parse.hint), o->limits.max_line,
	    o->limits.max_depth,
	    (unsigned long long)o->limits.max_member_bytes,
	    (unsigned long long)o->limits.max_total_bytes,
	    (unsigned long long)o->limits.max_ratio, keep_all);
	for (i = 0; i < cli->n_tz_hosts; i++)
		fl_buf_printf(&b, "%s%s=%s", i ? "," : "", cli->tz_hosts[i].host,
		    cli->tz_hosts[i].zone);
	fl_buf_adds(&b, ";hosts=");
	for (i = 0; i < cli->n_hosts; i++)
		fl_buf_printf(&b, "%s%s", i ? "," : "", cli->hosts[i]);
	return fl_buf_take(&b);
}

/* "tz: part Europe/Paris, this run UTC; ..." for the keys that differ. */
static char *
fingerprint_diff(const char *part, const char *run)
{
	struct fl_buf b = {0};
	const char *p = part, *r = run;

	while (*p || *r) {
		size_t pl = strcspn(p, ";"), rl = strcspn(r, ";");
		size_t pk = strcspn(p, "="), rk = strcspn(r, "=");

		if (pl != rl || memcmp(p, r, pl) != 0) {
			if (b.len)
				fl_buf_adds(&b, "; ");
			if (pk < pl && rk < rl)
				fl_buf_printf(&b, "%.*s: part '%.*s', this run '%.*s'",
				    (int)pk, p, (int)(pl - pk - 1), p + pk + 1,
				    (int)(rl - rk - 1), r + rk + 1);
			else
				fl_buf_printf(&b, "part '%.*s', this run '%.*s'",
				    (int)pl, p, (int)rl, r);
		}
		p += pl + (p[pl] == ';');
		r += rl + (r[rl] == ';');
	}
	return fl_buf_take(&b);
}

/* Where path would be, symlinks resolved: itself when it exists, else its
 * directory's real path and its name. NULL when neither resolves. */
static char *
real_target(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *out;
	size_t n;

	if ((real = realpath(path, NULL)) != NULL || errno != ENOENT)
		return real;
	if (slash == NULL)
		dir = fl_xstrdup(".");
	else if (slash == path)
		dir = fl_xstrdup("/");
	else {
		dir = fl_xstrdup(path);
		dir[slash - path] = '\0';
	}
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return NULL;
	n = strlen(real) + strlen(slash ? slash + 1 : path) + 2;
	out = fl_xreallocarray(NULL, n, 1);
	snprintf(out, n, "%s/%s", strcmp(real, "/") == 0 ? "" : real,
	    slash ? slash + 1 : path);
	free(real);
	return out;
}

/* An output that is an input, or lies inside an input directory, would
 * overwrite the evidence or be read back as part of it: refused before
 * anything is opened. */
static int
outputs_outside_evidence(const struct fl_cli *cli, char **paths,
    size_t n_paths)
{
	const char *outs[2] = {cli->output, cli->output2};
	size_t i, k, n;
	int ok = 1;

	for (k = 0; k < 2 && ok; k++) {
		struct stat os;
		char *out;
		int exists;

		if (outs[k] == NULL || strcmp(outs[k], "-") == 0 ||
		    (out = real_target(outs[k])) == NULL)
			continue;
		exists = stat(outs[k], &os) == 0;
		for (i = 0; i < n_paths && ok; i++) {
			struct stat is;
			char *in;

			if (strcmp(paths[i], "-") == 0 ||
			    stat(paths[i], &is) != 0 ||
			    (in = realpath(paths[i], NULL)) == NULL)
				continue;
			n = strlen(in);
			if ((exists && os.st_dev == is.st_dev &&
			    os.st_ino == is.st_ino) || strcmp(out, in) == 0 ||
			    (S_ISDIR(is.st_mode) && strncmp(out, in, n) == 0 &&
			    (out[n] == '/' || n == 1))) {
				fprintf(stderr, "faultline %s: %s: the output "
				    "would be written into the evidence (%s); "
				    "write it elsewhere\n", cli->command,
				    outs[k], paths[i]);
				ok = 0;
			}
			free(in);
		}
		free(out);
	}
	return ok;
}

static enum fl_err
scan_raw(struct fl_cli *cli, char **paths, size_t n_paths, int keep_all,
    struct fl_evidence **out)
{
	struct fl_diag diag = {cli_emit, cli};

	cli->scan.paths = (const char *const *)paths;
	cli->scan.n_paths = n_paths;
	cli->scan.keep_all = keep_all;
	cli->scan.rules = cli->rules;
	cli->scan.tz_hosts = cli->tz_hosts;
	cli->scan.n_tz_hosts = cli->n_tz_hosts;
	cli->scan.only_hosts = cli->hosts;
	if (!cli->quiet && isatty(STDERR_FILENO)) {
		cli->scan.progress = show_progress;
		cli->scan.progress_ctx = cli;
	}
	if (cli->zones == NULL)
		cli->zones = fl_zones_new();
	/* From here on the evidence is read: nothing but the outputs may be
	 * written. */
	{
		const char *outs[2] = {cli->output, cli->output2};

		fl_sandbox_writes_only(outs, 2, &diag);
	}
	return fl_scan_run(&cli->scan, cli->zones, out, &diag);
}

int
fl_cli_scan(struct fl_cli *cli, char **paths, size_t n_paths, int keep_all,
    struct fl_evidence **out)
{
	struct fl_evidence **pieces;
	char **raw, *mine, *theirs, *err;
	size_t i, n_raw = 0, n_pieces = 0;
	int status = 0;

	*out = NULL;
	if (n_paths == 0)
		return usage_error(cli, "%s", "no evidence given (PATH...)");
	if (!outputs_outside_evidence(cli, paths, n_paths))
		return -1;
	/* Zones are wanted after the scan too (the analysis reads the site's). */
	if (cli->zones == NULL)
		cli->zones = fl_zones_new();
	raw = fl_xcalloc(n_paths + 1, sizeof *raw);
	pieces = fl_xcalloc(n_paths + 1, sizeof *pieces);
	mine = fingerprint(cli, keep_all);
	for (i = 0; i < n_paths && status == 0; i++) {
		if (!fl_part_sniff(paths[i])) {
			raw[n_raw++] = paths[i];
			continue;
		}
		if (fl_part_read(paths[i], &pieces[n_pieces], &theirs,
		    &err) != FL_OK) {
			fprintf(stderr, "faultline: %s: %s\n", paths[i], err);
			free(err);
			status = -1;
			break;
		}
		if (strcmp(theirs, mine) != 0) {
			char *diff = fingerprint_diff(theirs, mine);

			fprintf(stderr, "faultline: %s: made with other options "
			    "than this run: %s\n", paths[i], diff);
			free(diff);
			status = -1;
		} else if (cli->rules != NULL && strcmp(pieces[n_pieces]->rules_digest,
		    (fl_ruleset_digest(cli->rules, cli->digest), cli->digest)) != 0) {
			fprintf(stderr, "faultline: %s: made with another rule set "
			    "(rules digest %.12s, this run %.12s)\n", paths[i],
			    pieces[n_pieces]->rules_digest, cli->digest);
			status = -1;
		}
		free(theirs);
		n_pieces++;
	}
	if (status == 0 && (n_raw > 0 || n_pieces == 0) &&
	    scan_raw(cli, raw, n_raw, keep_all, &pieces[n_pieces]) == FL_OK)
		n_pieces++;
	else if (status == 0 && (n_raw > 0 || n_pieces == 0))
		status = -1;
	if (status == 0) {
		*out = fl_evidence_merge(pieces, n_pieces);
		fl_evidence_finish(*out);
	} else {
		for (i = 0; i < n_pieces; i++)
			fl_evidence_free(pieces[i]);
	}
	free(mine);
	free(raw);
	free(pieces);
	return status;
}

int
fl_cli_scan_part(struct fl_cli *cli, char **paths, size_t n_paths,
    int keep_all, const char *part_path, struct fl_evidence **out)
{
	char *fp, *err = NULL;
	int status = 0;

	*out = NULL;
	if (n_paths == 0)
		return usage_error(cli, "%s", "no evidence given (PATH...)");
	if (!outputs_outside_evidence(cli, paths, n_paths))
		return -1;
	if (scan_raw(cli, paths, n_paths, keep_all, out) != FL_OK)
		return -1;
	fp = fingerprint(cli, keep_all);
	if (fl_part_write(*out, fp, part_path, &err) != FL_OK) {
		fprintf(stderr, "faultline: %s: %s\n", part_path, err);
		status = -1;
	}
	free(err);
	free(fp);
	return status;
}

FILE *
fl_cli_open_output(const struct fl_cli *cli)
{
	FILE *f;

	if (cli->output == NULL || strcmp(cli->output, "-") == 0)
		return stdout;
	f = fopen(cli->output, "w");
	if (f == NULL)
		fprintf(stderr, "faultline: %s: %s\n", cli->output,
		    strerror(errno));
	return f;
}

int
fl_cli_close_output(const struct fl_cli *cli, FILE *f)
{
	const char *name = f == stdout ? "standard output" : cli->output;
	int bad = ferror(f);

	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "faultline: %s: write error\n", name);
		return -1;
	}
	return 0;
}

void
fl_cli_free(struct fl_cli *cli)
{
	size_t i;

	for (i = 0; i < cli->n_tz_hosts; i++)
		free((char *)cli->tz_hosts[i].host);
	free(cli->tz_hosts);
	free(cli->hosts);
	free(cli->rule_dirs);
	fl_ruleset_free(cli->rules);
	fl_zones_free(cli->zones);
	memset(cli, 0, sizeof *cli);
}

int
fl_cli_evidence_status(const struct fl_evidence *ev)
{
	size_t i, readable = 0, bad = 0;

	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *r = &ev->inputs[i];

		if (r->kind == FL_INPUT_UNREADABLE)
			bad++;
		else if (r->kind == FL_INPUT_FILE) {
			readable++;
			if (r->error != NULL)
				bad++;
		}
	}
	for (i = 0; i < ev->n_streams; i++)
		if (ev->streams[i].error != NULL)
			bad++;
	if (readable == 0)
		return 2;
	return bad ? 1 : 0;
}
