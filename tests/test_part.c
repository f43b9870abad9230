/*
 * Partial results: evidence holding every case the format codes specially
 * (strings absent from the raw line, values that are not whole tokens,
 * captures out of text order, microseconds the line does not write,
 * unknown times, "none" values, extreme numbers) comes back exactly; a
 * part cut short at any byte, or damaged, is refused saying where; a
 * version 1 part is refused saying so; out-of-range values are refused.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fl_evidence.h"
#include "fl_part.h"
#include "tap.h"

static char dir[] = "/tmp/fl-test-part.XXXXXX";

static const char *
nn(const char *s)
{
	return s ? s : "";
}

static int
same_ostr(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

static struct fl_field *
fields(struct fl_arena *a, const char *const *kv, uint32_t n)
{
	struct fl_field *f = fl_arena_alloc(a, n * sizeof *f);
	uint32_t i;

	for (i = 0; i < n; i++) {
		f[i].name = kv[2 * i];
		f[i].value = kv[2 * i + 1];
	}
	return f;
}

static struct fl_event
event(const char *raw, const char *program, const char *pid,
    const char *message, int64_t time_us)
{
	struct fl_event e;

	memset(&e, 0, sizeof e);
	e.raw = raw;
	e.program = program;
	e.pid = pid;
	e.message = message;
	e.time_us = e.raw_time_us = time_us;
	e.facility = 4;
	e.severity = 6;
	e.format = FL_FMT_RFC3164;
	e.rule = 3;
	e.dup_stream = UINT32_MAX;
	e.repeat = 1;
	return e;
}

static struct fl_evidence *
sample(void)
{
	static const char *const f0[] = { "user", "admin", "src_ip",
	    "203.0.113.9" };
	/* not a whole token, absent from the line, empty, then one before
	 * the others in the text */
	static const char *const f1[] = { "port", "22 ssh", "user", "\"root\"",
	    "empty", "", "host", "web-01" };
	static const char *const f5[] = { "b", "second", "a", "first" };
	static const char *const f7[] = { "src_ip", "198.51.100.4", "user",
	    "oracle" };
	struct fl_evidence *ev = fl_xcalloc(1, sizeof *ev);
	struct fl_arena *a = ev->arena = fl_arena_new();
	struct fl_event *e;
	struct fl_host_rec *h;
	struct fl_stream_rec *s;

	snprintf(ev->rules_digest, sizeof ev->rules_digest, "%064d", 7);
	ev->total_lines = 1000;
	ev->total_parsed = 990;
	ev->total_unparsed = 10;

	ev->n_inputs = 2;
	ev->inputs = fl_xcalloc(2, sizeof *ev->inputs);
	ev->inputs[0].path = "/ev/web-01.tar.gz";
	ev->inputs[0].kind = FL_INPUT_FILE;
	snprintf(ev->inputs[0].sha256, sizeof ev->inputs[0].sha256, "%064x",
	    0xabcdefU);
	ev->inputs[0].bytes = UINT64_C(1) << 40;
	ev->inputs[0].error = "unexpected end of gzip data";
	ev->inputs[0].n_streams = 2;
	ev->inputs[1].path = "/ev/again";
	ev->inputs[1].kind = FL_INPUT_SKIPPED;
	ev->inputs[1].note = "same file as /ev/web-01.tar.gz";
	ev->inputs[1].first_stream = 2;
	ev->inputs[1].n_streams = 1;

	ev->n_streams = 3;
	ev->streams = s = fl_xcalloc(3, sizeof *ev->streams);
	s[0].member = "var/log/auth.log";
	s[0].name = "auth.log";
	s[0].format = FL_FMT_RFC3164;
	s[0].mtime = 1722676872;
	s[0].mtime_source = FL_MTIME_GZIP;
	s[0].host = 0;
	s[0].bytes = 123456;
	s[0].lines = 900;
	s[0].parsed = 899;
	s[0].unparsed = 1;
	s[0].long_lines = 2;
	s[0].nul_lines = 3;
	s[0].bad_utf8_lines = 4;
	s[0].first_us = 1722676872000000;
	s[0].last_us = 1722676999123456;
	s[0].year_source = FL_YEAR_NONE;
	s[0].error_offset = UINT64_MAX;
	s[1].input = 0;
	s[1].member = "var/log/syslog";
	s[1].name = "syslog";
	s[1].format = FL_FMT_ISO;
	s[1].mtime = -86400;
	s[1].host = UINT32_MAX;
	s[1].first_us = s[1].last_us = FL_TIME_UNKNOWN;
	s[1].error = "line too long";
	s[1].error_offset = 77;
	s[1].limit_hit = 1;
	s[2].input = 1;
	s[2].member = "";
	s[2].name = "again";
	s[2].mtime = INT64_MIN;
	s[2].host = 1;
	s[2].first_us = s[2].last_us = FL_TIME_UNKNOWN;

	ev->n_hosts = 2;
	ev->hosts = h = fl_xcalloc(2, sizeof *ev->hosts);
	h[0].name = "web-01";
	h[0].zone = "Europe/Paris";
	h[0].zone_source = FL_ZONE_OPTION;
	h[0].from_path = 1;
	h[0].n_minutes = 3;
	h[0].minutes = fl_xcalloc(3, sizeof *h[0].minutes);
	/* last seconds where a silence begins only (fl_minutes_keep_edges) */
	h[0].minutes[0].minute = 28711281;
	h[0].minutes[0].lines = 5;
	h[0].minutes[1].minute = 28711282;
	h[0].minutes[1].lines = FL_MINUTE_LINES_MAX;
	h[0].minutes[1].last = 59;
	h[0].minutes[2].minute = 28711400;
	h[0].minutes[2].lines = 1;
	h[0].minutes[2].last = 42;
	h[1].name = "db-02";
	h[1].zone = "";
	h[1].zone_source = FL_ZONE_DEFAULT_UTC;
	h[1].n_minutes = 1;
	h[1].minutes = fl_xcalloc(1, sizeof *h[1].minutes);
	h[1].minutes[0].minute = -5;
	h[1].minutes[0].lines = 2;

	ev->n_events = 9;
	ev->events = e = fl_xcalloc(9, sizeof *ev->events);
	e[0] = event("2024-08-03T09:21:12.123456+02:00 web-01 sshd[4242]: "
	    "Invalid user admin from 203.0.113.9 port 2222", "sshd", "4242",
	    "Invalid user admin from 203.0.113.9 port 2222",
	    1722669672123456);
	e[0].line = 10;
	e[0].offset = 1500;
	e[0].n_fields = 2;
	e[0].fields = fields(a, f0, 2);
	/* a message from an escaped JSON line: not in it as such */
	e[1] = event("{\"MESSAGE\":\"Failed password for \\\"root\\\" from "
	    "web-01 port 22 ssh2\",\"_PID\":\"77\"}", "sshd", "pid-77",
	    "Failed password for \"root\" from web-01 port 22 ssh2",
	    -1234567);
	e[1].line = 11;
	e[1].offset = 1600;
	e[1].n_fields = 4;
	e[1].fields = fields(a, f1, 4);
	e[1].format = FL_FMT_JOURNAL_JSON;
	/* unknown time, nothing but a raw line, none-values, a duplicate */
	e[2] = event("-- Boot 0123456789abcdef --", NULL, NULL, NULL,
	    FL_TIME_UNKNOWN);
	e[2].raw_time_us = 42;
	e[2].tflags = 5;
	e[2].stream = 1;
	e[2].host = 1;
	e[2].line = UINT64_MAX;
	e[2].offset = UINT64_MAX - 1;
	e[2].facility = -1;
	e[2].severity = -1;
	e[2].rule = -1;
	e[2].dup_stream = 2;
	e[2].dup_line = 99;
	e[2].boot = 1;
	e[2].repeat = UINT32_MAX;
	/* an empty line, the message elsewhere */
	e[3] = event("", "kernel", "", "lost", 1722669672000000);
	e[3].stream = 2;
	/* the same line twice: all of it shared with the one before */
	e[4] = event("", "kernel", "", "", 1722669672000001);
	e[4].stream = 2;
	e[5] = event("first second first second",
	    "app", "", "first second", 1722669672500000);
	e[5].stream = 2;
	e[5].line = 3;
	e[5].n_fields = 2;
	e[5].fields = fields(a, f5, 2);
	e[5].repeat = 12;
	e[6] = e[5];
	e[6].line = 2;
	e[6].offset = 12;
	/* background noise: a line kept, then one only counted, whose
	 * values are not in any line */
	e[7] = event("Jan 2 03:04:05 web-01 sshd[9]: Invalid user oracle "
	    "from 198.51.100.4", "sshd", "9", "Invalid user oracle from "
	    "198.51.100.4", 1722669673000000);
	e[7].noise = FL_NOISE_LINE;
	e[7].line = 40;
	e[7].offset = 4000;
	e[7].n_fields = 2;
	e[7].fields = fields(a, f7, 2);
	e[8] = event("", "sshd", "", "", 1722669673250001);
	e[8].noise = FL_NOISE_COUNTED;
	e[8].line = 45;
	e[8].offset = 4400;
	e[8].n_fields = 2;
	e[8].fields = fields(a, f7, 2);
	e[8].repeat = 3;
	return ev;
}

/* Compares what the reader must give back: all of it, the host totals it
 * works out from the minutes, strings by value. */
static int
same(const struct fl_evidence *a, const struct fl_evidence *b)
{
	size_t i, j;

	if (strcmp(a->rules_digest, b->rules_digest) != 0 ||
	    a->total_lines != b->total_lines ||
	    a->total_parsed != b->total_parsed ||
	    a->total_unparsed != b->total_unparsed ||
	    a->n_inputs != b->n_inputs || a->n_streams != b->n_streams ||
	    a->n_hosts != b->n_hosts || a->n_events != b->n_events)
		return 0;
	for (i = 0; i < a->n_inputs; i++) {
		const struct fl_input_rec *x = &a->inputs[i], *y = &b->inputs[i];

		if (strcmp(x->path, y->path) != 0 || x->kind != y->kind ||
		    !same_ostr(x->note, y->note) ||
		    strcmp(x->sha256, y->sha256) != 0 || x->bytes != y->bytes ||
		    !same_ostr(x->error, y->error) ||
		    x->first_stream != y->first_stream ||
		    x->n_streams != y->n_streams)
			return 0;
	}
	for (i = 0; i < a->n_streams; i++) {
		const struct fl_stream_rec *x = &a->streams[i],
		    *y = &b->streams[i];

		if (x->input != y->input || strcmp(x->member, y->member) != 0 ||
		    strcmp(x->name, y->name) != 0 || x->format != y->format ||
		    x->mtime != y->mtime || x->mtime_source != y->mtime_source ||
		    x->host != y->host || x->bytes != y->bytes ||
		    x->lines != y->lines || x->parsed != y->parsed ||
		    x->unparsed != y->unparsed ||
		    x->long_lines != y->long_lines ||
		    x->nul_lines != y->nul_lines ||
		    x->bad_utf8_lines != y->bad_utf8_lines ||
		    x->first_us != y->first_us || x->last_us != y->last_us ||
		    x->year_source != y->year_source ||
		    !same_ostr(x->error, y->error) ||
		    x->error_offset != y->error_offset ||
		    x->limit_hit != y->limit_hit)
			return 0;
	}
	for (i = 0; i < a->n_hosts; i++) {
		const struct fl_host_rec *x = &a->hosts[i], *y = &b->hosts[i];
		uint64_t lines = 0;

		if (strcmp(x->name, y->name) != 0 ||
		    strcmp(x->zone, y->zone) != 0 ||
		    x->zone_source != y->zone_source ||
		    x->from_path != y->from_path ||
		    x->n_minutes != y->n_minutes || x->skew_us != y->skew_us)
			return 0;
		for (j = 0; j < x->n_minutes; j++) {
			if (x->minutes[j].minute != y->minutes[j].minute ||
			    x->minutes[j].lines != y->minutes[j].lines ||
			    x->minutes[j].last != y->minutes[j].last)
				return 0;
			lines += x->minutes[j].lines;
		}
		if (y->lines != lines || y->first_us != (x->n_minutes ?
		    x->minutes[0].minute * 60 * FL_US_PER_SEC : FL_TIME_UNKNOWN) ||
		    y->last_us != (x->n_minutes ? fl_minute_last_us(
		    &x->minutes[x->n_minutes - 1]) : FL_TIME_UNKNOWN))
			return 0;
	}
	for (i = 0; i < a->n_events; i++) {
		const struct fl_event *x = &a->events[i], *y = &b->events[i];

		if (x->time_us != y->time_us ||
		    x->raw_time_us != y->raw_time_us || x->tflags != y->tflags ||
		    x->stream != y->stream || x->host != y->host ||
		    x->line != y->line || x->offset != y->offset ||
		    strcmp(nn(x->program), y->program) != 0 ||
		    strcmp(nn(x->pid), y->pid) != 0 ||
		    strcmp(nn(x->message), y->message) != 0 ||
		    strcmp(nn(x->raw), y->raw) != 0 ||
		    x->facility != y->facility || x->severity != y->severity ||
		    x->format != y->format || x->rule != y->rule ||
		    x->n_fields != y->n_fields ||
		    x->dup_stream != y->dup_stream ||
		    x->dup_line != y->dup_line || x->boot != y->boot ||
		    x->repeat != y->repeat || x->noise != y->noise)
			return 0;
		for (j = 0; j < x->n_fields; j++)
			if (strcmp(x->fields[j].name, y->fields[j].name) != 0 ||
			    strcmp(x->fields[j].value, y->fields[j].value) != 0)
				return 0;
	}
	return 1;
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* The part's content, decompressed. */
static struct fl_buf
content(const char *path)
{
	struct fl_buf b = {0};
	gzFile gz = gzopen(path, "rb");
	char chunk[4096];
	int n;

	while (gz && (n = gzread(gz, chunk, sizeof chunk)) > 0)
		fl_buf_add(&b, chunk, (size_t)n);
	if (gz)
		gzclose(gz);
	return b;
}

/* Reads path; returns the error (malloc'd) or NULL when it was read. */
static char *
try_read(const char *path)
{
	struct fl_evidence *ev;
	char *fp = NULL, *err = NULL;

	if (fl_part_read(path, &ev, &fp, &err) == FL_OK) {
		fl_evidence_free(ev);
		free(fp);
		return NULL;
	}
	return err ? err : fl_xstrdup("");
}

/* Writes ev as a part and reads it back: the reader's error or NULL. */
static char *
through(struct fl_evidence *ev, const char *name)
{
	char path[128];
	char *err = NULL;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (fl_part_write(ev, "fp", path, &err) != FL_OK)
		return err;
	return try_read(path);
}

/* "damaged partial result at byte N ...": N, or -1 when not so. */
static long
damaged_at(const char *err)
{
	static const char head[] = "damaged partial result at byte ";

	if (err == NULL || strncmp(err, head, sizeof head - 1) != 0)
		return -1;
	return strtol(err + sizeof head - 1, NULL, 10);
}

int
main(void)
{
	struct fl_evidence *ev, *back = NULL;
	struct fl_buf b, cut = {0};
	char path[128], plain[128], *fp = NULL, *err = NULL;
	size_t i, bad_cuts = 0, bad_flips = 0;
	long at;

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(path, sizeof path, "%s/p.flp", dir);
	snprintf(plain, sizeof plain, "%s/plain", dir);

	ev = sample();
	ok(fl_part_write(ev, "v1;tz=UTC", path, &err) == FL_OK,
	    "the sample is written");
	ok(fl_part_sniff(path), "sniff knows it for a part");
	ok(fl_part_read(path, &back, &fp, &err) == FL_OK, "and it is read");
	is_str(fp, "v1;tz=UTC", "the fingerprint comes back");
	ok(back != NULL && same(ev, back), "every value comes back exactly: "
	    "literals, non-token values, unknown times, none-values");
	fl_evidence_free(back);
	free(fp);

	/* Cut short at every byte: refused, saying where, never further on
	 * than the cut. */
	b = content(path);
	for (i = 0; i < b.len; i++) {
		write_file(plain, b.data, i);
		err = try_read(plain);
		at = damaged_at(err);
		if (err == NULL || (i >= 19 && (at < 0 || (size_t)at > i)) ||
		    (i < 15 && strcmp(err, "not a faultline partial result")))
			bad_cuts++;
		if (bad_cuts == 1 && err)
			printf("# cut at %zu: %s\n", i, err);
		free(err);
	}
	is_int(bad_cuts, 0, "cut at any of %zu bytes: refused, saying at "
	    "which byte", b.len);

	/* Any byte changed: read exactly or refused; never a crash. */
	for (i = 0; i < b.len; i++) {
		fl_buf_reset(&cut);
		fl_buf_add(&cut, b.data, b.len);
		cut.data[i] ^= (char)(i % 3 == 0 ? 0x80 : i % 3 == 1 ? 0x01 :
		    0xff);
		write_file(plain, cut.data, cut.len);
		err = try_read(plain);
		if (err != NULL && err[0] == '\0')
			bad_flips++;
		free(err);
	}
	is_int(bad_flips, 0, "any byte changed: read or refused with a reason");

	fl_buf_reset(&cut);
	fl_buf_add(&cut, b.data, b.len);
	fl_buf_adds(&cut, "X");
	write_file(plain, cut.data, cut.len);
	err = try_read(plain);
	ok(err && strstr(err, "(end marker: data after it)"),
	    "data after the end marker is refused");
	free(err);

	/* The compressed stream damaged: zlib's check says so. */
	fl_buf_free(&cut);
	{
		FILE *f = fopen(path, "rb");
		char chunk[4096];
		size_t n;

		while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
			fl_buf_add(&cut, chunk, n);
		if (f)
			fclose(f);
	}
	cut.data[cut.len - 6] ^= 0x55;  /* in the CRC-32 */
	write_file(plain, cut.data, cut.len);
	err = try_read(plain);
	ok(fl_part_sniff(plain), "a part with a bad checksum is still known "
	    "for one");
	ok(damaged_at(err) >= 0 && strstr(err, "(magic: incorrect data "
	    "check)"), "and refused, with zlib's reason");
	if (err)
		printf("# %s\n", err);
	free(err);
	fl_buf_free(&cut);

	/* Earlier versions: magic, the u32 version, then anything. */
	for (i = 1; i < FL_PART_VERSION; i++) {
		char want[96];

		fl_buf_add(&cut, b.data, 15);
		fl_buf_addc(&cut, (char)i);
		fl_buf_add(&cut, "\000\000\000\004\000\000\000v1;x", 11);
		write_file(plain, cut.data, cut.len);
		err = try_read(plain);
		snprintf(want, sizeof want, "part format version %zu; this "
		    "faultline reads version %d: scan again", i,
		    FL_PART_VERSION);
		is_str(err, want, "a version %zu part is refused saying so",
		    i);
		free(err);
		fl_buf_free(&cut);
	}
	fl_buf_free(&b);

	/* Values out of range, as a writer could put them. */
	ev->hosts[1].minutes[0].minute = (int32_t)FL_MINUTE_SPAN;
	err = through(ev, "minute");
	ok(err && strstr(err, "(host minutes: out of range)"),
	    "a minute out of range is refused");
	free(err);
	ev->hosts[1].minutes[0].minute = (int32_t)(1 - FL_MINUTE_SPAN);
	err = through(ev, "minute");
	ok(err == NULL, "the earliest minute in range is read");
	free(err);
	ev->hosts[1].minutes[0].minute = -5;
	ev->streams[1].mtime = INT64_MAX / 4;
	err = through(ev, "mtime");
	ok(err && strstr(err, "(stream mtimes: out of range)"),
	    "an mtime out of range is refused");
	free(err);
	ev->streams[1].mtime = 0;
	ev->events[0].repeat = 0;
	err = through(ev, "repeat");
	ok(err && strstr(err, "(event repeats: out of range)"),
	    "an event standing for no line is refused");
	free(err);
	ev->events[0].repeat = 1;
	{
		static const char *kv[2 * 257];

		for (i = 0; i < 257; i++) {
			kv[2 * i] = "k";
			kv[2 * i + 1] = "v";
		}
		ev->events[0].n_fields = 257;
		ev->events[0].fields = fields(ev->arena, kv, 257);
		err = through(ev, "fields");
		ok(err && strstr(err, "(event field names: too many)"),
		    "more than 256 fields are refused");
		free(err);
	}
	fl_evidence_free(ev);

	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 99;
	return tap_done();
}
