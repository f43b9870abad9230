/* faultline rules: list, lint, test the rule set, or match lines against
 * it like a logtest tool. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_commands.h"
#include "fl_rules.h"
#include "fl_signals.h"

struct ropts {
	const char *sub;
	const char **dirs;
	size_t ndirs;
	int no_default;
	int json;
	const char **lines;        /* match --line */
	size_t nlines;
	struct fl_parse_opts popts;
	unsigned errors, warnings;
};

static void
print_safe(FILE *out, const char *s, size_t n)
{
	struct fl_buf b = {0};

	fl_buf_text_safe(&b, s, n);
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	fl_buf_free(&b);
}

/* Diagnostics quote rule text such as regular expressions: backslashes
 * stay single; control characters (C0, DEL, C1) are escaped. Text that
 * is not UTF-8 is escaped wholesale. */
static void
print_diag(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	if (!fl_utf8_valid(s, n)) {
		print_safe(out, s, n);
		return;
	}
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(out, "\\x%02x", *++p);
		else
			fputc(*p, out);
	}
}

static void
emit(void *ctx, enum fl_diag_level lvl, const char *where, const char *msg)
{
	struct ropts *o = ctx;

	if (lvl == FL_DIAG_ERROR)
		o->errors++;
	else if (lvl == FL_DIAG_WARNING)
		o->warnings++;
	if (where != NULL) {
		print_diag(stderr, where);
		fputs(": ", stderr);
	}
	fputs(lvl == FL_DIAG_WARNING ? "warning: " : lvl == FL_DIAG_NOTE ?
	    "note: " : "", stderr);
	print_diag(stderr, msg);
	fputc('\n', stderr);
}

static const char usage_text[] =
    "usage: faultline rules list  [--format text|json] [RULE OPTIONS]\n"
    "       faultline rules lint  [RULE OPTIONS]\n"
    "       faultline rules test  [RULE OPTIONS]\n"
    "       faultline rules match [RULE OPTIONS] [--format-hint FMT]\n"
    "                             (--line 'RAW LINE'... | FILE...)\n"
    "\n"
    "  list   the loaded rules: id, kind, signal, category, file, title\n"
    "  lint   load and compile the rules; exit 1 on any error\n"
    "  test   check every rule's examples and counterexamples\n"
    "  match  parse lines and show their fields and the rules they hit\n"
    "\n"
    "rule options:\n"
    "  --rules DIR          also load every *.yml/*.yaml below DIR (repeatable)\n"
    "  --no-default-rules   leave the built-in rule library out\n"
    "  -h, --help           this help\n"
    "\n"
    "Rule errors are printed as FILE:LINE:COLUMN: message. See docs/RULES.md.\n";

static const char *const sub_usage[] = {
	"list", "usage: faultline rules list [--format text|json] [--rules DIR]... "
	    "[--no-default-rules]\n\nLists the loaded rules: id, kind, signal, "
	    "category, source file and title.\n",
	"lint", "usage: faultline rules lint [--rules DIR]... "
	    "[--no-default-rules]\n\nLoads and compiles the rules. Prints every "
	    "error as FILE:LINE:COLUMN: message\nand a count; exit status 1 on "
	    "any error, 0 otherwise.\n",
	"test", "usage: faultline rules test [--rules DIR]... "
	    "[--no-default-rules]\n\nParses every rule's examples and "
	    "counterexamples with the evidence parser\nand checks that examples "
	    "match and counterexamples do not. Prints\n'N examples checked, M "
	    "failures'; exit status 1 on any failure.\n",
	"match", "usage: faultline rules match [--rules DIR]... "
	    "[--no-default-rules] [--format-hint FMT]\n"
	    "                            (--line 'RAW LINE'... | FILE...)\n\n"
	    "Parses each line (one parser per FILE, '-' for standard input) and "
	    "prints\nits fields and every rule it hits, with the captured "
	    "fields.\n",
	NULL
};

static int
usage_error(const char *sub, const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "faultline rules%s%s: %s\n", sub ? " " : "",
		    sub ? sub : "", msg);
	fprintf(stderr, "Try 'faultline rules%s%s --help'.\n", sub ? " " : "",
	    sub ? sub : "");
	return 2;
}

static struct fl_ruleset *
load_rules(struct ropts *o)
{
	struct fl_diag diag = {emit, o};
	struct fl_ruleset *rs = fl_ruleset_new();
	size_t i;

	if (!o->no_default)
		fl_ruleset_add_builtin(rs, &diag);
	for (i = 0; i < o->ndirs; i++)
		fl_ruleset_add_dir(rs, o->dirs[i], &diag);
	if (fl_ruleset_compile(rs, &diag) != FL_OK || o->errors) {
		fprintf(stderr, "faultline rules %s: %u error%s in the rules\n",
		    o->sub, o->errors, o->errors == 1 ? "" : "s");
		fl_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

static void
json_field(struct fl_buf *b, const char *name, const char *v, int comma)
{
	fl_buf_printf(b, "%s\"%s\": ", comma ? ", " : "", name);
	if (v == NULL)
		fl_buf_adds(b, "null");
	else
		fl_buf_json_str(b, v, strlen(v));
}

/* "waits_for": what a detection rule needs in a line before it is tried
 * (see fl_ruleset_gate); null for correlations. */
static void
json_gate(struct fl_buf *b, const struct fl_ruleset *rs, size_t i)
{
	const struct fl_rule_gate *g = fl_ruleset_gate(rs, i);
	size_t k;
	unsigned c;

	fl_buf_adds(b, ", \"waits_for\": ");
	if (fl_ruleset_rule(rs, i)->kind != FL_RULE_DETECTION) {
		fl_buf_adds(b, "null");
		return;
	}
	fl_buf_adds(b, "{\"programs\": [");
	for (k = 0; k < g->nprogs; k++) {
		fl_buf_adds(b, k ? ", " : "");
		fl_buf_json_str(b, g->progs[k].p, g->progs[k].n);
	}
	fl_buf_adds(b, "], \"clauses\": [");
	for (c = 0; g->all_clauses >> c & 1; c++) {
		int first = 1;

		fl_buf_adds(b, c ? ", [" : "[");
		for (k = 0; k < g->nlits; k++) {
			if (g->lits[k].clause != c)
				continue;
			fl_buf_adds(b, first ? "{\"text\": " : ", {\"text\": ");
			fl_buf_json_str(b, g->lits[k].s, g->lits[k].n);
			fl_buf_printf(b, ", \"in\": \"%s\"}",
			    g->lits[k].raw ? "raw" : "message");
			first = 0;
		}
		fl_buf_addc(b, ']');
	}
	fl_buf_adds(b, "]}");
}

static int
cmd_list(struct ropts *o, const struct fl_ruleset *rs)
{
	size_t i, n = fl_ruleset_count(rs), wid = 2, wkind = 4, wsig = 6;
	struct fl_buf b = {0};
	char digest[65];

	if (o->json) {
		fl_ruleset_digest(rs, digest);
		fl_buf_printf(&b, "{\"digest\": \"%s\", \"count\": %zu, "
		    "\"rules\": [", digest, n);
		for (i = 0; i < n; i++) {
			const struct fl_rule_info *r = fl_ruleset_rule(rs, i);

			fl_buf_adds(&b, i ? ",\n  {" : "\n  {");
			json_field(&b, "id", r->id, 0);
			json_field(&b, "title", r->title, 1);
			json_field(&b, "kind", fl_rule_kind_name(r->kind), 1);
			json_field(&b, "level", r->level, 1);
			json_field(&b, "signal", r->signal, 1);
			json_field(&b, "category", r->category, 1);
			json_field(&b, "file", r->file, 1);
			json_gate(&b, rs, i);
			fl_buf_addc(&b, '}');
		}
		fl_buf_adds(&b, n ? "\n]}\n" : "]}\n");
		fwrite(b.data, 1, b.len, stdout);
		fl_buf_free(&b);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const struct fl_rule_info *r = fl_ruleset_rule(rs, i);

		if (strlen(r->id) > wid)
			wid = strlen(r->id);
		if (strlen(fl_rule_kind_name(r->kind)) > wkind)
			wkind = strlen(fl_rule_kind_name(r->kind));
		if (r->signal && strlen(r->signal) > wsig)
			wsig = strlen(r->signal);
	}
	printf("%-*s  %-*s  %-*s  %-8s  %s\n", (int)wid, "ID", (int)wkind,
	    "KIND", (int)wsig, "SIGNAL", "CATEGORY", "FILE: TITLE");
	for (i = 0; i < n; i++) {
		const struct fl_rule_info *r = fl_ruleset_rule(rs, i);

		fl_buf_reset(&b);
		fl_buf_text_safe(&b, r->id, strlen(r->id));
		printf("%-*s  %-*s  %-*s  %-8s  ", (int)wid, b.data, (int)wkind,
		    fl_rule_kind_name(r->kind), (int)wsig,
		    r->signal ? r->signal : "-", r->category ? r->category : "-");
		print_safe(stdout, r->file, strlen(r->file));
		fputs(": ", stdout);
		print_safe(stdout, r->title, strlen(r->title));
		fputc('\n', stdout);
	}
	fl_buf_free(&b);
	return 0;
}

static int
cmd_lint(struct ropts *o, const struct fl_ruleset *rs)
{
	struct fl_diag diag = {emit, o};
	size_t i, n = fl_ruleset_count(rs), det = 0;

	for (i = 0; i < n; i++) {
		const struct fl_rule_info *r = fl_ruleset_rule(rs, i);
		const struct fl_rule_gate *g = fl_ruleset_gate(rs, i);

		if (r->kind != FL_RULE_DETECTION)
			continue;
		det++;
		if (g->nlits == 0 && g->nprogs == 0)
			fl_diagf(&diag, FL_DIAG_WARNING, r->file, "rule %s is "
			    "tried on every line: it names no program and no "
			    "text every match contains (see docs/RULES.md)",
			    r->id);
	}
	printf("%zu rules loaded (%zu detection, %zu correlation), %zu skipped, "
	    "%u warning%s, 0 errors\n", n, det, n - det, fl_ruleset_skipped(rs),
	    o->warnings, o->warnings == 1 ? "" : "s");
	return 0;
}

static int
cmd_test(struct ropts *o, const struct fl_ruleset *rs)
{
	struct fl_diag diag = {emit, o};
	size_t tested = 0, failures;

	failures = fl_ruleset_selftest(rs, &o->popts, &tested, &diag);
	printf("%zu examples checked, %zu failure%s\n", tested, failures,
	    failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}

/* ---- match ---- */

static void
print_ltime(const struct fl_ltime *t)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char buf[FL_TIME_STRLEN];

	switch (t->kind) {
	case FL_LT_NONE:
		fputs("none", stdout);
		return;
	case FL_LT_EPOCH:
		fl_format_time(buf, t->epoch_us, 1);
		printf("%s (epoch)", buf);
		return;
	case FL_LT_UPTIME:
	case FL_LT_PREINIT:
		printf("+%lld.%06lld s since %s",
		    (long long)(t->epoch_us / FL_US_PER_SEC),
		    (long long)(t->epoch_us % FL_US_PER_SEC),
		    t->kind == FL_LT_UPTIME ? "boot" : "BMC init");
		return;
	case FL_LT_NO_YEAR:
		printf("%s %2u %02u:%02u:%02u", t->mon >= 1 && t->mon <= 12 ?
		    mon[t->mon - 1] : "???", t->day, t->hour, t->min, t->sec);
		break;
	default:
		printf("%04d-%02u-%02u %02u:%02u:%02u", (int)t->year, t->mon,
		    t->day, t->hour, t->min, t->sec);
		break;
	}
	if (t->has_usec)
		printf(".%06d", (int)t->usec);
	if (t->kind == FL_LT_OFFSET)
		printf(" %c%02d:%02d", t->utc_offset < 0 ? '-' : '+',
		    abs(t->utc_offset) / 3600, abs(t->utc_offset) / 60 % 60);
	if (t->zone_abbr != NULL) {
		fputc(' ', stdout);
		print_safe(stdout, t->zone_abbr, t->zone_abbr_len);
	}
	if (t->kind == FL_LT_NO_YEAR)
		fputs(" (no year)", stdout);
	else if (t->kind == FL_LT_LOCAL)
		fputs(" (no zone)", stdout);
}

static void
print_field(const char *name, struct fl_span v)
{
	if (v.n == 0)
		return;
	printf("  %s: ", name);
	print_safe(stdout, v.p, v.n);
	fputc('\n', stdout);
}

struct match_ctx {
	const struct fl_ruleset *rs;
	size_t hits;
};

static void
on_match(void *ctx, const struct fl_hit *hit)
{
	struct match_ctx *mc = ctx;
	const struct fl_rule_info *r = fl_ruleset_rule(mc->rs, hit->rule);
	size_t i;

	mc->hits++;
	fputs("  hit: ", stdout);
	print_safe(stdout, r->id, strlen(r->id));
	printf(" [%s/%s, %s] ", r->signal ? r->signal : "-",
	    r->category ? r->category : "-", r->level);
	print_safe(stdout, r->title, strlen(r->title));
	fputc('\n', stdout);
	for (i = 0; i < hit->n_captures; i++) {
		printf("    %s = ", hit->captures[i].name);
		print_safe(stdout, hit->captures[i].value.p,
		    hit->captures[i].value.n);
		fputc('\n', stdout);
	}
}

static void
match_line(struct fl_parser *p, struct fl_matcher *m,
    const struct fl_ruleset *rs, const char *where, const char *line,
    size_t len, const char *source)
{
	struct fl_parsed ps;
	struct fl_match_input in;
	struct match_ctx mc = {rs, 0};
	char name[40];
	size_t i;

	fl_parse_line(p, line, len, &ps);
	fputs(where, stdout);
	fputs(": ", stdout);
	print_safe(stdout, line, len);
	fputc('\n', stdout);
	printf("  format: %s%s\n", fl_format_name(ps.format),
	    ps.flags & FL_PF_COMMENT ? " (comment or header)" :
	    ps.flags & FL_PF_BOOT ? " (boot separator)" :
	    ps.flags & FL_PF_CONTINUATION ? " (continuation)" : "");
	fputs("  time: ", stdout);
	print_ltime(&ps.t);
	fputc('\n', stdout);
	print_field("host", ps.host);
	print_field("program", ps.program);
	print_field("pid", ps.pid);
	if (ps.facility >= 0 || ps.severity >= 0)
		printf("  facility: %d  severity: %d\n", ps.facility,
		    ps.severity);
	print_field("message", ps.message);
	for (i = 0; i < ps.n_extra; i++) {
		snprintf(name, sizeof name, "%.*s", (int)ps.extra_name[i].n,
		    ps.extra_name[i].p);
		print_field(name, ps.extra_value[i]);
	}
	memset(&in, 0, sizeof in);
	in.parsed = &ps;
	in.raw.p = line;
	in.raw.n = len;
	in.source.p = source;
	in.source.n = strlen(source);
	in.host = ps.host;
	fl_matcher_run(m, &in, on_match, &mc);
	if (mc.hits == 0)
		puts("  no rule hit");
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int
cmd_match(struct ropts *o, const struct fl_ruleset *rs, char **files,
    size_t nfiles)
{
	struct fl_matcher *m = fl_matcher_new(rs);
	struct fl_stream_info info;
	struct fl_parser *p;
	char where[64];
	size_t i, k;
	int status = 0;

	memset(&info, 0, sizeof info);
	info.member = "";
	info.dir_hint = "";
	info.mtime = INT64_MIN;
	for (i = 0; i < o->nlines; i++) {
		info.input_path = info.name = "line";
		p = fl_parser_new(&o->popts, &info);
		snprintf(where, sizeof where, "line %zu", i + 1);
		match_line(p, m, rs, where, o->lines[i], strlen(o->lines[i]),
		    "line");
		fl_parser_free(p);
	}
	for (i = 0; i < nfiles; i++) {
		int is_stdin = strcmp(files[i], "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(files[i], "rb");
		char *line = NULL;
		size_t cap = 0, lineno = 0;
		ssize_t got;
		struct fl_buf w = {0};

		if (f == NULL) {
			perror(files[i]);
			status = 1;
			continue;
		}
		info.input_path = files[i];
		info.name = base_name(files[i]);
		p = fl_parser_new(&o->popts, &info);
		while ((got = getline(&line, &cap, f)) >= 0) {
			size_t len = (size_t)got;

			lineno++;
			if (len && line[len - 1] == '\n')
				len--;
			if (len && line[len - 1] == '\r')
				len--;
			fl_buf_reset(&w);
			for (k = 0; files[i][k]; k++)
				fl_buf_addc(&w, files[i][k]);
			fl_buf_printf(&w, ":%zu", lineno);
			match_line(p, m, rs, w.data, line, len, info.name);
		}
		if (ferror(f)) {
			perror(files[i]);
			status = 1;
		}
		fl_buf_free(&w);
		free(line);
		fl_parser_free(p);
		if (!is_stdin)
			fclose(f);
	}
	for (i = 0; i < fl_ruleset_count(rs); i++)
		if (fl_matcher_errors(m, i))
			fprintf(stderr, "faultline rules match: rule %s hit the "
			    "regular expression limits on %llu line(s)\n",
			    fl_ruleset_rule(rs, i)->id,
			    (unsigned long long)fl_matcher_errors(m, i));
	fl_matcher_free(m);
	return status;
}

enum { OPT_RULES = 256, OPT_NO_DEFAULT, OPT_LINE, OPT_HINT };

int
fl_cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, OPT_RULES},
		{"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT},
		{"format", required_argument, NULL, 'f'},
		{"line", required_argument, NULL, OPT_LINE},
		{"format-hint", required_argument, NULL, OPT_HINT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct ropts o;
	struct fl_ruleset *rs;
	const char *msg = NULL;
	int c, status, is_list, is_match;
	size_t i;

	memset(&o, 0, sizeof o);
	if (argc < 2)
		return usage_error(NULL, "a subcommand is needed (list, lint, "
		    "test, match)");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	for (i = 0; sub_usage[i] != NULL; i += 2)
		if (strcmp(argv[1], sub_usage[i]) == 0)
			break;
	if (sub_usage[i] == NULL) {
		fprintf(stderr, "faultline rules: unknown subcommand '%s'\n",
		    argv[1]);
		return usage_error(NULL, NULL);
	}
	o.sub = argv[1];
	is_list = strcmp(o.sub, "list") == 0;
	is_match = strcmp(o.sub, "match") == 0;
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_RULES:
			o.dirs = fl_xreallocarray(o.dirs, o.ndirs + 1,
			    sizeof *o.dirs);
			o.dirs[o.ndirs++] = optarg;
			break;
		case OPT_NO_DEFAULT:
			o.no_default = 1;
			break;
		case 'f':
			if (!is_list)
				msg = "--format is for 'rules list'";
			else if (strcmp(optarg, "json") == 0)
				o.json = 1;
			else if (strcmp(optarg, "text") != 0)
				msg = "--format takes text or json";
			break;
		case OPT_HINT:
			if (!is_match)
				msg = "--format-hint is for 'rules match'";
			else if ((o.popts.hint = fl_format_from_name(optarg)) ==
			    FL_FMT_UNKNOWN)
				msg = "unknown --format-hint";
			break;
		case OPT_LINE:
			if (!is_match) {
				msg = "--line is for 'rules match'";
				break;
			}
			o.lines = fl_xreallocarray(o.lines, o.nlines + 1,
			    sizeof *o.lines);
			o.lines[o.nlines++] = optarg;
			break;
		case 'h':
			fputs(sub_usage[i + 1], stdout);
			free(o.dirs);
			free(o.lines);
			return 0;
		default:
			msg = "";
			break;
		}
		if (msg != NULL)
			break;
	}
	if (msg == NULL && (is_match ? o.nlines == 0 && optind >= argc :
	    optind < argc))
		msg = is_match ? "give --line 'RAW LINE' or files" :
		    "unexpected argument";
	if (msg != NULL) {
		free(o.dirs);
		free(o.lines);
		return usage_error(o.sub, *msg ? msg : NULL);
	}
	rs = load_rules(&o);
	if (rs == NULL) {
		status = 1;
	} else if (is_list) {
		status = cmd_list(&o, rs);
	} else if (strcmp(o.sub, "lint") == 0) {
		status = cmd_lint(&o, rs);
	} else if (strcmp(o.sub, "test") == 0) {
		status = cmd_test(&o, rs);
	} else {
		status = cmd_match(&o, rs, argv + optind,
		    (size_t)(argc - optind));
	}
	fl_ruleset_free(rs);
	free(o.dirs);
	free(o.lines);
	return status;
}
