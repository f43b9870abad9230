/* The HTML report: one self-contained, well-formed XHTML page. */
#include "config.h"

#include "fl_report_views.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fl_clock.h"

#define SEC FL_US_PER_SEC
#define MIN_US (60 * SEC)
#define MAX_CITE_TEXT 2000      /* bytes of a raw line shown in full */
#define MAX_TIP_TEXT 300        /* bytes of a raw line in a tooltip */

const char *
fl_cause_title(enum fl_cause c)
{
	switch (c) {
	case FL_CAUSE_ACCIDENT: return "Accidental power fault";
	case FL_CAUSE_SABOTAGE: return "Sabotage";
	case FL_CAUSE_CYBERATTACK: return "Cyberattack";
	case FL_CAUSE_PLANNED: return "Planned shutdown";
	case FL_CAUSE_NO_INCIDENT: return "No incident";
	case FL_CAUSE_INCONCLUSIVE: return "Inconclusive";
	}
	return "?";
}

void
fl_site_time_init(struct fl_site_time *st, const struct fl_report *r)
{
	char *err = NULL;

	memset(st, 0, sizeof *st);
	st->known = r->site_zone != NULL;
	if (!st->known)
		return;
	st->zones = fl_zones_new();
	st->zone = fl_zones_get(st->zones, r->site_zone, &err);
	free(err);
}

int32_t
fl_site_time_offset(const struct fl_site_time *st, int64_t us)
{
	if (st->zone == NULL || us == FL_TIME_UNKNOWN)
		return 0;
	return fl_zone_offset_at(st->zone, us >= 0 ? us / SEC :
	    -((-us + SEC - 1) / SEC));
}

void
fl_site_time_free(struct fl_site_time *st)
{
	fl_zones_free(st->zones);
	memset(st, 0, sizeof *st);
}

static const char *
cause_class(enum fl_cause c)
{
	switch (c) {
	case FL_CAUSE_ACCIDENT: return "accident";
	case FL_CAUSE_SABOTAGE: return "sabotage";
	case FL_CAUSE_CYBERATTACK: return "attack";
	case FL_CAUSE_PLANNED: return "planned";
	case FL_CAUSE_NO_INCIDENT: return "none";
	case FL_CAUSE_INCONCLUSIVE: return "inconclusive";
	}
	return "inconclusive";
}

/* ------------------------------------------------------------------ */
/* Escaping. Log lines are hostile: besides what fl_buf_html escapes, the
 * two non-characters XML refuses and the bidirectional overrides that
 * would reorder what a reader sees are shown as \uXXXX. */

size_t
fl_view_hostile(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n < 3)
		return 0;
	if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
		*cp = p[2] == 0xbe ? 0xfffe : 0xffff;
		return 3;
	}
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) {
		*cp = 0x2000u + (p[2] - 0x80u);
		return 3;
	}
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) {
		*cp = 0x2040u + (p[2] - 0x80u);
		return 3;
	}
	return 0;
}

static void
hn(struct fl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, from = 0, k;
	unsigned cp;

	while (i < n) {
		if (p[i] == 0xef || p[i] == 0xe2) {
			k = fl_view_hostile(s + i, n - i, &cp);
			if (k > 0) {
				fl_buf_html(b, s + from, i - from);
				fl_buf_printf(b, "\\u%04x", cp);
				i += k;
				from = i;
				continue;
			}
		}
		i++;
	}
	fl_buf_html(b, s + from, n - from);
}

static void
h(struct fl_buf *b, const char *s)
{
	if (s != NULL)
		hn(b, s, strlen(s));
}

/* At most max bytes of s, cut on a character boundary, with a mark when
 * something was left out. */
static void
h_capped(struct fl_buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		hn(b, s, n);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	hn(b, s, max);
	fl_buf_printf(b, " [\xe2\x80\xa6 %zu more bytes]", n - max);
}

/* ------------------------------------------------------------------ */
/* Times */

/* "2024-08-03 07:52:10Z" (seconds), or "-" when unknown. */
static void
fmt_short(char out[FL_TIME_STRLEN], int64_t us)
{
	char *p;

	if (us == FL_TIME_UNKNOWN) {
		snprintf(out, FL_TIME_STRLEN, "-");
		return;
	}
	fl_format_time(out, us - (((us % SEC) + SEC) % SEC), 0);
	if ((p = strchr(out, 'T')) != NULL)
		*p = ' ';
}

static void
fmt_full(char out[FL_TIME_STRLEN], int64_t us)
{
	fl_format_time(out, us, us != FL_TIME_UNKNOWN && us % SEC != 0);
}

static void
htime(struct fl_buf *b, int64_t us)
{
	char s[FL_TIME_STRLEN], f[FL_TIME_STRLEN];

	if (us == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "<span class=\"unk\">not seen</span>");
		return;
	}
	fmt_short(s, us);
	fmt_full(f, us);
	fl_buf_printf(b, "<time datetime=\"%s\">%s</time>", f, s);
}

/* Local wall-clock time at the site ("2024-08-03 09:52:10"). */
static int
local_time(const struct fl_site_time *st, char out[FL_TIME_STRLEN],
    int64_t us)
{
	char *p;

	if (!st->known || us == FL_TIME_UNKNOWN)
		return 0;
	fmt_short(out, us + (int64_t)fl_site_time_offset(st, us) * SEC);
	if ((p = strchr(out, 'Z')) != NULL)
		*p = '\0';
	return 1;
}

/* "3 h 54 min", "12 min", "45 s"; "" when either end is unknown. */
static void
dur_str(char out[64], int64_t a, int64_t z)
{
	int64_t s;

	out[0] = '\0';
	if (a == FL_TIME_UNKNOWN || z == FL_TIME_UNKNOWN)
		return;
	s = (z - a) / SEC;
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, 64, "%" PRId64 " s", s);
	else if (s < 2 * 3600)
		snprintf(out, 64, "%" PRId64 " min", (s + 30) / 60);
	else if (s < 72 * 3600)
		snprintf(out, 64, "%" PRId64 " h %02" PRId64 " min", s / 3600,
		    (s % 3600 + 30) / 60 % 60);
	else
		snprintf(out, 64, "%" PRId64 " d %" PRId64 " h", s / 86400,
		    (s % 86400 + 1800) / 3600 % 24);
}

/* ------------------------------------------------------------------ */
/* Lanes: which hosts, in which groups, in which order */

struct group {
	char *title;
	char *note;             /* power path, or NULL */
	size_t *hosts;          /* indexes into r->hosts */
	size_t n, cap;
};

struct layout {
	struct group *g;
	size_t n;
};

static const struct fl_report *sort_r;

static int
cmp_host_name(const void *a, const void *b)
{
	return strcmp(sort_r->hosts[*(const size_t *)a].name,
	    sort_r->hosts[*(const size_t *)b].name);
}

static struct group *
group_get(struct layout *L, const char *title)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		if (strcmp(L->g[i].title, title) == 0)
			return &L->g[i];
	L->g = fl_xreallocarray(L->g, L->n + 1, sizeof *L->g);
	memset(&L->g[L->n], 0, sizeof *L->g);
	L->g[L->n].title = fl_xstrdup(title);
	return &L->g[L->n++];
}

static void
group_add(struct group *g, size_t host)
{
	FL_GROW(g->hosts, g->cap, g->n + 1);
	g->hosts[g->n++] = host;
}

/* Adds s to a ", "-separated list unless it is there already. */
static void
note_add(struct fl_buf *b, const char *s)
{
	const char *p = b->data;
	size_t n = strlen(s);

	while (p != NULL && *p) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, s, n) == 0)
			return;
		p = e ? e + 2 : NULL;
	}
	if (b->len)
		fl_buf_adds(b, ", ");
	fl_buf_adds(b, s);
}

/* The power path of a group of hosts: its PDUs, then each level
 * upstream ("pdu-r1a, pdu-r1b \xe2\x86\x92 ups-51 \xe2\x86\x92 utility-main"). */
static void
group_power_path(const struct fl_report *r, const struct fl_inventory *inv,
    struct group *g)
{
	struct fl_buf note = {0}, level = {0};
	size_t i, j, k, depth = 0;

	for (k = 1;; k++) {
		int any = 0;

		fl_buf_reset(&level);
		for (i = 0; i < g->n; i++) {
			const char *name = r->hosts[g->hosts[i]].name;
			const struct fl_inv_host *ih = fl_inventory_host(inv, name);

			if (ih == NULL)
				ih = fl_inventory_bmc_host(inv, name);
			for (j = 0; ih != NULL && j < ih->n_psus; j++)
				if (k < ih->psus[j].n_path) {
					note_add(&level, ih->psus[j].path[k]);
					any = 1;
				}
		}
		if (!any)
			break;
		if (depth++)
			fl_buf_adds(&note, " \xe2\x86\x92 ");
		fl_buf_add(&note, level.data, level.len);
	}
	free(g->note);
	g->note = note.len ? fl_buf_take(&note) : NULL;
	fl_buf_free(&note);
	fl_buf_free(&level);
}

static int
is_device(const struct fl_report_host *h)
{
	return strcmp(h->kind, "device") == 0;
}

/* Position of a device in the inventory (feeds, UPSes and PDUs in file
 * order, then other devices), or SIZE_MAX. */
static size_t
inv_device_rank(const struct fl_inventory *inv, const char *name)
{
	size_t i;

	for (i = 0; i < inv->n_power; i++)
		if (fl_inventory_name_eq(inv->power[i].name, name))
			return i;
	for (i = 0; i < inv->n_devices; i++)
		if (fl_inventory_name_eq(inv->devices[i].name, name))
			return inv->n_power + i;
	return SIZE_MAX;
}

static const struct fl_inventory *sort_inv;

static int
cmp_device(const void *a, const void *b)
{
	const char *na = sort_r->hosts[*(const size_t *)a].name;
	const char *nb = sort_r->hosts[*(const size_t *)b].name;
	size_t ra = inv_device_rank(sort_inv, na);
	size_t rb = inv_device_rank(sort_inv, nb);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(na, nb);
}

static int
cmp_group(const void *a, const void *b)
{
	const struct group *ga = a, *gb = b;

	return strcmp(ga->title, gb->title);
}

static void
layout_build(const struct fl_report *r, const struct fl_inventory *inv,
    struct layout *L)
{
	struct group *dev;
	size_t i;

	memset(L, 0, sizeof *L);
	sort_r = r;
	sort_inv = inv;
	dev = group_get(L, "Power and other devices");
	for (i = 0; i < r->n_hosts; i++)
		if (is_device(&r->hosts[i]))
			group_add(dev, i);
	if (inv == NULL) {
		struct group *srv = group_get(L, "Servers");

		for (i = 0; i < r->n_hosts; i++)
			if (!is_device(&r->hosts[i]))
				group_add(srv, i);
	} else {
		size_t first = L->n;

		for (i = 0; i < r->n_hosts; i++) {
			const struct fl_report_host *rh = &r->hosts[i];
			const struct fl_inv_host *ih;
			struct fl_buf t = {0};
			struct group *g;

			if (is_device(rh))
				continue;
			ih = fl_inventory_host(inv, rh->name);
			if (ih == NULL)
				ih = fl_inventory_bmc_host(inv, rh->name);
			if (ih == NULL)
				fl_buf_adds(&t, "~Not in the inventory");
			else if (ih->rack != NULL)
				fl_buf_printf(&t, "Rack %s", ih->rack);
			else if (ih->n_psus > 0)
				fl_buf_printf(&t, "PDU %s", ih->psus[0].pdu);
			else
				fl_buf_adds(&t, "~No rack or power path");
			g = group_get(L, t.data);
			fl_buf_free(&t);
			group_add(g, i);
		}
		for (i = first; i < L->n; i++)
			group_power_path(r, inv, &L->g[i]);
		/* racks by name; the '~' groups sort last */
		if (L->n - first > 1)
			qsort(L->g + first, L->n - first, sizeof *L->g,
			    cmp_group);
		for (i = first; i < L->n; i++)
			if (L->g[i].title[0] == '~')
				memmove(L->g[i].title, L->g[i].title + 1,
				    strlen(L->g[i].title));
	}
	for (i = 0; i < L->n; i++) {
		if (L->g[i].n < 2)
			continue;
		qsort(L->g[i].hosts, L->g[i].n, sizeof *L->g[i].hosts,
		    inv != NULL && i == 0 ? cmp_device : cmp_host_name);
	}
}

static void
layout_free(struct layout *L)
{
	size_t i;

	for (i = 0; i < L->n; i++) {
		free(L->g[i].title);
		free(L->g[i].note);
		free(L->g[i].hosts);
	}
	free(L->g);
}

static int
is_affected(const struct fl_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_affected; i++)
		if (strcmp(r->affected[i], name) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The SVG timeline */

#define SVG_W 1360.0
#define PLOT_X 196.0
#define PLOT_W (SVG_W - PLOT_X - 24.0)
#define AXIS_H 50.0
#define LANE_H 16.0
#define GROUP_H 22.0
#define BIN_PX 2.0

struct chart {
	const struct fl_report *r;
	const struct fl_site_time *st;
	int64_t t0, t1;         /* the view, UTC µs, whole minutes */
	int id;
	double height;
	size_t *lane_of;        /* r->hosts index -> lane number, SIZE_MAX */
	double *lane_y;         /* top of each lane */
};

static double
xpos(const struct chart *c, int64_t us)
{
	if (us < c->t0)
		us = c->t0;
	if (us > c->t1)
		us = c->t1;
	return PLOT_X + (double)(us - c->t0) * PLOT_W /
	    (double)(c->t1 - c->t0);
}

static int
in_view(const struct chart *c, int64_t us)
{
	return us != FL_TIME_UNKNOWN && us >= c->t0 && us <= c->t1;
}

static const int64_t tick_steps[] = {
	60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600,
	12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400
};

static int64_t
tick_step(const struct chart *c)
{
	size_t i, n = sizeof tick_steps / sizeof tick_steps[0];
	double span = (double)(c->t1 - c->t0) / SEC;

	for (i = 0; i < n; i++)
		if (span / (double)tick_steps[i] <= PLOT_W / 84.0)
			return tick_steps[i];
	return tick_steps[n - 1];
}

static const char *const wdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue",
	"Wed"};

/* "Sat 2024-08-03" */
static void
day_label(char out[32], int64_t sec)
{
	int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
	int64_t y;
	unsigned m, d;

	fl_civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%s %04" PRId64 "-%02u-%02u",
	    wdays[((days % 7) + 7) % 7], y, m, d);
}

static void
hm_label(char out[16], int64_t sec)
{
	int64_t s = ((sec % 86400) + 86400) % 86400;

	snprintf(out, 16, "%02d:%02d", (int)(s / 3600), (int)(s % 3600 / 60));
}

static void
svg_axis(const struct chart *c, struct fl_buf *b, double lanes_top,
    double lanes_bottom)
{
	const struct fl_report *r = c->r;
	int64_t step = tick_step(c), t, last_day = INT64_MIN;
	double last_date_x = -1e9;
	int local = c->st->known;
	char lab[32];

	fl_buf_adds(b, "<g class=\"axis\">\n");
	fl_buf_printf(b, "<text x=\"%.1f\" y=\"30\" class=\"axl\">UTC</text>\n",
	    PLOT_X - 8);
	if (local) {
		fl_buf_printf(b, "<text x=\"%.1f\" y=\"44\" class=\"axl "
		    "loc\">", PLOT_X - 8);
		h(b, r->site_zone);
		fl_buf_adds(b, "</text>\n");
	}
	for (t = (c->t0 / SEC + step - 1) / step * step; t * SEC <= c->t1;
	    t += step) {
		double x = xpos(c, t * SEC);
		int64_t day = t / 86400;

		fl_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/>\n", x, lanes_top - 14, x,
		    lanes_bottom + 4);
		if (day != last_day && x - last_date_x > 120) {
			day_label(lab, t);
			fl_buf_printf(b, "<text x=\"%.1f\" y=\"14\" "
			    "class=\"day\">%s</text>\n", x, lab);
			last_date_x = x;
		}
		last_day = day;
		hm_label(lab, t);
		fl_buf_printf(b, "<text x=\"%.1f\" y=\"30\" class=\"tk\">%s"
		    "</text>\n", x, lab);
		fl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tk\">%s"
		    "</text>\n", x, lanes_bottom + 16, lab);
		if (local) {
			hm_label(lab, t + fl_site_time_offset(c->st, t * SEC));
			fl_buf_printf(b, "<text x=\"%.1f\" y=\"44\" "
			    "class=\"tk loc\">%s</text>\n", x, lab);
		}
	}
	fl_buf_adds(b, "</g>\n");
}

/* Lines per minute of one host, binned for the view, as four shades. */
static void
svg_activity(const struct chart *c, struct fl_buf *b, size_t host, double y)
{
	const struct fl_evidence *ev = c->r->ev;
	const struct fl_host_rec *hr;
	int64_t bin_us;
	size_t nb, i, k;
	uint64_t *cnt;
	unsigned char *lvl;
	int level;

	if (ev == NULL || host >= ev->n_hosts ||
	    strcmp(ev->hosts[host].name, c->r->hosts[host].name) != 0)
		return;
	hr = &ev->hosts[host];
	bin_us = (int64_t)((double)(c->t1 - c->t0) * BIN_PX / PLOT_W);
	bin_us = (bin_us + MIN_US - 1) / MIN_US * MIN_US;
	if (bin_us < MIN_US)
		bin_us = MIN_US;
	nb = (size_t)((c->t1 - c->t0 + bin_us - 1) / bin_us);
	cnt = fl_xcalloc(nb + 1, sizeof *cnt);
	lvl = fl_xcalloc(nb + 1, 1);
	for (i = 0; i < hr->n_minutes; i++) {
		int64_t us = hr->minutes[i].minute * MIN_US;

		if (us < c->t0 || us >= c->t1)
			continue;
		cnt[(us - c->t0) / bin_us] += hr->minutes[i].lines;
	}
	for (i = 0; i < nb; i++) {
		double per_min = (double)cnt[i] * (double)MIN_US /
		    (double)bin_us;

		lvl[i] = cnt[i] == 0 ? 0 : per_min >= 25 ? 4 : per_min >= 5 ?
		    3 : per_min >= 1 ? 2 : 1;
	}
	for (level = 1; level <= 4; level++) {
		int any = 0;

		for (i = 0; i < nb; i = k) {
			double x0, x1;

			if (lvl[i] != level) {
				k = i + 1;
				continue;
			}
			for (k = i; k < nb && lvl[k] == level; k++)
				;
			if (!any++)
				fl_buf_printf(b, "<path class=\"a%d\" d=\"", level);
			x0 = xpos(c, c->t0 + (int64_t)i * bin_us);
			x1 = xpos(c, c->t0 + (int64_t)k * bin_us);
			fl_buf_printf(b, "M%.1f %.1fh%.1fv10h%.1fz", x0, y + 3,
			    x1 - x0 < 0.8 ? 0.8 : x1 - x0,
			    -(x1 - x0 < 0.8 ? 0.8 : x1 - x0));
		}
		if (any)
			fl_buf_adds(b, "\"/>\n");
	}
	free(cnt);
	free(lvl);
}

static const char *
gap_class(const char *kind)
{
	static const char *const known[] = {"abrupt-stop", "orderly-shutdown",
		"orderly-restart", "logger-stopped", "tamper-suspect"};
	size_t i;

	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (kind != NULL && strcmp(kind, known[i]) == 0)
			return known[i];
	return "other";
}

static void
tip_cite(struct fl_buf *b, const struct fl_cite *ct)
{
	h(b, ct->input);
	if (ct->member && ct->member[0]) {
		fl_buf_addc(b, '!');
		h(b, ct->member);
	}
	fl_buf_printf(b, ":%" PRIu64 ": ", ct->line);
	h_capped(b, ct->text ? ct->text : "", MAX_TIP_TEXT);
}

/* A thin line while the host was up: between its first and last line,
 * outside its silences. */
static void
svg_upline(const struct chart *c, struct fl_buf *b, size_t host, double y)
{
	const struct fl_report_host *rh = &c->r->hosts[host];
	int64_t from = rh->first_us, to;
	double mid = y + LANE_H / 2;
	size_t j;

	if (from == FL_TIME_UNKNOWN || rh->last_us == FL_TIME_UNKNOWN)
		return;
	for (j = 0; j <= rh->n_gaps; j++) {
		to = j < rh->n_gaps ? rh->gaps[j].start_us : rh->last_us;
		if (to > c->t0 && from < c->t1 && to > from)
			fl_buf_printf(b, "<rect class=\"up\" x=\"%.1f\" y=\"%.1f\""
			    " width=\"%.1f\" height=\"2\"/>\n", xpos(c, from),
			    mid - 1, xpos(c, to) - xpos(c, from));
		from = j < rh->n_gaps ? rh->gaps[j].end_us : FL_TIME_UNKNOWN;
		if (from == FL_TIME_UNKNOWN)
			break;
	}
}

/* The silences as bands over the activity (they start at the last line,
 * inside its minute), and the stop and boot marks at their ends, kept
 * aside to be drawn over everything. */
static void
svg_gaps(const struct chart *c, struct fl_buf *b, struct fl_buf *marks,
    size_t host, double y)
{
	const struct fl_report_host *rh = &c->r->hosts[host];
	double mid = y + LANE_H / 2;
	size_t j, k;
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN], d[64];
	struct fl_buf tip = {0};

	for (j = 0; j < rh->n_gaps; j++) {
		const struct fl_report_gap *g = &rh->gaps[j];
		int64_t e = g->end_us == FL_TIME_UNKNOWN ? c->t1 : g->end_us;
		int abrupt = g->began && strcmp(g->began, "abrupt") == 0;
		int boot = g->end_us != FL_TIME_UNKNOWN &&
		    in_view(c, g->end_us) && g->ended &&
		    strncmp(g->ended, "boot", 4) == 0;
		double x0, x1;

		if (e < c->t0 || g->start_us > c->t1)
			continue;
		x0 = xpos(c, g->start_us);
		x1 = xpos(c, e);
		fmt_short(a, g->start_us);
		fmt_short(z, g->end_us);
		dur_str(d, g->start_us, g->end_us);
		fl_buf_reset(&tip);
		fl_buf_adds(&tip, "<title>");
		h(&tip, rh->name);
		fl_buf_adds(&tip, ": ");
		h(&tip, g->kind);
		fl_buf_printf(&tip, "\n%s \xe2\x86\x92 %s%s%s%s\nbegan: ", a,
		    g->end_us == FL_TIME_UNKNOWN ? "never spoke again" : z,
		    d[0] ? " (" : "", d, d[0] ? ")" : "");
		h(&tip, g->began);
		fl_buf_adds(&tip, "; ended: ");
		h(&tip, g->ended);
		if (g->requested_by && strcmp(g->requested_by, "none") != 0) {
			fl_buf_adds(&tip, "; requested by: ");
			h(&tip, g->requested_by);
			if (g->user) {
				fl_buf_adds(&tip, " (");
				h(&tip, g->user);
				fl_buf_addc(&tip, ')');
			}
		}
		for (k = 0; k < g->n_cites; k++) {
			fl_buf_addc(&tip, '\n');
			tip_cite(&tip, &g->cites[k]);
		}
		fl_buf_adds(&tip, "</title>");
		/* the silence */
		fl_buf_printf(b, "<g class=\"gap g-%s\">", gap_class(g->kind));
		fl_buf_add(b, tip.data, tip.len);
		fl_buf_printf(b, "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"10\"", x0, y + 3,
		    x1 - x0 < 1.5 ? 1.5 : x1 - x0);
		if (strcmp(gap_class(g->kind), "tamper-suspect") == 0)
			fl_buf_printf(b, " fill=\"url(#hatch%d)\"", c->id);
		fl_buf_adds(b, "/></g>\n");
		/* how it began and ended, over the activity */
		if (!in_view(c, g->start_us) && !boot)
			continue;
		fl_buf_adds(marks, "<g class=\"mk\">");
		fl_buf_add(marks, tip.data, tip.len);
		if (in_view(c, g->start_us)) {
			if (abrupt)
				fl_buf_printf(marks, "<rect class=\"m-abrupt\" "
				    "x=\"%.1f\" y=\"%.1f\" width=\"2.6\" "
				    "height=\"%.1f\"/>", x0 - 1.3, y + 0.5,
				    LANE_H - 1);
			else
				fl_buf_printf(marks, "<path class=\"m-shut\" "
				    "d=\"M%.1f %.1fl-4.5 -7h9z\"/>", x0,
				    mid + 3);
		}
		if (boot)
			fl_buf_printf(marks, "<path class=\"m-boot%s\" "
			    "d=\"M%.1f %.1fl-4.5 7h9z\"/>",
			    strcmp(g->ended, "boot-unclean") == 0 ?
			    " unclean" : "", x1, mid - 3.5);
		fl_buf_adds(marks, "</g>\n");
	}
	fl_buf_free(&tip);
}

static long
host_index(const struct fl_report *r, const char *name)
{
	size_t k;

	for (k = 0; k < r->n_hosts; k++)
		if (strcmp(r->hosts[k].name, name) == 0)
			return (long)k;
	return -1;
}

/* Markers for the cited lines of power and security findings. */
static void
svg_findings(const struct chart *c, struct fl_buf *b)
{
	const struct fl_report *r = c->r;
	size_t i, j;
	long hi;

	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *f = &r->findings[i];
		int power = strcmp(f->category, "power") == 0;
		int sec = strcmp(f->category, "security") == 0;

		if (!power && !sec)
			continue;
		for (j = 0; j < f->n_cites; j++) {
			const struct fl_cite *ct = &f->cites[j];
			char a[FL_TIME_STRLEN];
			double x, y;

			if (ct->host == NULL || !in_view(c, ct->time_us))
				continue;
			hi = host_index(r, ct->host);
			if (hi < 0 || c->lane_of[hi] == SIZE_MAX)
				continue;
			x = xpos(c, ct->time_us);
			y = c->lane_y[c->lane_of[hi]] + LANE_H / 2;
			fmt_short(a, ct->time_us);
			fl_buf_adds(b, "<a href=\"#");
			h(b, f->id);
			fl_buf_adds(b, "\"><title>");
			h(b, f->id);
			fl_buf_printf(b, " \xc2\xb7 %s \xc2\xb7 ", a);
			h(b, ct->host);
			fl_buf_addc(b, '\n');
			if (f->noise)
				fl_buf_adds(b, "[noise] ");
			h(b, f->title);
			fl_buf_addc(b, '\n');
			tip_cite(b, ct);
			fl_buf_adds(b, "</title>");
			if (power)
				fl_buf_printf(b, "<path class=\"m-power\" "
				    "d=\"M%.1f %.1fl5 5.5l-5 5.5l-5 -5.5z\"/>",
				    x, y - 5.5);
			else
				fl_buf_printf(b, "<circle class=\"m-sec%s\" "
				    "cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>",
				    f->noise ? " noise" : "", x, y,
				    f->noise ? "3" : "4.5");
			fl_buf_adds(b, "</a>\n");
		}
	}
}

static void
svg_lane_label(const struct chart *c, struct fl_buf *b, size_t host,
    double y)
{
	const struct fl_report_host *rh = &c->r->hosts[host];
	int aff = is_affected(c->r, rh->name);
	size_t n = strlen(rh->name);
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN];

	fmt_short(a, rh->first_us);
	fmt_short(z, rh->last_us);
	fl_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"ln%s%s\">"
	    "<title>", PLOT_X - 8, y + 11.5, aff ? " aff" : "",
	    is_device(rh) ? " dev" : "");
	h(b, rh->name);
	fl_buf_printf(b, " (%s%s)\n", rh->kind, aff ? ", stopped in the "
	    "incident" : "");
	fl_buf_printf(b, "%" PRIu64 " lines, %s to %s\nzone: ", rh->lines, a,
	    z);
	h(b, rh->zone);
	fl_buf_adds(b, " (");
	h(b, rh->zone_source);
	fl_buf_addc(b, ')');
	if (rh->clock_offset_us != 0)
		fl_buf_printf(b, "; clock corrected by %+.0f s",
		    (double)rh->clock_offset_us / SEC);
	fl_buf_adds(b, "</title>");
	if (n > 26) {
		size_t cut = 25;

		while (cut > 0 && ((unsigned char)rh->name[cut] & 0xc0) == 0x80)
			cut--;
		hn(b, rh->name, cut);
		fl_buf_adds(b, "\xe2\x80\xa6");
	} else {
		h(b, rh->name);
	}
	fl_buf_adds(b, "</text>\n");
}

static void
svg_chart(const struct fl_report *r, const struct fl_site_time *st,
    const struct layout *L, int64_t t0, int64_t t1, int id, const char *label,
    struct fl_buf *b)
{
	struct chart c;
	struct fl_buf marks = {0};
	size_t gi, i, lane = 0, n_lanes = 0;
	double y, lanes_top = AXIS_H + 6;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.st = st;
	c.id = id;
	c.t0 = t0 / MIN_US * MIN_US;
	c.t1 = (t1 + MIN_US - 1) / MIN_US * MIN_US;
	if (c.t1 <= c.t0)
		c.t1 = c.t0 + MIN_US;
	c.lane_of = fl_xmalloc((r->n_hosts + 1) * sizeof *c.lane_of);
	for (i = 0; i < r->n_hosts; i++)
		c.lane_of[i] = SIZE_MAX;
	for (gi = 0; gi < L->n; gi++)
		n_lanes += L->g[gi].n;
	c.lane_y = fl_xcalloc(n_lanes + 1, sizeof *c.lane_y);
	y = lanes_top;
	for (gi = 0; gi < L->n; gi++) {
		if (L->g[gi].n == 0)
			continue;
		y += GROUP_H;
		for (i = 0; i < L->g[gi].n; i++) {
			c.lane_of[L->g[gi].hosts[i]] = lane;
			c.lane_y[lane++] = y;
			y += LANE_H;
		}
	}
	c.height = y + 26;

	fl_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"tl\" id=\"tl%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	    "height=\"%.0f\" role=\"img\" aria-label=\"", id, SVG_W, c.height,
	    SVG_W, c.height);
	h(b, label);
	fl_buf_adds(b, "\">\n");
	fl_buf_printf(b, "<defs><pattern id=\"hatch%d\" width=\"6\" "
	    "height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#fed7aa\"/><rect width=\"2.2\" height=\"6\" "
	    "fill=\"#ea580c\"/></pattern></defs>\n", id);

	/* the incident window, behind everything */
	if (r->has_incident && r->incident_end_us >= c.t0 &&
	    r->incident_start_us <= c.t1) {
		double x0 = xpos(&c, r->incident_start_us);
		double x1 = xpos(&c, r->incident_end_us);

		if (x1 - x0 < 2) {
			x0 -= 1;
			x1 += 1;
		}
		fl_buf_printf(b, "<rect class=\"incw\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"/>\n", x0, lanes_top - 4,
		    x1 - x0, y - lanes_top + 8);
		fl_buf_printf(b, "<line class=\"incb\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/><line class=\"incb\" x1=\"%.1f\" "
		    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x0, lanes_top - 4,
		    x0, y + 4, x1, lanes_top - 4, x1, y + 4);
	}
	svg_axis(&c, b, lanes_top, y);
	if (r->has_incident && r->incident_end_us >= c.t0 &&
	    r->incident_start_us <= c.t1) {
		double x0 = xpos(&c, r->incident_start_us);
		double x1 = xpos(&c, r->incident_end_us);
		double xm = (x0 + x1) / 2;

		if (xm < PLOT_X + 30)
			xm = PLOT_X + 30;
		if (xm > PLOT_X + PLOT_W - 30)
			xm = PLOT_X + PLOT_W - 30;
		fl_buf_printf(b, "<text class=\"incl\" x=\"%.1f\" y=\"%.1f\">"
		    "incident</text>\n", xm, lanes_top + 8);
	}

	lane = 0;
	y = lanes_top;
	for (gi = 0; gi < L->n; gi++) {
		const struct group *g = &L->g[gi];

		if (g->n == 0)
			continue;
		fl_buf_printf(b, "<text class=\"grp\" x=\"6\" y=\"%.1f\">", y +
		    GROUP_H - 6);
		h(b, g->title);
		if (g->note) {
			fl_buf_adds(b, "<tspan class=\"grpn\" dx=\"10\">");
			h(b, g->note);
			fl_buf_adds(b, "</tspan>");
		}
		fl_buf_printf(b, "</text>\n<line class=\"grpl\" x1=\"6\" "
		    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", y + GROUP_H - 1,
		    SVG_W - 6, y + GROUP_H - 1);
		y += GROUP_H;
		for (i = 0; i < g->n; i++) {
			size_t hidx = g->hosts[i];

			fl_buf_printf(b, "<g class=\"lane\"><rect class=\"bg%s\" "
			    "x=\"6\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
			    lane % 2 ? " odd" : "", y, SVG_W - 12, LANE_H);
			svg_lane_label(&c, b, hidx, y);
			svg_upline(&c, b, hidx, y);
			svg_activity(&c, b, hidx, y);
			svg_gaps(&c, b, &marks, hidx, y);
			fl_buf_adds(b, "</g>\n");
			lane++;
			y += LANE_H;
		}
	}
	/* stops and boots over the finding marks: both stay visible */
	svg_findings(&c, b);
	fl_buf_add(b, marks.data, marks.len);
	fl_buf_adds(b, "</svg>\n");
	free(c.lane_of);
	free(c.lane_y);
	fl_buf_free(&marks);
}

/* The span of all the evidence worth drawing: the host activity without
 * its extreme thousandths (one stray line with a wrong year would squash
 * everything else into a pixel), widened to the incident. *left_out
 * counts the lines not drawn. */
static int
full_span(const struct fl_report *r, int64_t *t0, int64_t *t1,
    uint64_t *left_out)
{
	const struct fl_evidence *ev = r->ev;
	int64_t a = INT64_MAX, z = INT64_MIN, bucket, lo, hi;
	uint64_t total = 0, acc, *hist;
	size_t i, j, nb, k;

	*left_out = 0;
	if (ev == NULL)
		return 0;
	for (i = 0; i < ev->n_hosts; i++) {
		const struct fl_host_rec *hr = &ev->hosts[i];

		for (j = 0; j < hr->n_minutes; j++)
			total += hr->minutes[j].lines;
		if (hr->n_minutes == 0)
			continue;
		if (hr->minutes[0].minute < a)
			a = hr->minutes[0].minute;
		if (hr->minutes[hr->n_minutes - 1].minute > z)
			z = hr->minutes[hr->n_minutes - 1].minute;
	}
	if (total == 0)
		return 0;
	/* an hourly histogram, coarser when the span is huge */
	bucket = 60;
	if ((z - a) / bucket > 200000)
		bucket = (z - a) / 200000 + 1;
	nb = (size_t)((z - a) / bucket + 1);
	hist = fl_xcalloc(nb, sizeof *hist);
	for (i = 0; i < ev->n_hosts; i++)
		for (j = 0; j < ev->hosts[i].n_minutes; j++)
			hist[(ev->hosts[i].minutes[j].minute - a) / bucket] +=
			    ev->hosts[i].minutes[j].lines;
	acc = 0;
	for (k = 0; k < nb && acc + hist[k] <= total / 1000; k++)
		acc += hist[k];
	lo = a + (int64_t)k * bucket;
	acc = 0;
	for (k = nb; k > 0 && acc + hist[k - 1] <= total / 1000; k--)
		acc += hist[k - 1];
	hi = a + (int64_t)k * bucket;
	free(hist);
	if (lo < a)
		lo = a;
	if (hi > z + 1)
		hi = z + 1;
	if (hi <= lo)
		hi = lo + 1;
	for (i = 0; i < ev->n_hosts; i++)
		for (j = 0; j < ev->hosts[i].n_minutes; j++) {
			int64_t m = ev->hosts[i].minutes[j].minute;

			if (m < lo || m >= hi)
				*left_out += ev->hosts[i].minutes[j].lines;
		}
	*t0 = lo * MIN_US;
	*t1 = hi * MIN_US;
	if (r->has_incident) {
		if (r->incident_start_us < *t0)
			*t0 = r->incident_start_us;
		if (r->incident_end_us > *t1)
			*t1 = r->incident_end_us;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* The page */

static const char css[] =
":root{color-scheme:light}\n"
"body{margin:0;background:#f1f5f9;color:#0f172a;font:14px/1.45 system-ui,"
"-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif}\n"
"main{max-width:1400px;margin:0 auto;padding:0 20px 40px}\n"
"code,pre,.mono,.sha{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,"
"Consolas,monospace;font-size:12.5px}\n"
"a{color:#1d4ed8}\n"
"h2{font-size:19px;margin:0 0 10px;padding-top:6px}\n"
"h3{font-size:15px;margin:16px 0 6px}\n"
"section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;"
"padding:14px 18px;margin:16px 0}\n"
".muted,.unk{color:#64748b}\n"
"header.verdict{margin:18px 0 0;padding:18px 22px;border-radius:10px;"
"border:1px solid;border-left-width:10px}\n"
".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:11.5px;"
"color:#475569}\n"
"header.verdict h1{margin:4px 0 8px;font-size:28px;line-height:1.2}\n"
".conf{font-size:15px;font-weight:600;padding:2px 10px;border-radius:12px;"
"margin-left:8px;vertical-align:middle;color:#fff}\n"
".summary{font-size:15px;max-width:95ch;margin:6px 0 12px}\n"
".v-accident{background:#fffbeb;border-color:#d97706}"
".v-accident .conf{background:#b45309}\n"
".v-sabotage{background:#fef2f2;border-color:#dc2626}"
".v-sabotage .conf{background:#b91c1c}\n"
".v-attack{background:#faf5ff;border-color:#9333ea}"
".v-attack .conf{background:#7e22ce}\n"
".v-planned{background:#eff6ff;border-color:#2563eb}"
".v-planned .conf{background:#1d4ed8}\n"
".v-none{background:#f0fdf4;border-color:#16a34a}"
".v-none .conf{background:#15803d}\n"
".v-inconclusive{background:#f8fafc;border-color:#64748b}"
".v-inconclusive .conf{background:#475569}\n"
"dl.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,"
"1fr));gap:8px 24px;margin:10px 0}\n"
"dl.facts div{min-width:0}\n"
"dt{font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;"
"color:#475569}\n"
"dd{margin:0;font-weight:600}\n"
".lbl{font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;"
"color:#475569;margin-top:12px}\n"
".local{font-weight:400;color:#475569}\n"
".nw{white-space:nowrap}\n"
".chips{display:flex;flex-wrap:wrap;gap:4px;margin:6px 0 0;padding:0;"
"list-style:none}\n"
".chips li{background:#fff;border:1px solid #cbd5e1;border-radius:10px;"
"padding:0 8px;font-size:12.5px}\n"
".why{margin:2px 0 0;padding-left:20px}\n"
".why li{margin:2px 0}\n"
".scores{display:grid;grid-template-columns:max-content 1fr max-content;"
"gap:2px 10px;align-items:center;max-width:640px;margin-top:4px;"
"font-size:12.5px}\n"
".meter{display:block;height:9px;background:#e2e8f0;border-radius:5px;overflow:hidden}\n"
".meter span{display:block;height:100%;background:#64748b}\n"
".scores .win{font-weight:700}\n"
".scores .win .meter span{background:#0f172a}\n"
"nav.toc{margin:12px 0 0;font-size:13px}\n"
"nav.toc a{margin-right:14px}\n"
".legend{display:flex;flex-wrap:wrap;gap:4px 18px;margin:4px 0 10px;"
"padding:0;list-style:none;font-size:12.5px;color:#334155}\n"
".legend li{display:flex;align-items:center;gap:6px}\n"
".legend svg{flex:none}\n"
".chart{overflow-x:auto}\n"
".caption{font-size:13px;color:#475569;margin:14px 0 4px}\n"
"svg.tl{display:block;width:100%;min-width:900px;height:auto}\n"
"svg.tl text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,"
"\"Noto Sans\",\"DejaVu Sans\",sans-serif}\n"
".tk{text-anchor:middle;fill:#475569;font-size:10.5px}\n"
".tk.loc{fill:#94a3b8}\n"
".day{fill:#0f172a;font-size:11px;font-weight:600}\n"
".axl{text-anchor:end;fill:#64748b;font-size:10px}\n"
".axl.loc{fill:#94a3b8}\n"
".grid{stroke:#e2e8f0;stroke-width:1}\n"
".grp{font-size:11.5px;font-weight:700;fill:#0f172a}\n"
".grpn{font-weight:400;fill:#64748b}\n"
".grpl{stroke:#cbd5e1;stroke-width:1}\n"
".bg{fill:#0f172a;fill-opacity:0}\n"
".bg.odd{fill-opacity:.035}\n"
".lane:hover .bg{fill:#facc15;fill-opacity:.22}\n"
".ln{text-anchor:end;font-size:11px;fill:#334155}\n"
".ln.aff{font-weight:700;fill:#0f172a}\n"
".ln.dev{font-style:italic}\n"
".up{fill:#94a3b8}\n"
".a1{fill:#bfdbfe}.a2{fill:#93c5fd}.a3{fill:#3b82f6}.a4{fill:#1e3a8a}\n"
".incw{fill:#fde68a;fill-opacity:.4}\n"
".incb{stroke:#d97706;stroke-width:1.2;stroke-dasharray:4 3}\n"
".incl{text-anchor:middle;fill:#b45309;font-size:10.5px;font-weight:700}\n"
".band{fill:#e2e8f0}\n"
".g-abrupt-stop .band{fill:#fecaca}\n"
".g-orderly-shutdown .band,.g-orderly-restart .band{fill:#cbd5e1}\n"
".g-logger-stopped .band{fill:#d8b4fe}\n"
".m-abrupt{fill:#b91c1c}\n"
".m-shut{fill:#334155;stroke:#fff;stroke-width:.8}\n"
".m-boot{fill:#16a34a;stroke:#fff;stroke-width:.8}\n"
".m-boot.unclean{stroke:#dc2626;stroke-width:1.4}\n"
".m-power{fill:#f59e0b;stroke:#78350f;stroke-width:1}\n"
".m-sec{fill:#9333ea;stroke:#fff;stroke-width:1}\n"
".m-sec.noise{fill:#fff;stroke:#64748b;stroke-width:1.2}\n"
"svg.tl a:hover path,svg.tl a:hover circle{stroke:#000;stroke-width:2}\n"
"table{border-collapse:collapse;width:100%;font-size:13px}\n"
"th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:"
"1px solid #e2e8f0}\n"
"thead th{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;"
"color:#475569;border-bottom:2px solid #cbd5e1}\n"
"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
"td.t{white-space:nowrap;font-variant-numeric:tabular-nums}\n"
".finding{border-top:1px solid #e2e8f0;padding:10px 0 6px}\n"
".finding:first-of-type{border-top:0}\n"
".finding h3{margin:0 0 4px;font-size:14.5px}\n"
".fid{display:inline-block;min-width:2.6em;font-weight:700}\n"
".cat{display:inline-block;font-size:11px;font-weight:600;text-transform:"
"uppercase;letter-spacing:.05em;padding:0 6px;border-radius:4px;"
"margin-right:6px;color:#fff;background:#64748b}\n"
".cat-power{background:#b45309}.cat-security{background:#7e22ce}"
".cat-host{background:#0f766e}.cat-context{background:#64748b}\n"
".noise-tag{background:#e2e8f0;color:#334155}\n"
".finding.noise h3{color:#475569;font-weight:600}\n"
".fmeta{font-size:12.5px;color:#475569;margin:0 0 4px}\n"
".cite{margin:4px 0 6px;border-left:3px solid #cbd5e1;padding-left:10px}\n"
".cite .where{font-size:12px;color:#475569;overflow-wrap:anywhere}\n"
".cite pre{margin:2px 0 0;padding:4px 8px;background:#f8fafc;"
"border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}\n"
".corr{color:#b45309}\n"
".more{font-size:12.5px;color:#64748b}\n"
".cov{display:inline-block;width:60px;height:7px;background:#e2e8f0;"
"border-radius:4px;overflow:hidden;margin-right:6px;vertical-align:middle}\n"
".cov span{display:block;height:100%;background:#16a34a}\n"
".cov.part span{background:#d97706}\n"
"tr.cause-row th{background:#f8fafc}\n"
"ul.gaps{margin:0;padding-left:18px;font-size:12.5px;color:#92400e}\n"
".bar{position:relative;height:9px;background:#f1f5f9;border-radius:4px;"
"min-width:160px}\n"
".bar span{position:absolute;top:0;bottom:0;background:#f87171;"
"border-radius:4px;min-width:2px}\n"
".sha{font-size:11.5px;overflow-wrap:anywhere}\n"
".path{overflow-wrap:anywhere}\n"
"footer{font-size:12px;color:#64748b;margin:20px 0}\n"
"@media print{\n"
"body{background:#fff;font-size:10pt}\n"
"main{max-width:none;padding:0}\n"
"nav.toc,.noprint{display:none}\n"
"section{border:0;padding:0;margin:14px 0;break-inside:auto}\n"
"header.verdict,.cat,.conf,.meter span,.cov span,.bar span,svg.tl{"
"-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"h2,h3,.caption,.legend{break-after:avoid}\n"
".legend{break-inside:avoid}\n"
"#timeline{break-before:page}\n"
".chart{break-inside:avoid}\n"
"tr,.cite,.finding h3{break-inside:avoid}\n"
".chart{overflow:visible}\n"
"svg.tl{min-width:0;width:auto;height:auto;max-width:100%;"
"max-height:125mm;margin:0 auto}\n"
"a{color:inherit;text-decoration:none}\n"
"@page{size:A4 landscape;margin:12mm}\n"
"}\n";

/* Text with its "[F3]" references to findings made links. */
static void
h_refs(const struct fl_report *r, struct fl_buf *b, const char *s)
{
	const char *p = s, *q;
	size_t i, n;

	if (s == NULL)
		return;
	while ((q = strstr(p, "[F")) != NULL) {
		const char *e = strchr(q, ']');
		int found = 0;

		if (e != NULL) {
			n = (size_t)(e - q - 1);
			for (i = 0; i < r->n_findings && !found; i++)
				if (strlen(r->findings[i].id) == n &&
				    strncmp(r->findings[i].id, q + 1, n) == 0)
					found = 1;
		}
		hn(b, p, (size_t)(q - p) + (found ? 0 : 2));
		if (!found) {
			p = q + 2;
			continue;
		}
		fl_buf_adds(b, "[<a href=\"#");
		hn(b, q + 1, n);
		fl_buf_adds(b, "\">");
		hn(b, q + 1, n);
		fl_buf_adds(b, "</a>]");
		p = e + 1;
	}
	h(b, p);
}

static void
ahref_finding(const struct fl_report *r, struct fl_buf *b, const char *what)
{
	size_t i, n;

	for (i = 0; i < r->n_findings; i++) {
		n = strlen(r->findings[i].id);
		if (strncmp(what, r->findings[i].id, n) == 0 && what[n] == ':') {
			fl_buf_adds(b, "<a href=\"#");
			h(b, r->findings[i].id);
			fl_buf_adds(b, "\">");
			h(b, r->findings[i].id);
			fl_buf_adds(b, "</a>");
			h(b, what + n);
			return;
		}
	}
	h(b, what);
}

static void
page_head(const struct fl_report *r, struct fl_buf *b)
{
	char a[FL_TIME_STRLEN];

	fl_buf_adds(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/"
	    "xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n<meta charset=\"utf-8\""
	    "/>\n<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"/>\n<meta name=\"generator\" content=\"faultline ");
	h(b, r->version);
	fl_buf_adds(b, "\"/>\n<title>");
	h(b, fl_cause_title(r->cause));
	if (r->has_incident) {
		fmt_short(a, r->incident_start_us);
		a[10] = '\0';
		fl_buf_printf(b, " \xe2\x80\x94 incident of %s", a);
	}
	fl_buf_adds(b, " \xe2\x80\x94 faultline report</title>\n<style>\n");
	fl_buf_adds(b, css);
	fl_buf_adds(b, "</style>\n</head>\n<body>\n<main>\n");
}

static void
page_verdict(const struct fl_report *r, const struct fl_site_time *st,
    struct fl_buf *b)
{
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN], d[64];
	size_t i, n_srv = 0, best = 0;

	for (i = 0; i < r->n_hosts; i++)
		if (!is_device(&r->hosts[i]))
			n_srv++;
	fl_buf_printf(b, "<header class=\"verdict v-%s\" id=\"verdict\">\n"
	    "<div class=\"kicker\">faultline incident report \xc2\xb7 "
	    "verdict</div>\n<h1>", cause_class(r->cause));
	h(b, fl_cause_title(r->cause));
	fl_buf_printf(b, "<span class=\"conf\">confidence %.2f</span></h1>\n"
	    "<p class=\"summary\">", r->confidence);
	h(b, r->summary);
	fl_buf_adds(b, "</p>\n");
	if (r->separate) {
		fl_buf_adds(b, "<p class=\"summary\"><strong>What would decide:"
		    "</strong> ");
		h(b, r->separate);
		fl_buf_adds(b, "</p>\n");
	}
	fl_buf_adds(b, "<dl class=\"facts\">\n<div><dt>Incident window</dt><dd>");
	if (r->has_incident) {
		htime(b, r->incident_start_us);
		fl_buf_adds(b, " \xe2\x86\x92 ");
		fmt_short(a, r->incident_start_us);
		fmt_short(z, r->incident_end_us);
		if (strncmp(a, z, 10) == 0 && strlen(z) > 11) {
			/* same day: the end's time only */
			fmt_full(d, r->incident_end_us);
			fl_buf_printf(b, "<time datetime=\"%s\">%s</time>", d,
			    z + 11);
		} else {
			htime(b, r->incident_end_us);
		}
		dur_str(d, r->incident_start_us, r->incident_end_us);
		fl_buf_printf(b, " <span class=\"nw\">(%s)</span>", d);
		if (local_time(st, a, r->incident_start_us) &&
		    local_time(st, z, r->incident_end_us)) {
			fl_buf_printf(b, "<br/><span class=\"local\">%s \xe2\x86\x92"
			    " %s local, ", a, strncmp(a, z, 10) == 0 ? z + 11 : z);
			h(b, r->site_zone);
			fl_buf_adds(b, "</span>");
		}
	} else {
		fl_buf_adds(b, "none: no hosts stopped together");
	}
	fl_buf_printf(b, "</dd></div>\n<div><dt>Affected hosts</dt><dd>%zu of %zu "
	    "servers</dd></div>\n", r->n_affected, n_srv);
	if (r->has_incident) {
		fl_buf_adds(b, "<div><dt>Power restored</dt><dd>");
		htime(b, r->power_restored_us);
		fl_buf_adds(b, "</dd></div>\n<div><dt>Last service restored</dt>"
		    "<dd>");
		htime(b, r->last_service_us);
		dur_str(d, r->power_restored_us, r->last_service_us);
		if (d[0])
			fl_buf_printf(b, "<br/><span class=\"local\">%s after "
			    "power returned</span>", d);
		fl_buf_adds(b, "</dd></div>\n");
	}
	if (r->n_users + r->n_src_ips + r->n_devices > 0 || r->entry_host) {
		const char *sep = "";

		fl_buf_adds(b, "<div><dt>Actors</dt><dd>");
		for (i = 0; i < r->n_users; i++, sep = ", ") {
			fl_buf_printf(b, "%suser <code>", sep);
			h(b, r->users[i]);
			fl_buf_adds(b, "</code>");
		}
		for (i = 0; i < r->n_src_ips; i++, sep = ", ") {
			fl_buf_printf(b, "%saddress <code>", sep);
			h(b, r->src_ips[i]);
			fl_buf_adds(b, "</code>");
		}
		for (i = 0; i < r->n_devices; i++, sep = ", ") {
			fl_buf_printf(b, "%sdevice <code>", sep);
			h(b, r->devices[i]);
			fl_buf_adds(b, "</code>");
		}
		if (r->entry_host) {
			fl_buf_printf(b, "%sentry host <code>", sep);
			h(b, r->entry_host);
			fl_buf_adds(b, "</code>");
		}
		fl_buf_adds(b, "</dd></div>\n");
	}
	fl_buf_adds(b, "</dl>\n");
	if (r->n_affected > 0) {
		fl_buf_adds(b, "<ul class=\"chips\" aria-label=\"affected hosts\">");
		for (i = 0; i < r->n_affected; i++) {
			fl_buf_adds(b, "<li>");
			h(b, r->affected[i]);
			fl_buf_adds(b, "</li>");
		}
		fl_buf_adds(b, "</ul>\n");
	}
	if (r->n_reasons > 0) {
		fl_buf_adds(b, "<div class=\"lbl\">Why</div>\n<ul class=\"why\">\n");
		for (i = 0; i < r->n_reasons; i++) {
			fl_buf_adds(b, "<li>");
			h_refs(r, b, r->reasons[i]);
			fl_buf_adds(b, "</li>\n");
		}
		fl_buf_adds(b, "</ul>\n");
	}
	for (i = 1; i < FL_N_HYPOTHESES; i++)
		if (r->scores[i].probability > r->scores[best].probability)
			best = i;
	fl_buf_adds(b, "<div class=\"lbl\">Hypotheses</div>\n<div "
	    "class=\"scores\" aria-label=\"hypotheses\">\n");
	for (i = 0; i < FL_N_HYPOTHESES; i++) {
		const struct fl_report_score *s = &r->scores[i];
		const char *w = i == best ? " class=\"win\"" : "";

		fl_buf_printf(b, "<span%s>%s</span><span%s><span class=\"meter\">"
		    "<span style=\"width:%.1f%%\"></span></span></span>"
		    "<span%s>%.0f%% (score %.2f)</span>\n", w,
		    fl_cause_name(s->cause), w, s->probability * 100, w,
		    s->probability * 100, s->score);
	}
	fl_buf_adds(b, "</div>\n<nav class=\"toc\"><a href=\"#timeline\">Timeline"
	    "</a><a href=\"#findings\">Findings</a><a href=\"#ruled-out\">Ruled "
	    "out</a><a href=\"#recovery\">Recovery</a><a href=\"#hosts\">Hosts "
	    "and clocks</a><a href=\"#inputs\">Inputs</a><a href=\"#unreadable\">"
	    "Not read</a></nav>\n</header>\n");
}

static void
legend_item(struct fl_buf *b, const char *svg, const char *label)
{
	fl_buf_printf(b, "<li><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"26\" height=\"14\" viewBox=\"0 0 26 14\">%s</svg>%s</li>\n",
	    svg, label);
}

static void
page_legend(struct fl_buf *b)
{
	fl_buf_adds(b, "<ul class=\"legend\">\n");
	legend_item(b, "<rect class=\"a1\" x=\"0\" y=\"2\" width=\"6\" "
	    "height=\"10\"/><rect class=\"a2\" x=\"6\" y=\"2\" width=\"6\" "
	    "height=\"10\"/><rect class=\"a3\" x=\"12\" y=\"2\" width=\"6\" "
	    "height=\"10\"/><rect class=\"a4\" x=\"18\" y=\"2\" width=\"6\" "
	    "height=\"10\"/>", "log lines per minute: &lt;1, 1+, 5+, 25+");
	legend_item(b, "<rect class=\"up\" x=\"0\" y=\"6\" width=\"26\" "
	    "height=\"2\"/>", "up (between its lines)");
	legend_item(b, "<rect class=\"m-abrupt\" x=\"4\" y=\"0\" width=\"2.4\" "
	    "height=\"14\"/><g class=\"g-abrupt-stop\"><rect class=\"band\" "
	    "x=\"7\" y=\"2\" width=\"19\" height=\"10\"/></g>",
	    "abrupt stop, then silence");
	legend_item(b, "<path class=\"m-shut\" d=\"M5 10l-4.5 -7h9z\"/><g "
	    "class=\"g-orderly-shutdown\"><rect class=\"band\" x=\"6\" y=\"2\" "
	    "width=\"20\" height=\"10\"/></g>", "orderly shutdown, then silence");
	legend_item(b, "<g class=\"g-logger-stopped\"><rect class=\"band\" "
	    "x=\"0\" y=\"2\" width=\"26\" height=\"10\"/></g>",
	    "logger stopped");
	legend_item(b, "<defs><pattern id=\"hatch0\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#fed7aa\"/><rect width=\"2.2\""
	    " height=\"6\" fill=\"#ea580c\"/></pattern></defs><rect x=\"0\" "
	    "y=\"2\" width=\"26\" height=\"10\" fill=\"url(#hatch0)\"/>",
	    "silence with no reboot (tampering?)");
	legend_item(b, "<path class=\"m-boot\" d=\"M8 3.5l-4.5 7h9z\"/>", "boot");
	legend_item(b, "<path class=\"m-boot unclean\" d=\"M8 3.5l-4.5 7h9z\"/>",
	    "boot with unclean-shutdown recovery");
	legend_item(b, "<path class=\"m-power\" d=\"M8 1.5l5 5.5l-5 5.5l-5 "
	    "-5.5z\"/>", "power event");
	legend_item(b, "<circle class=\"m-sec\" cx=\"8\" cy=\"7\" r=\"4.5\"/>",
	    "security finding");
	legend_item(b, "<circle class=\"m-sec noise\" cx=\"8\" cy=\"7\" "
	    "r=\"3\"/>", "noise (not a cause)");
	legend_item(b, "<rect class=\"incw\" x=\"0\" y=\"0\" width=\"26\" "
	    "height=\"14\"/><line class=\"incb\" x1=\"1\" y1=\"0\" x2=\"1\" "
	    "y2=\"14\"/><line class=\"incb\" x1=\"25\" y1=\"0\" x2=\"25\" "
	    "y2=\"14\"/>", "incident window");
	fl_buf_adds(b, "</ul>\n");
}

static void
page_timeline(const struct fl_report *r, const struct fl_site_time *st,
    const struct fl_inventory *inv, struct fl_buf *b)
{
	struct layout L;
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN], d[64], lt[FL_TIME_STRLEN];
	int64_t t0, t1;
	uint64_t left_out;
	size_t i;
	int have_full;

	layout_build(r, inv, &L);
	fl_buf_adds(b, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
	fl_buf_adds(b, "<p class=\"muted\">One lane per host and power device"
	    );
	if (inv != NULL)
		fl_buf_adds(b, ", grouped by rack with the power path of each "
		    "rack (from the inventory)");
	fl_buf_adds(b, "; hosts that stopped in the incident in bold. Hover "
	    "over a mark for its time and evidence line; marks link to their "
	    "finding.</p>\n");
	page_legend(b);
	have_full = full_span(r, &t0, &t1, &left_out);
	if (r->has_incident) {
		int64_t first = r->incident_start_us, last = INT64_MIN;
		size_t j;

		/* how it happened: from the start to the last host that
		 * stopped, when that is a small part of the incident */
		for (i = 0; i < r->n_hosts; i++)
			for (j = 0; j < r->hosts[i].n_gaps; j++) {
				const struct fl_report_gap *g = &r->hosts[i].gaps[j];

				if (!g->in_incident)
					continue;
				if (g->start_us < first)
					first = g->start_us;
				if (g->start_us > last)
					last = g->start_us;
			}
		if (last > first && (last - first) * 4 <
		    r->incident_end_us - r->incident_start_us) {
			int64_t pad = (last - first) / 5 > 3 * MIN_US ?
			    (last - first) / 5 : 3 * MIN_US;

			fmt_short(a, first - pad);
			fmt_short(z, last + pad);
			fl_buf_printf(b, "<p class=\"caption\"><strong>How it "
			    "happened</strong>: from the first sign to the last "
			    "host that stopped (%s to %s UTC)</p>\n<div "
			    "class=\"chart\">\n", a, z);
			svg_chart(r, st, &L, first - pad, last + pad, 3,
			    "timeline of how the incident began", b);
			fl_buf_adds(b, "</div>\n");
		}
	}
	if (r->has_incident) {
		int64_t len = r->incident_end_us - r->incident_start_us;
		int64_t pad = len / 8 > 20 * MIN_US ? len / 8 : 20 * MIN_US;
		int64_t v0 = r->incident_start_us - pad;
		int64_t v1 = r->incident_end_us + pad;

		fmt_short(a, v0);
		fmt_short(z, v1);
		fl_buf_printf(b, "<p class=\"caption\"><strong>The incident"
		    "</strong> (%s to %s UTC)</p>\n<div class=\"chart\">\n", a, z);
		svg_chart(r, st, &L, v0, v1, 1, "timeline of the incident", b);
		fl_buf_adds(b, "</div>\n");
	}
	if (have_full) {
		fmt_short(a, t0);
		fmt_short(z, t1);
		dur_str(d, t0, t1);
		fl_buf_printf(b, "<p class=\"caption\"><strong>All the evidence"
		    "</strong> (%s to %s UTC, %s)", a, z, d);
		if (left_out > 0)
			fl_buf_printf(b, "; %" PRIu64 " line(s) with times far "
			    "outside this span are not drawn", left_out);
		fl_buf_adds(b, "</p>\n<div class=\"chart\">\n");
		svg_chart(r, st, &L, t0, t1, 2, "timeline of all the evidence", b);
		fl_buf_adds(b, "</div>\n");
	}
	layout_free(&L);

	fl_buf_adds(b, "<h3>Key events</h3>\n<table class=\"events\"><thead><tr>"
	    "<th>Time (UTC)</th>");
	if (r->site_zone)
		fl_buf_adds(b, "<th>Local</th>");
	fl_buf_adds(b, "<th>Host</th><th>Event</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->n_timeline; i++) {
		const struct fl_timeline_entry *e = &r->timeline[i];

		fl_buf_adds(b, "<tr><td class=\"t\">");
		htime(b, e->time_us);
		fl_buf_adds(b, "</td>");
		if (r->site_zone) {
			fl_buf_adds(b, "<td class=\"t local\">");
			if (local_time(st, lt, e->time_us))
				fl_buf_adds(b, lt);
			fl_buf_adds(b, "</td>");
		}
		fl_buf_adds(b, "<td class=\"t\">");
		h(b, e->host);
		fl_buf_adds(b, "</td><td>");
		ahref_finding(r, b, e->what);
		fl_buf_adds(b, "</td></tr>\n");
	}
	if (r->n_timeline == 0)
		fl_buf_printf(b, "<tr><td colspan=\"%d\" class=\"muted\">no key "
		    "events</td></tr>\n", r->site_zone ? 4 : 3);
	fl_buf_adds(b, "</tbody></table>\n</section>\n");
}

static void
page_cite(struct fl_buf *b, const struct fl_cite *ct)
{
	char q[128];

	fl_buf_adds(b, "<div class=\"cite\"><div class=\"where\">");
	htime(b, ct->time_us);
	if (ct->host) {
		fl_buf_adds(b, " \xc2\xb7 <strong>");
		h(b, ct->host);
		fl_buf_adds(b, "</strong>");
	}
	fl_buf_adds(b, " \xc2\xb7 <span class=\"path\">");
	h(b, ct->input);
	if (ct->member && ct->member[0]) {
		fl_buf_addc(b, '!');
		h(b, ct->member);
	}
	fl_buf_printf(b, "</span>, line %" PRIu64, ct->line);
	if (ct->rule) {
		fl_buf_adds(b, " \xc2\xb7 rule <code>");
		h(b, ct->rule);
		fl_buf_adds(b, "</code>");
	}
	if (ct->tflags & (FL_TF_ZONE_CORRECTED | FL_TF_SKEW_CORRECTED)) {
		char raw[FL_TIME_STRLEN];

		fmt_full(raw, ct->raw_time_us);
		fl_buf_printf(b, " \xc2\xb7 <span class=\"corr\">clock corrected"
		    " (logged as %s)</span>", raw);
	} else if (ct->tflags != 0) {
		fl_time_quality_str(ct->tflags, q, sizeof q);
		fl_buf_printf(b, " \xc2\xb7 time: %s", q);
	}
	fl_buf_adds(b, "</div><pre>");
	h_capped(b, ct->text ? ct->text : "", MAX_CITE_TEXT);
	fl_buf_adds(b, "</pre></div>\n");
}

static void
page_findings(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j, k;

	fl_buf_adds(b, "<section id=\"findings\">\n<h2>Findings</h2>\n");
	if (r->n_findings == 0)
		fl_buf_adds(b, "<p class=\"muted\">none</p>\n");
	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *f = &r->findings[i];
		char d[64];

		fl_buf_adds(b, "<article class=\"finding");
		if (f->noise)
			fl_buf_adds(b, " noise");
		fl_buf_adds(b, "\" id=\"");
		h(b, f->id);
		fl_buf_adds(b, "\">\n<h3><span class=\"fid\">");
		h(b, f->id);
		fl_buf_adds(b, "</span><span class=\"cat cat-");
		h(b, f->category);
		fl_buf_adds(b, "\">");
		h(b, f->category);
		fl_buf_adds(b, "</span>");
		if (f->noise)
			fl_buf_adds(b, "<span class=\"cat noise-tag\">noise, not a "
			    "cause</span>");
		h(b, f->title);
		fl_buf_adds(b, "</h3>\n<p class=\"fmeta\">");
		htime(b, f->start_us);
		if (f->end_us != FL_TIME_UNKNOWN && f->end_us != f->start_us) {
			fl_buf_adds(b, " \xe2\x86\x92 ");
			htime(b, f->end_us);
			dur_str(d, f->start_us, f->end_us);
			fl_buf_printf(b, " (%s)", d);
		}
		fl_buf_adds(b, " \xc2\xb7 signal <code>");
		h(b, f->signal);
		fl_buf_printf(b, "</code> \xc2\xb7 %" PRIu64 " line(s)",
		    f->n_events);
		if (f->n_hosts > 0) {
			fl_buf_printf(b, " \xc2\xb7 %zu host(s): ", f->n_hosts);
			for (j = 0; j < f->n_hosts; j++) {
				if (j)
					fl_buf_adds(b, ", ");
				h(b, f->hosts[j]);
			}
		}
		/* each field once, with its values */
		for (j = 0; j < f->n_fields; j++) {
			int seen = 0, n = 0;

			for (k = 0; k < j; k++)
				if (strcmp(f->fields[k].key, f->fields[j].key) == 0)
					seen = 1;
			if (seen)
				continue;
			fl_buf_adds(b, "<br/>");
			h(b, f->fields[j].key);
			fl_buf_adds(b, ": ");
			for (k = j; k < f->n_fields; k++)
				if (strcmp(f->fields[k].key, f->fields[j].key) ==
				    0) {
					fl_buf_adds(b, n++ ? ", <code>" : "<code>");
					h(b, f->fields[k].value);
					fl_buf_adds(b, "</code>");
				}
		}
		fl_buf_adds(b, "</p>\n");
		for (j = 0; j < f->n_cites; j++)
			page_cite(b, &f->cites[j]);
		if (f->n_events > f->n_cites)
			fl_buf_printf(b, "<p class=\"more\">and %" PRIu64 " more "
			    "line(s): <code>faultline timeline</code> lists "
			    "them all</p>\n", f->n_events - f->n_cites);
		fl_buf_adds(b, "</article>\n");
	}
	fl_buf_adds(b, "</section>\n");
}

static void
page_ruled_out(const struct fl_report *r, struct fl_buf *b)
{
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN];
	size_t i, j;

	fl_buf_adds(b, "<section id=\"ruled-out\">\n<h2>Ruled out</h2>\n"
	    "<p class=\"muted\">For each other cause: what was looked for, over "
	    "how many hosts and which span of evidence, and what was found. "
	    "Coverage gaps say where the evidence could not exclude it.</p>\n");
	if (r->n_ruled_out == 0) {
		fl_buf_adds(b, "<p class=\"muted\">nothing</p>\n</section>\n");
		return;
	}
	fl_buf_adds(b, "<table class=\"matrix\"><thead><tr><th>Cause</th>"
	    "<th>Check</th><th>Hosts</th><th>Evidence consulted</th>"
	    "<th>Result</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->n_ruled_out; i++) {
		const struct fl_report_ruled_out *ro = &r->ruled_out[i];
		size_t rows = ro->n_checks + (ro->n_gaps > 0) ;

		if (rows == 0)
			rows = 1;
		fl_buf_printf(b, "<tr class=\"cause-row\"><th rowspan=\"%zu\" "
		    "scope=\"rowgroup\">%s<br/><span class=\"muted\">score "
		    "%.2f</span></th>", rows, fl_cause_name(ro->cause),
		    ro->score);
		if (ro->n_checks == 0 && ro->n_gaps == 0)
			fl_buf_adds(b, "<td colspan=\"4\" class=\"muted\">no "
			    "checks</td></tr>\n");
		for (j = 0; j < ro->n_checks; j++) {
			const struct fl_report_check *ck = &ro->checks[j];
			double pct = ck->hosts_total ? 100.0 *
			    (double)ck->hosts_covered /
			    (double)ck->hosts_total : 0;

			if (j)
				fl_buf_adds(b, "<tr>");
			fl_buf_adds(b, "<td>");
			h(b, ck->check);
			fl_buf_printf(b, "</td><td class=\"t\"><span class=\"cov%s\">"
			    "<span style=\"width:%.0f%%\"></span></span>%zu/%zu"
			    "</td><td class=\"t\">", ck->hosts_covered <
			    ck->hosts_total ? " part" : "", pct,
			    ck->hosts_covered, ck->hosts_total);
			fmt_short(a, ck->from_us);
			fmt_short(z, ck->to_us);
			fl_buf_printf(b, "%s<br/>%s</td><td>", a, z);
			h_refs(r, b, ck->result);
			fl_buf_adds(b, "</td></tr>\n");
		}
		if (ro->n_gaps > 0) {
			if (ro->n_checks)
				fl_buf_adds(b, "<tr>");
			fl_buf_adds(b, "<td colspan=\"4\"><ul class=\"gaps\">");
			for (j = 0; j < ro->n_gaps; j++) {
				fl_buf_adds(b, "<li>");
				h(b, ro->coverage_gaps[j]);
				fl_buf_adds(b, "</li>");
			}
			fl_buf_adds(b, "</ul></td></tr>\n");
		}
	}
	fl_buf_adds(b, "</tbody></table>\n</section>\n");
}

static void
page_recovery(const struct fl_report *r, struct fl_buf *b)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	char d[64];
	size_t i;

	fl_buf_adds(b, "<section id=\"recovery\">\n<h2>Recovery</h2>\n");
	if (!r->has_incident) {
		fl_buf_adds(b, "<p class=\"muted\">no incident, nothing to "
		    "recover</p>\n</section>\n");
		return;
	}
	fl_buf_adds(b, "<p>Power restored: ");
	htime(b, r->power_restored_us);
	if (r->last_service_us != FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "; last service back: ");
		htime(b, r->last_service_us);
		dur_str(d, r->power_restored_us, r->last_service_us);
		if (d[0])
			fl_buf_printf(b, " (%s after power returned)", d);
	}
	fl_buf_adds(b, ".</p>\n");
	for (i = 0; i < r->n_rec_hosts; i++) {
		const struct fl_recovery_host *rh = &r->rec_hosts[i];

		if (rh->down_us != FL_TIME_UNKNOWN && rh->down_us < lo)
			lo = rh->down_us;
		if (rh->up_us != FL_TIME_UNKNOWN && rh->up_us > hi)
			hi = rh->up_us;
		if (rh->down_us != FL_TIME_UNKNOWN && rh->down_us > hi)
			hi = rh->down_us;
	}
	fl_buf_adds(b, "<h3>Hosts</h3>\n<table><thead><tr><th>Host</th><th>Down"
	    "</th><th>Up</th><th class=\"num\">Outage</th><th class=\"noprint\">"
	    "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->n_rec_hosts; i++) {
		const struct fl_recovery_host *rh = &r->rec_hosts[i];
		double l = 0, w = 100;

		fl_buf_adds(b, "<tr><td>");
		h(b, rh->host);
		fl_buf_adds(b, "</td><td class=\"t\">");
		htime(b, rh->down_us);
		fl_buf_adds(b, "</td><td class=\"t\">");
		htime(b, rh->up_us);
		dur_str(d, rh->down_us, rh->up_us);
		fl_buf_printf(b, "</td><td class=\"num t\">%s</td><td "
		    "class=\"noprint\">", d[0] ? d : "\xe2\x80\x94");
		if (hi > lo && rh->down_us != FL_TIME_UNKNOWN) {
			int64_t up = rh->up_us == FL_TIME_UNKNOWN ? hi : rh->up_us;

			l = 100.0 * (double)(rh->down_us - lo) / (double)(hi - lo);
			w = 100.0 * (double)(up - rh->down_us) / (double)(hi - lo);
			fl_buf_printf(b, "<div class=\"bar\"><span style=\""
			    "left:%.1f%%;width:%.1f%%\"></span></div>", l, w);
		}
		fl_buf_adds(b, "</td></tr>\n");
	}
	fl_buf_adds(b, "</tbody></table>\n");
	if (r->n_rec_services > 0) {
		fl_buf_adds(b, "<h3>Services</h3>\n<table><thead><tr><th>Host"
		    "</th><th>Service</th><th>Last healthy</th><th>Back</th>"
		    "<th class=\"num\">Down for</th></tr></thead>\n<tbody>\n");
		for (i = 0; i < r->n_rec_services; i++) {
			const struct fl_recovery_service *s =
			    &r->rec_services[i];

			fl_buf_adds(b, "<tr><td>");
			h(b, s->host);
			fl_buf_adds(b, "</td><td>");
			h(b, s->service);
			fl_buf_adds(b, "</td><td class=\"t\">");
			htime(b, s->last_healthy_us);
			fl_buf_adds(b, "</td><td class=\"t\">");
			htime(b, s->back_us);
			dur_str(d, s->last_healthy_us, s->back_us);
			fl_buf_printf(b, "</td><td class=\"num t\">%s</td></tr>\n",
			    d[0] ? d : "\xe2\x80\x94");
		}
		fl_buf_adds(b, "</tbody></table>\n");
	}
	fl_buf_adds(b, "</section>\n");
}

static void
page_hosts(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;

	fl_buf_adds(b, "<section id=\"hosts\">\n<h2>Hosts and clocks</h2>\n"
	    "<table><thead><tr><th>Host</th><th>Kind</th><th>Zone</th>"
	    "<th>Clock correction</th><th class=\"num\">Lines</th><th>First"
	    "</th><th>Last</th><th class=\"num\">Silences</th></tr></thead>\n"
	    "<tbody>\n");
	for (i = 0; i < r->n_hosts; i++) {
		const struct fl_report_host *rh = &r->hosts[i];

		fl_buf_adds(b, "<tr><td>");
		h(b, rh->name);
		fl_buf_adds(b, "</td><td>");
		h(b, rh->kind);
		fl_buf_adds(b, "</td><td>");
		h(b, rh->zone);
		fl_buf_adds(b, " <span class=\"muted\">(");
		h(b, rh->zone_source);
		fl_buf_adds(b, ")</span></td><td>");
		if (rh->clock_offset_us != 0) {
			fl_buf_printf(b, "%+.0f s (confidence %.2f)%s ",
			    (double)rh->clock_offset_us / SEC,
			    rh->clock_confidence, rh->zone_corrected ?
			    ", zone corrected" : "");
			if (rh->clock_basis) {
				fl_buf_adds(b, "<span class=\"muted\">");
				h(b, rh->clock_basis);
				fl_buf_adds(b, "</span>");
			}
		}
		if (rh->bmc_offset_us != 0)
			fl_buf_printf(b, "%sBMC/device log %+.0f s",
			    rh->clock_offset_us ? "<br/>" : "",
			    (double)rh->bmc_offset_us / SEC);
		fl_buf_printf(b, "</td><td class=\"num\">%" PRIu64 "</td>"
		    "<td class=\"t\">", rh->lines);
		htime(b, rh->first_us);
		fl_buf_adds(b, "</td><td class=\"t\">");
		htime(b, rh->last_us);
		fl_buf_printf(b, "</td><td class=\"num\">%zu</td></tr>\n",
		    rh->n_gaps);
	}
	fl_buf_adds(b, "</tbody></table>\n</section>\n");
}

static void
page_inputs(const struct fl_report *r, struct fl_buf *b)
{
	const struct fl_evidence *ev = r->ev;
	size_t i, j;

	fl_buf_adds(b, "<section id=\"inputs\">\n<h2>Inputs</h2>\n");
	if (ev == NULL) {
		fl_buf_adds(b, "<p class=\"muted\">not recorded</p>\n</section>\n");
		return;
	}
	fl_buf_printf(b, "<p class=\"muted\">%zu input file(s), %zu log "
	    "stream(s), %" PRIu64 " lines (%" PRIu64 " parsed, %" PRIu64
	    " unparsed). SHA-256 of each file as read.</p>\n", ev->n_inputs,
	    ev->n_streams, ev->total_lines, ev->total_parsed,
	    ev->total_unparsed);
	fl_buf_adds(b, "<table><thead><tr><th>Input</th><th class=\"num\">Bytes"
	    "</th><th>SHA-256</th><th class=\"num\">Streams</th>"
	    "<th class=\"num\">Lines</th><th>Problems</th></tr></thead>\n"
	    "<tbody>\n");
	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *in = &ev->inputs[i];
		uint64_t lines = 0;
		const char *sep = "";

		for (j = 0; j < in->n_streams; j++)
			if (in->first_stream + j < ev->n_streams)
				lines += ev->streams[in->first_stream + j].lines;
		fl_buf_adds(b, "<tr><td class=\"path\">");
		h(b, in->path);
		fl_buf_printf(b, "</td><td class=\"num\">%" PRIu64 "</td><td "
		    "class=\"sha\">%s</td><td class=\"num\">%u</td><td "
		    "class=\"num\">%" PRIu64 "</td><td>", in->bytes,
		    in->sha256[0] ? in->sha256 : "\xe2\x80\x94", in->n_streams,
		    lines);
		if (in->note) {
			h(b, in->note);
			sep = "; ";
		}
		if (in->error) {
			fl_buf_adds(b, sep);
			h(b, in->error);
			sep = "; ";
		}
		for (j = 0; j < in->n_streams; j++) {
			const struct fl_stream_rec *s;

			if (in->first_stream + j >= ev->n_streams)
				break;
			s = &ev->streams[in->first_stream + j];
			if (s->error == NULL && !s->limit_hit)
				continue;
			fl_buf_adds(b, sep);
			h(b, s->member);
			fl_buf_adds(b, ": ");
			h(b, s->error ? s->error : "a limit was reached");
			sep = "; ";
		}
		fl_buf_adds(b, "</td></tr>\n");
	}
	fl_buf_adds(b, "</tbody></table>\n</section>\n");
}

static void
page_unreadable(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;

	fl_buf_adds(b, "<section id=\"unreadable\">\n<h2>Could not be read</h2>"
	    "\n");
	if (r->n_unreadable == 0) {
		fl_buf_adds(b, r->n_unparsed == 0 ? "<p>Nothing: every input "
		    "was read.</p>\n" : "<p>No input damaged or unreadable."
		    "</p>\n");
	} else {
		fl_buf_adds(b, "<ul>\n");
		for (i = 0; i < r->n_unreadable; i++) {
			fl_buf_adds(b, "<li class=\"path\">");
			h(b, r->unreadable[i]);
			fl_buf_adds(b, "</li>\n");
		}
		fl_buf_adds(b, "</ul>\n");
	}
	if (r->n_unparsed > 0) {
		fl_buf_adds(b, "<p>" FL_UNPARSED_NOTE "</p>\n<ul>\n");
		for (i = 0; i < r->n_unparsed; i++) {
			fl_buf_adds(b, "<li><span class=\"path\">");
			h(b, r->unparsed[i].path);
			fl_buf_printf(b, "</span>: %" PRIu64 " line(s), format ",
			    r->unparsed[i].lines);
			h(b, r->unparsed[i].format);
			fl_buf_adds(b, "</li>\n");
		}
		fl_buf_adds(b, "</ul>\n");
	}
	fl_buf_adds(b, "</section>\n");
}

void
fl_report_html_buf(const struct fl_report *r, const struct fl_inventory *inv,
    struct fl_buf *b)
{
	struct fl_site_time st;

	fl_site_time_init(&st, r);
	page_head(r, b);
	page_verdict(r, &st, b);
	page_timeline(r, &st, inv, b);
	page_findings(r, b);
	page_ruled_out(r, b);
	page_recovery(r, b);
	page_hosts(r, b);
	page_inputs(r, b);
	page_unreadable(r, b);
	fl_buf_adds(b, "<footer>faultline ");
	h(b, r->version);
	fl_buf_adds(b, " \xc2\xb7 rules digest <span class=\"sha\">");
	h(b, r->rules_digest && r->rules_digest[0] ? r->rules_digest :
	    "none");
	fl_buf_adds(b, "</span> \xc2\xb7 report schema faultline/report/v1 "
	    "\xc2\xb7 times in UTC");
	if (st.known) {
		fl_buf_adds(b, ", local times in ");
		h(b, r->site_zone);
	}
	fl_buf_adds(b, "</footer>\n</main>\n</body>\n</html>\n");
	fl_site_time_free(&st);
}
