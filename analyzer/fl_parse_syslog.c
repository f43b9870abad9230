/*
 * Syslog envelopes: RFC 3164 and its variants (journalctl short and
 * short-precise, <PRI>, FreeBSD -v, BusyBox fac.pri, no program, PAM
 * tags), RFC 5424, rsyslog/journalctl ISO 8601, journal separators, and
 * kernel ring buffer lines.
 */
#include "config.h"

#include "fl_parse.h"
#include "fl_parse_int.h"

#include <string.h>

#define TAG_MAX 128

/* A tag at s[i]: "name", "name[pid]", "name(sub)[pid]" followed by ':' or,
 * with a pid, by a space. On success fills the program, pid and message
 * and returns the end of the tag; 0 when s[i..] is no tag. */
static size_t
tag_at(const char *s, size_t n, size_t i, struct fl_parsed *o)
{
	size_t j = i, name_end, sub = 0, sub_end = 0, pid = 0, pid_end = 0;

	while (j < n && j - i < TAG_MAX && (unsigned char)s[j] > ' ' &&
	    s[j] != ':' && s[j] != '[' && s[j] != ']' && s[j] != '(' &&
	    s[j] != ')')
		j++;
	if (j == i || j >= n)
		return 0;
	name_end = j;
	if (s[j] == '(') {
		sub = ++j;
		while (j < n && j - sub < TAG_MAX && (unsigned char)s[j] > ' ' &&
		    s[j] != ')' && s[j] != '(')
			j++;
		if (j >= n || s[j] != ')' || j == sub)
			return 0;
		sub_end = j++;
	}
	if (j < n && s[j] == '[') {
		pid = ++j;
		while (j < n && fl_isdigit(s[j]) && j - pid < 20)
			j++;
		if (j >= n || s[j] != ']' || j == pid)
			return 0;
		pid_end = j++;
	}
	if (j < n && s[j] == ':')
		j++;
	else if (!(pid && (j == n || s[j] == ' ')))
		return 0;
	o->program.p = s + i;
	o->program.n = name_end - i;
	if (sub)
		fl_parse_extra(o, "subsystem", s + sub, sub_end - sub);
	if (pid) {
		o->pid.p = s + pid;
		o->pid.n = pid_end - pid;
	}
	return j;
}

/* Tags holding spaces, accepted only in two safe shapes: up to three words
 * before "[pid]:" ("Microsoft Word[14463]:" on macOS), or two or three
 * capitalised words before ": " (Dell OpenManage "Server Administrator:").
 * So text such as "exiting on signal 15: x" never becomes a program. */
static size_t
spaced_tag_at(const char *s, size_t n, size_t i, struct fl_parsed *o)
{
	size_t j = i, pid, name_end;
	unsigned words = 0;
	int caps = 1;

	for (;;) {
		if (j >= n || !(fl_isalpha(s[j]) || fl_isdigit(s[j])))
			return 0;
		caps = caps && fl_isupper(s[j]);
		for (j++; j < n && (unsigned char)s[j] > ' ' && s[j] != ':' &&
		    s[j] != '[' && s[j] != ']'; j++)
			caps = caps && s[j] >= 'a' && s[j] <= 'z';
		if (j - i > TAG_MAX || ++words > 3)
			return 0;
		if (j < n && (s[j] == ':' || s[j] == '['))
			break;
		if (j >= n || s[j] != ' ')
			return 0;
		j++;
	}
	if (words < 2)
		return 0;
	name_end = j;
	if (s[j] == '[') {
		pid = ++j;
		while (j < n && fl_isdigit(s[j]) && j - pid < 20)
			j++;
		if (j == pid || j + 1 >= n || s[j] != ']' || s[j + 1] != ':')
			return 0;
		o->pid.p = s + pid;
		o->pid.n = j - pid;
		j++;
	} else if (!caps || j + 1 >= n || s[j + 1] != ' ') {
		return 0;
	}
	o->program.p = s + i;
	o->program.n = name_end - i;
	return j + 1;
}

static void
set_message(const char *s, size_t n, size_t j, struct fl_parsed *o)
{
	if (j < n && s[j] == ' ')
		j++;
	o->message.p = s + j;
	o->message.n = n - j;
}

void
fl_parse_host_tag(const char *s, size_t n, size_t i, struct fl_parsed *o)
{
	size_t tok_end, j, dot, n_extra = o->n_extra;
	int fac, sev;

	i = fl_skip_blanks(s, n, i);
	tok_end = i;
	while (tok_end < n && s[tok_end] != ' ')
		tok_end++;
	if (tok_end == i) {
		set_message(s, n, i, o);
		return;
	}
	/* "prog[pid]: msg" without a host: the tag is the whole token. */
	if ((j = tag_at(s, n, i, o)) == tok_end) {
		set_message(s, n, j, o);
		return;
	}
	o->program.n = 0;
	o->pid.n = 0;
	o->n_extra = n_extra;
	o->host.p = s + i;
	o->host.n = tok_end - i;
	i = fl_skip_blanks(s, n, tok_end);
	/* BusyBox syslogd -S: "daemon.crit" before the tag. */
	for (j = i; j < n && s[j] != ' '; j++)
		;
	for (dot = i; dot < j && s[dot] != '.'; dot++)
		;
	if (dot < j && j < n &&
	    (fac = fl_facility_from_name(s + i, dot - i)) >= 0 &&
	    (sev = fl_severity_from_name(s + dot + 1, j - dot - 1)) >= 0) {
		o->facility = fac;
		o->severity = sev;
		i = j + 1;
	}
	if ((j = tag_at(s, n, i, o)) != 0 || (j = spaced_tag_at(s, n, i, o)))
		set_message(s, n, j, o);
	else {
		o->program.n = 0;
		o->pid.n = 0;
		o->n_extra = n_extra;
		o->message.p = s + i;
		o->message.n = n - i;
	}
}

/* "<PRI>" at s[*i]. */
static int
pri_at(const char *s, size_t n, size_t *i, struct fl_parsed *o)
{
	size_t j = *i + 1;
	int v = 0;

	if (*i >= n || s[*i] != '<')
		return -1;
	while (j < n && fl_isdigit(s[j]) && j - *i <= 3)
		v = v * 10 + (s[j++] - '0');
	if (j == *i + 1 || j >= n || s[j] != '>' || v > 191)
		return -1;
	o->facility = v / 8;
	o->severity = v % 8;
	*i = j + 1;
	return 0;
}

/* FreeBSD syslogd -v "<4.3>" and -vv "<auth.info>" after the time. */
static void
bsd_facpri(const char *s, size_t n, size_t *i, struct fl_parsed *o)
{
	size_t j = *i + 1, dot, end;
	int fac, sev;

	if (*i >= n || s[*i] != '<')
		return;
	while (j < n && s[j] != '>' && s[j] != ' ' && j - *i < 40)
		j++;
	if (j >= n || s[j] != '>' || j + 1 >= n || s[j + 1] != ' ')
		return;
	end = j;
	for (dot = *i + 1; dot < end && s[dot] != '.'; dot++)
		;
	if (dot == end)
		return;
	if (fl_isdigit(s[*i + 1])) {
		int a = 0, b = 0;
		size_t k;

		for (k = *i + 1; k < dot; k++) {
			if (!fl_isdigit(s[k]) || a > 23)
				return;
			a = a * 10 + (s[k] - '0');
		}
		for (k = dot + 1; k < end; k++) {
			if (!fl_isdigit(s[k]) || b > 7)
				return;
			b = b * 10 + (s[k] - '0');
		}
		if (dot == *i + 1 || dot + 1 == end || a > 23 || b > 7)
			return;
		fac = a;
		sev = b;
	} else {
		fac = fl_facility_from_name(s + *i + 1, dot - *i - 1);
		sev = fl_severity_from_name(s + dot + 1, end - dot - 1);
		if (fac < 0 || sev < 0)
			return;
	}
	o->facility = fac;
	o->severity = sev;
	*i = end + 2;
}

int
fl_parse_rfc3164(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	size_t i = fl_skip_blanks(s, n, 0);
	int mon, day;

	(void)p;
	if (i < n && s[i] == '<' && pri_at(s, n, &i, o) < 0)
		return 0;
	if ((mon = fl_parse_month3(s, n, i)) == 0)
		return 0;
	i += 3;
	if (i >= n || s[i] != ' ')
		return 0;
	i = fl_skip_blanks(s, n, i);
	if ((day = fl_digits(s, n, i, 2)) >= 0)
		i += 2;
	else if ((day = fl_digits(s, n, i, 1)) >= 0)
		i += 1;
	else
		return 0;
	if (day < 1 || day > 31 || i >= n || s[i] != ' ')
		return 0;
	i++;
	if (fl_parse_hms(s, n, &i, 0, &o->t) < 0)
		return 0;
	fl_parse_frac(s, n, &i, &o->t);
	if (i >= n || s[i] != ' ')
		return 0;
	o->t.kind = FL_LT_NO_YEAR;
	o->t.mon = (uint8_t)mon;
	o->t.day = (uint8_t)day;
	i = fl_skip_blanks(s, n, i);
	bsd_facpri(s, n, &i, o);
	fl_parse_host_tag(s, n, i, o);
	return 1;
}

/* Date, 'T', clock, fraction and optional offset at s[*i]. */
static int
iso_time(const char *s, size_t n, size_t *i, struct fl_ltime *t)
{
	size_t j = *i;
	int32_t off;

	if (fl_parse_ymd(s, n, &j, t) < 0 || j >= n || s[j] != 'T')
		return -1;
	j++;
	if (fl_parse_hms(s, n, &j, 0, t) < 0)
		return -1;
	fl_parse_frac(s, n, &j, t);
	if (fl_parse_utc_offset(s, n, &j, &off) == 0) {
		t->kind = FL_LT_OFFSET;
		t->utc_offset = off;
	} else {
		t->kind = FL_LT_LOCAL;
	}
	*i = j;
	return 0;
}

int
fl_parse_iso(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	size_t i = 0;

	(void)p;
	if (n == 0 || !fl_isdigit(s[0]) || iso_time(s, n, &i, &o->t) < 0 ||
	    i >= n || s[i] != ' ')
		return 0;
	fl_parse_host_tag(s, n, i + 1, o);
	return 1;
}

/* One RFC 5424 header field; '-' is the NILVALUE (empty span). */
static int
field5424(const char *s, size_t n, size_t *i, struct fl_span *f)
{
	size_t j = *i;

	while (j < n && s[j] != ' ')
		j++;
	if (j == *i || j - *i > 255)
		return -1;
	if (!(j - *i == 1 && s[*i] == '-')) {
		f->p = s + *i;
		f->n = j - *i;
	}
	*i = j < n ? j + 1 : j;
	return 0;
}

int
fl_parse_rfc5424(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	struct fl_span msgid = {0}, ts = {0};
	size_t i = 0, sd;

	(void)p;
	if (pri_at(s, n, &i, o) < 0 || i + 1 >= n || s[i] != '1' ||
	    s[i + 1] != ' ')
		return 0;
	i += 2;
	if (i < n && s[i] == '-') {
		if (field5424(s, n, &i, &ts) < 0)
			return 0;
	} else {
		size_t j = i;

		if (iso_time(s, n, &j, &o->t) < 0 || j >= n || s[j] != ' ')
			return 0;
		i = j + 1;
	}
	if (field5424(s, n, &i, &o->host) < 0 ||
	    field5424(s, n, &i, &o->program) < 0 ||
	    field5424(s, n, &i, &o->pid) < 0 ||
	    field5424(s, n, &i, &msgid) < 0 || i >= n)
		return 0;
	sd = i;
	if (s[i] == '-') {
		i++;
	} else {
		/* SD-ELEMENTs: "[id k="v" ...]..." with \" \] \\ escapes. */
		while (i < n && s[i] == '[') {
			int quoted = 0;

			for (i++; i < n; i++) {
				if (quoted && s[i] == '\\' && i + 1 < n)
					i++;
				else if (s[i] == '"')
					quoted = !quoted;
				else if (!quoted && s[i] == ']')
					break;
			}
			if (i >= n)
				return 0;
			i++;
		}
		if (i == sd)
			return 0;
	}
	if (i < n && s[i] != ' ')
		return 0;
	if (msgid.n)
		fl_parse_extra(o, "msgid", msgid.p, msgid.n);
	if (s[sd] != '-')
		fl_parse_extra(o, "structured_data", s + sd, i - sd);
	if (i < n)
		i++;
	if (n - i >= 3 && memcmp(s + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	o->message.p = s + i;
	o->message.n = n - i;
	return 1;
}

int
fl_parse_dmesg(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	size_t i = 0, j;
	int64_t sec = 0;

	(void)p;
	if (i < n && s[i] == '<' && pri_at(s, n, &i, o) < 0)
		return 0;
	if (i >= n || s[i] != '[')
		return 0;
	i++;
	i = fl_skip_blanks(s, n, i);
	for (j = i; j < n && fl_isdigit(s[j]) && j - i < 12; j++)
		sec = sec * 10 + (s[j] - '0');
	if (j == i || j >= n || s[j] != '.')
		return 0;
	i = j;
	fl_parse_frac(s, n, &i, &o->t);
	if (!o->t.has_usec)
		return 0;
	o->t.kind = FL_LT_UPTIME;
	o->t.epoch_us = sec * 1000000 + o->t.usec;
	if (i >= n || s[i] != ']')
		return 0;
	i++;
	o->program.p = "kernel";
	o->program.n = 6;
	set_message(s, n, i, o);
	return 1;
}

int
fl_parse_journal_sep(const char *s, size_t n, int after_record,
    enum fl_format fmt, struct fl_parsed *o)
{
	size_t i;

	if (n < 3 || memcmp(s, "-- ", 3) != 0)
		return 0;
	o->format = fmt;
	o->program.p = "journal";
	o->program.n = 7;
	o->message.p = s;
	o->message.n = n;
	if (fl_span_eq(s, n, "-- Reboot --")) {
		o->flags = FL_PF_BOOT;
		return 1;
	}
	if (n == 3 + 5 + 32 + 3 && memcmp(s + 3, "Boot ", 5) == 0 &&
	    memcmp(s + n - 3, " --", 3) == 0) {
		for (i = 8; i < 8 + 32; i++)
			if (fl_hexval(s[i]) < 0)
				return 0;
		o->flags = FL_PF_BOOT;
		fl_parse_extra(o, "boot_id", s + 8, 32);
		return 1;
	}
	/* "-- Logs begin at ...", "-- Journal begins at ...", "-- No
	 * entries --", and journalctl -x catalog text after a record. */
	if (fl_starts(s, n, 3, "Logs begin at ") ||
	    fl_starts(s, n, 3, "Journal begins at ") ||
	    fl_starts(s, n, 3, "Journal ends at ") ||
	    fl_span_eq(s, n, "-- No entries --") || after_record) {
		o->flags = FL_PF_COMMENT;
		return 1;
	}
	return 0;
}
