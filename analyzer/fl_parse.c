/*
 * fl_parse: the per-stream dispatcher (current format first, then the
 * others in a fixed order), comments, continuation lines, the scratch
 * space, and the date and time scanners the formats share.
 */
#include "config.h"

#include "fl_parse.h"
#include "fl_parse_int.h"
#include "fl_util.h"

#include <stdlib.h>
#include <string.h>

static const char *const format_names[FL_FMT_COUNT] = {
	[FL_FMT_UNKNOWN] = "unknown",
	[FL_FMT_RFC3164] = "rfc3164",
	[FL_FMT_RFC5424] = "rfc5424",
	[FL_FMT_ISO] = "iso",
	[FL_FMT_JOURNAL_JSON] = "journal-json",
	[FL_FMT_AUDIT] = "audit",
	[FL_FMT_APCUPSD_EVENTS] = "apcupsd-events",
	[FL_FMT_NMC] = "nmc",
	[FL_FMT_SEL] = "sel",
	[FL_FMT_SEL_CSV] = "sel-csv",
	[FL_FMT_CSV] = "csv",
	[FL_FMT_DMESG] = "dmesg",
};

/* The order formats are tried in after the stream's current one. */
static const enum fl_format try_order[] = {
	FL_FMT_RFC3164, FL_FMT_ISO, FL_FMT_RFC5424, FL_FMT_JOURNAL_JSON,
	FL_FMT_AUDIT, FL_FMT_APCUPSD_EVENTS, FL_FMT_NMC, FL_FMT_SEL,
	FL_FMT_SEL_CSV, FL_FMT_CSV, FL_FMT_DMESG,
};

const char *
fl_format_name(enum fl_format fmt)
{
	if ((unsigned)fmt >= FL_FMT_COUNT)
		return "unknown";
	return format_names[fmt];
}

enum fl_format
fl_format_from_name(const char *name)
{
	static const struct {
		const char *alias;
		enum fl_format fmt;
	} aliases[] = {
		{"syslog", FL_FMT_RFC3164}, {"bsd", FL_FMT_RFC3164},
		{"journal", FL_FMT_RFC3164}, {"json", FL_FMT_JOURNAL_JSON},
		{"auditd", FL_FMT_AUDIT}, {"apcupsd", FL_FMT_APCUPSD_EVENTS},
		{"ipmi-sel", FL_FMT_SEL}, {"kernel", FL_FMT_DMESG},
	};

	if (name == NULL)
		return FL_FMT_UNKNOWN;
	for (int f = 1; f < FL_FMT_COUNT; f++)
		if (strcmp(name, format_names[f]) == 0)
			return (enum fl_format)f;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(name, aliases[i].alias) == 0)
			return aliases[i].fmt;
	return FL_FMT_UNKNOWN;
}

struct fl_parser *
fl_parser_new(const struct fl_parse_opts *opts,
    const struct fl_stream_info *info)
{
	struct fl_parser *p = fl_xcalloc(1, sizeof *p);

	(void)info; /* formats are sniffed from the lines, not the name */
	p->hint = opts ? opts->hint : FL_FMT_UNKNOWN;
	if ((unsigned)p->hint >= FL_FMT_COUNT)
		p->hint = FL_FMT_UNKNOWN;
	p->maps = opts ? opts->csv_maps : NULL;
	p->cur = p->hint != FL_FMT_UNKNOWN ? p->hint : FL_FMT_RFC3164;
	return p;
}

void
fl_parser_free(struct fl_parser *p)
{
	if (p == NULL)
		return;
	free(p->scratch);
	free(p);
}

enum fl_format
fl_parser_format(const struct fl_parser *p)
{
	enum fl_format best = FL_FMT_UNKNOWN;
	uint64_t n = 0;

	for (int f = 1; f < FL_FMT_COUNT; f++)
		if (p->counts[f] > n) {
			n = p->counts[f];
			best = (enum fl_format)f;
		}
	return best;
}

char *
fl_parse_scratch(struct fl_parser *p, size_t n)
{
	char *r;

	if (n > p->scratch_cap - p->scratch_len)
		return NULL;
	r = p->scratch + p->scratch_len;
	p->scratch_len += n;
	return r;
}

void
fl_parse_extra_n(struct fl_parsed *o, const char *name, size_t nn,
    const char *v, size_t vn)
{
	if (o->n_extra >= FL_PARSED_MAX_EXTRA)
		return;
	o->extra_name[o->n_extra].p = name;
	o->extra_name[o->n_extra].n = nn;
	o->extra_value[o->n_extra].p = v;
	o->extra_value[o->n_extra].n = vn;
	o->n_extra++;
}

void
fl_parse_extra(struct fl_parsed *o, const char *name, const char *v,
    size_t vn)
{
	fl_parse_extra_n(o, name, strlen(name), v, vn);
}

static void
reset_out(struct fl_parsed *o, const char *s, size_t n)
{
	memset(o, 0, sizeof *o);
	o->format = FL_FMT_UNKNOWN;
	o->message.p = s;
	o->message.n = n;
	o->facility = -1;
	o->severity = -1;
}

static int
try_format(struct fl_parser *p, enum fl_format f, const char *s, size_t n,
    struct fl_parsed *o)
{
	switch (f) {
	case FL_FMT_RFC3164: return fl_parse_rfc3164(p, s, n, o);
	case FL_FMT_RFC5424: return fl_parse_rfc5424(p, s, n, o);
	case FL_FMT_ISO: return fl_parse_iso(p, s, n, o);
	case FL_FMT_JOURNAL_JSON: return fl_parse_journal_json(p, s, n, o);
	case FL_FMT_AUDIT: return fl_parse_audit(p, s, n, o);
	case FL_FMT_APCUPSD_EVENTS: return fl_parse_apcupsd(p, s, n, o);
	case FL_FMT_NMC: return fl_parse_nmc(p, s, n, o);
	case FL_FMT_SEL: return fl_parse_sel(p, s, n, o);
	case FL_FMT_SEL_CSV: return fl_parse_sel_csv(p, s, n, o);
	case FL_FMT_CSV: return fl_parse_csv(p, s, n, o);
	case FL_FMT_DMESG: return fl_parse_dmesg(p, s, n, o);
	case FL_FMT_UNKNOWN:
	case FL_FMT_COUNT:
		break;
	}
	return 0;
}

static int
syslog_family(enum fl_format f)
{
	return f == FL_FMT_RFC3164 || f == FL_FMT_RFC5424 ||
	    f == FL_FMT_ISO || f == FL_FMT_DMESG;
}

/* Accepts the line as format f: the scanner filled *o, or it is a
 * comment/continuation line of the stream. */
static int
accepted(struct fl_parser *p, enum fl_format f, struct fl_parsed *o)
{
	o->format = f;
	if (o->flags & FL_PF_CONTINUATION) {
		p->prev_empty_msg = 0;
		return 1;
	}
	if (o->flags & FL_PF_COMMENT) {
		p->in_record = 0;
		return 1;
	}
	p->counts[f]++;
	p->cur = f;
	p->in_record = syslog_family(f) && !(o->flags & FL_PF_BOOT);
	p->prev_empty_msg = p->in_record && o->message.n == 0 &&
	    o->program.n > 0;
	p->rec_fmt = f;
	return 1;
}

static int
continuation(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	reset_out(o, s, n);
	o->flags = FL_PF_CONTINUATION;
	return accepted(p, p->rec_fmt, o);
}

int
fl_parse_line(struct fl_parser *p, const char *line, size_t len,
    struct fl_parsed *out)
{
	enum fl_format first, comment_fmt;
	size_t i;

	/* Decoded text never outgrows twice the line plus the CSV names. */
	if (p->scratch_cap < 2 * len + 2 * FL_CSV_NAMES_MAX) {
		free(p->scratch);
		p->scratch_cap = 2 * len + 2 * FL_CSV_NAMES_MAX;
		p->scratch = fl_xmalloc(p->scratch_cap);
	}
	p->scratch_len = 0;
	reset_out(out, line, len);

	i = fl_skip_blanks(line, len, 0);
	if (i > 0 && i < len && p->in_record)
		return continuation(p, line, len, out);
	comment_fmt = p->in_record ? p->rec_fmt :
	    (p->cur != FL_FMT_UNKNOWN ? p->cur : FL_FMT_RFC3164);
	if (i == len || line[i] == '#') {
		out->flags = FL_PF_COMMENT;
		return accepted(p, comment_fmt, out);
	}
	if ((p->hint == FL_FMT_UNKNOWN || syslog_family(p->hint)) &&
	    fl_parse_journal_sep(line, len, p->in_record,
	    syslog_family(comment_fmt) ? comment_fmt : FL_FMT_RFC3164, out))
		return accepted(p, out->format, out);

	first = p->hint != FL_FMT_UNKNOWN ? p->hint : p->cur;
	if (try_format(p, first, line, len, out))
		return accepted(p, first, out);
	if (p->hint == FL_FMT_UNKNOWN) {
		for (size_t k = 0; k < sizeof try_order / sizeof try_order[0];
		    k++) {
			if (try_order[k] == first)
				continue;
			reset_out(out, line, len);
			p->scratch_len = 0;
			if (try_format(p, try_order[k], line, len, out))
				return accepted(p, try_order[k], out);
		}
	}
	/* A tagged record with an empty message followed by text no format
	 * takes: the text was wrapped onto its own line (mail, terminals). */
	if (p->in_record && p->prev_empty_msg)
		return continuation(p, line, len, out);
	reset_out(out, line, len);
	p->in_record = 0;
	return 0;
}

/* Shared scanners */

int
fl_parse_month3(const char *s, size_t n, size_t i)
{
	unsigned a, b, c;

	if (i > n || n - i < 3)
		return 0;
	a = (unsigned char)s[i] | 0x20;
	b = (unsigned char)s[i + 1] | 0x20;
	c = (unsigned char)s[i + 2] | 0x20;
	switch (a) {
	case 'j':
		if (b == 'a' && c == 'n')
			return 1;
		if (b == 'u' && c == 'n')
			return 6;
		if (b == 'u' && c == 'l')
			return 7;
		return 0;
	case 'f': return b == 'e' && c == 'b' ? 2 : 0;
	case 'm':
		if (b == 'a' && c == 'r')
			return 3;
		if (b == 'a' && c == 'y')
			return 5;
		return 0;
	case 'a':
		if (b == 'p' && c == 'r')
			return 4;
		if (b == 'u' && c == 'g')
			return 8;
		return 0;
	case 's': return b == 'e' && c == 'p' ? 9 : 0;
	case 'o': return b == 'c' && c == 't' ? 10 : 0;
	case 'n': return b == 'o' && c == 'v' ? 11 : 0;
	case 'd': return b == 'e' && c == 'c' ? 12 : 0;
	default: return 0;
	}
}

int
fl_parse_wday3(const char *s, size_t n, size_t i)
{
	unsigned a, b, c;

	if (i > n || n - i < 3)
		return 0;
	a = (unsigned char)s[i] | 0x20;
	b = (unsigned char)s[i + 1] | 0x20;
	c = (unsigned char)s[i + 2] | 0x20;
	switch (a) {
	case 'm': return b == 'o' && c == 'n' ? 1 : 0;
	case 't':
		if (b == 'u' && c == 'e')
			return 2;
		if (b == 'h' && c == 'u')
			return 4;
		return 0;
	case 'w': return b == 'e' && c == 'd' ? 3 : 0;
	case 'f': return b == 'r' && c == 'i' ? 5 : 0;
	case 's':
		if (b == 'a' && c == 't')
			return 6;
		if (b == 'u' && c == 'n')
			return 7;
		return 0;
	default: return 0;
	}
}

int
fl_parse_hms(const char *s, size_t n, size_t *i, int short_hour,
    struct fl_ltime *t)
{
	size_t j = *i;
	int h, m, sec;

	if (short_hour && j + 1 < n && fl_isdigit(s[j]) && s[j + 1] == ':') {
		h = s[j] - '0';
		j += 1;
	} else {
		if ((h = fl_digits(s, n, j, 2)) < 0)
			return -1;
		j += 2;
	}
	if (j >= n || s[j] != ':' || (m = fl_digits(s, n, j + 1, 2)) < 0)
		return -1;
	j += 3;
	if (j >= n || s[j] != ':' || (sec = fl_digits(s, n, j + 1, 2)) < 0)
		return -1;
	j += 3;
	if (h > 23 || m > 59 || sec > 60)
		return -1;
	t->hour = (uint8_t)h;
	t->min = (uint8_t)m;
	t->sec = (uint8_t)sec;
	*i = j;
	return 0;
}

void
fl_parse_frac(const char *s, size_t n, size_t *i, struct fl_ltime *t)
{
	size_t j = *i;
	int32_t us = 0;
	unsigned k = 0;

	if (j + 1 >= n || (s[j] != '.' && s[j] != ',') || !fl_isdigit(s[j + 1]))
		return;
	for (j++; j < n && fl_isdigit(s[j]); j++, k++)
		if (k < 6)
			us = us * 10 + (s[j] - '0');
	for (; k < 6; k++)
		us *= 10;
	t->usec = us;
	t->has_usec = 1;
	*i = j;
}

int
fl_parse_utc_offset(const char *s, size_t n, size_t *i, int32_t *off)
{
	size_t j = *i;
	int h, m = 0, sign;

	if (j >= n)
		return -1;
	if (s[j] == 'Z') {
		*off = 0;
		*i = j + 1;
		return 0;
	}
	if (s[j] != '+' && s[j] != '-')
		return -1;
	sign = s[j] == '-' ? -1 : 1;
	if ((h = fl_digits(s, n, j + 1, 2)) < 0 || h > 23)
		return -1;
	j += 3;
	if (j < n && s[j] == ':') {
		if ((m = fl_digits(s, n, j + 1, 2)) < 0)
			return -1;
		j += 3;
	} else if ((m = fl_digits(s, n, j, 2)) >= 0) {
		j += 2;
	} else {
		m = 0;
	}
	if (m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	*i = j;
	return 0;
}

int
fl_parse_ymd(const char *s, size_t n, size_t *i, struct fl_ltime *t)
{
	size_t j = *i;
	int y, m, d;

	if ((y = fl_digits(s, n, j, 4)) < 1 || j + 4 >= n || s[j + 4] != '-' ||
	    (m = fl_digits(s, n, j + 5, 2)) < 1 || m > 12 ||
	    j + 7 >= n || s[j + 7] != '-' ||
	    (d = fl_digits(s, n, j + 8, 2)) < 1 || d > 31)
		return -1;
	t->year = y;
	t->mon = (uint8_t)m;
	t->day = (uint8_t)d;
	*i = j + 10;
	return 0;
}

/* One to four digits at s[*i]; the value and how many, or -1. */
static int
small_num(const char *s, size_t n, size_t *i, unsigned *ndig)
{
	size_t j = *i;
	int v = 0;

	while (j < n && fl_isdigit(s[j]) && j - *i < 4)
		v = v * 10 + (s[j++] - '0');
	if (j == *i || (j < n && fl_isdigit(s[j])))
		return -1;
	*ndig = (unsigned)(j - *i);
	*i = j;
	return v;
}

int
fl_parse_num_date(const char *s, size_t n, int dmy, struct fl_ltime *t)
{
	size_t i = 0;
	unsigned na, nb, nc;
	int a, b, c, y, m, d;
	char sep;

	if (fl_parse_ymd(s, n, &i, t) == 0)
		return i == n ? 0 : -1;
	if ((a = small_num(s, n, &i, &na)) < 0 || na > 2 || i >= n)
		return -1;
	sep = s[i++];
	if (sep != '/' && sep != '.' && sep != '-')
		return -1;
	if ((b = small_num(s, n, &i, &nb)) < 0 || nb > 2 || i >= n ||
	    s[i++] != sep)
		return -1;
	if ((c = small_num(s, n, &i, &nc)) < 0 || (nc != 2 && nc != 4) ||
	    i != n)
		return -1;
	y = nc == 4 ? c : (c < 70 ? 2000 + c : 1900 + c);
	if (sep == '.' || a > 12 || (dmy && b <= 12)) {
		d = a;
		m = b;
	} else {
		m = a;
		d = b;
	}
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	t->year = y;
	t->mon = (uint8_t)m;
	t->day = (uint8_t)d;
	return 0;
}

int
fl_parse_clock_field(const char *s, size_t n, struct fl_ltime *t)
{
	size_t i = 0, z;
	int h, m, sec = 0;
	int32_t off;

	h = (int)small_num(s, n, &i, &(unsigned){0});
	if (h < 0 || i > 2 || i >= n || s[i] != ':' ||
	    (m = fl_digits(s, n, i + 1, 2)) < 0)
		return -1;
	i += 3;
	if (i < n && s[i] == ':') {
		if ((sec = fl_digits(s, n, i + 1, 2)) < 0)
			return -1;
		i += 3;
	}
	fl_parse_frac(s, n, &i, t);
	i = fl_skip_blanks(s, n, i);
	if (i + 1 < n && (s[i + 1] == 'M' || s[i + 1] == 'm') &&
	    (i + 2 == n || s[i + 2] == ' ')) {
		int pm = s[i] == 'P' || s[i] == 'p';

		if (!pm && s[i] != 'A' && s[i] != 'a')
			return -1;
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
		i = fl_skip_blanks(s, n, i + 2);
	}
	if (h > 23 || m > 59 || sec > 60)
		return -1;
	t->hour = (uint8_t)h;
	t->min = (uint8_t)m;
	t->sec = (uint8_t)sec;
	t->kind = FL_LT_LOCAL;
	if (i == n)
		return 0;
	z = i;
	if (fl_parse_utc_offset(s, n, &i, &off) == 0 && i == n) {
		t->kind = FL_LT_OFFSET;
		t->utc_offset = off;
		return 0;
	}
	i = z;
	while (i < n && fl_isalpha(s[i]))
		i++;
	if (i != n || i - z < 1 || i - z > 6)
		return -1;
	if (fl_span_eq(s + z, n - z, "UTC") || fl_span_eq(s + z, n - z, "GMT") ||
	    fl_span_eq(s + z, n - z, "UT")) {
		t->kind = FL_LT_OFFSET;
		t->utc_offset = 0;
		return 0;
	}
	t->zone_abbr = s + z;
	t->zone_abbr_len = n - z;
	return 0;
}

int
fl_facility_from_name(const char *s, size_t n)
{
	static const char *const names[] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
		"news", "uucp", "cron", "authpriv", "ftp", "ntp", "security",
		"console", "solaris-cron", "local0", "local1", "local2",
		"local3", "local4", "local5", "local6", "local7",
	};

	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (fl_span_eq(s, n, names[k]))
			return (int)k;
	return -1;
}

int
fl_severity_from_name(const char *s, size_t n)
{
	static const struct {
		const char *name;
		int sev;
	} names[] = {
		{"emerg", 0}, {"panic", 0}, {"alert", 1}, {"crit", 2},
		{"err", 3}, {"error", 3}, {"warning", 4}, {"warn", 4},
		{"notice", 5}, {"info", 6}, {"debug", 7},
	};

	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (fl_span_eq(s, n, names[k].name))
			return names[k].sev;
	return -1;
}
