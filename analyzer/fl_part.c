#include "config.h"

#include "fl_part.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char part_magic[] = "FAULTLINE-PART\n";
#define MAX_STRING (UINT32_C(256) << 20)
#define NO_STRING UINT32_MAX

/* Writer: a buffer flushed through gzwrite. */
struct pw {
	gzFile gz;
	struct fl_buf b;
	int failed;
};

static void
pw_flush(struct pw *w)
{
	if (w->b.len > 0 && !w->failed &&
	    gzwrite(w->gz, w->b.data, (unsigned)w->b.len) != (int)w->b.len)
		w->failed = 1;
	fl_buf_reset(&w->b);
}

static void
put_u64(struct pw *w, uint64_t v)
{
	unsigned char c[8];
	int i;

	for (i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	fl_buf_add(&w->b, c, 8);
	if (w->b.len >= 1 << 20)
		pw_flush(w);
}

static void
put_u32(struct pw *w, uint32_t v)
{
	unsigned char c[4];
	int i;

	for (i = 0; i < 4; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	fl_buf_add(&w->b, c, 4);
}

static void
put_str(struct pw *w, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(w, NO_STRING);
		return;
	}
	n = strlen(s);
	put_u32(w, (uint32_t)n);
	fl_buf_add(&w->b, s, n);
	if (w->b.len >= 1 << 20)
		pw_flush(w);
}

enum fl_err
fl_part_write(const struct fl_evidence *ev, const char *fingerprint,
    const char *path, char **err)
{
	struct pw w = {0};
	size_t i, j;

	w.gz = gzopen(path, "wb6");
	if (w.gz == NULL) {
		*err = fl_xasprintf("cannot create: %s", strerror(errno));
		return FL_ERR_IO;
	}
	fl_buf_adds(&w.b, part_magic);
	put_u32(&w, FL_PART_VERSION);
	put_str(&w, fingerprint);
	put_str(&w, ev->rules_digest);
	put_u64(&w, ev->total_lines);
	put_u64(&w, ev->total_parsed);
	put_u64(&w, ev->total_unparsed);

	put_u32(&w, (uint32_t)ev->n_inputs);
	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *r = &ev->inputs[i];

		put_str(&w, r->path);
		put_u32(&w, r->kind);
		put_str(&w, r->note);
		put_str(&w, r->sha256);
		put_u64(&w, r->bytes);
		put_str(&w, r->error);
		put_u32(&w, r->first_stream);
		put_u32(&w, r->n_streams);
	}
	put_u32(&w, (uint32_t)ev->n_streams);
	for (i = 0; i < ev->n_streams; i++) {
		const struct fl_stream_rec *s = &ev->streams[i];

		put_u32(&w, s->input);
		put_str(&w, s->member);
		put_str(&w, s->name);
		put_u32(&w, s->format);
		put_u64(&w, (uint64_t)s->mtime);
		put_u32(&w, s->mtime_source);
		put_u32(&w, s->host);
		put_u64(&w, s->bytes);
		put_u64(&w, s->lines);
		put_u64(&w, s->parsed);
		put_u64(&w, s->unparsed);
		put_u64(&w, s->long_lines);
		put_u64(&w, s->nul_lines);
		put_u64(&w, s->bad_utf8_lines);
		put_u64(&w, (uint64_t)s->first_us);
		put_u64(&w, (uint64_t)s->last_us);
		put_u32(&w, s->year_source);
		put_str(&w, s->error);
		put_u64(&w, s->error_offset);
		put_u32(&w, (uint32_t)s->limit_hit);
	}
	put_u32(&w, (uint32_t)ev->n_hosts);
	for (i = 0; i < ev->n_hosts; i++) {
		const struct fl_host_rec *h = &ev->hosts[i];

		put_str(&w, h->name);
		put_str(&w, h->zone);
		put_u32(&w, h->zone_source);
		put_u32(&w, (uint32_t)h->from_path);
		put_u32(&w, (uint32_t)h->n_minutes);
		for (j = 0; j < h->n_minutes; j++) {
			put_u64(&w, (uint64_t)h->minutes[j].minute);
			put_u32(&w, h->minutes[j].lines);
		}
	}
	put_u32(&w, (uint32_t)ev->n_events);
	for (i = 0; i < ev->n_events; i++) {
		const struct fl_event *e = &ev->events[i];

		put_u64(&w, (uint64_t)e->time_us);
		put_u64(&w, (uint64_t)e->raw_time_us);
		put_u32(&w, e->tflags);
		put_u32(&w, e->stream);
		put_u32(&w, e->host);
		put_u64(&w, e->line);
		put_u64(&w, e->offset);
		put_str(&w, e->program);
		put_str(&w, e->pid);
		put_str(&w, e->message);
		put_str(&w, e->raw);
		put_u32(&w, (uint32_t)e->facility);
		put_u32(&w, (uint32_t)e->severity);
		put_u32(&w, e->format);
		put_u32(&w, (uint32_t)e->rule);
		put_u32(&w, e->n_fields);
		for (j = 0; j < e->n_fields; j++) {
			put_str(&w, e->fields[j].name);
			put_str(&w, e->fields[j].value);
		}
		put_u32(&w, e->dup_stream);
		put_u64(&w, e->dup_line);
		put_u32(&w, e->boot);
		put_u32(&w, e->repeat);
	}
	fl_buf_adds(&w.b, "END\n");
	pw_flush(&w);
	fl_buf_free(&w.b);
	if (gzclose(w.gz) != Z_OK || w.failed) {
		*err = fl_xasprintf("write error");
		return FL_ERR_IO;
	}
	return FL_OK;
}

/* Reader: every read is checked; the first failure sticks. */
struct pr {
	gzFile gz;
	struct fl_arena *arena;
	const char *failed;     /* what was being read when it failed */
	uint64_t records;
};

static int
get_bytes(struct pr *r, void *p, size_t n, const char *what)
{
	if (r->failed)
		return -1;
	if (n > 0 && gzread(r->gz, p, (unsigned)n) != (int)n) {
		r->failed = what;
		return -1;
	}
	return 0;
}

static uint64_t
get_u64(struct pr *r, const char *what)
{
	unsigned char c[8];
	uint64_t v = 0;
	int i;

	if (get_bytes(r, c, 8, what) != 0)
		return 0;
	for (i = 7; i >= 0; i--)
		v = v << 8 | c[i];
	return v;
}

static uint32_t
get_u32(struct pr *r, const char *what)
{
	unsigned char c[4];

	if (get_bytes(r, c, 4, what) != 0)
		return 0;
	return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
	    (uint32_t)c[3] << 24;
}

static const char *
get_str(struct pr *r, const char *what)
{
	uint32_t n = get_u32(r, what);
	char *s;

	if (r->failed || n == NO_STRING)
		return NULL;
	if (n > MAX_STRING) {
		r->failed = what;
		return NULL;
	}
	s = fl_arena_alloc(r->arena, (size_t)n + 1);
	if (get_bytes(r, s, n, what) != 0)
		return NULL;
	s[n] = '\0';
	return s;
}

/* Counts are checked against what was read, never trusted to allocate. */
static int
get_count(struct pr *r, uint32_t *n, const char *what)
{
	*n = get_u32(r, what);
	return r->failed ? -1 : 0;
}

int
fl_part_sniff(const char *path)
{
	char buf[sizeof part_magic];
	gzFile gz = gzopen(path, "rb");
	int n;

	if (gz == NULL)
		return 0;
	n = gzread(gz, buf, (unsigned)(sizeof part_magic - 1));
	gzclose(gz);
	return n == (int)(sizeof part_magic - 1) &&
	    memcmp(buf, part_magic, sizeof part_magic - 1) == 0;
}

static const char *
nonnull(const char *s)
{
	return s ? s : "";
}

static int
read_body(struct pr *r, struct fl_evidence *ev)
{
	size_t cap_inputs = 0, cap_streams = 0, cap_hosts = 0, cap_events = 0;
	uint32_t n, i, j, k;

	ev->total_lines = get_u64(r, "totals");
	ev->total_parsed = get_u64(r, "totals");
	ev->total_unparsed = get_u64(r, "totals");

	if (get_count(r, &n, "inputs"))
		return -1;
	for (i = 0; i < n; i++) {
		struct fl_input_rec in;
		const char *sha;

		memset(&in, 0, sizeof in);
		in.path = nonnull(get_str(r, "input path"));
		in.kind = (enum fl_input_kind)get_u32(r, "input kind");
		in.note = get_str(r, "input note");
		sha = get_str(r, "input sha256");
		in.bytes = get_u64(r, "input bytes");
		in.error = get_str(r, "input error");
		in.first_stream = get_u32(r, "input streams");
		in.n_streams = get_u32(r, "input streams");
		if (r->failed)
			return -1;
		if (in.kind > FL_INPUT_SKIPPED || (sha && strlen(sha) > 64)) {
			r->failed = "input record";
			return -1;
		}
		snprintf(in.sha256, sizeof in.sha256, "%s", sha ? sha : "");
		FL_GROW(ev->inputs, cap_inputs, ev->n_inputs + 1);
		ev->inputs[ev->n_inputs++] = in;
	}
	if (get_count(r, &n, "streams"))
		return -1;
	for (i = 0; i < n; i++) {
		struct fl_stream_rec s;

		memset(&s, 0, sizeof s);
		s.input = get_u32(r, "stream input");
		s.member = nonnull(get_str(r, "stream member"));
		s.name = nonnull(get_str(r, "stream name"));
		s.format = (enum fl_format)get_u32(r, "stream format");
		s.mtime = (int64_t)get_u64(r, "stream mtime");
		s.mtime_source = (enum fl_mtime_source)get_u32(r, "stream mtime");
		s.host = get_u32(r, "stream host");
		s.bytes = get_u64(r, "stream counts");
		s.lines = get_u64(r, "stream counts");
		s.parsed = get_u64(r, "stream counts");
		s.unparsed = get_u64(r, "stream counts");
		s.long_lines = get_u64(r, "stream counts");
		s.nul_lines = get_u64(r, "stream counts");
		s.bad_utf8_lines = get_u64(r, "stream counts");
		s.first_us = (int64_t)get_u64(r, "stream times");
		s.last_us = (int64_t)get_u64(r, "stream times");
		s.year_source = (enum fl_year_source)get_u32(r, "stream year");
		s.error = get_str(r, "stream error");
		s.error_offset = get_u64(r, "stream error");
		s.limit_hit = (int)get_u32(r, "stream error");
		if (r->failed)
			return -1;
		/* times become microseconds (or finer) later: keep them in a
		 * range no arithmetic on them can overflow */
		if ((s.mtime != INT64_MIN && (s.mtime > INT64_MAX / 4 /
		    FL_US_PER_SEC || s.mtime < INT64_MIN / 4 / FL_US_PER_SEC)) ||
		    s.input >= ev->n_inputs || s.format >= FL_FMT_COUNT ||
		    s.mtime_source > FL_MTIME_GZIP ||
		    s.year_source > FL_YEAR_NONE) {
			r->failed = "stream record";
			return -1;
		}
		FL_GROW(ev->streams, cap_streams, ev->n_streams + 1);
		ev->streams[ev->n_streams++] = s;
	}
	for (i = 0; i < ev->n_inputs; i++)
		if (ev->inputs[i].first_stream > ev->n_streams ||
		    ev->inputs[i].n_streams > ev->n_streams -
		    ev->inputs[i].first_stream) {
			r->failed = "input streams";
			return -1;
		}
	if (get_count(r, &n, "hosts"))
		return -1;
	for (i = 0; i < n; i++) {
		struct fl_host_rec h;
		size_t cap_minutes;
		uint32_t nm;

		memset(&h, 0, sizeof h);
		h.name = nonnull(get_str(r, "host name"));
		h.zone = nonnull(get_str(r, "host zone"));
		h.zone_source = (enum fl_zone_source)get_u32(r, "host zone");
		h.from_path = (int)get_u32(r, "host");
		h.first_us = h.last_us = FL_TIME_UNKNOWN;
		if (get_count(r, &nm, "host minutes") ||
		    h.zone_source > FL_ZONE_DEFAULT_UTC) {
			r->failed = r->failed ? r->failed : "host record";
			return -1;
		}
		FL_GROW(ev->hosts, cap_hosts, ev->n_hosts + 1);
		for (j = 0, cap_minutes = 0; j < nm && !r->failed; j++) {
			FL_GROW(h.minutes, cap_minutes, h.n_minutes + 1);
			h.minutes[h.n_minutes].minute =
			    (int64_t)get_u64(r, "host minutes");
			/* minutes become microseconds later: keep them in range */
			if (h.minutes[h.n_minutes].minute > INT64_MAX / 60 /
			    FL_US_PER_SEC || h.minutes[h.n_minutes].minute <
			    INT64_MIN / 60 / FL_US_PER_SEC + 1)
				r->failed = "host minutes";
			h.minutes[h.n_minutes].lines = get_u32(r, "host minutes");
			h.lines += h.minutes[h.n_minutes].lines;
			h.n_minutes++;
		}
		ev->hosts[ev->n_hosts++] = h;
		if (r->failed)
			return -1;
	}
	for (i = 0; i < ev->n_streams; i++)
		if (ev->streams[i].host != UINT32_MAX &&
		    ev->streams[i].host >= ev->n_hosts) {
			r->failed = "stream host";
			return -1;
		}
	if (get_count(r, &n, "events"))
		return -1;
	for (i = 0; i < n; i++) {
		struct fl_event e;

		memset(&e, 0, sizeof e);
		e.time_us = (int64_t)get_u64(r, "event time");
		e.raw_time_us = (int64_t)get_u64(r, "event time");
		e.tflags = get_u32(r, "event time");
		e.stream = get_u32(r, "event stream");
		e.host = get_u32(r, "event host");
		e.line = get_u64(r, "event line");
		e.offset = get_u64(r, "event line");
		e.program = nonnull(get_str(r, "event program"));
		e.pid = nonnull(get_str(r, "event pid"));
		e.message = nonnull(get_str(r, "event message"));
		e.raw = nonnull(get_str(r, "event raw"));
		e.facility = (int)get_u32(r, "event facility");
		e.severity = (int)get_u32(r, "event severity");
		e.format = (enum fl_format)get_u32(r, "event format");
		e.rule = (int32_t)get_u32(r, "event rule");
		if (get_count(r, &e.n_fields, "event fields"))
			return -1;
		if (e.n_fields > 0) {
			struct fl_field *f;

			if (e.n_fields > 256) {
				r->failed = "event fields";
				return -1;
			}
			f = fl_arena_alloc(r->arena, e.n_fields * sizeof *f);
			for (k = 0; k < e.n_fields; k++) {
				f[k].name = nonnull(get_str(r, "event field"));
				f[k].value = nonnull(get_str(r, "event field"));
			}
			e.fields = f;
		}
		e.dup_stream = get_u32(r, "event duplicate");
		e.dup_line = get_u64(r, "event duplicate");
		e.boot = get_u32(r, "event boot");
		e.repeat = get_u32(r, "event repeat");
		if (r->failed)
			return -1;
		if (e.stream >= ev->n_streams || e.host >= ev->n_hosts ||
		    e.format >= FL_FMT_COUNT || e.rule < -1 || e.repeat == 0 ||
		    (e.dup_stream != UINT32_MAX && e.dup_stream >= ev->n_streams)) {
			r->failed = "event record";
			return -1;
		}
		FL_GROW(ev->events, cap_events, ev->n_events + 1);
		ev->events[ev->n_events++] = e;
	}
	return 0;
}

enum fl_err
fl_part_read(const char *path, struct fl_evidence **out, char **fingerprint,
    char **err)
{
	struct pr r = {0};
	struct fl_evidence *ev;
	char magic[sizeof part_magic], end[4];
	const char *fp, *digest;
	uint32_t version;
	size_t i;

	*out = NULL;
	*fingerprint = NULL;
	r.gz = gzopen(path, "rb");
	if (r.gz == NULL) {
		*err = fl_xasprintf("cannot open: %s", strerror(errno));
		return FL_ERR_IO;
	}
	ev = fl_xcalloc(1, sizeof *ev);
	ev->arena = r.arena = fl_arena_new();
	if (get_bytes(&r, magic, sizeof part_magic - 1, "magic") != 0 ||
	    memcmp(magic, part_magic, sizeof part_magic - 1) != 0) {
		*err = fl_xasprintf("not a faultline partial result");
		goto fail;
	}
	version = get_u32(&r, "version");
	if (!r.failed && version != FL_PART_VERSION) {
		*err = fl_xasprintf("partial result version %" PRIu32
		    " (this faultline reads version %d)", version,
		    FL_PART_VERSION);
		goto fail;
	}
	fp = get_str(&r, "header");
	digest = get_str(&r, "header");
	if (!r.failed && (digest == NULL || strlen(digest) > 64))
		r.failed = "header";
	if (!r.failed)
		snprintf(ev->rules_digest, sizeof ev->rules_digest, "%s", digest);
	if (r.failed || read_body(&r, ev) != 0 ||
	    get_bytes(&r, end, 4, "end marker") != 0 ||
	    memcmp(end, "END\n", 4) != 0) {
		*err = fl_xasprintf("damaged partial result (%s)",
		    r.failed ? r.failed : "end marker");
		goto fail;
	}
	gzclose(r.gz);
	for (i = 0; i < ev->n_hosts; i++)
		if (ev->hosts[i].n_minutes > 0) {
			ev->hosts[i].first_us = ev->hosts[i].minutes[0].minute * 60 *
			    FL_US_PER_SEC;
			ev->hosts[i].last_us =
			    ev->hosts[i].minutes[ev->hosts[i].n_minutes - 1].minute *
			    60 * FL_US_PER_SEC;
		}
	*fingerprint = fl_xstrdup(fp ? fp : "");
	*out = ev;
	return FL_OK;
fail:
	gzclose(r.gz);
	fl_evidence_free(ev);
	return FL_ERR_FORMAT;
}
