/*
 * fl_parse_int: what the format scanners of fl_parse share. Not a public
 * interface: only fl_parse*.c include it.
 *
 * Every scanner gets the line as (s, n), never NUL-terminated, and reads
 * s[i] only after checking i < n. A scanner returns 1 when it accepted the
 * line (and filled *o), 0 otherwise; on 0 the caller resets *o.
 */
#ifndef FL_PARSE_INT_H
#define FL_PARSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "fl_parse.h"

#define FL_CSV_MAX_COLS 64
#define FL_CSV_MAX_MSG 8
#define FL_CSV_NAMES_MAX 4096

/* The column layout of the CSV header seen last in the stream. */
struct fl_csv_state {
	const struct fl_csv_mapping *map; /* NULL until a header matched */
	unsigned ncols;
	int time_idx, date_idx, clock_idx, host_idx;
	int msg_idx[FL_CSV_MAX_MSG];
	unsigned n_msg;
	int dmy;                          /* map->date_order is "dmy" */
	/* Header names, NUL-separated copies in names[]. */
	uint16_t name_off[FL_CSV_MAX_COLS], name_len[FL_CSV_MAX_COLS];
	char names[FL_CSV_NAMES_MAX];
};

struct fl_parser {
	enum fl_format hint;
	const struct fl_csv_mapping *maps;
	enum fl_format cur;             /* the format tried first */
	uint64_t counts[FL_FMT_COUNT];  /* accepted lines with an event */
	int in_record;                  /* last line was a syslog-family record */
	int prev_empty_msg;             /* ... and its message was empty */
	enum fl_format rec_fmt;         /* format of that record */
	char *scratch;                  /* decoded text of the current line */
	size_t scratch_cap, scratch_len;
	struct fl_csv_state csv;
};

/* Scratch space for the current line; NULL when exhausted (callers then
 * fall back to the raw text). */
char *fl_parse_scratch(struct fl_parser *p, size_t n);
/* Adds a format-specific field when there is room. */
void fl_parse_extra(struct fl_parsed *o, const char *name, const char *v,
    size_t vn);
void fl_parse_extra_n(struct fl_parsed *o, const char *name, size_t nn,
    const char *v, size_t vn);

/* Scanners (in fl_parse_syslog.c, fl_parse_json.c, fl_parse_audit.c,
 * fl_parse_device.c). */
int fl_parse_rfc3164(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_rfc5424(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_iso(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_dmesg(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
/* Journal separators and catalog lines ("-- Reboot --", "-- Boot ID --",
 * "-- Logs begin at ... --"); fmt is the format given to the line. */
int fl_parse_journal_sep(const char *s, size_t n, int after_record,
    enum fl_format fmt, struct fl_parsed *o);
int fl_parse_journal_json(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_audit(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_apcupsd(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_nmc(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_sel(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_sel_csv(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);
int fl_parse_csv(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o);

/* Small scanners shared by the formats. All check bounds against n. */
static inline int
fl_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
fl_isblank(int c)
{
	return c == ' ' || c == '\t';
}

static inline int
fl_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline int
fl_isalpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static inline int
fl_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly k digits at s[i]; the value, or -1. */
static inline int
fl_digits(const char *s, size_t n, size_t i, unsigned k)
{
	int v = 0;

	if (i > n || n - i < k)
		return -1;
	for (unsigned j = 0; j < k; j++) {
		if (!fl_isdigit(s[i + j]))
			return -1;
		v = v * 10 + (s[i + j] - '0');
	}
	return v;
}

static inline size_t
fl_skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && fl_isblank(s[i]))
		i++;
	return i;
}

static inline int
fl_span_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || s[i] != lit[i])
			return 0;
	return lit[i] == '\0';
}

/* s[i..] starts with lit. */
static inline int
fl_starts(const char *s, size_t n, size_t i, const char *lit)
{
	for (size_t j = 0; lit[j]; j++)
		if (i + j >= n || s[i + j] != lit[j])
			return 0;
	return 1;
}

/* "Jan".."Dec" (any case) at s[i] → 1..12, else 0. */
int fl_parse_month3(const char *s, size_t n, size_t i);
/* "Mon".."Sun" (any case) at s[i] → 1..7, else 0. */
int fl_parse_wday3(const char *s, size_t n, size_t i);
/* HH:MM:SS at s[*i] (one-digit hours when short_hour), checked ranges;
 * advances *i. Returns 0 or -1. */
int fl_parse_hms(const char *s, size_t n, size_t *i, int short_hour,
    struct fl_ltime *t);
/* Optional ".ffffff" or ",fff" fraction at s[*i]. */
void fl_parse_frac(const char *s, size_t n, size_t *i, struct fl_ltime *t);
/* "Z", "+HH:MM", "+HHMM" or "+HH" at s[*i]; sets *off (seconds east).
 * Returns 0 or -1 (nothing consumed). */
int fl_parse_utc_offset(const char *s, size_t n, size_t *i, int32_t *off);
/* YYYY-MM-DD at s[*i]. Returns 0 or -1. */
int fl_parse_ymd(const char *s, size_t n, size_t *i, struct fl_ltime *t);
/* A numeric date "MM/DD/YYYY", "MM/DD/YY", "DD/MM/YYYY" (when the first
 * number exceeds 12 or dmy is set), "DD.MM.YYYY" or "YYYY-MM-DD" filling
 * the whole span s[0..n). Returns 0 or -1. */
int fl_parse_num_date(const char *s, size_t n, int dmy, struct fl_ltime *t);
/* A clock "HH:MM[:SS][.fff][ AM|PM][ ZONE]" filling s[0..n): the zone is
 * an abbreviation (FL_LT_LOCAL with zone_abbr) or a numeric offset or
 * UTC/GMT/Z (FL_LT_OFFSET). Sets t->kind. Returns 0 or -1. */
int fl_parse_clock_field(const char *s, size_t n, struct fl_ltime *t);
/* Host and tag after a syslog time stamp: "host prog[pid]: msg",
 * "prog[pid]: msg" (no host), "host msg" (no program), BusyBox
 * "host fac.pri prog: msg", "prog(pam_unix)[pid]: msg". Always succeeds. */
void fl_parse_host_tag(const char *s, size_t n, size_t i, struct fl_parsed *o);
/* Facility and severity names ("daemon", "crit"); -1 when unknown. */
int fl_facility_from_name(const char *s, size_t n);
int fl_severity_from_name(const char *s, size_t n);

#endif
