/*
 * Device logs: apcupsd events files, APC network management card event
 * logs, ipmitool SEL listings (list, elist, CSV) and CSV exports of PDUs,
 * UPSes and door-badge systems through column mappings.
 */
#include "config.h"

#include "fl_parse.h"
#include "fl_parse_int.h"

#include <string.h>

static void
set_program(struct fl_parsed *o, const char *prog)
{
	o->program.p = prog;
	o->program.n = strlen(prog);
}

static size_t
trim_end(const char *s, size_t i, size_t j)
{
	while (j > i && fl_isblank(s[j - 1]))
		j--;
	return j;
}

/* A zone written by strftime %Z: "CST", "UTC" or "+07". */
static int
apc_zone(const char *s, size_t z, size_t e, struct fl_ltime *t)
{
	size_t k = z;
	int32_t off;

	if (fl_span_eq(s + z, e - z, "UTC") || fl_span_eq(s + z, e - z, "GMT")) {
		t->kind = FL_LT_OFFSET;
		t->utc_offset = 0;
		return 0;
	}
	if (s[z] == '+' || s[z] == '-') {
		if (fl_parse_utc_offset(s, e, &k, &off) < 0 || k != e)
			return -1;
		t->kind = FL_LT_OFFSET;
		t->utc_offset = off;
		return 0;
	}
	for (k = z; k < e; k++)
		if (!fl_isupper(s[k]))
			return -1;
	t->kind = FL_LT_LOCAL;
	t->zone_abbr = s + z;
	t->zone_abbr_len = e - z;
	return 0;
}

/* apcupsd events file: "2018-02-12 20:51:49 +0100  Power failure." (3.14.14)
 * or "Wed Jan 11 11:29:43 CST 2023  Power failure." (older, %a %b %d %X %Z
 * %Y). */
int
fl_parse_apcupsd(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	size_t i = 0, z;
	int32_t off;
	int mon, day, y;

	(void)p;
	if (n == 0)
		return 0;
	if (fl_isdigit(s[0])) {
		if (fl_parse_ymd(s, n, &i, &o->t) < 0 || i >= n || s[i] != ' ')
			return 0;
		i++;
		if (fl_parse_hms(s, n, &i, 0, &o->t) < 0 || i >= n ||
		    s[i] != ' ')
			return 0;
		i++;
		if (fl_parse_utc_offset(s, n, &i, &off) < 0 || s[i - 1] == 'Z')
			return 0;
		o->t.kind = FL_LT_OFFSET;
		o->t.utc_offset = off;
	} else {
		if (!fl_parse_wday3(s, n, 0) || n < 5 || s[3] != ' ' ||
		    (mon = fl_parse_month3(s, n, 4)) == 0)
			return 0;
		i = fl_skip_blanks(s, n, 7);
		if ((day = fl_digits(s, n, i, 2)) >= 0)
			i += 2;
		else if ((day = fl_digits(s, n, i, 1)) >= 0)
			i += 1;
		else
			return 0;
		if (day < 1 || day > 31 || i >= n || s[i] != ' ')
			return 0;
		i++;
		if (fl_parse_hms(s, n, &i, 0, &o->t) < 0 || i >= n ||
		    s[i] != ' ')
			return 0;
		z = ++i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == z || i - z > 6 || i >= n ||
		    (y = fl_digits(s, n, i + 1, 4)) < 1)
			return 0;
		o->t.year = y;
		o->t.mon = (uint8_t)mon;
		o->t.day = (uint8_t)day;
		if (apc_zone(s, z, i, &o->t) < 0)
			return 0;
		i += 5;
	}
	if (i >= n || s[i] != ' ')
		return 0;
	i = fl_skip_blanks(s, n, i);
	set_program(o, "apcupsd");
	o->message.p = s + i;
	o->message.n = n - i;
	return 1;
}

/* "0x0109" */
static int
nmc_code(const char *s, size_t n)
{
	if (n < 3 || n > 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return 0;
	for (size_t i = 2; i < n; i++)
		if (fl_hexval(s[i]) < 0)
			return 0;
	return 1;
}

/* Tab-separated NMC export (event.txt): "Date\tTime\t[User\t]Event\tCode"
 * with a "Date\tTime\t..." header. */
static int
nmc_tsv(const char *s, size_t n, struct fl_parsed *o)
{
	size_t f[8], fe[8], i = 0;
	unsigned nf = 0, k, text;

	while (nf < 8) {
		f[nf] = i;
		while (i < n && s[i] != '\t')
			i++;
		fe[nf++] = i;
		if (i >= n)
			break;
		i++;
	}
	if (nf < 3 || i < n)
		return 0;
	if (fl_span_eq(s + f[0], fe[0] - f[0], "Date") &&
	    fl_span_eq(s + f[1], fe[1] - f[1], "Time")) {
		o->flags = FL_PF_COMMENT;
		return 1;
	}
	if (fl_parse_num_date(s + f[0], fe[0] - f[0], 0, &o->t) < 0 ||
	    fl_parse_clock_field(s + f[1], fe[1] - f[1], &o->t) < 0)
		return 0;
	k = nf;
	if (nmc_code(s + f[nf - 1], fe[nf - 1] - f[nf - 1])) {
		k = nf - 1;
		fl_parse_extra(o, "nmc_code", s + f[k], fe[k] - f[k]);
	}
	if (k < 3)
		return 0;
	text = k - 1;
	if (text > 2)
		fl_parse_extra(o, "nmc_user", s + f[2], fe[2] - f[2]);
	o->message.p = s + f[text];
	o->message.n = fe[text] - f[text];
	return 1;
}

/* APC NMC: "10/11/2016 05:41:36 Device UPS: On battery power ... 0x0109".
 * The message is the text after the category, without the code. */
int
fl_parse_nmc(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	size_t i = 10, c, e;

	(void)p;
	if (n < 10 || (!fl_isdigit(s[0]) && s[0] != 'D') ||
	    (s[0] != 'D' && (s[2] != '/' || s[5] != '/')))
		return 0;
	set_program(o, "nmc");
	if (memchr(s, '\t', n) != NULL)
		return nmc_tsv(s, n, o);
	if (fl_parse_num_date(s, 10, 0, &o->t) < 0 || i >= n || s[i] != ' ')
		return 0;
	i++;
	if (fl_parse_hms(s, n, &i, 0, &o->t) < 0 || i >= n || s[i] != ' ')
		return 0;
	o->t.kind = FL_LT_LOCAL;
	c = ++i;
	while (i < n && fl_isalpha(s[i]))
		i++;
	if (i == c || i >= n || s[i] != ' ' || !fl_isupper(s[c]))
		return 0;
	fl_parse_extra(o, "nmc_category", s + c, i - c);
	i++;
	e = trim_end(s, i, n);
	for (c = e; c > i && s[c - 1] != ' '; c--)
		;
	if (c > i && nmc_code(s + c, e - c)) {
		fl_parse_extra(o, "nmc_code", s + c, e - c);
		e = trim_end(s, i, c);
	}
	o->message.p = s + i;
	o->message.n = e - i;
	return 1;
}

/* Splits s[0..n) at sep into at most max trimmed fields; the last field
 * takes the rest. */
static unsigned
split_trim(const char *s, size_t n, char sep, struct fl_span *f,
    unsigned max)
{
	size_t i = 0;
	unsigned nf = 0;

	while (nf < max) {
		size_t st = i, e;

		while (i < n && (s[i] != sep || nf + 1 == max))
			i++;
		e = trim_end(s, st, i);
		st = fl_skip_blanks(s, e, st);
		f[nf].p = s + st;
		f[nf].n = e - st;
		nf++;
		if (i >= n)
			break;
		i++;
	}
	return nf;
}

static int
sel_id(const struct fl_span *f)
{
	if (f->n == 0 || f->n > 8)
		return 0;
	for (size_t i = 0; i < f->n; i++)
		if (fl_hexval(f->p[i]) < 0)
			return 0;
	return 1;
}

/* The fields shared by "sel list/elist" and "-c sel list":
 * id, date, time, sensor, event, direction, [reading...]. */
static int
sel_fields(struct fl_span *f, unsigned nf, struct fl_parsed *o,
    struct fl_parser *p)
{
	char *m;
	size_t mn;

	if (nf < 5 || !sel_id(&f[0]))
		return 0;
	if (fl_span_eq(f[1].p, f[1].n, "Pre-Init")) {
		int64_t v = 0;

		if (f[2].n == 0 || f[2].n > 12)
			return 0;
		for (size_t i = 0; i < f[2].n; i++) {
			if (!fl_isdigit(f[2].p[i]))
				return 0;
			v = v * 10 + (f[2].p[i] - '0');
		}
		o->t.kind = FL_LT_PREINIT;
		o->t.epoch_us = v * 1000000;
	} else if (fl_parse_num_date(f[1].p, f[1].n, 0, &o->t) < 0 ||
	    fl_parse_clock_field(f[2].p, f[2].n, &o->t) < 0) {
		return 0;
	}
	set_program(o, "ipmi-sel");
	fl_parse_extra(o, "sel_id", f[0].p, f[0].n);
	fl_parse_extra(o, "sel_sensor", f[3].p, f[3].n);
	fl_parse_extra(o, "sel_event", f[4].p, f[4].n);
	if (nf > 5)
		fl_parse_extra(o, "sel_direction", f[5].p, f[5].n);
	if (nf > 6)
		fl_parse_extra(o, "sel_reading", f[6].p, f[6].n);
	/* "<sensor> | <event> | <direction>" */
	mn = f[3].n + 3 + f[4].n + (nf > 5 ? 3 + f[5].n : 0);
	if ((m = fl_parse_scratch(p, mn)) == NULL)
		return 1;
	o->message.p = m;
	o->message.n = mn;
	memcpy(m, f[3].p, f[3].n);
	m += f[3].n;
	memcpy(m, " | ", 3);
	memcpy(m + 3, f[4].p, f[4].n);
	m += 3 + f[4].n;
	if (nf > 5) {
		memcpy(m, " | ", 3);
		memcpy(m + 3, f[5].p, f[5].n);
	}
	return 1;
}

/* ipmitool sel list/elist:
 * "   5 | 02/06/2020 | 18:30:50 | Power Supply #0xfb | Power Supply AC lost | Asserted"
 * "  35 | 12/08/2024 | 09:31:56 PM EST | Physical Security #0xaa | ..."
 * "   5 |  Pre-Init  |0000000123| System Event #0x01 | ... | Asserted"
 * "   9 | Linux kernel panic: <text>" (OEM record) */
int
fl_parse_sel(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	struct fl_span f[7];
	unsigned nf;

	if (n == 0 || memchr(s, '|', n) == NULL) {
		if (fl_span_eq(s, n, "SEL has no entries")) {
			o->flags = FL_PF_COMMENT;
			return 1;
		}
		return 0;
	}
	nf = split_trim(s, n, '|', f, 7);
	if (nf == 2 && sel_id(&f[0]) && fl_starts(f[1].p, f[1].n, 0,
	    "Linux kernel panic:")) {
		size_t e = 19 + (f[1].n > 19 && f[1].p[19] == ' ');

		set_program(o, "ipmi-sel");
		fl_parse_extra(o, "sel_id", f[0].p, f[0].n);
		fl_parse_extra(o, "sel_sensor", f[1].p, 18);
		fl_parse_extra(o, "sel_event", f[1].p + e, f[1].n - e);
		o->message = f[1];
		return 1;
	}
	return sel_fields(f, nf, o, p);
}

/* ipmitool -c sel list: "1,09/07/2021,12:12:35,Drive Slot / Bay #0x42,Drive Present,Deasserted" */
int
fl_parse_sel_csv(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	struct fl_span f[7];
	unsigned nf;

	if (n == 0 || fl_hexval(s[0]) < 0 || memchr(s, ',', n) == NULL)
		return 0;
	nf = split_trim(s, n, ',', f, 7);
	return sel_fields(f, nf, o, p);
}

/* CSV exports through column mappings.
 *
 * Built-in mappings (used when the options give none); the header line
 * decides which applies: a mapping applies when the header names all of
 * its time, host and message columns (case-insensitive). Every column of
 * a data row is also given as a field named by its header.
 *   pdu       Date,Time,Device,Outlet,Event,User,Interface: date and time
 *             columns (month first unless the date is YYYY-MM-DD), host
 *             from Device, message from Event,Outlet,User,Interface.
 *   pdu-ts    Timestamp,Device,Event,User,Source: one time column, host
 *             from Device, message from Event,User,Source.
 *   ups       Date,Time,UPS,Event: host from UPS, message from Event.
 *   badge     Timestamp,Door,Badge,Name,Result: no host (the reader's
 *             path names it), message from Result,Door,Badge,Name.
 * The message is the first message column's value followed by
 * "; Column=value" for each further non-empty message column. */
static const struct fl_csv_mapping builtin_maps[] = {
	{"pdu", NULL, "Date", "Time", "mdy", "Device",
	    "Event,Outlet,User,Interface", "pdu"},
	{"pdu-ts", "Timestamp", NULL, NULL, "mdy", "Device",
	    "Event,User,Source", "pdu"},
	{"ups", NULL, "Date", "Time", "mdy", "UPS", "Event", "ups"},
	{"badge", "Timestamp", NULL, NULL, "mdy", NULL,
	    "Result,Door,Badge,Name", "badge"},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* Splits a CSV line; quoted fields with "" escapes are unescaped into
 * scratch. Returns the number of fields, or -1 on a broken quote. */
static int
csv_split(struct fl_parser *p, const char *s, size_t n, struct fl_span *f,
    unsigned max)
{
	size_t i = 0;
	unsigned nf = 0;

	for (;;) {
		if (nf == max)
			return (int)nf;
		if (i < n && s[i] == '"') {
			size_t st = ++i, k = 0;
			char *d = NULL;

			for (; i < n; i++) {
				if (s[i] != '"')
					continue;
				if (i + 1 < n && s[i + 1] == '"') {
					i++;
					continue;
				}
				break;
			}
			if (i >= n)
				return -1;
			if (memchr(s + st, '"', i - st) != NULL &&
			    (d = fl_parse_scratch(p, i - st)) != NULL) {
				for (size_t j = st; j < i; j++) {
					d[k++] = s[j];
					if (s[j] == '"')
						j++;
				}
				f[nf].p = d;
				f[nf].n = k;
			} else {
				f[nf].p = s + st;
				f[nf].n = i - st;
			}
			nf++;
			i++;
			i = fl_skip_blanks(s, n, i);
			if (i < n && s[i] != ',')
				return -1;
		} else {
			size_t st = i;

			while (i < n && s[i] != ',')
				i++;
			f[nf].p = s + st;
			f[nf].n = trim_end(s, st, i);
			f[nf].n -= st;
			nf++;
		}
		if (i >= n)
			return (int)nf;
		i++;
	}
}

static int
name_eq(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++)
		if (((unsigned char)a[i] | 0x20) != ((unsigned char)b[i] | 0x20))
			return 0;
	return 1;
}

static int
col_of(const struct fl_span *f, unsigned nf, const char *name, size_t nn)
{
	for (unsigned k = 0; k < nf; k++)
		if (name_eq(f[k].p, f[k].n, name, nn))
			return (int)k;
	return -1;
}

static int
col_named(const struct fl_span *f, unsigned nf, const char *name)
{
	return name ? col_of(f, nf, name, strlen(name)) : -1;
}

/* Tries a header line against the mappings; on a match records the
 * layout. */
static int
csv_header(struct fl_parser *p, const struct fl_span *f, unsigned nf)
{
	const struct fl_csv_mapping *m = p->maps ? p->maps : builtin_maps;
	struct fl_csv_state *c = &p->csv;

	for (; m->name != NULL; m++) {
		int t = col_named(f, nf, m->time_col);
		int d = col_named(f, nf, m->date_col);
		int k = col_named(f, nf, m->clock_col);
		int h = col_named(f, nf, m->host_col);
		const char *mc = m->message_cols;
		int idx[FL_CSV_MAX_MSG];
		unsigned nm = 0;
		size_t used = 0;

		if (t < 0 && (d < 0 || k < 0))
			continue;
		if (m->host_col && h < 0)
			continue;
		while (mc && *mc) {
			size_t len = strcspn(mc, ",");

			if (nm == FL_CSV_MAX_MSG ||
			    (idx[nm++] = col_of(f, nf, mc, len)) < 0)
				break;
			mc += len;
			if (*mc == ',')
				mc++;
		}
		if ((mc && *mc) || nm == 0)
			continue;
		memset(c, 0, sizeof *c);
		c->map = m;
		c->ncols = nf;
		c->time_idx = t;
		c->date_idx = t >= 0 ? -1 : d;
		c->clock_idx = t >= 0 ? -1 : k;
		c->host_idx = h;
		memcpy(c->msg_idx, idx, nm * sizeof idx[0]);
		c->n_msg = nm;
		c->dmy = m->date_order && strcmp(m->date_order, "dmy") == 0;
		for (unsigned j = 0; j < nf; j++) {
			size_t len = f[j].n;

			if (len > FL_CSV_NAMES_MAX - used)
				len = FL_CSV_NAMES_MAX - used;
			memcpy(c->names + used, f[j].p, len);
			c->name_off[j] = (uint16_t)used;
			c->name_len[j] = (uint16_t)len;
			used += len;
		}
		return 1;
	}
	return 0;
}

/* A combined time column: "2024-08-03T09:41:12Z", "2024-08-03 09:41:12",
 * "08/03/2024 09:41:12 PM", with an optional offset or zone. */
static int
csv_time(const struct fl_span *v, int dmy, struct fl_ltime *t)
{
	size_t i = 0, sp, j;
	int32_t off;

	while (i < v->n && v->p[i] != ' ' && v->p[i] != 'T')
		i++;
	if (i >= v->n || fl_parse_num_date(v->p, i, dmy, t) < 0)
		return -1;
	sp = i + 1;
	/* An offset right after the digits: "09:41:12+02:00", "09:41:12Z" */
	for (i = sp + 1; i < v->n; i++)
		if ((v->p[i] == '+' || v->p[i] == '-' || v->p[i] == 'Z') &&
		    fl_isdigit(v->p[i - 1]))
			break;
	if (i >= v->n)
		return fl_parse_clock_field(v->p + sp, v->n - sp, t);
	j = i;
	if (fl_parse_clock_field(v->p + sp, i - sp, t) < 0 ||
	    t->kind != FL_LT_LOCAL ||
	    fl_parse_utc_offset(v->p, v->n, &j, &off) < 0 || j != v->n)
		return -1;
	t->kind = FL_LT_OFFSET;
	t->utc_offset = off;
	return 0;
}

int
fl_parse_csv(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	struct fl_csv_state *c = &p->csv;
	struct fl_span f[FL_CSV_MAX_COLS];
	size_t mn, scratch_mark = p->scratch_len;
	char *m;
	int nf;

	/* Spreadsheet exports often start with a byte order mark. */
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (memchr(s, ',', n) == NULL ||
	    (nf = csv_split(p, s, n, f, FL_CSV_MAX_COLS)) < 2)
		return 0;
	if (c->map != NULL) {
		const struct fl_span *h = c->host_idx >= 0 &&
		    c->host_idx < nf ? &f[c->host_idx] : NULL;
		int ok;

		if (c->time_idx >= 0)
			ok = c->time_idx < nf &&
			    csv_time(&f[c->time_idx], c->dmy, &o->t) == 0;
		else
			ok = c->date_idx < nf && c->clock_idx < nf &&
			    fl_parse_num_date(f[c->date_idx].p,
			    f[c->date_idx].n, c->dmy, &o->t) == 0 &&
			    fl_parse_clock_field(f[c->clock_idx].p,
			    f[c->clock_idx].n, &o->t) == 0;
		if (ok) {
			set_program(o, c->map->program ? c->map->program :
			    c->map->name);
			if (h)
				o->host = *h;
			mn = 0;
			for (unsigned k = 0; k < c->n_msg; k++)
				if (c->msg_idx[k] < nf)
					mn += f[c->msg_idx[k]].n + 3 +
					    c->name_len[c->msg_idx[k]];
			if ((m = fl_parse_scratch(p, mn)) != NULL) {
				o->message.p = m;
				o->message.n = 0;
				for (unsigned k = 0; k < c->n_msg; k++) {
					int x = c->msg_idx[k];

					if (x >= nf || (k > 0 && f[x].n == 0))
						continue;
					if (k > 0) {
						memcpy(m, "; ", 2);
						memcpy(m + 2, c->names +
						    c->name_off[x],
						    c->name_len[x]);
						m += 2 + c->name_len[x];
						*m++ = '=';
					}
					memcpy(m, f[x].p, f[x].n);
					m += f[x].n;
				}
				o->message.n = (size_t)(m - o->message.p);
			}
			for (int k = 0; k < nf && (unsigned)k < c->ncols; k++)
				if (f[k].n > 0)
					fl_parse_extra_n(o, c->names +
					    c->name_off[k], c->name_len[k],
					    f[k].p, f[k].n);
			return 1;
		}
		memset(&o->t, 0, sizeof o->t);
	}
	if (csv_header(p, f, (unsigned)nf)) {
		p->scratch_len = scratch_mark;
		o->flags = FL_PF_COMMENT;
		return 1;
	}
	return 0;
}
