#include "config.h"

#include "fl_evidence.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void
fl_evidence_free(struct fl_evidence *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n_hosts; i++)
		free(ev->hosts[i].minutes);
	free(ev->hosts);
	free(ev->inputs);
	free(ev->streams);
	free(ev->events);
	fl_arena_free(ev->arena);
	free(ev);
}

long
fl_evidence_host(const struct fl_evidence *ev, const char *name)
{
	size_t lo = 0, hi = ev->n_hosts;

	/* hosts are sorted by name */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ev->hosts[mid].name, name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void
fl_evidence_where(const struct fl_evidence *ev, uint32_t stream,
    struct fl_buf *out)
{
	const struct fl_stream_rec *s = &ev->streams[stream];

	fl_buf_adds(out, ev->inputs[s->input].path);
	if (s->member[0] != '\0') {
		fl_buf_addc(out, '!');
		fl_buf_adds(out, s->member);
	}
}

const char *
fl_zone_source_name(enum fl_zone_source src)
{
	switch (src) {
	case FL_ZONE_FROM_LINE: return "line";
	case FL_ZONE_HOST_OPTION: return "tz-host";
	case FL_ZONE_OPTION: return "tz";
	case FL_ZONE_DEFAULT_UTC: return "default-utc";
	}
	return "?";
}

const char *
fl_mtime_source_name(enum fl_mtime_source src)
{
	switch (src) {
	case FL_MTIME_NONE: return "none";
	case FL_MTIME_FILE: return "file";
	case FL_MTIME_ARCHIVE: return "archive";
	case FL_MTIME_GZIP: return "gzip";
	}
	return "?";
}

static void
indent_to(struct fl_buf *b, int n)
{
	fl_buf_addc(b, '\n');
	while (n-- > 0)
		fl_buf_add(b, "  ", 2);
}

static void
json_time(struct fl_buf *b, int64_t us)
{
	char t[FL_TIME_STRLEN];

	if (us == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "null");
		return;
	}
	fl_format_time(t, us, 1);
	fl_buf_printf(b, "\"%s\"", t);
}

static void
json_strz(struct fl_buf *b, const char *s)
{
	if (s == NULL)
		fl_buf_adds(b, "null");
	else
		fl_buf_json_str(b, s, strlen(s));
}

static void
member_json(const struct fl_evidence *ev, const struct fl_stream_rec *s,
    struct fl_buf *b, int in)
{
	fl_buf_addc(b, '{');
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"path\": ");
	json_strz(b, s->member);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"format\": \"%s\",", fl_format_name(s->format));
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"host\": ");
	json_strz(b, s->host != UINT32_MAX ? ev->hosts[s->host].name : NULL);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"mtime\": ");
	json_time(b, s->mtime == INT64_MIN ? FL_TIME_UNKNOWN :
	    s->mtime * FL_US_PER_SEC);
	fl_buf_printf(b, ",");
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"mtime_source\": \"%s\",",
	    fl_mtime_source_name(s->mtime_source));
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"bytes\": %" PRIu64 ",", s->bytes);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"lines\": %" PRIu64 ",", s->lines);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"parsed\": %" PRIu64 ",", s->parsed);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"unparsed\": %" PRIu64 ",", s->unparsed);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"long_lines\": %" PRIu64 ",", s->long_lines);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"nul_lines\": %" PRIu64 ",", s->nul_lines);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"invalid_utf8_lines\": %" PRIu64 ",",
	    s->bad_utf8_lines);
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"first\": ");
	json_time(b, s->first_us);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"last\": ");
	json_time(b, s->last_us);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"year_source\": \"%s\",",
	    fl_year_source_name(s->year_source));
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"errors\": [");
	if (s->error != NULL) {
		indent_to(b, in + 2);
		fl_buf_adds(b, "{\"message\": ");
		json_strz(b, s->error);
		fl_buf_adds(b, ", \"offset\": ");
		if (s->error_offset == UINT64_MAX)
			fl_buf_adds(b, "null");
		else
			fl_buf_printf(b, "%" PRIu64, s->error_offset);
		fl_buf_printf(b, ", \"limit\": %s}", s->limit_hit ? "true" :
		    "false");
		indent_to(b, in + 1);
	}
	fl_buf_adds(b, "]");
	indent_to(b, in);
	fl_buf_addc(b, '}');
}

void
fl_evidence_inputs_json(const struct fl_evidence *ev, struct fl_buf *b,
    int in)
{
	size_t i, j;

	fl_buf_addc(b, '[');
	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *r = &ev->inputs[i];

		indent_to(b, in + 1);
		fl_buf_addc(b, '{');
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"path\": ");
		json_strz(b, r->path);
		fl_buf_adds(b, ",");
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"sha256\": ");
		json_strz(b, r->sha256[0] ? r->sha256 : NULL);
		fl_buf_adds(b, ",");
		indent_to(b, in + 2);
		fl_buf_printf(b, "\"bytes\": %" PRIu64 ",", r->bytes);
		indent_to(b, in + 2);
		fl_buf_printf(b, "\"status\": \"%s\",",
		    r->kind == FL_INPUT_UNREADABLE ? "unreadable" :
		    r->kind == FL_INPUT_SKIPPED ? "skipped" :
		    r->error ? "damaged" : "ok");
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"error\": ");
		json_strz(b, r->note ? r->note : r->error);
		fl_buf_adds(b, ",");
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"members\": [");
		for (j = 0; j < r->n_streams; j++) {
			indent_to(b, in + 3);
			member_json(ev, &ev->streams[r->first_stream + j], b,
			    in + 3);
			if (j + 1 < r->n_streams)
				fl_buf_addc(b, ',');
		}
		if (r->n_streams)
			indent_to(b, in + 2);
		fl_buf_adds(b, "]");
		indent_to(b, in + 1);
		fl_buf_addc(b, '}');
		if (i + 1 < ev->n_inputs)
			fl_buf_addc(b, ',');
	}
	if (ev->n_inputs)
		indent_to(b, in);
	fl_buf_addc(b, ']');
}
