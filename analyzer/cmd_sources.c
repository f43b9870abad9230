/* faultline sources: the inventory of the evidence and its accounting. */
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
	    "usage: faultline sources [--format text|json] [OPTIONS] PATH...\n"
	    "\n"
	    "Lists every log stream in the evidence: input files with size and\n"
	    "SHA-256, members with format, host, mtime, bytes, lines (parsed and\n"
	    "unparsed), damaged lines, first and last time, and read errors.\n"
	    "Exit status: 0 all read, 1 some inputs damaged or unreadable,\n"
	    "2 usage error or nothing readable.\n\n%s", fl_cli_scan_help);
}

static void
text_report(const struct fl_evidence *ev, struct fl_buf *b)
{
	char t1[FL_TIME_STRLEN], t2[FL_TIME_STRLEN];
	size_t i, j;

	fl_buf_printf(b, "%zu inputs, %zu streams, %" PRIu64 " lines: %" PRIu64
	    " parsed, %" PRIu64 " unparsed\n", ev->n_inputs, ev->n_streams,
	    ev->total_lines, ev->total_parsed, ev->total_unparsed);
	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *r = &ev->inputs[i];

		fl_buf_addc(b, '\n');
		fl_buf_text_safe(b, r->path, strlen(r->path));
		if (r->kind != FL_INPUT_FILE) {
			fl_buf_printf(b, "  %s: ", r->kind == FL_INPUT_SKIPPED ?
			    "skipped" : "UNREADABLE");
			fl_buf_text_safe(b, r->note ? r->note : "", r->note ?
			    strlen(r->note) : 0);
			fl_buf_addc(b, '\n');
			continue;
		}
		fl_buf_printf(b, "  %" PRIu64 " bytes  sha256 %s\n", r->bytes,
		    r->sha256);
		if (r->error != NULL) {
			fl_buf_adds(b, "  DAMAGED: ");
			fl_buf_text_safe(b, r->error, strlen(r->error));
			fl_buf_addc(b, '\n');
		}
		for (j = 0; j < r->n_streams; j++) {
			const struct fl_stream_rec *s =
			    &ev->streams[r->first_stream + j];

			fl_buf_adds(b, "  ");
			fl_buf_text_safe(b, s->member[0] ? s->member : "(file)",
			    s->member[0] ? strlen(s->member) : 6);
			fl_buf_printf(b, "  %s", fl_format_name(s->format));
			if (s->host != UINT32_MAX) {
				fl_buf_adds(b, "  host ");
				fl_buf_text_safe(b, ev->hosts[s->host].name,
				    strlen(ev->hosts[s->host].name));
			}
			fl_buf_printf(b, "\n    %" PRIu64 " bytes, %" PRIu64
			    " lines, %" PRIu64 " parsed, %" PRIu64 " unparsed",
			    s->bytes, s->lines, s->parsed, s->unparsed);
			if (s->long_lines || s->nul_lines || s->bad_utf8_lines)
				fl_buf_printf(b, " (%" PRIu64 " truncated, %" PRIu64
				    " with NUL, %" PRIu64 " invalid UTF-8)",
				    s->long_lines, s->nul_lines, s->bad_utf8_lines);
			fl_format_time(t1, s->first_us, 0);
			fl_format_time(t2, s->last_us, 0);
			fl_buf_printf(b, "\n    %s .. %s, year from %s", t1, t2,
			    fl_year_source_name(s->year_source));
			if (s->mtime != INT64_MIN) {
				fl_format_time(t1, s->mtime * FL_US_PER_SEC, 0);
				fl_buf_printf(b, ", mtime %s (%s)", t1,
				    fl_mtime_source_name(s->mtime_source));
			}
			fl_buf_addc(b, '\n');
			if (s->error != NULL) {
				fl_buf_adds(b, "    ERROR: ");
				fl_buf_text_safe(b, s->error, strlen(s->error));
				if (s->error_offset != UINT64_MAX)
					fl_buf_printf(b, " (at byte %" PRIu64 ")",
					    s->error_offset);
				fl_buf_addc(b, '\n');
			}
		}
	}
}

int
fl_cmd_sources(int argc, char **argv)
{
	static const struct option longopts[] = {
		FL_CLI_SCAN_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct fl_cli cli;
	struct fl_evidence *ev = NULL;
	struct fl_buf b = {0};
	FILE *out;
	int status;

	fl_cli_init(&cli, "sources");
	status = fl_cli_getopt(&cli, argc, argv, NULL, longopts, usage, NULL,
	    NULL);
	if (status >= 0) {
		fl_cli_free(&cli);
		return status;
	}
	if (cli.format != NULL && strcmp(cli.format, "text") != 0 &&
	    strcmp(cli.format, "json") != 0) {
		fprintf(stderr, "faultline sources: unknown --format '%s' "
		    "(text or json)\n", cli.format);
		fl_cli_free(&cli);
		return 2;
	}
	if (fl_cli_scan(&cli, argv + optind, (size_t)(argc - optind), 0,
	    &ev) != 0) {
		fl_cli_free(&cli);
		return 2;
	}
	if (cli.format != NULL && strcmp(cli.format, "json") == 0) {
		fl_buf_adds(&b, "{\n  \"schema\": \"faultline/sources/v1\",\n"
		    "  \"inputs\": ");
		fl_evidence_inputs_json(ev, &b, 1);
		fl_buf_adds(&b, "\n}\n");
	} else {
		text_report(ev, &b);
	}
	status = fl_cli_evidence_status(ev);
	out = fl_cli_open_output(&cli);
	if (out == NULL) {
		status = 2;
	} else {
		fwrite(b.data, 1, b.len, out);
		if (fl_cli_close_output(&cli, out) != 0)
			status = 2;
	}
	fl_buf_free(&b);
	fl_evidence_free(ev);
	fl_cli_free(&cli);
	return status;
}
