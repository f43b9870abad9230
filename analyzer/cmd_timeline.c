/* faultline timeline: events in time order across hosts and files. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fl_cli.h"
#include "fl_commands.h"

enum tl_format { TL_TEXT, TL_JSONL, TL_CSV };

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: faultline timeline [--all] [--format text|jsonl|csv] [OPTIONS] PATH...\n"
	    "\n"
	    "Prints the rule hits (with --all, every line) of the evidence in\n"
	    "UTC time order, with how each time was obtained and where each\n"
	    "line came from. jsonl and csv import into Timesketch as they are.\n"
	    "Background noise (failed logins, scanners) shows the text of the\n"
	    "first line of each host and source address; its other lines\n"
	    "keep time, place and address, and past 10 an hour are counted\n"
	    "on the last one shown. --all keeps every line whole.\n"
	    "\n"
	    "  --all                 every line, not only rule hits\n"
	    "  -f, --format FMT      text (default), jsonl or csv\n"
	    "  -o, --output FILE     write to FILE\n\n%s", fl_cli_scan_help);
}

/* How the time of an event was obtained, in words. */
static void
time_evidence(const struct fl_evidence *ev, const struct fl_event *e,
    struct fl_buf *b)
{
	const struct fl_stream_rec *s = &ev->streams[e->stream];
	const struct fl_host_rec *h = &ev->hosts[e->host];

	if (e->tflags & FL_TF_UNKNOWN) {
		fl_buf_adds(b, "no usable time in the line");
		if (e->tflags & FL_TF_YEAR_INFERRED)
			fl_buf_adds(b, " (no year evidence)");
		return;
	}
	if (e->tflags & FL_TF_APPROX)
		fl_buf_adds(b, "time of the previous line; ");
	if (e->tflags & FL_TF_BOOT_RELATIVE)
		fl_buf_adds(b, "seconds since boot, dated by an earlier kernel "
		    "line of the same boot with a wall time; ");
	if (e->tflags & FL_TF_YEAR_INFERRED)
		fl_buf_printf(b, "year from %s; ",
		    fl_year_source_name(s->year_source));
	if (e->tflags & FL_TF_ABBR_AMBIGUOUS)
		fl_buf_adds(b, "ambiguous zone abbreviation in the line, read "
		    "in its common meaning");
	else if (e->tflags & FL_TF_ZONE_ASSUMED)
		fl_buf_printf(b, "zone %s (%s)%s", h->zone,
		    fl_zone_source_name(h->zone_source),
		    e->tflags & FL_TF_ABBR_UNKNOWN ?
		    "; the zone abbreviation in the line is unknown" : "");
	else if (e->tflags & FL_TF_ABBR_BY_ZONE)
		fl_buf_printf(b, "zone abbreviation in the line, as %s (%s) "
		    "uses it", h->zone, fl_zone_source_name(h->zone_source));
	else
		fl_buf_adds(b, "offset in the line");
	if (e->tflags & FL_TF_AMBIGUOUS)
		fl_buf_adds(b, "; repeated DST hour, chosen by stream order");
	if (e->tflags & FL_TF_NONEXISTENT)
		fl_buf_adds(b, "; time falls in a DST gap");
}

static const char *
rule_attr(const struct fl_ruleset *rs, const struct fl_event *e, int what)
{
	const struct fl_rule_info *ri;

	if (rs == NULL || e->rule < 0)
		return NULL;
	ri = fl_ruleset_rule(rs, (size_t)e->rule);
	switch (what) {
	case 0: return ri->id;
	case 1: return ri->signal;
	default: return ri->category;
	}
}

static void
jstr(struct fl_buf *b, const char *key, const char *v)
{
	fl_buf_printf(b, ",\"%s\":", key);
	if (v == NULL)
		fl_buf_adds(b, "null");
	else
		fl_buf_json_str(b, v, strlen(v));
}

/* Background noise past the first line of a source is counted, its text
 * not kept (fl_noise). */
#define NOT_KEPT "[text not kept: background noise]"

static int
text_kept(const struct fl_event *e)
{
	return e->noise != FL_NOISE_COUNTED;
}

static void
emit_jsonl(const struct fl_evidence *ev, const struct fl_ruleset *rs,
    const struct fl_event *e, struct fl_buf *b)
{
	const struct fl_stream_rec *s = &ev->streams[e->stream];
	char t[FL_TIME_STRLEN], q[128];
	struct fl_buf tmp = {0};
	uint32_t i;

	fl_format_time(t, e->time_us, 1);
	fl_time_quality_str(e->tflags, q, sizeof q);
	fl_buf_adds(b, "{\"time\":");
	if (e->time_us == FL_TIME_UNKNOWN)
		fl_buf_adds(b, "null");
	else
		fl_buf_printf(b, "\"%s\"", t);
	jstr(b, "time_quality", q);
	time_evidence(ev, e, &tmp);
	jstr(b, "time_evidence", tmp.data);
	jstr(b, "host", ev->hosts[e->host].name);
	jstr(b, "program", e->program);
	jstr(b, "pid", e->pid[0] ? e->pid : NULL);
	if (e->facility >= 0)
		fl_buf_printf(b, ",\"facility\":%d", e->facility);
	if (e->severity >= 0)
		fl_buf_printf(b, ",\"severity\":%d", e->severity);
	jstr(b, "message", text_kept(e) ? e->message : NULL);
	jstr(b, "format", fl_format_name(e->format));
	jstr(b, "rule", rule_attr(rs, e, 0));
	jstr(b, "signal", rule_attr(rs, e, 1));
	jstr(b, "category", rule_attr(rs, e, 2));
	if (e->n_fields) {
		fl_buf_adds(b, ",\"fields\":{");
		for (i = 0; i < e->n_fields; i++) {
			if (i)
				fl_buf_addc(b, ',');
			fl_buf_json_str(b, e->fields[i].name,
			    strlen(e->fields[i].name));
			fl_buf_addc(b, ':');
			fl_buf_json_str(b, e->fields[i].value,
			    strlen(e->fields[i].value));
		}
		fl_buf_addc(b, '}');
	}
	jstr(b, "input", ev->inputs[s->input].path);
	jstr(b, "member", s->member);
	fl_buf_printf(b, ",\"line\":%" PRIu64 ",\"offset\":%" PRIu64, e->line,
	    e->offset);
	if (e->repeat > 1)
		fl_buf_printf(b, ",\"repeat\":%" PRIu32, e->repeat);
	if (e->dup_stream != UINT32_MAX) {
		fl_buf_reset(&tmp);
		fl_evidence_where(ev, e->dup_stream, &tmp);
		jstr(b, "also_in", tmp.data);
		fl_buf_printf(b, ",\"also_line\":%" PRIu64, e->dup_line);
	}
	jstr(b, "raw", text_kept(e) ? e->raw : NULL);
	fl_buf_adds(b, "}\n");
	fl_buf_free(&tmp);
}

/* "name=value name=value" */
static void
join_fields(const struct fl_event *e, struct fl_buf *out)
{
	uint32_t i;

	for (i = 0; i < e->n_fields; i++)
		fl_buf_printf(out, "%s%s=%s", i ? " " : "", e->fields[i].name,
		    e->fields[i].value);
}

static void
csv_field(struct fl_buf *b, const char *s)
{
	struct fl_buf t = {0};
	const char *p;
	size_t i, n = s != NULL ? strlen(s) : 0;

	/* Log text must not drive a terminal or break an importer: control
	 * bytes and invalid UTF-8 are escaped as in the text output. */
	for (p = s, i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '\\')
			break;
	if (i < n) {
		fl_buf_text_safe(&t, s, n);
		p = t.data;
		n = t.len;
	}
	/* RFC 4180: quote everything, double the quotes. A spreadsheet would
	 * run a cell that starts like a formula: a quote in front keeps it
	 * text (the JSONL output keeps the line as it is). */
	fl_buf_addc(b, '"');
	if (n > 0 && strchr("=+-@", p[0]) != NULL)
		fl_buf_addc(b, '\'');
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			fl_buf_addc(b, '"');
		fl_buf_addc(b, p[i]);
	}
	fl_buf_addc(b, '"');
	fl_buf_free(&t);
}

static const char csv_header[] =
    "message,datetime,timestamp_desc,timestamp,host,program,pid,facility,"
    "severity,time_quality,signal,category,rule,fields,input,member,line,"
    "offset\n";

static void
emit_csv(const struct fl_evidence *ev, const struct fl_ruleset *rs,
    const struct fl_event *e, struct fl_buf *b)
{
	const struct fl_stream_rec *s = &ev->streams[e->stream];
	char t[FL_TIME_STRLEN], q[128], num[32];
	struct fl_buf f = {0};

	if (e->time_us == FL_TIME_UNKNOWN)
		return; /* Timesketch needs a time */
	fl_format_time(t, e->time_us, 1);
	fl_time_quality_str(e->tflags, q, sizeof q);
	csv_field(b, text_kept(e) ? e->message : NOT_KEPT);
	fl_buf_addc(b, ',');
	csv_field(b, t);
	fl_buf_addc(b, ',');
	csv_field(b, rule_attr(rs, e, 1) ? rule_attr(rs, e, 1) : "Log line");
	fl_buf_printf(b, ",%" PRId64 ",", e->time_us);
	csv_field(b, ev->hosts[e->host].name);
	fl_buf_addc(b, ',');
	csv_field(b, e->program);
	fl_buf_addc(b, ',');
	csv_field(b, e->pid);
	fl_buf_addc(b, ',');
	snprintf(num, sizeof num, "%d", e->facility);
	csv_field(b, e->facility >= 0 ? num : "");
	fl_buf_addc(b, ',');
	snprintf(num, sizeof num, "%d", e->severity);
	csv_field(b, e->severity >= 0 ? num : "");
	fl_buf_addc(b, ',');
	csv_field(b, q);
	fl_buf_addc(b, ',');
	csv_field(b, rule_attr(rs, e, 1));
	fl_buf_addc(b, ',');
	csv_field(b, rule_attr(rs, e, 2));
	fl_buf_addc(b, ',');
	csv_field(b, rule_attr(rs, e, 0));
	fl_buf_addc(b, ',');
	join_fields(e, &f);
	csv_field(b, f.data);
	fl_buf_addc(b, ',');
	csv_field(b, ev->inputs[s->input].path);
	fl_buf_addc(b, ',');
	csv_field(b, s->member);
	fl_buf_printf(b, ",%" PRIu64 ",%" PRIu64 "\n", e->line, e->offset);
	fl_buf_free(&f);
}

static void
emit_text(const struct fl_evidence *ev, const struct fl_ruleset *rs,
    const struct fl_event *e, struct fl_buf *b)
{
	char t[FL_TIME_STRLEN];
	const char *sig = rule_attr(rs, e, 1);

	fl_format_time(t, e->time_us, 0);
	fl_buf_printf(b, "%s%s ", t, e->tflags & (FL_TF_APPROX | FL_TF_UNKNOWN) ?
	    "~" : " ");
	fl_buf_text_safe(b, ev->hosts[e->host].name,
	    strlen(ev->hosts[e->host].name));
	fl_buf_addc(b, ' ');
	if (sig != NULL || e->rule >= 0)
		fl_buf_printf(b, "[%s] ", sig ? sig : rule_attr(rs, e, 0));
	if (e->program[0]) {
		fl_buf_text_safe(b, e->program, strlen(e->program));
		fl_buf_adds(b, ": ");
	}
	if (text_kept(e)) {
		fl_buf_text_safe(b, e->message, strlen(e->message));
	} else {
		/* what was kept of it, so that it can still be searched */
		struct fl_buf f = {0};

		fl_buf_adds(b, NOT_KEPT);
		join_fields(e, &f);
		if (f.len > 0) {
			fl_buf_addc(b, ' ');
			fl_buf_text_safe(b, f.data, f.len);
		}
		fl_buf_free(&f);
	}
	fl_buf_adds(b, "  (");
	{
		struct fl_buf w = {0};

		fl_evidence_where(ev, e->stream, &w);
		fl_buf_text_safe(b, w.data, w.len);
		fl_buf_free(&w);
	}
	fl_buf_printf(b, ":%" PRIu64 ")", e->line);
	if (e->repeat > 1)
		fl_buf_printf(b, " (and %" PRIu32 " more like it in that hour)",
		    e->repeat - 1);
	fl_buf_addc(b, '\n');
}

int
fl_cmd_timeline(int argc, char **argv)
{
	static const struct option longopts[] = {
		FL_CLI_SCAN_OPTIONS,
		{"all", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct fl_cli cli;
	struct fl_evidence *ev = NULL;
	struct fl_buf b = {0};
	enum tl_format fmt = TL_TEXT;
	FILE *out;
	int all = 0, status;
	size_t i;

	fl_cli_init(&cli, "timeline");
	status = fl_cli_getopt(&cli, argc, argv, "a", longopts, usage,
	    fl_cli_take_all, &all);
	if (status >= 0) {
		fl_cli_free(&cli);
		return status;
	}
	if (cli.format == NULL || strcmp(cli.format, "text") == 0)
		fmt = TL_TEXT;
	else if (strcmp(cli.format, "jsonl") == 0)
		fmt = TL_JSONL;
	else if (strcmp(cli.format, "csv") == 0)
		fmt = TL_CSV;
	else {
		fprintf(stderr, "faultline timeline: unknown --format '%s' "
		    "(text, jsonl or csv)\n", cli.format);
		fl_cli_free(&cli);
		return 2;
	}
	if (fl_cli_load_rules(&cli) != 0 ||
	    fl_cli_scan(&cli, argv + optind, (size_t)(argc - optind), all,
	    &ev) != 0) {
		fl_cli_free(&cli);
		return 2;
	}
	status = fl_cli_evidence_status(ev);
	out = fl_cli_open_output(&cli);
	if (out == NULL) {
		fl_evidence_free(ev);
		fl_cli_free(&cli);
		return 2;
	}
	if (fmt == TL_CSV)
		fputs(csv_header, out);
	for (i = 0; i < ev->n_events; i++) {
		const struct fl_event *e = &ev->events[i];

		fl_buf_reset(&b);
		if (fmt == TL_JSONL)
			emit_jsonl(ev, cli.rules, e, &b);
		else if (fmt == TL_CSV)
			emit_csv(ev, cli.rules, e, &b);
		else
			emit_text(ev, cli.rules, e, &b);
		fwrite(b.data ? b.data : "", 1, b.len, out);
	}
	if (fl_cli_close_output(&cli, out) != 0)
		status = 2;
	fl_buf_free(&b);
	fl_evidence_free(ev);
	fl_cli_free(&cli);
	return status;
}
