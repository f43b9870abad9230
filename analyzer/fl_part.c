#include "config.h"

#include "fl_part.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/*
 * Version 3 (docs/SCALE.md): after the magic and a u32 version, every
 * integer is an unsigned LEB128 varint; differences are zigzag-coded. Each
 * section is columnar: one field of every record, then the next field.
 * Repeated names (members, hosts, zones, programs, field names) are
 * indices into a string table. An event's raw line is the length of the
 * prefix it shares with the line before and the rest, NUL-terminated; its
 * pid, message, field values and the microseconds of its time are
 * references into that line, or literals when the line does not hold them.
 * Counted background noise (fl_noise) has no raw line; its field values are
 * indices into the string table.
 */

static const char part_magic[] = "FAULTLINE-PART\n";
#define MAX_STRING (UINT32_C(256) << 20)
#define MAX_FIELDS 256
#define READ_CHUNK (64 * 1024)

/* A reference to a string: "", a literal that follows, or a place in the
 * event's raw line (REF_RAW + offset). */
#define REF_EMPTY 0
#define REF_LITERAL 1
#define REF_RAW 2

static const char *
nonnull(const char *s)
{
	return s ? s : "";
}

/* Zigzag: small differences in either direction stay short. Unsigned
 * arithmetic throughout, so that any two values have a difference. */
static uint64_t
zigzag(uint64_t d)
{
	return d << 1 ^ (0 - (d >> 63));
}

static uint64_t
unzigzag(uint64_t z)
{
	return z >> 1 ^ (0 - (z & 1));
}

/* A time's whole seconds, rounded down: the microseconds left are then
 * 0 to 999,999 whatever the sign. */
static uint64_t
time_secs(int64_t us)
{
	int64_t q = us / FL_US_PER_SEC;

	if (us % FL_US_PER_SEC < 0)
		q--;
	return (uint64_t)q;
}

/* Writer: a buffer flushed through gzwrite, and the string table. */
struct pw {
	gzFile gz;
	struct fl_buf b;
	int failed;
	const char **strs;      /* interned, in order of first use */
	size_t n_strs, cap_strs;
	uint32_t *slots;        /* open addressing: index + 1, 0 when free */
	size_t n_slots;
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
put_bytes(struct pw *w, const void *p, size_t n)
{
	fl_buf_add(&w->b, p, n);
	if (w->b.len >= 1 << 20)
		pw_flush(w);
}

static void
put_uv(struct pw *w, uint64_t v)
{
	unsigned char c[10];
	size_t n = 0;

	while (v >= 0x80) {
		c[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	c[n++] = (unsigned char)v;
	put_bytes(w, c, n);
}

static void
put_delta(struct pw *w, uint64_t v, uint64_t *prev)
{
	put_uv(w, zigzag(v - *prev));
	*prev = v;
}

static void
put_str(struct pw *w, const char *s)
{
	size_t n = strlen(s);

	put_uv(w, n);
	put_bytes(w, s, n);
}

/* An optional string: 0 for none, else its length + 1 and its bytes. */
static void
put_ostr(struct pw *w, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_uv(w, 0);
		return;
	}
	n = strlen(s);
	put_uv(w, (uint64_t)n + 1);
	put_bytes(w, s, n);
}

static uint64_t
str_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

/* The string's index in the table, added on first use. */
static uint32_t
intern(struct pw *w, const char *s)
{
	size_t i, mask;

	s = nonnull(s);
	if (2 * (w->n_strs + 1) > w->n_slots) {
		size_t n = w->n_slots ? 2 * w->n_slots : 256, k;

		free(w->slots);
		w->slots = fl_xcalloc(n, sizeof *w->slots);
		w->n_slots = n;
		for (k = 0; k < w->n_strs; k++) {
			for (i = str_hash(w->strs[k]) & (n - 1); w->slots[i];
			    i = (i + 1) & (n - 1))
				;
			w->slots[i] = (uint32_t)k + 1;
		}
	}
	mask = w->n_slots - 1;
	for (i = str_hash(s) & mask; w->slots[i]; i = (i + 1) & mask)
		if (strcmp(w->strs[w->slots[i] - 1], s) == 0)
			return w->slots[i] - 1;
	FL_GROW(w->strs, w->cap_strs, w->n_strs + 1);
	w->strs[w->n_strs++] = s;
	w->slots[i] = (uint32_t)w->n_strs;
	return (uint32_t)w->n_strs - 1;
}

/* Interns in the order the sections use the strings, so that the table
 * is in order of first use. */
static void
intern_all(struct pw *w, const struct fl_evidence *ev)
{
	size_t i, j;

	for (i = 0; i < ev->n_streams; i++)
		intern(w, ev->streams[i].member);
	for (i = 0; i < ev->n_streams; i++)
		intern(w, ev->streams[i].name);
	for (i = 0; i < ev->n_hosts; i++)
		intern(w, ev->hosts[i].name);
	for (i = 0; i < ev->n_hosts; i++)
		intern(w, ev->hosts[i].zone);
	for (i = 0; i < ev->n_events; i++)
		intern(w, ev->events[i].program);
	for (i = 0; i < ev->n_events; i++)
		for (j = 0; j < ev->events[i].n_fields; j++)
			intern(w, ev->events[i].fields[j].name);
	/* counted noise has no line to point into */
	for (i = 0; i < ev->n_events; i++)
		if (ev->events[i].noise == FL_NOISE_COUNTED)
			for (j = 0; j < ev->events[i].n_fields; j++)
				intern(w, ev->events[i].fields[j].value);
}

static void
put_istr(struct pw *w, const char *s)
{
	put_uv(w, intern(w, s));
}

/* Where s (sn bytes) lies in raw (rn bytes), at or after from if it is
 * there too; SIZE_MAX when absent. */
static size_t
find_in(const char *raw, size_t rn, const char *s, size_t sn, size_t from)
{
	const char *p = NULL;

	if (sn > rn)
		return SIZE_MAX;
	if (from < rn)
		p = memmem(raw + from, rn - from, s, sn);
	if (p == NULL)
		p = memmem(raw, rn, s, sn);
	return p ? (size_t)(p - raw) : SIZE_MAX;
}

/* The microseconds written at p: up to six digits, padded on the right. */
static uint32_t
usec_at(const char *p)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 6; i++)
		v = v * 10 + (p[0] >= '0' && p[0] <= '9' ? (uint32_t)(*p++ - '0') :
		    0);
	return v;
}

/* Where the microseconds of a time are written in the line. */
static uint64_t
usec_code(const char *raw, uint32_t usec)
{
	char digits[8];
	const char *p;
	int n;

	if (usec == 0)
		return REF_EMPTY;
	n = snprintf(digits, sizeof digits, "%06" PRIu32, usec);
	while (n > 0 && digits[n - 1] == '0')
		digits[--n] = '\0';
	for (p = raw; (p = strstr(p, digits)) != NULL; p++)
		if (usec_at(p) == usec)
			return REF_RAW + (uint64_t)(p - raw);
	return REF_LITERAL;
}

static size_t
common_prefix(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] != '\0' && a[n] == b[n])
		n++;
	return n;
}

static void
write_inputs(struct pw *w, const struct fl_evidence *ev)
{
	size_t i, n = ev->n_inputs;
	const struct fl_input_rec *in = ev->inputs;

	put_uv(w, n);
	for (i = 0; i < n; i++)
		put_str(w, nonnull(in[i].path));
	for (i = 0; i < n; i++)
		put_uv(w, in[i].kind);
	for (i = 0; i < n; i++)
		put_ostr(w, in[i].note);
	for (i = 0; i < n; i++)
		put_str(w, in[i].sha256);
	for (i = 0; i < n; i++)
		put_uv(w, in[i].bytes);
	for (i = 0; i < n; i++)
		put_ostr(w, in[i].error);
	for (i = 0; i < n; i++)
		put_uv(w, in[i].first_stream);
	for (i = 0; i < n; i++)
		put_uv(w, in[i].n_streams);
}

static void
write_streams(struct pw *w, const struct fl_evidence *ev)
{
	const struct fl_stream_rec *s = ev->streams;
	size_t i, n = ev->n_streams;
	uint64_t prev;

	put_uv(w, n);
	for (i = 0, prev = 0; i < n; i++)
		put_delta(w, s[i].input, &prev);
	for (i = 0; i < n; i++)
		put_istr(w, s[i].member);
	for (i = 0; i < n; i++)
		put_istr(w, s[i].name);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].format);
	for (i = 0, prev = 0; i < n; i++)
		put_delta(w, (uint64_t)s[i].mtime, &prev);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].mtime_source);
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)(s[i].host + 1));
	for (i = 0; i < n; i++)
		put_uv(w, s[i].bytes);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].lines);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].parsed);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].unparsed);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].long_lines);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].nul_lines);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].bad_utf8_lines);
	for (i = 0, prev = 0; i < n; i++)
		put_delta(w, (uint64_t)s[i].first_us, &prev);
	for (i = 0; i < n; i++)
		put_uv(w, zigzag((uint64_t)s[i].last_us - (uint64_t)s[i].first_us));
	for (i = 0; i < n; i++)
		put_uv(w, s[i].year_source);
	for (i = 0; i < n; i++)
		put_ostr(w, s[i].error);
	for (i = 0; i < n; i++)
		put_uv(w, s[i].error_offset + 1);
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)s[i].limit_hit);
}

static void
write_hosts(struct pw *w, const struct fl_evidence *ev)
{
	const struct fl_host_rec *h = ev->hosts;
	size_t i, j, n = ev->n_hosts;
	uint64_t prev;

	put_uv(w, n);
	for (i = 0; i < n; i++)
		put_istr(w, h[i].name);
	for (i = 0; i < n; i++)
		put_istr(w, h[i].zone);
	for (i = 0; i < n; i++)
		put_uv(w, h[i].zone_source);
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)h[i].from_path);
	for (i = 0; i < n; i++)
		put_uv(w, h[i].n_minutes);
	/* One run of minutes through all hosts: consecutive minutes cost a
	 * byte that compresses to almost nothing. */
	for (i = 0, prev = 0; i < n; i++)
		for (j = 0; j < h[i].n_minutes; j++)
			put_delta(w, (uint64_t)h[i].minutes[j].minute, &prev);
	for (i = 0; i < n; i++)
		for (j = 0; j < h[i].n_minutes; j++)
			put_uv(w, h[i].minutes[j].lines);
	for (i = 0; i < n; i++)
		for (j = 0; j < h[i].n_minutes; j++)
			if (fl_minute_edge(h[i].minutes, h[i].n_minutes, j))
				put_uv(w, h[i].minutes[j].last);
}

/* An event's strings located in its raw line, worked out once for the
 * columns that need them. */
struct wref {
	size_t rawlen;
	uint64_t usec, pid, msg;        /* codes: REF_* */
};

/* Bytes from p to the next blank or the end of the line. */
static size_t
token_len(const char *p)
{
	return strcspn(p, " \t");
}

/* The length column of a field value at cur + unzigzag(code - REF_RAW):
 * 0 when it is a whole token, else its length + 1. Moves cur past it. */
static uint64_t
value_len(const char *raw, const char *v, uint64_t code, size_t *cur)
{
	size_t off = *cur + (size_t)unzigzag(code - REF_RAW), n = strlen(v);

	*cur = off + n;
	return token_len(raw + off) == n ? 0 : (uint64_t)n + 1;
}

static void
put_literal(struct pw *w, uint64_t code, const char *s)
{
	put_uv(w, code);
	if (code == REF_LITERAL)
		put_str(w, s);
}

/* Where a stream's events were up to: lines and offsets are written as
 * differences within their stream. */
struct stream_at {
	uint64_t line, offset, len;
};

static void
write_events(struct pw *w, const struct fl_evidence *ev)
{
	const struct fl_event *e = ev->events;
	size_t i, j, k, n = ev->n_events, nf, off, cur;
	struct wref *wr;
	struct stream_at *at, *s_at;
	uint64_t prev, *fc, usec;
	const char *raw, *prev_raw, *s;

	put_uv(w, n);
	for (i = 0; i < n; i++)
		put_uv(w, e[i].noise);
	wr = fl_xcalloc(n + 1, sizeof *wr);
	for (i = 0, nf = 0; i < n; i++) {
		raw = nonnull(e[i].raw);
		wr[i].rawlen = strlen(raw);
		usec = (uint64_t)e[i].time_us - time_secs(e[i].time_us) *
		    FL_US_PER_SEC;
		wr[i].usec = usec_code(raw, (uint32_t)usec);
		s = nonnull(e[i].pid);
		off = find_in(raw, wr[i].rawlen, s, strlen(s), 0);
		wr[i].pid = !*s ? REF_EMPTY : off == SIZE_MAX ? REF_LITERAL :
		    REF_RAW + off;
		/* a message usually ends the line */
		s = nonnull(e[i].message);
		k = strlen(s);
		off = find_in(raw, wr[i].rawlen, s, k, wr[i].rawlen - k);
		wr[i].msg = !*s ? REF_EMPTY : off == SIZE_MAX ? REF_LITERAL :
		    REF_RAW + off;
		nf += e[i].n_fields;
	}
	/* Raw lines first: the other strings refer to them. Each is the
	 * length of the prefix it shares with the line before, then the
	 * rest, NUL-terminated. Counted noise has none. */
	for (i = 0, prev_raw = ""; i < n; i++) {
		if (e[i].noise == FL_NOISE_COUNTED)
			continue;
		put_uv(w, common_prefix(prev_raw, nonnull(e[i].raw)));
		prev_raw = nonnull(e[i].raw);
	}
	for (i = 0, prev_raw = ""; i < n; i++) {
		if (e[i].noise == FL_NOISE_COUNTED)
			continue;
		k = common_prefix(prev_raw, nonnull(e[i].raw));
		prev_raw = nonnull(e[i].raw);
		put_bytes(w, prev_raw + k, wr[i].rawlen - k + 1);
	}
	/* Times as seconds, then microseconds: none, or where the line
	 * writes them, or a number. */
	for (i = 0, prev = 0; i < n; i++)
		put_delta(w, time_secs(e[i].time_us), &prev);
	for (i = 0; i < n; i++) {
		put_uv(w, wr[i].usec);
		if (wr[i].usec == REF_LITERAL)
			put_uv(w, (uint64_t)e[i].time_us -
			    time_secs(e[i].time_us) * FL_US_PER_SEC);
	}
	for (i = 0; i < n; i++)
		put_uv(w, zigzag((uint64_t)e[i].raw_time_us -
		    (uint64_t)e[i].time_us));
	for (i = 0; i < n; i++)
		put_uv(w, e[i].tflags);
	for (i = 0, prev = 0; i < n; i++)
		put_delta(w, e[i].stream, &prev);
	for (i = 0, prev = 0; i < n; i++)
		put_delta(w, e[i].host, &prev);
	/* Lines and offsets follow each stream: the line from the stream's
	 * event before, the offset as the difference from a guess, the lines
	 * since as long as the stream's last line kept. */
	at = fl_xcalloc(ev->n_streams + 1, sizeof *at);
	for (i = 0; i < n; i++) {
		s_at = &at[e[i].stream];
		put_delta(w, e[i].line, &s_at->line);
	}
	memset(at, 0, (ev->n_streams + 1) * sizeof *at);
	for (i = 0; i < n; i++) {
		s_at = &at[e[i].stream];
		put_uv(w, zigzag(e[i].offset - (s_at->offset +
		    (s_at->len + 1) * (e[i].line - s_at->line))));
		s_at->offset = e[i].offset;
		s_at->line = e[i].line;
		if (e[i].noise != FL_NOISE_COUNTED)
			s_at->len = wr[i].rawlen;
	}
	free(at);
	for (i = 0; i < n; i++)
		put_istr(w, e[i].program);
	for (i = 0; i < n; i++)
		put_literal(w, wr[i].pid, e[i].pid);
	for (i = 0; i < n; i++)
		if (wr[i].pid >= REF_RAW)
			put_uv(w, strlen(e[i].pid));
	/* A message: where it starts, then how much of the line follows it
	 * (0 for most). */
	for (i = 0; i < n; i++)
		put_literal(w, wr[i].msg, e[i].message);
	for (i = 0; i < n; i++)
		if (wr[i].msg >= REF_RAW)
			put_uv(w, wr[i].rawlen - (wr[i].msg - REF_RAW) -
			    strlen(e[i].message));
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)e[i].facility + 1);
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)e[i].severity + 1);
	for (i = 0; i < n; i++)
		put_uv(w, e[i].format);
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)e[i].rule + 1);
	/* Field names: each event's list, index + 1 each, ended by 0. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < e[i].n_fields; j++)
			put_uv(w, (uint64_t)intern(w, e[i].fields[j].name) + 1);
		put_uv(w, 0);
	}
	/* Field values: where each starts, counted from the end of the one
	 * before (the first from the message's start), as captures come in
	 * the order of the text; then their lengths, 0 for most: a value
	 * that runs to a blank or the end of the line. */
	fc = fl_xcalloc(nf + 1, sizeof *fc);
	for (i = 0, nf = 0; i < n; i++) {
		if (e[i].noise == FL_NOISE_COUNTED) {
			for (j = 0; j < e[i].n_fields; j++, nf++)
				put_istr(w, e[i].fields[j].value);
			continue;
		}
		raw = nonnull(e[i].raw);
		cur = wr[i].msg >= REF_RAW ? wr[i].msg - REF_RAW : 0;
		for (j = 0; j < e[i].n_fields; j++, nf++) {
			s = nonnull(e[i].fields[j].value);
			k = strlen(s);
			off = find_in(raw, wr[i].rawlen, s, k, cur);
			fc[nf] = !*s ? REF_EMPTY : off == SIZE_MAX ?
			    REF_LITERAL : REF_RAW + zigzag((uint64_t)off - cur);
			if (fc[nf] >= REF_RAW)
				cur = off + k;
			put_literal(w, fc[nf], s);
		}
	}
	for (i = 0, nf = 0; i < n; i++)
		for (j = 0, cur = wr[i].msg >= REF_RAW ? wr[i].msg - REF_RAW : 0;
		    j < e[i].n_fields; j++, nf++)
			if (fc[nf] >= REF_RAW)
				put_uv(w, value_len(e[i].raw, e[i].fields[j].value,
				    fc[nf], &cur));
	for (i = 0; i < n; i++)
		put_uv(w, (uint32_t)(e[i].dup_stream + 1));
	for (i = 0; i < n; i++)
		put_uv(w, e[i].dup_line);
	for (i = 0; i < n; i++)
		put_uv(w, e[i].boot);
	for (i = 0; i < n; i++)
		put_uv(w, e[i].repeat);
	free(fc);
	free(wr);
}

enum fl_err
fl_part_write(const struct fl_evidence *ev, const char *fingerprint,
    const char *path, char **err)
{
	struct pw w = {0};
	unsigned char version[4];
	size_t i;

	w.gz = gzopen(path, "wb9");
	if (w.gz == NULL) {
		*err = fl_xasprintf("cannot create: %s", strerror(errno));
		return FL_ERR_IO;
	}
	for (i = 0; i < 4; i++)
		version[i] = (unsigned char)(FL_PART_VERSION >> (8 * i));
	fl_buf_adds(&w.b, part_magic);
	put_bytes(&w, version, 4);
	put_str(&w, nonnull(fingerprint));
	put_str(&w, ev->rules_digest);
	put_uv(&w, ev->total_lines);
	put_uv(&w, ev->total_parsed);
	put_uv(&w, ev->total_unparsed);
	intern_all(&w, ev);
	put_uv(&w, w.n_strs);
	for (i = 0; i < w.n_strs; i++)
		put_str(&w, w.strs[i]);
	write_inputs(&w, ev);
	write_streams(&w, ev);
	write_hosts(&w, ev);
	write_events(&w, ev);
	fl_buf_adds(&w.b, "END\n");
	pw_flush(&w);
	fl_buf_free(&w.b);
	free(w.strs);
	free(w.slots);
	if (gzclose(w.gz) != Z_OK || w.failed) {
		*err = fl_xasprintf("write error");
		return FL_ERR_IO;
	}
	return FL_OK;
}

/*
 * Reader: the whole content is decompressed first, so that every count can
 * be checked against the bytes left to hold its records before anything is
 * allocated from it. Every value is checked; the first failure sticks,
 * with what was being read and the content offset where it broke.
 */
struct pr {
	struct fl_arena *arena;
	const unsigned char *buf;       /* the content */
	size_t pos, len;
	const char *zerr;               /* zlib's word on where the content
	                                 * stopped, or NULL at a clean end */
	char zmsg[128];
	const char *failed;             /* what was being read */
	const char *why;
	uint64_t failed_at;
	const char **strs;              /* the string table */
	size_t n_strs;
	struct fl_buf tmp;
};

static void
fail(struct pr *r, const char *what, const char *why)
{
	if (r->failed)
		return;
	r->failed = what;
	r->why = why;
	r->failed_at = r->pos;
}

/* Decompresses the part into b; NULL at a clean end, else zlib's reason
 * (the content is then what came before it). */
static const char *
load(gzFile gz, const char *path, struct fl_buf *b, char *msg, size_t size)
{
	const char *m;
	size_t pl = strlen(path);
	int n, errnum;

	for (;;) {
		fl_buf_reserve(b, READ_CHUNK);
		n = gzread(gz, b->data + b->len, READ_CHUNK);
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	if (n == 0)
		return NULL;
	m = gzerror(gz, &errnum);
	/* zlib says "path: what"; the caller names the path */
	if (strncmp(m, path, pl) == 0 && strncmp(m + pl, ": ", 2) == 0)
		m += pl + 2;
	snprintf(msg, size, "%s", m);
	return msg;
}

static int
get_byte(struct pr *r, const char *what)
{
	if (r->pos == r->len) {
		fail(r, what, r->zerr ? r->zerr : "cut short");
		return -1;
	}
	return r->buf[r->pos++];
}

static uint64_t
get_uv(struct pr *r, const char *what)
{
	uint64_t v = 0;
	int shift, c;

	if (r->failed)
		return 0;
	for (shift = 0; shift < 64; shift += 7) {
		if ((c = get_byte(r, what)) < 0)
			return 0;
		if (shift == 63 && c > 1)
			break;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	fail(r, what, "number too long");
	return 0;
}

static uint64_t
get_max(struct pr *r, uint64_t max, const char *what)
{
	uint64_t v = get_uv(r, what);

	if (v > max) {
		fail(r, what, "out of range");
		return 0;
	}
	return v;
}

static uint64_t
get_delta(struct pr *r, uint64_t *prev, const char *what)
{
	*prev += unzigzag(get_uv(r, what));
	return *prev;
}

/* n bytes into r->tmp. */
static int
get_bytes(struct pr *r, uint64_t n, const char *what)
{
	fl_buf_reset(&r->tmp);
	if (r->failed)
		return -1;
	if (n > r->len - r->pos) {
		r->pos = r->len;
		fail(r, what, r->zerr ? r->zerr : "cut short");
		return -1;
	}
	fl_buf_add(&r->tmp, r->buf + r->pos, (size_t)n);
	r->pos += (size_t)n;
	return 0;
}

static const char *
get_str(struct pr *r, const char *what)
{
	uint64_t n = get_max(r, MAX_STRING, what);

	if (get_bytes(r, n, what) != 0)
		return "";
	return fl_arena_strndup(r->arena, r->tmp.data ? r->tmp.data : "",
	    r->tmp.len);
}

static const char *
get_ostr(struct pr *r, const char *what)
{
	uint64_t n = get_max(r, (uint64_t)MAX_STRING + 1, what);

	if (n == 0 || get_bytes(r, n - 1, what) != 0)
		return NULL;
	return fl_arena_strndup(r->arena, r->tmp.data ? r->tmp.data : "",
	    r->tmp.len);
}

static const char *
get_istr(struct pr *r, const char *what)
{
	uint64_t i = get_uv(r, what);

	if (r->failed)
		return "";
	if (i >= r->n_strs) {
		fail(r, what, "no such string");
		return "";
	}
	return r->strs[i];
}

/* The rest of a raw line: the bytes up to a NUL, into r->tmp. */
static int
get_tail(struct pr *r, size_t max, const char *what)
{
	const unsigned char *nul;
	size_t k;

	if (r->failed)
		return -1;
	nul = memchr(r->buf + r->pos, '\0', r->len - r->pos);
	k = nul ? (size_t)(nul - (r->buf + r->pos)) : r->len - r->pos;
	if (k > max) {
		r->pos += max;
		fail(r, what, "line too long");
		return -1;
	}
	if (nul == NULL) {
		r->pos = r->len;
		fail(r, what, r->zerr ? r->zerr : "cut short");
		return -1;
	}
	fl_buf_reset(&r->tmp);
	fl_buf_add(&r->tmp, r->buf + r->pos, k);
	r->pos += k + 1;
	return 0;
}

/* A count of records to come, each taking at least min bytes of what is
 * left: a count that cannot be there is refused before it allocates. */
static size_t
get_count(struct pr *r, size_t min, const char *what)
{
	uint64_t n = get_uv(r, what);

	if (n > (r->len - r->pos) / min) {
		fail(r, what, "more than the part holds");
		return 0;
	}
	return (size_t)n;
}

int
fl_part_sniff(const char *path)
{
	char buf[sizeof part_magic];
	/* Every input is asked: one that is evidence keeps its access time,
	 * and a FIFO or device is not waited on (a part is a regular file). */
	int fd = fl_input_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), n;
	struct stat st;
	gzFile gz = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
	    gzdopen(fd, "rb") : NULL;

	if (gz == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* Small buffers: zlib then hands out the start before it has checked
	 * the end, and a damaged part is still known for one. */
	gzbuffer(gz, 256);
	n = gzread(gz, buf, (unsigned)(sizeof part_magic - 1));
	gzclose(gz);
	return n == (int)(sizeof part_magic - 1) &&
	    memcmp(buf, part_magic, sizeof part_magic - 1) == 0;
}

static int
read_strings(struct pr *r)
{
	size_t i;

	r->n_strs = get_count(r, 1, "string table");
	r->strs = fl_xcalloc(r->n_strs + 1, sizeof *r->strs);
	for (i = 0; i < r->n_strs; i++)
		r->strs[i] = get_str(r, "string table");
	return r->failed ? -1 : 0;
}

/* Each section: a count, checked against the columns it needs (one byte
 * at least in each), then the columns. */
static int
read_inputs(struct pr *r, struct fl_evidence *ev)
{
	struct fl_input_rec *in;
	size_t i, n;
	uint64_t k;

	ev->n_inputs = get_count(r, 8, "inputs");
	ev->inputs = fl_xcalloc(ev->n_inputs + 1, sizeof *ev->inputs);
	in = ev->inputs;
	n = ev->n_inputs;
	for (i = 0; i < n; i++)
		in[i].path = get_str(r, "input paths");
	for (i = 0; i < n; i++)
		in[i].kind = (enum fl_input_kind)get_max(r, FL_INPUT_SKIPPED,
		    "input kinds");
	for (i = 0; i < n; i++)
		in[i].note = get_ostr(r, "input notes");
	for (i = 0; i < n; i++) {
		k = get_max(r, sizeof in[i].sha256 - 1, "input sha256");
		if (get_bytes(r, k, "input sha256") == 0)
			memcpy(in[i].sha256, r->tmp.data ? r->tmp.data : "",
			    r->tmp.len + 1);
	}
	for (i = 0; i < n; i++)
		in[i].bytes = get_uv(r, "input bytes");
	for (i = 0; i < n; i++)
		in[i].error = get_ostr(r, "input errors");
	for (i = 0; i < n; i++)
		in[i].first_stream = (uint32_t)get_max(r, UINT32_MAX,
		    "input streams");
	for (i = 0; i < n; i++)
		in[i].n_streams = (uint32_t)get_max(r, UINT32_MAX,
		    "input streams");
	return r->failed ? -1 : 0;
}

static int
read_streams(struct pr *r, struct fl_evidence *ev)
{
	struct fl_stream_rec *s;
	size_t i, n;
	uint64_t prev = 0;

	ev->n_streams = n = get_count(r, 20, "streams");
	ev->streams = s = fl_xcalloc(n + 1, sizeof *ev->streams);
	for (i = 0; i < n; i++)
		if (get_delta(r, &prev, "stream inputs") >= ev->n_inputs)
			fail(r, "stream inputs", "no such input");
		else
			s[i].input = (uint32_t)prev;
	for (i = 0; i < n; i++)
		s[i].member = get_istr(r, "stream members");
	for (i = 0; i < n; i++)
		s[i].name = get_istr(r, "stream names");
	for (i = 0; i < n; i++)
		s[i].format = (enum fl_format)get_max(r, FL_FMT_COUNT - 1,
		    "stream formats");
	for (i = 0, prev = 0; i < n; i++) {
		s[i].mtime = (int64_t)get_delta(r, &prev, "stream mtimes");
		/* times become microseconds (or finer) later: keep them
		 * in a range no arithmetic on them can overflow */
		if (s[i].mtime != INT64_MIN && (s[i].mtime > INT64_MAX / 4 /
		    FL_US_PER_SEC || s[i].mtime < INT64_MIN / 4 / FL_US_PER_SEC))
			fail(r, "stream mtimes", "out of range");
	}
	for (i = 0; i < n; i++)
		s[i].mtime_source = (enum fl_mtime_source)get_max(r,
		    FL_MTIME_GZIP, "stream mtime sources");
	/* hosts are read later: checked then */
	for (i = 0; i < n; i++)
		s[i].host = (uint32_t)(get_max(r, UINT32_MAX,
		    "stream hosts") - 1);
	for (i = 0; i < n; i++)
		s[i].bytes = get_uv(r, "stream bytes");
	for (i = 0; i < n; i++)
		s[i].lines = get_uv(r, "stream lines");
	for (i = 0; i < n; i++)
		s[i].parsed = get_uv(r, "stream parsed lines");
	for (i = 0; i < n; i++)
		s[i].unparsed = get_uv(r, "stream unparsed lines");
	for (i = 0; i < n; i++)
		s[i].long_lines = get_uv(r, "stream long lines");
	for (i = 0; i < n; i++)
		s[i].nul_lines = get_uv(r, "stream NUL lines");
	for (i = 0; i < n; i++)
		s[i].bad_utf8_lines = get_uv(r, "stream invalid UTF-8 lines");
	for (i = 0, prev = 0; i < n; i++)
		s[i].first_us = (int64_t)get_delta(r, &prev, "stream times");
	for (i = 0; i < n; i++)
		s[i].last_us = (int64_t)((uint64_t)s[i].first_us +
		    unzigzag(get_uv(r, "stream times")));
	for (i = 0; i < n; i++)
		s[i].year_source = (enum fl_year_source)get_max(r,
		    FL_YEAR_NONE, "stream year sources");
	for (i = 0; i < n; i++)
		s[i].error = get_ostr(r, "stream errors");
	for (i = 0; i < n; i++)
		s[i].error_offset = get_uv(r, "stream error offsets") - 1;
	for (i = 0; i < n; i++)
		s[i].limit_hit = (int)(uint32_t)get_max(r, UINT32_MAX,
		    "stream limits");
	if (r->failed)
		return -1;
	for (i = 0; i < ev->n_inputs; i++)
		if (ev->inputs[i].first_stream > n ||
		    ev->inputs[i].n_streams > n - ev->inputs[i].first_stream) {
			fail(r, "input streams", "no such stream");
			return -1;
		}
	return 0;
}

static int
read_hosts(struct pr *r, struct fl_evidence *ev)
{
	struct fl_host_rec *h;
	uint64_t total = 0, prev = 0;
	size_t i, k, n;

	ev->n_hosts = n = get_count(r, 5, "hosts");
	ev->hosts = h = fl_xcalloc(n + 1, sizeof *ev->hosts);
	for (i = 0; i < n; i++) {
		h[i].name = get_istr(r, "host names");
		h[i].first_us = h[i].last_us = FL_TIME_UNKNOWN;
	}
	for (i = 0; i < n; i++)
		h[i].zone = get_istr(r, "host zones");
	for (i = 0; i < n; i++)
		h[i].zone_source = (enum fl_zone_source)get_max(r,
		    FL_ZONE_DEFAULT_UTC, "host zone sources");
	for (i = 0; i < n; i++)
		h[i].from_path = (int)(uint32_t)get_max(r, UINT32_MAX,
		    "host attributions");
	/* a minute and its line count: two bytes at least */
	for (i = 0; i < n && !r->failed; i++) {
		k = get_count(r, 2, "host minute counts");
		if ((total += k) > (r->len - r->pos) / 2) {
			fail(r, "host minute counts", "more than the part holds");
			break;
		}
		h[i].minutes = fl_xcalloc(k + 1, sizeof *h[i].minutes);
		h[i].n_minutes = k;
	}
	if (r->failed)
		return -1;
	for (i = 0; i < n; i++)
		for (k = 0; k < h[i].n_minutes; k++) {
			int64_t m = (int64_t)get_delta(r, &prev, "host minutes");

			if (!fl_minute_in_span(m))
				fail(r, "host minutes", "out of range");
			h[i].minutes[k].minute = (int32_t)m;
		}
	for (i = 0; i < n; i++)
		for (k = 0; k < h[i].n_minutes; k++) {
			h[i].minutes[k].lines = (uint32_t)get_max(r,
			    FL_MINUTE_LINES_MAX, "host minute lines");
			h[i].lines += h[i].minutes[k].lines;
		}
	for (i = 0; i < n; i++)
		for (k = 0; k < h[i].n_minutes; k++)
			if (fl_minute_edge(h[i].minutes, h[i].n_minutes, k))
				h[i].minutes[k].last = (uint32_t)get_max(r, 59,
				    "host minute last second");
	if (r->failed)
		return -1;
	for (i = 0; i < ev->n_streams; i++)
		if (ev->streams[i].host != UINT32_MAX &&
		    ev->streams[i].host >= n) {
			fail(r, "stream hosts", "no such host");
			return -1;
		}
	for (i = 0; i < n; i++)
		if (h[i].n_minutes > 0) {
			h[i].first_us = fl_minute_us(h[i].minutes[0].minute);
			h[i].last_us = fl_minute_last_us(
			    &h[i].minutes[h[i].n_minutes - 1]);
		}
	return 0;
}

/* The code column of a reference: REF_EMPTY, REF_LITERAL and the
 * literal (into *out), or a place in the line, resolved by get_ref_len. */
static uint64_t
get_ref_code(struct pr *r, const char **out, const char *what)
{
	uint64_t code = get_uv(r, what);

	*out = "";
	if (code == REF_LITERAL)
		*out = get_str(r, what);
	return code;
}

/* How the second column of a reference into the line gives its length. */
enum ref_len {
	LEN_PLAIN,              /* the length */
	LEN_REST,               /* the bytes of the line after the string */
	LEN_TOKEN               /* 0: up to a blank or the line's end; else
	                         * the length + 1 */
};

/* Resolves a reference at off in raw with its second column; returns
 * where the string ends. */
static size_t
get_ref_len(struct pr *r, const char **out, uint64_t off, const char *raw,
    size_t rawlen, enum ref_len how, const char *what)
{
	uint64_t v;
	size_t n;

	if (off > rawlen) {
		fail(r, what, "outside the line");
		return 0;
	}
	v = get_uv(r, what);
	if (how == LEN_TOKEN && v == 0)
		v = token_len(raw + off);
	else if (how == LEN_TOKEN)
		v--;
	if (r->failed || v > rawlen - off) {
		fail(r, what, "outside the line");
		return 0;
	}
	n = how == LEN_REST ? rawlen - (size_t)off - (size_t)v : (size_t)v;
	/* A string that ends the line shares its bytes. */
	*out = off + n == rawlen ? raw + off :
	    fl_arena_strndup(r->arena, raw + off, n);
	return (size_t)off + n;
}

static int
read_events(struct pr *r, struct fl_evidence *ev)
{
	const char *names[MAX_FIELDS];
	struct fl_event *e;
	struct fl_field **fields = NULL;
	uint32_t *rawlen, *start;
	struct stream_at *at = NULL, *s_at;
	uint64_t *code, k, v, prev = 0;
	size_t cap_code, i, j, n, nf, cur, pre, prev_len = 0;
	const char *prev_raw = "";
	char *raw;

	/* 23 columns of one byte at least */
	ev->n_events = n = get_count(r, 23, "events");
	ev->events = e = fl_xcalloc(n + 1, sizeof *ev->events);
	rawlen = fl_xcalloc(n + 1, sizeof *rawlen);
	start = fl_xcalloc(n + 1, sizeof *start);
	code = fl_xcalloc(n + 1, sizeof *code);
	cap_code = n + 1;
	for (i = 0; i < n; i++)
		e[i].noise = (enum fl_noise)get_max(r, FL_NOISE_COUNTED,
		    "event noise");
	/* Raw lines: the prefix shared with the line before (held in rawlen
	 * until the rest is read), then the rest, NUL-terminated. Counted
	 * noise has none. */
	for (i = 0; i < n; i++) {
		e[i].raw = "";
		if (e[i].noise == FL_NOISE_COUNTED)
			continue;
		v = get_uv(r, "event raw lines");
		rawlen[i] = (uint32_t)(v > MAX_STRING ? MAX_STRING + 1 : v);
	}
	for (i = 0; i < n && !r->failed; i++) {
		if (e[i].noise == FL_NOISE_COUNTED)
			continue;
		pre = rawlen[i];
		if (pre > prev_len) {
			fail(r, "event raw lines", "longer prefix than the "
			    "line before");
			break;
		}
		if (get_tail(r, MAX_STRING - pre, "event raw lines") != 0)
			break;
		raw = fl_arena_alloc(r->arena, pre + r->tmp.len + 1);
		memcpy(raw, prev_raw, pre);
		memcpy(raw + pre, r->tmp.data, r->tmp.len + 1);
		rawlen[i] = (uint32_t)(pre + r->tmp.len);
		prev_len = rawlen[i];
		e[i].raw = prev_raw = raw;
	}
	if (r->failed)
		goto out;
	for (i = 0; i < n; i++)
		e[i].time_us = (int64_t)(get_delta(r, &prev, "event times") *
		    (uint64_t)FL_US_PER_SEC);
	for (i = 0; i < n && !r->failed; i++) {
		if ((v = get_uv(r, "event times")) == REF_LITERAL)
			v = get_max(r, FL_US_PER_SEC - 1, "event times");
		else if (v >= REF_RAW && v - REF_RAW <= rawlen[i])
			v = usec_at(e[i].raw + (v - REF_RAW));
		else if (v >= REF_RAW)
			fail(r, "event times", "outside the line");
		e[i].time_us = (int64_t)((uint64_t)e[i].time_us + v);
	}
	for (i = 0; i < n; i++)
		e[i].raw_time_us = (int64_t)((uint64_t)e[i].time_us +
		    unzigzag(get_uv(r, "event raw times")));
	for (i = 0; i < n; i++)
		e[i].tflags = (unsigned)get_max(r, UINT32_MAX,
		    "event time flags");
	for (i = 0, prev = 0; i < n; i++)
		if ((v = get_delta(r, &prev, "event streams")) >= ev->n_streams)
			fail(r, "event streams", "no such stream");
		else
			e[i].stream = (uint32_t)v;
	for (i = 0, prev = 0; i < n; i++)
		if ((v = get_delta(r, &prev, "event hosts")) >= ev->n_hosts)
			fail(r, "event hosts", "no such host");
		else
			e[i].host = (uint32_t)v;
	if (r->failed)
		goto out;
	/* per stream, as written */
	at = fl_xcalloc(ev->n_streams + 1, sizeof *at);
	for (i = 0; i < n; i++)
		e[i].line = get_delta(r, &at[e[i].stream].line, "event lines");
	memset(at, 0, (ev->n_streams + 1) * sizeof *at);
	for (i = 0; i < n; i++) {
		s_at = &at[e[i].stream];
		e[i].offset = s_at->offset + (s_at->len + 1) *
		    (e[i].line - s_at->line) +
		    unzigzag(get_uv(r, "event offsets"));
		s_at->offset = e[i].offset;
		s_at->line = e[i].line;
		if (e[i].noise != FL_NOISE_COUNTED)
			s_at->len = rawlen[i];
	}
	for (i = 0; i < n; i++)
		e[i].program = get_istr(r, "event programs");
	if (r->failed)
		goto out;
	for (i = 0; i < n; i++)
		code[i] = get_ref_code(r, &e[i].pid, "event pids");
	for (i = 0; i < n && !r->failed; i++)
		if (code[i] >= REF_RAW)
			get_ref_len(r, &e[i].pid, code[i] - REF_RAW, e[i].raw,
			    rawlen[i], LEN_PLAIN, "event pids");
	for (i = 0; i < n; i++)
		code[i] = get_ref_code(r, &e[i].message, "event messages");
	for (i = 0; i < n && !r->failed; i++)
		if (code[i] >= REF_RAW) {
			get_ref_len(r, &e[i].message, code[i] - REF_RAW,
			    e[i].raw, rawlen[i], LEN_REST, "event messages");
			start[i] = (uint32_t)(code[i] - REF_RAW);
		}
	for (i = 0; i < n; i++)
		e[i].facility = (int)(uint32_t)(get_max(r, UINT32_MAX,
		    "event facilities") - 1);
	for (i = 0; i < n; i++)
		e[i].severity = (int)(uint32_t)(get_max(r, UINT32_MAX,
		    "event severities") - 1);
	for (i = 0; i < n; i++)
		e[i].format = (enum fl_format)get_max(r, FL_FMT_COUNT - 1,
		    "event formats");
	for (i = 0; i < n; i++)
		e[i].rule = (int32_t)(get_max(r, (uint64_t)INT32_MAX + 1,
		    "event rules") - 1);
	if (r->failed)
		goto out;
	/* Field names: each event's list, ended by 0. */
	fields = fl_xcalloc(n + 1, sizeof *fields);
	for (i = 0, nf = 0; i < n && !r->failed; i++) {
		struct fl_field *f;

		for (j = 0; (v = get_uv(r, "event field names")) != 0; j++) {
			if (r->failed || j == MAX_FIELDS || v > r->n_strs) {
				fail(r, "event field names", j == MAX_FIELDS ?
				    "too many" : "no such string");
				goto out;
			}
			names[j] = r->strs[v - 1];
		}
		if (j == 0)
			continue;
		e[i].fields = fields[i] = f = fl_arena_alloc(r->arena,
		    j * sizeof *f);
		e[i].n_fields = (uint32_t)j;
		for (k = 0; k < j; k++) {
			f[k].name = names[k];
			f[k].value = "";
		}
		nf += j;
	}
	if (r->failed)
		goto out;
	FL_GROW(code, cap_code, nf + 1);
	for (i = 0, nf = 0; i < n; i++)
		for (j = 0; j < e[i].n_fields; j++, nf++)
			if (e[i].noise == FL_NOISE_COUNTED) {
				fields[i][j].value = get_istr(r,
				    "event field values");
				code[nf] = REF_EMPTY;
			} else {
				code[nf] = get_ref_code(r, &fields[i][j].value,
				    "event field values");
			}
	/* each counted from the end of the one before, the first from the
	 * message's start */
	for (i = 0, nf = 0; i < n && !r->failed; i++)
		for (j = 0, cur = start[i]; j < e[i].n_fields; j++, nf++)
			if (code[nf] >= REF_RAW)
				cur = get_ref_len(r, &fields[i][j].value,
				    cur + unzigzag(code[nf] - REF_RAW),
				    e[i].raw, rawlen[i], LEN_TOKEN,
				    "event field values");
	for (i = 0; i < n; i++)
		if ((v = get_max(r, UINT32_MAX, "event duplicates")) > 0 &&
		    v - 1 >= ev->n_streams)
			fail(r, "event duplicates", "no such stream");
		else
			e[i].dup_stream = (uint32_t)(v - 1);
	for (i = 0; i < n; i++)
		e[i].dup_line = get_uv(r, "event duplicate lines");
	for (i = 0; i < n; i++)
		e[i].boot = (unsigned)get_max(r, UINT32_MAX, "event boots");
	for (i = 0; i < n; i++)
		if ((e[i].repeat = (uint32_t)get_max(r, UINT32_MAX,
		    "event repeats")) == 0)
			fail(r, "event repeats", "out of range");
out:
	free(at);
	free(rawlen);
	free(start);
	free(code);
	free(fields);
	return r->failed ? -1 : 0;
}

enum fl_err
fl_part_read(const char *path, struct fl_evidence **out, char **fingerprint,
    char **err)
{
	struct pr r = {0};
	struct fl_evidence *ev;
	struct fl_buf content = {0};
	const char *fp = "";
	uint32_t version = 0;
	gzFile gz;
	int i;

	*out = NULL;
	*fingerprint = NULL;
	gz = gzopen(path, "rb");
	if (gz == NULL) {
		*err = fl_xasprintf("cannot open: %s", strerror(errno));
		return FL_ERR_IO;
	}
	r.zerr = load(gz, path, &content, r.zmsg, sizeof r.zmsg);
	gzclose(gz);
	r.buf = (const unsigned char *)content.data;
	r.len = content.len;
	ev = fl_xcalloc(1, sizeof *ev);
	ev->arena = r.arena = fl_arena_new();
	if (get_bytes(&r, sizeof part_magic - 1, "magic") != 0 && r.zerr)
		goto damaged;
	if (r.failed ||
	    memcmp(r.tmp.data, part_magic, sizeof part_magic - 1) != 0) {
		*err = fl_xasprintf("not a faultline partial result");
		goto fail;
	}
	/* The version stays a u32 in every version, so that any reader can
	 * tell what it has. */
	if (get_bytes(&r, 4, "version") == 0) {
		for (i = 3; i >= 0; i--)
			version = version << 8 | (unsigned char)r.tmp.data[i];
		if (version != FL_PART_VERSION) {
			*err = fl_xasprintf("part format version %" PRIu32
			    "; this faultline reads version %d: scan again",
			    version, FL_PART_VERSION);
			goto fail;
		}
	}
	fp = get_str(&r, "header");
	if (get_bytes(&r, get_max(&r, sizeof ev->rules_digest - 1, "header"),
	    "header") == 0)
		memcpy(ev->rules_digest, r.tmp.data ? r.tmp.data : "",
		    r.tmp.len + 1);
	ev->total_lines = get_uv(&r, "totals");
	ev->total_parsed = get_uv(&r, "totals");
	ev->total_unparsed = get_uv(&r, "totals");
	if (r.failed || read_strings(&r) != 0 || read_inputs(&r, ev) != 0 ||
	    read_streams(&r, ev) != 0 || read_hosts(&r, ev) != 0 ||
	    read_events(&r, ev) != 0 ||
	    get_bytes(&r, 4, "end marker") != 0)
		goto damaged;
	if (memcmp(r.tmp.data, "END\n", 4) != 0) {
		r.pos -= 4;
		fail(&r, "end marker", "not found");
		goto damaged;
	}
	/* Nothing after the end marker, and the gzip trailer checks out. */
	if (r.pos < r.len || r.zerr) {
		fail(&r, "end marker", r.zerr ? r.zerr : "data after it");
		goto damaged;
	}
	free(r.strs);
	fl_buf_free(&r.tmp);
	fl_buf_free(&content);
	*fingerprint = fl_xstrdup(fp);
	*out = ev;
	return FL_OK;
damaged:
	*err = fl_xasprintf("damaged partial result at byte %" PRIu64
	    " of its content (%s: %s)", r.failed_at, r.failed, r.why);
fail:
	free(r.strs);
	fl_buf_free(&r.tmp);
	fl_buf_free(&content);
	fl_evidence_free(ev);
	return FL_ERR_FORMAT;
}
