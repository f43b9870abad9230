/*
 * fl_evidence: what the scan stage hands to the analysis stage. It is the
 * boundary between the expensive per-source half (read, parse, match) and
 * the cheap global half (correlate, verdict, report), so it holds only what
 * the analysis needs: the inputs and streams with their accounting, the
 * events worth keeping (rule hits, or every line for `timeline --all`) with
 * full provenance, and per-host activity per minute.
 *
 * Ownership: a struct fl_evidence owns everything reachable from it; all
 * strings live in its arena. fl_evidence_free releases it all.
 */
#ifndef FL_EVIDENCE_H
#define FL_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "fl_clock.h"
#include "fl_input.h"
#include "fl_parse.h"
#include "fl_util.h"

struct fl_field {
	const char *name;
	const char *value;
};

/* Background noise keeps the text of the first line of each stream, rule,
 * host and source address, the line a report cites; the others keep their
 * time, provenance and the fields the analysis reads (source address,
 * user, what correlations group by), with raw, message and pid "". */
enum fl_noise {
	FL_NOISE_NO,            /* not noise */
	FL_NOISE_LINE,          /* noise, its line kept */
	FL_NOISE_COUNTED        /* noise, its line not kept */
};

/* One kept event. */
struct fl_event {
	int64_t time_us;        /* UTC after zone, year and clock corrections;
	                         * FL_TIME_UNKNOWN when none */
	int64_t raw_time_us;    /* as first resolved, before skew/zone fixes */
	unsigned tflags;        /* FL_TF_* */
	uint32_t stream;        /* index into evidence.streams */
	uint32_t host;          /* index into evidence.hosts */
	uint64_t line;          /* 1-based line number in the stream */
	uint64_t offset;        /* byte offset in the decompressed stream */
	const char *program;    /* "" when absent */
	const char *pid;        /* "" when absent */
	const char *message;
	const char *raw;        /* the original line, verbatim (escaped only on
	                         * output) but for NUL bytes: those before the
	                         * text are left out, others are U+2400 */
	int facility, severity; /* -1 when absent */
	enum fl_format format;
	int32_t rule;           /* ruleset index, -1 for a plain line */
	uint32_t n_fields;
	const struct fl_field *fields; /* named captures */
	/* The same line seen in another stream (rotated overlap, syslog and
	 * journal): its provenance; dup_stream == UINT32_MAX when none. */
	uint32_t dup_stream;
	uint64_t dup_line;
	unsigned boot;          /* nonzero for a journal boot separator */
	/* Lines this event stands for (1 or more). Background noise (failed
	 * logins, scanner connections) keeps its first FL_NOISE_KEEP lines per
	 * stream, rule, host, source address and hour; the further ones are
	 * counted here, on the last one kept, instead of stored. */
	uint32_t repeat;
	enum fl_noise noise;
};
#define FL_NOISE_KEEP 10

struct fl_stream_rec {
	uint32_t input;         /* index into evidence.inputs */
	const char *member;     /* "" for the file itself */
	const char *name;
	enum fl_format format;  /* the format most lines had */
	int64_t mtime;
	enum fl_mtime_source mtime_source;
	uint32_t host;          /* host most lines belong to, UINT32_MAX if none */
	uint64_t bytes, lines, parsed, unparsed;
	uint64_t long_lines, nul_lines, bad_utf8_lines;
	int64_t first_us, last_us; /* FL_TIME_UNKNOWN when no timed line */
	enum fl_year_source year_source;
	const char *error;      /* NULL, or what stopped the stream */
	uint64_t error_offset;  /* UINT64_MAX when unknown */
	int limit_hit;
};

struct fl_input_rec {
	const char *path;
	enum fl_input_kind kind;
	const char *note;       /* unreadable/skipped reason, or NULL */
	char sha256[65];        /* "" when not read */
	uint64_t bytes;
	const char *error;      /* damage while reading, or NULL */
	uint32_t first_stream, n_streams;
};

/* Activity of a host: lines per UTC minute, and the second of the
 * minute's last line (a host that falls silent is last seen then, not at
 * the minute's start). Minutes are held in 32 bits, within FL_MINUTE_SPAN
 * of 1970 (years -72 to 4011): lines dated outside are counted in their
 * stream but not placed in time. The span leaves room for any clock
 * correction within 32 bits. */
struct fl_minute {
	int32_t minute;         /* UTC seconds / 60 */
	uint32_t lines : 26;    /* at most FL_MINUTE_LINES_MAX */
	uint32_t last : 6;      /* 0..59 */
};
#define FL_MINUTE_SPAN (INT64_C(1) << 30)
/* A million lines a second from one host for a minute; more are not
 * counted in its activity (its streams still count every line). */
#define FL_MINUTE_LINES_MAX ((UINT32_C(1) << 26) - 1)

/* Adds n lines to m, the last of them in second `last` of the minute. */
static inline void
fl_minute_add(struct fl_minute *m, uint64_t n, unsigned last)
{
	uint64_t sum = (uint64_t)m->lines + n;

	m->lines = sum > FL_MINUTE_LINES_MAX ? FL_MINUTE_LINES_MAX :
	    (uint32_t)sum;
	if (last > m->last)
		m->last = last > 59 ? 59 : last;
}

static inline int
fl_minute_in_span(int64_t minute)
{
	return minute > -FL_MINUTE_SPAN && minute < FL_MINUTE_SPAN;
}

/* The minute's start in microseconds (64-bit arithmetic throughout). */
static inline int64_t
fl_minute_us(int64_t minute)
{
	return minute * 60 * FL_US_PER_SEC;
}

/* Whether minute i of m[0..n) is followed by FL_MINUTE_EDGE_SILENCE
 * silent minutes or more (or is the last): only there, where a host may
 * have stopped, is the second of its last line kept. Shorter silences
 * would cost a byte a minute in a part for nothing an analysis uses. */
#define FL_MINUTE_EDGE_SILENCE 4
static inline int
fl_minute_edge(const struct fl_minute *m, size_t n, size_t i)
{
	return i + 1 >= n ||
	    (int64_t)m[i + 1].minute - m[i].minute > FL_MINUTE_EDGE_SILENCE;
}

/* Forgets the last seconds where no long silence begins: the same
 * minutes then hold the same seconds however the evidence was split. */
static inline void
fl_minutes_keep_edges(struct fl_minute *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!fl_minute_edge(m, n, i))
			m[i].last = 0;
}

/* The second of the minute's last line, in microseconds. */
static inline int64_t
fl_minute_last_us(const struct fl_minute *m)
{
	return fl_minute_us(m->minute) + (int64_t)m->last * FL_US_PER_SEC;
}

/* How the zone of a host was chosen. */
enum fl_zone_source {
	FL_ZONE_FROM_LINE,      /* the lines carry offsets */
	FL_ZONE_HOST_OPTION,    /* --tz-host */
	FL_ZONE_OPTION,         /* --tz */
	FL_ZONE_DEFAULT_UTC     /* nothing said: UTC */
};

struct fl_host_rec {
	const char *name;
	const char *zone;       /* zone name applied to zone-less lines */
	enum fl_zone_source zone_source;
	int from_path;          /* name attributed from the path */
	uint64_t lines;
	int64_t first_us, last_us;
	size_t n_minutes;       /* sorted by minute, no duplicates */
	struct fl_minute *minutes;
	int64_t skew_us;        /* correction applied by analysis (0 = none) */
};

struct fl_evidence {
	struct fl_arena *arena;
	struct fl_input_rec *inputs;
	size_t n_inputs;
	struct fl_stream_rec *streams;
	size_t n_streams;
	struct fl_host_rec *hosts;
	size_t n_hosts;
	/* Sorted by (time, host name, input path, member, line); events with
	 * unknown time last, in provenance order. */
	struct fl_event *events;
	size_t n_events;
	char rules_digest[65];
	uint64_t total_lines, total_parsed, total_unparsed;
};

void fl_evidence_free(struct fl_evidence *ev);
/* Merges pieces of evidence (the scan of some inputs, partial results read
 * from files) into one; the pieces are consumed and freed. The result is
 * not yet canonical: call fl_evidence_finish once, after the last merge. */
struct fl_evidence *fl_evidence_merge(struct fl_evidence **pieces, size_t n);
/* Puts evidence in canonical form, the same whichever way the inputs were
 * split: inputs sorted by path (streams follow their input), events sorted
 * by (time, host, stream, line, rule) and duplicates across streams folded.
 * Call once. */
void fl_evidence_finish(struct fl_evidence *ev);
/* Host index by name, or -1. */
long fl_evidence_host(const struct fl_evidence *ev, const char *name);
/* "input" or "input!member" for an event's stream. */
void fl_evidence_where(const struct fl_evidence *ev, uint32_t stream,
    struct fl_buf *out);

/* Writes the "inputs" array of the report contract (design §5), shared by
 * `sources --format json` and the analysis report: each input with path,
 * sha256, bytes, error, and its members (path, format, host, mtime, bytes,
 * lines, parsed, unparsed, long/nul/invalid-UTF-8 counts, first, last,
 * year_source, errors). indent is the depth at which the array starts. */
void fl_evidence_inputs_json(const struct fl_evidence *ev, struct fl_buf *b,
    int indent);
const char *fl_zone_source_name(enum fl_zone_source src);
const char *fl_mtime_source_name(enum fl_mtime_source src);

#endif
