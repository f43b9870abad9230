#include "config.h"

#include "fl_verdict.h"

#include "fl_signals.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SEC FL_US_PER_SEC
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define MAX_CITES 5

/* ------------------------------------------------------------------ */
/* The hypotheses table. Each row is a kind of evidence; its strength
 * (0..1) times the row's weight is added to each cause. */

enum feat {
	FT_OUTAGE, FT_NO_OUTAGE, FT_MAINS_FAULT, FT_AC_LOST, FT_TOPO_MATCH,
	FT_TOPO_MISMATCH, FT_ABRUPT, FT_UNCLEAN, FT_UPS_SHUTDOWN,
	FT_HUMAN_POWER, FT_INSIDER, FT_PHYSICAL, FT_INTRUSION,
	FT_ATTACKER_POWER, FT_BMC_COMPROMISE, FT_TAMPER, FT_DESTRUCTIVE,
	FT_MALICIOUS_ADMIN, FT_CLEAN_PERSON, FT_STAGGERED, FT_ROUTINE,
	FT_UNSEEN, FT_COUNT
};

/*                                         accident sabotage cyber planned none */
static const struct fl_weight_row weights[FT_COUNT] = {
	[FT_OUTAGE] = {"site-outage",
	    "hosts stopped together (one incident)",
	    {1.0, 1.0, 1.0, 1.0, -3.0}},
	[FT_NO_OUTAGE] = {"no-outage",
	    "no hosts stopped together; at most isolated restarts",
	    {-2.0, -1.0, -1.0, -2.0, 3.0}},
	[FT_MAINS_FAULT] = {"mains-fault",
	    "utility loss, UPS fault or exhaustion, PDU input loss, breaker "
	    "trip or generator failure before the hosts stopped",
	    {3.0, -1.0, -1.0, -1.5, -1.0}},
	[FT_AC_LOST] = {"ac-lost",
	    "BMCs of the hosts that stopped recorded AC lost (share)",
	    {1.5, 0.5, 0.0, -1.0, 0.0}},
	[FT_TOPO_MATCH] = {"topology-match",
	    "the hosts that stopped are those behind one power element",
	    {2.0, -1.0, -0.5, 0.0, 0.0}},
	[FT_TOPO_MISMATCH] = {"topology-mismatch",
	    "the hosts that stopped do not follow the power topology",
	    {-2.0, 1.5, 1.0, 0.5, 0.0}},
	[FT_ABRUPT] = {"abrupt-stops",
	    "hosts stopped abruptly: last line, then nothing (share)",
	    {1.0, 1.0, 0.5, -2.0, 0.0}},
	[FT_UNCLEAN] = {"unclean-boots",
	    "hosts booted with unclean-shutdown recovery (share)",
	    {0.5, 0.5, 0.5, -1.0, 0.0}},
	[FT_UPS_SHUTDOWN] = {"ups-commanded-shutdown",
	    "hosts shut down on a UPS daemon's order after a power fault "
	    "(share)",
	    {1.5, -0.5, -0.5, -0.5, 0.0}},
	[FT_HUMAN_POWER] = {"power-command",
	    "power was cut by a command: outlet or UPS output off, EPO, BMC "
	    "power off, ipmitool/upscmd, forced shutdown with no power fault",
	    {-2.5, 2.0, 1.0, 0.0, 0.0}},
	[FT_INSIDER] = {"insider-actor",
	    "that command came from a named local user or an internal "
	    "address with no intrusion behind it",
	    {-0.5, 2.0, -1.0, 0.5, 0.0}},
	[FT_PHYSICAL] = {"physical-access",
	    "badge, door, chassis or power-button activity shortly before "
	    "the power action",
	    {-0.5, 1.5, -0.5, 0.0, 0.0}},
	[FT_INTRUSION] = {"intrusion-chain",
	    "a login after brute force or from an unusual source, followed "
	    "by escalation, account changes, persistence or movement",
	    {-1.0, -0.5, 3.0, -1.0, -1.0}},
	[FT_ATTACKER_POWER] = {"attacker-power-command",
	    "the power action came from the intruder's account, address or "
	    "a compromised host or BMC",
	    {-2.0, -1.0, 3.0, -1.0, 0.0}},
	[FT_BMC_COMPROMISE] = {"bmc-compromise",
	    "BMC password violations or logins from unusual sources",
	    {-0.5, 0.0, 2.0, 0.0, 0.0}},
	[FT_TAMPER] = {"tampering",
	    "logs deleted, audit or logger stopped outside a shutdown, "
	    "history cleared, or a hole in the logs with no reboot",
	    {-1.0, 1.0, 1.5, -1.0, -0.5}},
	[FT_DESTRUCTIVE] = {"destructive-commands",
	    "commands that destroy data",
	    {-1.0, 1.0, 1.5, -1.0, -0.5}},
	[FT_MALICIOUS_ADMIN] = {"shutdown-with-damage",
	    "the person who shut hosts down also destroyed data or tampered "
	    "with logs",
	    {-0.5, 2.5, 0.0, -2.5, 0.0}},
	[FT_CLEAN_PERSON] = {"orderly-by-person",
	    "hosts shut down in an orderly way on a person's request (share)",
	    {-2.0, 0.0, -0.5, 3.0, 0.0}},
	[FT_STAGGERED] = {"one-at-a-time",
	    "those shutdowns were spread out, one host at a time",
	    {-0.5, -0.5, -0.5, 1.0, 0.0}},
	[FT_ROUTINE] = {"routine-restarts",
	    "only short orderly restarts of single hosts",
	    {-0.5, -0.5, -0.5, -0.5, 1.0}},
	[FT_UNSEEN] = {"unseen",
	    "with no incident found, the servers' hours with no "
	    "authentication log (share; 1 with no dated server line at "
	    "all): what happened there cannot be seen",
	    {0.0, 0.0, 0.0, 0.0, -3.0}},
};

const struct fl_weight_row *
fl_weight_table(size_t *n)
{
	*n = FT_COUNT;
	return weights;
}

/* Softmax temperature for the confidence, and how close the top two may
 * be before the verdict is inconclusive. */
#define SCORE_TEMPERATURE 1.5
#define INCONCLUSIVE_MARGIN 1.0
#define MIN_WINNING_SCORE 1.0

void
fl_analyze_opts_default(struct fl_analyze_opts *o)
{
	memset(o, 0, sizeof *o);
	fl_lanes_opts_default(&o->lanes);
	o->evidence_status = 0;
}

int
fl_skew_parse(const char *arg, struct fl_skew_opt *out)
{
	const char *eq = strrchr(arg, '=');
	char *end;
	double v;

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return -1;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || fabs(v) > 1e9)
		return -1;
	out->host = fl_xstrndup(arg, (size_t)(eq - arg));
	out->us = (int64_t)llround(v * 1e6);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Small helpers */

struct strset {
	const char **v;
	size_t n, cap;
};

static void
ss_add(struct strset *s, const char *x)
{
	size_t i;

	if (x == NULL || *x == '\0')
		return;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return;
	FL_GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = x;
}

static int
ss_has(const struct strset *s, const char *x)
{
	size_t i;

	if (x == NULL)
		return 0;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return 1;
	return 0;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
ss_sort(struct strset *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_strp);
}

static void
ss_free(struct strset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t
median_i64(int64_t *v, size_t n)
{
	int64_t hi = fl_select_i64(v, n, n / 2), lo = v[0];
	size_t i;

	if (n % 2)
		return hi;
	/* the largest of the lower half */
	for (i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return lo + (hi - lo) / 2;
}

static int64_t
abs64(int64_t x)
{
	return x < 0 ? -x : x;
}

/* "2024-08-03T07:52:10Z" (seconds only). */
static void
tstr(char out[FL_TIME_STRLEN], int64_t us)
{
	if (us != FL_TIME_UNKNOWN)
		us -= ((us % SEC) + SEC) % SEC;
	fl_format_time(out, us, 0);
}

/* "2 min", "1 h 05 min", "40 s". */
static void
dur(char out[64], int64_t us)
{
	int64_t s = us / SEC;

	if (s < 0)
		s = -s;
	if (s < 120)
		snprintf(out, 64, "%" PRId64 " s", s);
	else if (s < 2 * 3600)
		snprintf(out, 64, "%" PRId64 " min", (s + 30) / 60);
	else
		snprintf(out, 64, "%" PRId64 " h %02" PRId64 " min", s / 3600,
		    (s % 3600 + 30) / 60);
}

static int
is_private_ip(const char *ip)
{
	unsigned a, b;

	if (ip == NULL)
		return 0;
	/* an IPv4 address as a dual-stack sshd writes it */
	if (strncasecmp(ip, "::ffff:", 7) == 0 && strchr(ip + 7, ':') == NULL)
		ip += 7;
	if (strchr(ip, ':') != NULL) {
		/* IPv6: loopback, link-local, unique local */
		return strcmp(ip, "::1") == 0 ||
		    strncasecmp(ip, "fe80:", 5) == 0 ||
		    strncasecmp(ip, "fc", 2) == 0 ||
		    strncasecmp(ip, "fd", 2) == 0;
	}
	/* Only the first two octets matter, compared below; junk fails
	 * the count. */
	/* NOLINTNEXTLINE(cert-err34-c) */
	if (sscanf(ip, "%u.%u", &a, &b) != 2)
		return 0;
	return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) ||
	    (a == 192 && b == 168) || (a == 169 && b == 254) ||
	    (a == 100 && b >= 64 && b <= 127);
}

/* ------------------------------------------------------------------ */
/* The analysis context */

/* A finding being built: events behind it, hosts, fields. */
struct fb {
	const char *category, *signal, *title;
	int noise;
	size_t *evs;
	size_t n_evs, cap_evs;
	struct strset hosts;
	struct fl_kv *fields;
	size_t n_fields, cap_fields;
	int64_t start, end;     /* FL_TIME_UNKNOWN: from the events */
	size_t idx;             /* in ctx.fbs */
	size_t out;             /* index in the report, after sorting */
};

/* A clock domain: one host's OS lines, or its device/BMC lines. */
struct dom {
	uint32_t host;
	unsigned char dev;
	unsigned char exact;    /* most lines carry their own offset */
	unsigned char fixed;    /* --skew given */
	size_t n_events, n_assumed;
	int64_t zone_us, skew_us;
	double conf;
	const char *basis;
	size_t anchor_ev;
	size_t n_support;
	int32_t assumed_off_s;  /* offset of the zone assumed, at the anchor */
};

enum obs_class { OBS_DOWN, OBS_UP, OBS_MAINS, OBS_UPSCMD, OBS_N };

struct obs {
	enum obs_class cls;
	int64_t t;
	uint32_t dom;
	size_t ev;              /* FL_NO_EVENT for a host stop */
	int precise;            /* a device's own record of the instant */
};

/* A host that went down in a gap of its lane. */
struct down {
	uint32_t host;
	const struct fl_gap *gap;
	int64_t t;
	size_t cluster;
};

/* A correlation rule that fired. */
struct chit {
	enum fl_sig sig;
	uint32_t rule;
	int64_t start, end;
	const char *group;
	size_t *evs;
	size_t n_evs;
};

/* What one source address did. */
struct src {
	const char *ip;
	size_t fails, scans, succ, bmc_fails;
	int64_t first_fail;
	int brute;              /* brute force from it */
	int attacker;
};

/* A power action that may have caused the stop. */
struct paction {
	size_t ev;
	enum fl_sig sig;
	const char *user, *src_ip, *device;
	int attacker;           /* the intruder's */
};

struct ctx {
	struct fl_evidence *ev;
	const struct fl_ruleset *rs;
	const struct fl_analyze_opts *o;
	struct fl_report *r;
	enum fl_sig *sig;
	enum fl_host_kind *kind;
	const struct fl_inv_host **inv;   /* per evidence host */
	struct fl_lanes *lanes;
	size_t **hev, *n_hev;             /* per-host events, time order */

	struct dom *doms;
	size_t n_doms;

	struct chit *chits;
	size_t n_chits, cap_chits;

	struct down *downs;
	size_t n_downs;
	int has_incident;
	size_t inc_cluster;
	int64_t inc_start, inc_end, first_down, last_down;
	struct strset affected;           /* evidence host names */
	size_t n_inc_downs;               /* downs in the incident */
	int64_t episode_start;            /* first power/cause event */
	int64_t cause_hi;                 /* causes are sought up to here */
	size_t episode_ev;

	/* power */
	struct paction *pact;
	size_t n_pact, cap_pact;
	int64_t power_restored;
	size_t power_restored_ev;
	const char *topo_note;
	int phys_door, phys_machine;      /* what the physical-access finding
	                                   * cites: a door, the machines */
	int64_t day_shown;                /* for dates in sentences */

	/* security */
	struct src *srcs;
	size_t n_srcs, cap_srcs;
	struct strset att_users, att_ips, att_devices, att_hosts;
	const char *entry_host;
	int64_t entry_time;               /* the intruder's first login */
	size_t entry_ev;
	int64_t intrusion_start;
	struct strset actor_users, actor_ips, actor_devices;

	/* findings and features */
	struct fb **fbs;        /* stable pointers */
	size_t n_fbs, cap_fbs;
	double feat[FT_COUNT];
	long feat_fb[FT_COUNT];           /* finding behind a feature, -1 */
	const char *feat_note[FT_COUNT];
	int unseen_undated;               /* no server line could be dated */
	size_t n_holes;                   /* holes with no reboot reported */
	long hole_fb;                     /* the first of them, or -1 */
	enum fl_cause lead, rival;        /* the two highest in contention */
};

static const char *
hname(const struct ctx *c, uint32_t h)
{
	return c->ev->hosts[h].name;
}

static const char *
astr(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *
astr(struct ctx *c, const char *fmt, ...)
{
	struct fl_buf b = {0};
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	fl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s = fl_arena_strdup(c->r->arena, b.data ? b.data : "");
	fl_buf_free(&b);
	return s;
}

static const char *
rule_id(const struct ctx *c, int32_t rule)
{
	if (c->rs == NULL || rule < 0 || (size_t)rule >= fl_ruleset_count(c->rs))
		return NULL;
	return fl_ruleset_rule(c->rs, (size_t)rule)->id;
}

static void
set_cite(const struct ctx *c, size_t k, struct fl_cite *ci)
{
	const struct fl_event *e = &c->ev->events[k];
	const struct fl_stream_rec *s = &c->ev->streams[e->stream];

	ci->input = c->ev->inputs[s->input].path;
	ci->member = s->member;
	ci->line = e->line;
	ci->time_us = e->time_us;
	ci->raw_time_us = e->raw_time_us;
	ci->tflags = e->tflags;
	ci->host = hname(c, e->host);
	ci->rule = rule_id(c, e->rule);
	ci->signal = c->sig[k] != FL_SIG_NONE ? fl_sig_name(c->sig[k]) : NULL;
	ci->text = e->raw;
}

/* The start of t's minute, and the start of the next one. */
static int64_t
minute_start(int64_t t)
{
	int64_t m = t / MIN;

	return (t % MIN != 0 && t < 0 ? m - 1 : m) * MIN;
}

static int64_t
minute_end(int64_t t)
{
	return minute_start(t) + MIN;
}

/* Background noise past the first line of a source keeps no text: it is
 * counted, never cited. */
static int
has_text(const struct ctx *c, size_t k)
{
	return c->ev->events[k].noise != FL_NOISE_COUNTED;
}

static struct fb *
fb_new(struct ctx *c, const char *category, const char *signal,
    const char *title, int noise)
{
	struct fb *f;

	FL_GROW(c->fbs, c->cap_fbs, c->n_fbs + 1);
	f = fl_xcalloc(1, sizeof *f);
	f->idx = c->n_fbs;
	c->fbs[c->n_fbs++] = f;
	f->start = f->end = FL_TIME_UNKNOWN;
	f->category = category;
	f->signal = signal;
	f->title = title;
	f->noise = noise;
	return f;
}

static long
fb_index(const struct ctx *c, const struct fb *f)
{
	(void)c;
	return (long)f->idx;
}

static void
fb_drop_last(struct ctx *c)
{
	struct fb *f = c->fbs[--c->n_fbs];

	free(f->evs);
	free(f->fields);
	ss_free(&f->hosts);
	free(f);
}

static void
fb_ev(struct ctx *c, struct fb *f, size_t k)
{
	if (k == FL_NO_EVENT)
		return;
	FL_GROW(f->evs, f->cap_evs, f->n_evs + 1);
	f->evs[f->n_evs++] = k;
	ss_add(&f->hosts, hname(c, c->ev->events[k].host));
}

static void
fb_field(struct fb *f, const char *k, const char *v)
{
	size_t i;

	if (v == NULL || *v == '\0')
		return;
	for (i = 0; i < f->n_fields; i++)
		if (strcmp(f->fields[i].key, k) == 0 &&
		    strcmp(f->fields[i].value, v) == 0)
			return;
	FL_GROW(f->fields, f->cap_fields, f->n_fields + 1);
	f->fields[f->n_fields].key = k;
	f->fields[f->n_fields].value = v;
	f->n_fields++;
}

static void
set_feat(struct ctx *c, enum feat ft, double v, const struct fb *f,
    const char *note)
{
	if (v < 0)
		v = 0;
	if (v > 1)
		v = 1;
	if (v < c->feat[ft])
		return;
	c->feat[ft] = v;
	c->feat_fb[ft] = f ? fb_index(c, f) : -1;
	c->feat_note[ft] = note;
}

static void
build_host_events(struct ctx *c)
{
	size_t h, i;

	if (c->hev != NULL)
		for (h = 0; h < c->ev->n_hosts; h++)
			free(c->hev[h]);
	free(c->hev);
	free(c->n_hev);
	c->hev = fl_xcalloc(c->ev->n_hosts + 1, sizeof *c->hev);
	c->n_hev = fl_xcalloc(c->ev->n_hosts + 1, sizeof *c->n_hev);
	for (i = 0; i < c->ev->n_events; i++)
		c->n_hev[c->ev->events[i].host]++;
	for (h = 0; h < c->ev->n_hosts; h++) {
		c->hev[h] = fl_xcalloc(c->n_hev[h] + 1, sizeof **c->hev);
		c->n_hev[h] = 0;
	}
	for (i = 0; i < c->ev->n_events; i++) {
		uint32_t h2 = c->ev->events[i].host;

		c->hev[h2][c->n_hev[h2]++] = i;
	}
}

static int
sig_in(enum fl_sig s, const enum fl_sig *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == s)
			return 1;
	return 0;
}

#define SIG_IN(s, ...) \
	sig_in((s), (const enum fl_sig[]){__VA_ARGS__}, \
	    sizeof((const enum fl_sig[]){__VA_ARGS__}) / sizeof(enum fl_sig))

static int64_t
etime(const struct ctx *c, size_t k)
{
	return c->ev->events[k].time_us;
}

/* The first event at or after t (events are in time order, unknown
 * times last). */
static size_t
at_or_after(const struct ctx *c, int64_t t)
{
	size_t lo = 0, hi = c->ev->n_events;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t m = c->ev->events[mid].time_us;

		if (m != FL_TIME_UNKNOWN && m < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *
efield(const struct ctx *c, size_t k, const char *name)
{
	return fl_event_field(&c->ev->events[k], name);
}

static const char *
euser(const struct ctx *c, size_t k)
{
	const char *u = efield(c, k, "user");

	return u ? u : efield(c, k, "target_user");
}

/* ------------------------------------------------------------------ */
/* Host kinds and the inventory */

static void
classify_hosts(struct ctx *c)
{
	size_t h;

	c->kind = fl_xcalloc(c->ev->n_hosts + 1, sizeof *c->kind);
	c->inv = fl_xcalloc(c->ev->n_hosts + 1, sizeof *c->inv);
	fl_host_kinds(c->ev, c->kind);
	for (h = 0; h < c->ev->n_hosts; h++) {
		const char *n = hname(c, (uint32_t)h);

		if (c->o->inv == NULL)
			continue;
		if (fl_inventory_is_device(c->o->inv, n)) {
			c->kind[h] = FL_HOST_DEVICE;
			continue;
		}
		c->inv[h] = fl_inventory_host(c->o->inv, n);
		if (c->inv[h] == NULL) {
			c->inv[h] = fl_inventory_bmc_host(c->o->inv, n);
			if (c->inv[h] != NULL)
				c->kind[h] = FL_HOST_BMC_ONLY;
		} else if (c->kind[h] == FL_HOST_DEVICE) {
			c->kind[h] = FL_HOST_BMC_ONLY;
		}
	}
}

/* The name to show for a host: its inventory name when it is known only
 * through its BMC's name. */
static const char *
display_host(const struct ctx *c, uint32_t h)
{
	if (c->inv[h] != NULL && c->kind[h] == FL_HOST_BMC_ONLY)
		return c->inv[h]->name;
	return hname(c, h);
}

/* A door reader: the inventory calls it one, or its lines came through
 * the badge mapping or name a door. Any other device is a power device. */
static int
door_reader(const struct ctx *c, uint32_t h)
{
	size_t i;

	if (c->kind[h] != FL_HOST_DEVICE)
		return 0;
	if (c->o->inv != NULL)
		for (i = 0; i < c->o->inv->n_devices; i++) {
			const struct fl_inv_device *d = &c->o->inv->devices[i];

			if (fl_inventory_name_eq(d->name, hname(c, h)) &&
			    (strcmp(d->kind, "badge") == 0 ||
			    strcmp(d->kind, "door") == 0))
				return 1;
		}
	for (i = 0; i < c->n_hev[h]; i++)
		if (strcmp(c->ev->events[c->hev[h][i]].program, "badge") == 0 ||
		    efield(c, c->hev[h][i], "door") != NULL)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Clocks: shared instants, whole-hour zone mistakes, small skews */

static size_t
dom_of(struct ctx *c, size_t *map, uint32_t host, int dev)
{
	size_t *slot = &map[2 * host + (dev ? 1 : 0)];

	if (*slot == SIZE_MAX) {
		struct dom *d;

		c->doms = fl_xreallocarray(c->doms, c->n_doms + 1,
		    sizeof *c->doms);
		d = &c->doms[c->n_doms];
		memset(d, 0, sizeof *d);
		d->host = host;
		d->dev = (unsigned char)(dev != 0);
		d->anchor_ev = FL_NO_EVENT;
		*slot = c->n_doms++;
	}
	return *slot;
}

/* The domain whose clock the host's activity histogram follows. */
static int
main_dom_dev(const struct ctx *c, uint32_t h)
{
	return c->kind[h] != FL_HOST_SERVER;
}

static void
add_obs(struct obs **v, size_t *n, size_t *cap, enum obs_class cls,
    int64_t t, size_t dom, size_t ev, int precise)
{
	size_t i;

	if (t == FL_TIME_UNKNOWN)
		return;
	/* One instant per class and domain within two minutes. */
	for (i = *n; i-- > 0;) {
		if ((*v)[i].dom == dom && (*v)[i].cls == cls &&
		    abs64((*v)[i].t - t) < 2 * MIN)
			return;
	}
	FL_GROW(*v, *cap, *n + 1);
	(*v)[*n].cls = cls;
	(*v)[*n].t = t;
	(*v)[*n].dom = (uint32_t)dom;
	(*v)[*n].ev = ev;
	(*v)[*n].precise = precise;
	(*n)++;
}

static int
obs_class_of(enum fl_sig s, enum obs_class *cls)
{
	switch (s) {
	case FL_SIG_PSU_AC_LOST: case FL_SIG_BMC_POWER_OFF:
	case FL_SIG_BATTERY_EXHAUSTED: case FL_SIG_UPS_OUTPUT_OFF:
	case FL_SIG_OUTLET_OFF: case FL_SIG_PDU_INPUT_LOST:
	case FL_SIG_BREAKER_TRIP: case FL_SIG_EPO:
		*cls = OBS_DOWN;
		return 1;
	case FL_SIG_BMC_POWER_ON: case FL_SIG_OUTLET_ON:
		*cls = OBS_UP;
		return 1;
	case FL_SIG_UTILITY_LOST: case FL_SIG_ON_BATTERY:
	case FL_SIG_UTILITY_RESTORED:
		*cls = OBS_MAINS;
		return 1;
	case FL_SIG_UPS_COMMANDED_SHUTDOWN: case FL_SIG_BATTERY_LOW:
		*cls = OBS_UPSCMD;
		return 1;
	default:
		return 0;
	}
}

static int32_t
zone_offset_s(const struct ctx *c, const char *zone, int64_t us)
{
	const struct fl_zone *z;
	char *err = NULL;

	if (c->o->zones == NULL || zone == NULL)
		return 0;
	z = fl_zones_get(c->o->zones, zone, &err);
	free(err);
	return z ? fl_zone_offset_at(z, us / SEC) : 0;
}

static void
offset_str(char out[16], int32_t s)
{
	int32_t a = s < 0 ? -s : s;

	snprintf(out, 16, "UTC%c%02d:%02d", s < 0 ? '-' : '+', (int)(a / 3600),
	    (int)(a % 3600 / 60));
}

/* Whole-hour shifts: a domain whose instants line up with the other
 * domains' only when moved by k hours (±15 min) logs in another zone
 * than the one assumed. Each of its instants votes with the clocks it
 * meets; a domain whose lines carry their own offset counts three times. */
static void
find_zone_errors(struct ctx *c, const struct obs *ob, size_t n_ob)
{
	size_t d, i, j, e;
	unsigned char *hit = fl_xcalloc(29 * c->n_doms + 1, 1);
	unsigned char *seen = fl_xcalloc(c->n_doms + 1, 1);

	for (d = 0; d < c->n_doms; d++) {
		struct dom *dd = &c->doms[d];
		double others = 0, best = 0, sup[29];
		int k, bestk = 0;

		if (dd->fixed || dd->exact)
			continue;
		memset(sup, 0, sizeof sup);
		for (i = 0; i < n_ob; i++) {
			if (ob[i].dom != d)
				continue;
			memset(hit, 0, 29 * c->n_doms);
			memset(seen, 0, c->n_doms);
			for (j = 0; j < n_ob; j++) {
				int64_t diff;

				if (ob[j].dom == d || ob[j].cls != ob[i].cls)
					continue;
				seen[ob[j].dom] = 1;
				diff = ob[j].t - ob[i].t;
				for (k = -14; k <= 14; k++)
					if (abs64(diff - k * HOUR) <= 15 * MIN)
						hit[(size_t)(k + 14) * c->n_doms +
						    ob[j].dom] = 1;
			}
			for (e = 0; e < c->n_doms; e++) {
				double w = c->doms[e].exact ? 3 : 1;

				if (seen[e])
					others += w;
				for (k = -14; k <= 14; k++)
					if (hit[(size_t)(k + 14) * c->n_doms + e])
						sup[k + 14] += w;
			}
		}
		for (k = -14; k <= 14; k++)
			if (k != 0 && sup[k + 14] > best) {
				best = sup[k + 14];
				bestk = k;
			}
		/* A clock in the wrong zone is alone where it stands: the
		 * others line up with it only once it is moved. Two groups of
		 * hosts that stopped an hour apart (two UPSes running out) both
		 * have company where they stand. */
		if (bestk == 0 || best < 2 || best < 3 * sup[14] ||
		    best < others / 2)
			continue;
		dd->zone_us = bestk * HOUR;
		dd->n_support = (size_t)best;
		dd->conf = best >= others * 0.8 ? 0.9 : 0.7;
		for (i = 0; i < n_ob; i++)
			if (ob[i].dom == d && ob[i].ev != FL_NO_EVENT) {
				dd->anchor_ev = ob[i].ev;
				break;
			}
	}
	free(hit);
	free(seen);
}

/* The reference for one instant of domain d: the median of other clocks'
 * records of the same thing within ten minutes (one per clock). Devices
 * are where instants happen: a device is compared with other devices; a
 * host with the devices' records, failing those with other hosts' own
 * records, and (for its last line) with other hosts' last lines. A mains
 * loss or a UPS's order reaches every clock at once; loads that drop
 * (outlets switched one by one, BMCs powered off in turn) are one instant
 * only when three or more clocks saw them within seconds. Returns 0 when
 * there is none, 2 when the reference is other hosts' last lines, else 1. */
static int
shared_instant(const struct ctx *c, const struct obs *ob, size_t n_ob,
    size_t i, int64_t *oth, unsigned char *used, int64_t *ref)
{
	const struct dom *dd = &c->doms[ob[i].dom];
	size_t n_oth = 0, n_exact = 0, j;
	int pass;

	for (pass = 0; pass < 3 && n_oth == 0; pass++) {
		if ((pass > 0 && dd->dev) || (pass == 2 && ob[i].precise))
			break;
		memset(used, 0, c->n_doms);
		n_exact = 0;
		for (j = 0; j < n_ob; j++) {
			const struct dom *od = &c->doms[ob[j].dom];

			if (ob[j].dom == ob[i].dom || ob[j].cls != ob[i].cls ||
			    used[ob[j].dom] || (pass < 2 && !ob[j].precise) ||
			    (pass == 0 && !od->dev) ||
			    abs64(ob[j].t - ob[i].t) > 10 * MIN)
				continue;
			used[ob[j].dom] = 1;
			oth[n_oth++] = ob[j].t;
			n_exact += od->exact;
		}
		/* one device record is enough for a host */
		if (n_oth < 2 && n_exact == 0 &&
		    !(pass == 0 && !dd->dev && n_oth == 1))
			n_oth = 0;
		if (pass == 2 && n_oth < 3 && n_exact == 0)
			n_oth = 0;
	}
	if (n_oth == 0)
		return 0;
	*ref = median_i64(oth, n_oth);
	if (ob[i].cls == OBS_DOWN || ob[i].cls == OBS_UP) {
		if (ob[i].precise && n_oth < 3)
			return 0;
		if (n_oth > 1 && pass < 3 && oth[n_oth - 1] - oth[0] > 5 * SEC)
			return 0;
	}
	/* pass is one past the one that found the reference */
	if (pass == 3)
		return oth[n_oth - 1] - oth[0] <= MIN ? 2 : 0;
	return oth[n_oth - 1] - oth[0] <= (ob[i].precise ? 30 * SEC :
	    2 * MIN) ? 1 : 0;
}

/* What one instant says about a clock: the corrections it allows, as
 * [lo, hi] (r = reference minus record). A device records the instant
 * itself (a few seconds of slack). A host hears of a mains loss or a UPS
 * order from its daemon late by up to a polling interval, never early:
 * [r, r + 90 s]. Its last line before the load dropped comes before the
 * drop by however long it stayed quiet: at most r (+1 min, as a last line
 * may be known to the minute only; against other hosts' last lines, which
 * are early too, +2 min). A boot comes after the
 * power is back, by as long as the machine takes to start: [r, r +
 * 10 min]. Returns 0 when the instant says nothing. */
static int
allowed(const struct ctx *c, const struct obs *o, int64_t ref, int lines,
    int64_t *lo, int64_t *hi)
{
	const struct dom *dd = &c->doms[o->dom];
	int64_t r = ref - o->t;

	if (dd->dev) {
		*lo = r - 5 * SEC;
		*hi = r + 5 * SEC;
	} else if (o->precise) {
		*lo = r;
		*hi = r + 90 * SEC;
	} else if (o->cls == OBS_UP) {
		if (lines)
			return 0;
		*lo = r;
		*hi = r + 10 * MIN;
	} else {
		/* (a last line known to the minute) */
		*lo = INT64_MIN / 2;
		*hi = r + (lines ? 2 * MIN : MIN);
	}
	return 1;
}

/* Small offsets: the corrections every shared instant of a clock allows,
 * intersected; the smallest one in the intersection is applied when it is
 * not zero. Instants that contradict each other leave the clock alone. */
static void
find_skews(struct ctx *c, struct obs *ob, size_t n_ob)
{
	size_t d, i;
	int64_t *oth = fl_xcalloc(c->n_doms + 1, sizeof *oth);
	unsigned char *used = fl_xcalloc(c->n_doms + 1, 1);

	for (i = 0; i < n_ob; i++)
		ob[i].t += c->doms[ob[i].dom].zone_us;
	for (d = 0; d < c->n_doms; d++) {
		struct dom *dd = &c->doms[d];
		int64_t lo = INT64_MIN / 2, hi = INT64_MAX / 2, ref, skew;
		size_t n = 0, n_prec = 0;

		if (dd->fixed)
			continue;
		for (i = 0; i < n_ob; i++) {
			int64_t a, b;
			int how;

			if (ob[i].dom != d || (how = shared_instant(c, ob, n_ob,
			    i, oth, used, &ref)) == 0 ||
			    !allowed(c, &ob[i], ref, how == 2, &a, &b))
				continue;
			if (a > lo)
				lo = a;
			if (b < hi)
				hi = b;
			n++;
			n_prec += ob[i].precise;
			if (dd->anchor_ev == FL_NO_EVENT &&
			    ob[i].ev != FL_NO_EVENT)
				dd->anchor_ev = ob[i].ev;
		}
		if (n == 0 || lo > hi)
			continue;
		skew = lo > 0 ? lo : hi < 0 ? hi : 0;
		if (abs64(skew) < (dd->dev ? 5 * SEC : 15 * SEC) ||
		    abs64(skew) > 30 * MIN)
			continue;
		dd->skew_us = skew;
		dd->n_support = n;
		dd->conf = hi - lo <= 30 * SEC ? 0.9 : hi - lo <= 2 * MIN ?
		    0.75 : 0.5;
		if (n == 1 || n_prec == 0)
			dd->conf -= 0.1;
	}
	free(oth);
	free(used);
}

struct ekey {
	int64_t t;
	const char *host;
	uint32_t stream;
	uint64_t line;
	int32_t rule;
	size_t idx;
};

static int
cmp_ekey(const void *va, const void *vb)
{
	const struct ekey *a = va, *b = vb;
	int r;

	if (a->t != b->t) {
		if (a->t == FL_TIME_UNKNOWN)
			return 1;
		if (b->t == FL_TIME_UNKNOWN)
			return -1;
		return a->t < b->t ? -1 : 1;
	}
	if ((r = strcmp(a->host, b->host)) != 0)
		return r;
	if (a->stream != b->stream)
		return a->stream < b->stream ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* Events back in the evidence's order after times moved. */
static void
resort_events(struct ctx *c)
{
	size_t n = c->ev->n_events, i;
	struct ekey *k = fl_xcalloc(n + 1, sizeof *k);
	struct fl_event *ne = fl_xcalloc(n + 1, sizeof *ne);
	enum fl_sig *ns = fl_xcalloc(n + 1, sizeof *ns);

	for (i = 0; i < n; i++) {
		const struct fl_event *e = &c->ev->events[i];

		k[i].t = e->time_us;
		k[i].host = hname(c, e->host);
		k[i].stream = e->stream;
		k[i].line = e->line;
		k[i].rule = e->rule;
		k[i].idx = i;
	}
	qsort(k, n, sizeof *k, cmp_ekey);
	for (i = 0; i < n; i++) {
		ne[i] = c->ev->events[k[i].idx];
		ns[i] = c->sig[k[i].idx];
	}
	memcpy(c->ev->events, ne, n * sizeof *ne);
	memcpy(c->sig, ns, n * sizeof *ns);
	free(k);
	free(ne);
	free(ns);
}

static int64_t
round_minutes(int64_t us)
{
	return us >= 0 ? (us + MIN / 2) / MIN : -((-us + MIN / 2) / MIN);
}

static void
apply_clock(struct ctx *c, const size_t *map)
{
	size_t i, h;
	int moved = 0;

	for (i = 0; i < c->ev->n_events; i++) {
		struct fl_event *e = &c->ev->events[i];
		const struct dom *d = &c->doms[map[2 * e->host +
		    (fl_format_is_device(e->format) ? 1 : 0)]];

		if (e->time_us == FL_TIME_UNKNOWN)
			continue;
		if (d->zone_us != 0 && (e->tflags & FL_TF_ZONE_ASSUMED)) {
			e->time_us += d->zone_us;
			e->tflags |= FL_TF_ZONE_CORRECTED;
			moved = 1;
		}
		if (d->skew_us != 0) {
			e->time_us += d->skew_us;
			e->tflags |= FL_TF_SKEW_CORRECTED;
			moved = 1;
		}
	}
	for (h = 0; h < c->ev->n_hosts; h++) {
		struct fl_host_rec *hr = &c->ev->hosts[h];
		size_t di = map[2 * h + (size_t)main_dom_dev(c, (uint32_t)h)];
		int64_t off, shift;

		if (di == SIZE_MAX)
			continue;
		off = c->doms[di].zone_us + c->doms[di].skew_us;
		if (off == 0)
			continue;
		hr->skew_us = off;
		shift = round_minutes(off);
		/* in the span, a corrected minute still fits 32 bits */
		if (fl_minute_in_span(shift))
			for (i = 0; i < hr->n_minutes; i++)
				hr->minutes[i].minute = (int32_t)
				    (hr->minutes[i].minute + shift);
		if (hr->first_us != FL_TIME_UNKNOWN)
			hr->first_us += shift * MIN;
		if (hr->last_us != FL_TIME_UNKNOWN)
			hr->last_us += shift * MIN;
	}
	if (moved)
		resort_events(c);
}

static void
correct_clocks(struct ctx *c)
{
	size_t *map = fl_xcalloc(2 * c->ev->n_hosts + 2, sizeof *map);
	struct obs *ob = NULL;
	size_t n_ob = 0, cap_ob = 0, i, h, j;
	struct fl_lanes *raw;

	for (i = 0; i < 2 * c->ev->n_hosts + 2; i++)
		map[i] = SIZE_MAX;
	for (h = 0; h < c->ev->n_hosts; h++) {
		size_t d = dom_of(c, map, (uint32_t)h,
		    main_dom_dev(c, (uint32_t)h));

		c->doms[d].exact = c->ev->hosts[h].zone_source ==
		    FL_ZONE_FROM_LINE;
	}
	for (i = 0; i < c->ev->n_events; i++) {
		const struct fl_event *e = &c->ev->events[i];
		size_t d = dom_of(c, map, e->host,
		    fl_format_is_device(e->format));

		c->doms[d].n_events++;
		if (e->tflags & FL_TF_ZONE_ASSUMED)
			c->doms[d].n_assumed++;
	}
	for (i = 0; i < c->n_doms; i++)
		if (c->doms[i].n_events > 0)
			c->doms[i].exact = c->doms[i].n_assumed * 2 <
			    c->doms[i].n_events;
	/* --skew: the operator knows better. */
	for (j = 0; j < c->o->n_skews; j++)
		for (i = 0; i < c->n_doms; i++)
			if (fl_inventory_name_eq(hname(c, c->doms[i].host),
			    c->o->skews[j].host)) {
				c->doms[i].fixed = 1;
				c->doms[i].skew_us = c->o->skews[j].us;
				c->doms[i].conf = 1.0;
				c->doms[i].basis = "--skew";
			}

	raw = fl_lanes_build(c->ev, c->sig, c->kind, &c->o->lanes);
	for (h = 0; h < raw->n; h++) {
		const struct fl_lane *l = &raw->v[h];
		size_t d = map[2 * h];

		if (l->kind != FL_HOST_SERVER || d == SIZE_MAX)
			continue;
		for (j = 0; j < l->n_gaps; j++) {
			const struct fl_gap *g = &l->gaps[j];

			if (g->began == FL_BEGAN_ABRUPT ||
			    g->requester == FL_REQ_UPS)
				add_obs(&ob, &n_ob, &cap_ob, OBS_DOWN,
				    g->begin_us, d, FL_NO_EVENT, 0);
			if (g->ended == FL_ENDED_BOOT ||
			    g->ended == FL_ENDED_BOOT_UNCLEAN)
				add_obs(&ob, &n_ob, &cap_ob, OBS_UP,
				    g->ev_boot != FL_NO_EVENT &&
				    !(c->ev->events[g->ev_boot].tflags &
				    FL_TF_APPROX) ? etime(c, g->ev_boot) :
				    g->end_us, d, g->ev_boot, 0);
		}
	}
	fl_lanes_free(raw);
	for (i = 0; i < c->ev->n_events; i++) {
		const struct fl_event *e = &c->ev->events[i];
		enum obs_class cls;

		if (!obs_class_of(c->sig[i], &cls))
			continue;
		add_obs(&ob, &n_ob, &cap_ob, cls, e->time_us,
		    map[2 * e->host + (fl_format_is_device(e->format) ? 1 : 0)],
		    i, 1);
	}
	find_zone_errors(c, ob, n_ob);
	find_skews(c, ob, n_ob);
	for (i = 0; i < c->n_doms; i++) {
		struct dom *d = &c->doms[i];
		const struct fl_host_rec *hr = &c->ev->hosts[d->host];
		char a[16], b[16];

		if (d->fixed || (d->zone_us == 0 && d->skew_us == 0))
			continue;
		if (d->zone_us != 0) {
			int64_t t = d->anchor_ev != FL_NO_EVENT ?
			    etime(c, d->anchor_ev) : hr->first_us;
			int32_t assumed = zone_offset_s(c, hr->zone, t);

			d->assumed_off_s = assumed;

			offset_str(a, assumed);
			offset_str(b, assumed - (int32_t)(d->zone_us / SEC));
			d->basis = astr(c, "%s instants line up with the other "
			    "clocks (%zu votes) only when moved by %+" PRId64
			    " h: %s logs %s, not %s (%s)", d->dev &&
			    c->kind[d->host] == FL_HOST_SERVER ? "its BMC's" :
			    "its", d->n_support,
			    d->zone_us / HOUR, hname(c, d->host), b, hr->zone,
			    a);
		} else {
			char s[64];

			dur(s, d->skew_us);
			d->basis = astr(c, "%s clock %s by %s against %zu shared "
			    "instant(s)", d->dev && c->kind[d->host] ==
			    FL_HOST_SERVER ? "BMC" : d->dev ? "device" : "host",
			    d->skew_us > 0 ? "behind" : "ahead", s,
			    d->n_support);
		}
	}
	apply_clock(c, map);
	free(map);
	free(ob);
}

/* ------------------------------------------------------------------ */
/* Correlation rules (brute force, lateral movement ...) on corrected
 * event time. */

static void
corr_hit(void *vc, const struct fl_corr_hit *hit)
{
	struct ctx *c = vc;
	struct chit *h;
	size_t i;

	FL_GROW(c->chits, c->cap_chits, c->n_chits + 1);
	h = &c->chits[c->n_chits++];
	memset(h, 0, sizeof *h);
	h->rule = hit->rule;
	h->sig = fl_sig_from_name(fl_ruleset_rule(c->rs, hit->rule)->signal);
	h->start = hit->start_us;
	h->end = hit->end_us;
	h->group = fl_arena_strdup(c->r->arena, hit->group ? hit->group : "");
	h->evs = fl_xcalloc(hit->n_events + 1, sizeof *h->evs);
	for (i = 0; i < hit->n_events; i++)
		if (hit->events[i] < c->ev->n_events)
			h->evs[h->n_evs++] = hit->events[i];
}

static int
cmp_chit(const void *va, const void *vb)
{
	const struct chit *a = va, *b = vb;
	int r;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if ((r = strcmp(a->group, b->group)) != 0)
		return r;
	return a->end < b->end ? -1 : a->end > b->end;
}

static void
run_correlator(struct ctx *c)
{
	struct fl_correlator *corr;
	const char **names = NULL, **values = NULL;
	size_t cap = 0, i;
	int64_t last = FL_TIME_UNKNOWN;

	if (c->rs == NULL)
		return;
	corr = fl_correlator_new(c->rs, corr_hit, c);
	if (corr == NULL)
		return;
	for (i = 0; i < c->ev->n_events; i++) {
		const struct fl_event *e = &c->ev->events[i];
		struct fl_corr_event ce;
		uint32_t j;

		if (e->rule < 0 || e->time_us == FL_TIME_UNKNOWN)
			continue;
		FL_GROW(names, cap, (size_t)e->n_fields + 1);
		values = fl_xreallocarray(values, cap, sizeof *values);
		for (j = 0; j < e->n_fields; j++) {
			names[j] = e->fields[j].name;
			values[j] = e->fields[j].value;
		}
		memset(&ce, 0, sizeof ce);
		ce.time_us = e->time_us;
		ce.rule = (uint32_t)e->rule;
		ce.id = (uint32_t)i;
		ce.host = hname(c, e->host);
		ce.n_fields = e->n_fields;
		ce.field_names = names;
		ce.field_values = values;
		fl_correlator_feed(corr, &ce);
		last = e->time_us;
	}
	fl_correlator_finish(corr, last);
	fl_correlator_free(corr);
	free(names);
	free(values);
	if (c->n_chits > 1)
		qsort(c->chits, c->n_chits, sizeof *c->chits, cmp_chit);
}

/* ------------------------------------------------------------------ */
/* Site outage: hosts that stopped together */

static int
is_mains_lost(enum fl_sig s)
{
	return s == FL_SIG_UTILITY_LOST || s == FL_SIG_ON_BATTERY;
}

/* "No longer on battery" when the UPS switches its output off is not
 * the mains coming back. */
static int
output_dropped_near(const struct ctx *c, size_t k)
{
	uint32_t h = c->ev->events[k].host;
	size_t i;

	if (c->sig[k] != FL_SIG_UTILITY_RESTORED)
		return 0;
	for (i = 0; i < c->n_hev[h]; i++) {
		size_t j = c->hev[h][i];

		if (abs64(etime(c, j) - etime(c, k)) <= MIN &&
		    SIG_IN(c->sig[j], FL_SIG_UPS_OUTPUT_OFF,
		    FL_SIG_BATTERY_EXHAUSTED))
			return 1;
	}
	return 0;
}

/* A mains loss behind hosts that stopped between lo and hi (their last
 * lines): utility lost up to 4 hours before lo (a UPS holds the load that
 * long at most) or while they were stopping, and not back before they
 * stopped. Returns the first such event. */
static size_t
mains_lost_before(const struct ctx *c, int64_t lo, int64_t hi)
{
	size_t i, first = FL_NO_EVENT;

	for (i = at_or_after(c, lo - 4 * HOUR); i < c->ev->n_events; i++) {
		int64_t et = etime(c, i);

		if (et == FL_TIME_UNKNOWN || et > hi + 2 * MIN)
			break;
		if (et < lo - 4 * HOUR)
			continue;
		if (is_mains_lost(c->sig[i]) && first == FL_NO_EVENT)
			first = i;
		else if (c->sig[i] == FL_SIG_UTILITY_RESTORED && et < lo - MIN &&
		    !output_dropped_near(c, i))
			first = FL_NO_EVENT;
	}
	if (first == FL_NO_EVENT)
		return first;
	/* The UPS's own record rather than a host's notice of it. */
	for (i = first; i < c->ev->n_events &&
	    etime(c, i) <= etime(c, first) + MIN; i++)
		if (is_mains_lost(c->sig[i]) &&
		    c->kind[c->ev->events[i].host] == FL_HOST_DEVICE)
			return i;
	return first;
}

static int
cmp_down(const void *va, const void *vb)
{
	const struct down *a = va, *b = vb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->host < b->host ? -1 : a->host > b->host;
}

static int
is_power_evidence(enum fl_sig s)
{
	return SIG_IN(s, FL_SIG_BATTERY_EXHAUSTED, FL_SIG_UPS_FAULT,
	    FL_SIG_UPS_OUTPUT_OFF, FL_SIG_PDU_INPUT_LOST, FL_SIG_BREAKER_TRIP,
	    FL_SIG_OUTLET_OFF, FL_SIG_EPO, FL_SIG_PSU_AC_LOST,
	    FL_SIG_BMC_POWER_OFF, FL_SIG_REMOTE_POWER_COMMAND,
	    FL_SIG_UPS_COMMANDED_SHUTDOWN, FL_SIG_GENERATOR_FAIL,
	    FL_SIG_BATTERY_LOW);
}

/* Power evidence around hosts that stopped between first and last: its
 * first line, or FL_NO_EVENT. */
static size_t
power_evidence_at(const struct ctx *c, int64_t first, int64_t last)
{
	size_t i;

	for (i = at_or_after(c, first - 15 * MIN); i < c->ev->n_events; i++) {
		int64_t t = etime(c, i);

		if (t == FL_TIME_UNKNOWN || t > last + 5 * MIN)
			break;
		if (t >= first - 15 * MIN && is_power_evidence(c->sig[i]))
			return i;
	}
	return mains_lost_before(c, first, last);
}

static int
power_evidence_near(const struct ctx *c, int64_t first, int64_t last)
{
	return power_evidence_at(c, first, last) != FL_NO_EVENT;
}

static int64_t
gap_len(const struct fl_gap *g)
{
	return g->end_us == FL_TIME_UNKNOWN ? INT64_MAX : g->end_us - g->begin_us;
}

/* A short orderly restart is routine, not an outage. */
static int
routine_restart(const struct fl_gap *g)
{
	return g->began != FL_BEGAN_ABRUPT && g->requester != FL_REQ_UPS &&
	    g->ended != FL_ENDED_OPEN && g->ended != FL_ENDED_BOOT_UNCLEAN &&
	    gap_len(g) < 10 * MIN;
}

/* Trouble from a while before a host's last line to when it would have
 * logged again: a power fault or command, mains lost, a UPS daemon that
 * lost its UPS, or the host's kernel giving up. */
static int
trouble_near(const struct ctx *c, uint32_t host, int64_t last, int64_t wait)
{
	size_t i;

	if (power_evidence_near(c, last, last + wait))
		return 1;
	for (i = at_or_after(c, last - 15 * MIN); i < c->ev->n_events &&
	    etime(c, i) != FL_TIME_UNKNOWN && etime(c, i) <= last + wait; i++)
		if (SIG_IN(c->sig[i], FL_SIG_UTILITY_LOST, FL_SIG_ON_BATTERY,
		    FL_SIG_UPS_COMM_LOST) || (c->sig[i] == FL_SIG_KERNEL_PANIC &&
		    c->ev->events[i].host == host))
			return 1;
	return 0;
}

/* A host whose lines end with no shutdown, no request and no power
 * trouble before it would have logged again was most likely collected
 * there: the end of its evidence is not a stop. The open silence is
 * dropped from its lane. */
static void
drop_collection_ends(struct ctx *c)
{
	size_t h;

	for (h = 0; h < c->lanes->n; h++) {
		struct fl_lane *l = &c->lanes->v[h];
		const struct fl_gap *g;

		if (l->kind != FL_HOST_SERVER || l->n_gaps == 0)
			continue;
		g = &l->gaps[l->n_gaps - 1];
		if (g->ended == FL_ENDED_OPEN && g->began == FL_BEGAN_ABRUPT &&
		    g->ev_request == FL_NO_EVENT &&
		    !trouble_near(c, l->host, g->begin_us,
		    l->threshold_us > 30 * MIN ?
		    l->threshold_us : 30 * MIN))
			l->n_gaps--;
	}
}

static void
find_outage(struct ctx *c)
{
	size_t h, j, i, n_cl = 0, best = SIZE_MAX;
	double best_score = 0;

	for (h = 0; h < c->lanes->n; h++) {
		const struct fl_lane *l = &c->lanes->v[h];

		if (l->kind == FL_HOST_DEVICE)
			continue;
		for (j = 0; j < l->n_gaps; j++) {
			const struct fl_gap *g = &l->gaps[j];

			if (g->ended == FL_ENDED_RESUMED ||
			    (g->began == FL_BEGAN_LOGGER_STOP &&
			    g->ended == FL_ENDED_OPEN))
				continue;
			c->downs = fl_xreallocarray(c->downs, c->n_downs + 1,
			    sizeof *c->downs);
			c->downs[c->n_downs].host = (uint32_t)h;
			c->downs[c->n_downs].gap = g;
			c->downs[c->n_downs].t = g->begin_us;
			c->n_downs++;
		}
	}
	if (c->n_downs == 0)
		return;
	qsort(c->downs, c->n_downs, sizeof *c->downs, cmp_down);
	/* Single linkage: ten minutes, an hour between shutdowns a person
	 * asked for, or anything within one mains-loss episode. */
	for (i = 0; i < c->n_downs; i++) {
		if (i > 0) {
			const struct down *a = &c->downs[i - 1], *b = &c->downs[i];
			int64_t d = b->t - a->t;
			int linked = d <= 10 * MIN ||
			    (d <= HOUR && a->gap->requester == FL_REQ_PERSON &&
			    b->gap->requester == FL_REQ_PERSON);

			if (!linked && d <= 4 * HOUR) {
				size_t m = mains_lost_before(c, b->t, b->t);

				linked = m != FL_NO_EVENT && etime(c, m) <= a->t;
			}
			if (!linked)
				n_cl++;
		}
		c->downs[i].cluster = n_cl;
	}
	n_cl++;
	for (j = 0; j < n_cl; j++) {
		struct strset hosts = {0};
		size_t n_abrupt = 0, n_routine = 0, n = 0;
		int64_t first = FL_TIME_UNKNOWN, last = FL_TIME_UNKNOWN;
		int qualifies, power;
		double score;

		for (i = 0; i < c->n_downs; i++) {
			const struct down *d = &c->downs[i];

			if (d->cluster != j || ss_has(&hosts, hname(c, d->host)))
				continue;
			ss_add(&hosts, hname(c, d->host));
			n++;
			if (d->gap->began == FL_BEGAN_ABRUPT)
				n_abrupt++;
			if (routine_restart(d->gap))
				n_routine++;
			if (first == FL_TIME_UNKNOWN)
				first = d->t;
			last = d->t;
		}
		ss_free(&hosts);
		power = power_evidence_near(c, first, last);
		if (n >= 2)
			qualifies = n_routine < n || power;
		else
			qualifies = n_abrupt == 1 && power;
		if (!qualifies)
			continue;
		score = (double)n + (power ? 0.5 : 0) + 0.1 * (double)n_abrupt;
		if (best == SIZE_MAX || score > best_score) {
			best = j;
			best_score = score;
		}
	}
	if (best == SIZE_MAX)
		return;
	c->has_incident = 1;
	c->inc_cluster = best;
	c->first_down = c->last_down = FL_TIME_UNKNOWN;
	for (i = 0; i < c->n_downs; i++) {
		const struct down *d = &c->downs[i];

		if (d->cluster != best)
			continue;
		if (!ss_has(&c->affected, hname(c, d->host)))
			c->n_inc_downs++;
		ss_add(&c->affected, hname(c, d->host));
		if (c->first_down == FL_TIME_UNKNOWN)
			c->first_down = d->t;
		c->last_down = d->t;
	}
}

/* The first down of each affected host (duplicates within the cluster are
 * the same host flapping). */
static int
is_inc_down(const struct ctx *c, size_t i)
{
	size_t j;

	if (!c->has_incident || c->downs[i].cluster != c->inc_cluster)
		return 0;
	for (j = 0; j < i; j++)
		if (c->downs[j].cluster == c->inc_cluster &&
		    c->downs[j].host == c->downs[i].host)
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Security context */

static int
cmp_src(const void *a, const void *b)
{
	return strcmp(((const struct src *)a)->ip, ((const struct src *)b)->ip);
}

/* Sources are made once, sorted by address, then found by bisection. */
static struct src *
src_find(struct ctx *c, const char *ip)
{
	struct src key;

	if (ip == NULL || c->n_srcs == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.ip = ip;
	return bsearch(&key, c->srcs, c->n_srcs, sizeof *c->srcs, cmp_src);
}

static int
is_fail(enum fl_sig s)
{
	return s == FL_SIG_AUTH_FAIL || s == FL_SIG_AUTH_INVALID_USER ||
	    s == FL_SIG_SCAN_NOISE;
}

static int
is_success(enum fl_sig s)
{
	return s == FL_SIG_AUTH_SUCCESS || s == FL_SIG_ADMIN_LOGIN;
}

/* The time before which a cause must have started. */
static int64_t
cause_horizon(const struct ctx *c)
{
	if (c->has_incident)
		return c->last_down + 10 * MIN;
	return INT64_MAX;
}

/* Does group (e.g. "src_ip=203.0.113.7,user=x") name value? */
static int
group_has(const char *group, const char *value)
{
	const char *p = group;
	size_t n = strlen(value);

	while (p != NULL && (p = strstr(p, value)) != NULL) {
		int start = p == group || p[-1] == '=' || p[-1] == ',' ||
		    p[-1] == ' ';
		int end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';

		if (start && end)
			return 1;
		p += n;
	}
	return 0;
}

/* The sources named by the values of a correlation group ("src_ip=a" or
 * "src_ip=a, user=b") brute-forced: looked up by value rather than each
 * source searched for in each group. */
static void
mark_brute_sources(struct ctx *c, const char *group)
{
	const char *p = group, *v, *e;
	struct src *sr;
	char *val;

	while (p != NULL && (v = strchr(p, '=')) != NULL) {
		v++;
		e = strstr(v, ", ");
		val = fl_xstrndup(v, e != NULL ? (size_t)(e - v) : strlen(v));
		if ((sr = src_find(c, val)) != NULL)
			sr->brute = 1;
		free(val);
		p = e;
	}
}

static int
in_chit(const struct ctx *c, enum fl_sig sig, size_t k)
{
	size_t i, j;

	for (i = 0; i < c->n_chits; i++)
		if (c->chits[i].sig == sig)
			for (j = 0; j < c->chits[i].n_evs; j++)
				if (c->chits[i].evs[j] == k)
					return 1;
	return 0;
}

static int
attributed(const struct ctx *c, size_t k, const char *u)
{
	const char *eu = euser(c, k);

	return eu == NULL || u == NULL || strcmp(eu, u) == 0 ||
	    strcmp(eu, "root") == 0 || ss_has(&c->att_users, eu);
}

enum follow { FO_ESC, FO_PERSIST, FO_TAMPER, FO_DESTROY, FO_POWER,
	FO_MALWARE, FO_BMC, FO_N };

static int
follow_kind(enum fl_sig s)
{
	switch (s) {
	case FL_SIG_PRIV_ESCALATION: case FL_SIG_ESCALATION_AFTER_LOGIN:
		return FO_ESC;
	case FL_SIG_ACCOUNT_CHANGE: case FL_SIG_PERSISTENCE:
	case FL_SIG_FIREWALL_CHANGE:
		return FO_PERSIST;
	case FL_SIG_LOG_TAMPER: case FL_SIG_AUDIT_STOP: case FL_SIG_HISTORY_CLEAR:
		return FO_TAMPER;
	case FL_SIG_DESTRUCTIVE_COMMAND:
		return FO_DESTROY;
	case FL_SIG_REMOTE_POWER_COMMAND:
		return FO_POWER;
	case FL_SIG_MALWARE_INDICATOR:
		return FO_MALWARE;
	default:
		return -1;
	}
}

/* A login that may be an intrusion's entry: follow what the account did
 * on that host, and where else it went. */
static void
follow_chain(struct ctx *c, size_t k, double entry, const char *why)
{
	const struct fl_event *e = &c->ev->events[k];
	const char *u = euser(c, k), *ip = efield(c, k, "src_ip");
	int64_t t = e->time_us, horizon = t + 12 * HOUR;
	struct strset hosts = {0};
	int found[FO_N] = {0};
	size_t i, *evs = NULL, n_evs = 0, cap = 0, lateral = 0;
	double strength = entry;
	struct src *s = src_find(c, ip);
	struct fb *f;

	if (c->has_incident && c->inc_end != FL_TIME_UNKNOWN &&
	    horizon > c->inc_end + HOUR)
		horizon = c->inc_end + HOUR;
	ss_add(&hosts, hname(c, e->host));
	/* Movement: the same account or address on other hosts. */
	for (i = k + 1; i < c->ev->n_events && etime(c, i) <= horizon; i++) {
		const char *u2, *ip2;

		if (!is_success(c->sig[i]) ||
		    c->ev->events[i].host == e->host)
			continue;
		u2 = euser(c, i);
		ip2 = efield(c, i, "src_ip");
		if ((u != NULL && u2 != NULL && strcmp(u, u2) == 0 &&
		    (ip2 == NULL || is_private_ip(ip2) ||
		    (ip != NULL && strcmp(ip, ip2) == 0))) ||
		    (ip != NULL && ip2 != NULL && strcmp(ip, ip2) == 0)) {
			if (!ss_has(&hosts, hname(c, c->ev->events[i].host))) {
				ss_add(&hosts, hname(c, c->ev->events[i].host));
				lateral++;
				FL_GROW(evs, cap, n_evs + 1);
				evs[n_evs++] = i;
			}
		}
	}
	for (i = 0; i < c->n_chits; i++)
		if (c->chits[i].sig == FL_SIG_LATERAL_MOVEMENT &&
		    c->chits[i].start >= t && c->chits[i].start <= horizon &&
		    ((u && group_has(c->chits[i].group, u)) ||
		    (ip && group_has(c->chits[i].group, ip))))
			lateral++;
	for (i = k + 1; i < c->ev->n_events && etime(c, i) <= horizon; i++) {
		int fk = follow_kind(c->sig[i]);
		const struct fl_event *fe = &c->ev->events[i];

		/* Out-of-band: BMC password violations, power-offs and log
		 * clears follow a login to the host that drives the BMCs. */
		if (fl_format_is_device(fe->format) &&
		    etime(c, i) <= t + 2 * HOUR &&
		    (c->sig[i] == FL_SIG_BMC_AUTH_FAIL ||
		    ((c->sig[i] == FL_SIG_BMC_POWER_OFF ||
		    c->sig[i] == FL_SIG_LOG_TAMPER) && found[FO_BMC]))) {
			if (c->sig[i] == FL_SIG_BMC_AUTH_FAIL)
				fk = FO_BMC;
			else if (c->sig[i] == FL_SIG_BMC_POWER_OFF)
				fk = FO_POWER;
			found[fk] = 1;
			FL_GROW(evs, cap, n_evs + 1);
			evs[n_evs++] = i;
			ss_add(&c->att_devices, astr(c, "%s BMC",
			    display_host(c, fe->host)));
			continue;
		}
		if (fk < 0 || !ss_has(&hosts, hname(c, c->ev->events[i].host)) ||
		    !attributed(c, i, u))
			continue;
		found[fk] = 1;
		FL_GROW(evs, cap, n_evs + 1);
		evs[n_evs++] = i;
		if (c->sig[i] == FL_SIG_ACCOUNT_CHANGE)
			ss_add(&c->att_users, efield(c, i, "target_user"));
	}
	/* sudo and moving between hosts are what admins do all day: they
	 * count only after a suspicious entry. */
	for (i = 0; i < FO_N; i++)
		if (i != FO_ESC || entry >= 0.4)
			strength += 0.2 * found[i];
	if (lateral && entry >= 0.4)
		strength += 0.1;
	if (strength < 0.5) {
		free(evs);
		ss_free(&hosts);
		return;
	}
	f = fb_new(c, "security", "intrusion", NULL, 0);
	if (s != NULL && s->brute && s->first_fail != FL_TIME_UNKNOWN) {
		/* a few of the failures that came before */
		size_t shown = 0;

		for (i = 0; i < k && shown < 2; i++)
			if (is_fail(c->sig[i]) && has_text(c, i) &&
			    efield(c, i, "src_ip") &&
			    strcmp(efield(c, i, "src_ip"), ip) == 0) {
				fb_ev(c, f, i);
				shown++;
			}
		if (c->intrusion_start == FL_TIME_UNKNOWN ||
		    s->first_fail < c->intrusion_start)
			c->intrusion_start = s->first_fail;
	}
	if (c->intrusion_start == FL_TIME_UNKNOWN || t < c->intrusion_start)
		c->intrusion_start = t;
	fb_ev(c, f, k);
	for (i = 0; i < n_evs; i++)
		fb_ev(c, f, evs[i]);
	for (i = 0; i < hosts.n; i++)
		ss_add(&f->hosts, hosts.v[i]);
	f->title = astr(c, "%s: %s%s%s logged in to %s%s%s%s%s%s%s%s",
	    why, u ? "'" : "", u ? u : "an account", u ? "'" : "",
	    hname(c, e->host), ip ? " from " : "", ip ? ip : "",
	    found[FO_ESC] ? ", became root" : "",
	    found[FO_PERSIST] ? ", changed accounts or persistence" : "",
	    found[FO_TAMPER] ? ", tampered with logs" : "",
	    found[FO_BMC] ? ", attacked BMC passwords" : "",
	    lateral ? ", moved to other hosts" : "");
	fb_field(f, "user", u);
	fb_field(f, "src_ip", ip);
	fb_field(f, "entry_host", hname(c, e->host));
	if (s != NULL && s->fails)
		fb_field(f, "failed_attempts", astr(c, "%zu", s->fails));
	ss_add(&c->att_users, u);
	ss_add(&c->att_ips, ip);
	for (i = 0; i < hosts.n; i++)
		ss_add(&c->att_hosts, hosts.v[i]);
	if (s != NULL)
		s->attacker = 1;
	if (c->entry_host == NULL) {
		c->entry_host = hname(c, e->host);
		c->entry_time = t;
		c->entry_ev = k;
	}
	set_feat(c, FT_INTRUSION, strength, f, f->title);
	free(evs);
	ss_free(&hosts);
}

/* An account's successful logins so far. */
struct user_rec {
	const char *name;
	size_t n, n_password;
};
struct users {
	struct user_rec *v;
	size_t n, cap;
};

static struct user_rec *
user_get(struct users *u, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0)
			return &u->v[i];
	FL_GROW(u->v, u->cap, u->n + 1);
	memset(&u->v[u->n], 0, sizeof *u->v);
	u->v[u->n].name = name;
	return &u->v[u->n++];
}

static void
analyze_logins(struct ctx *c)
{
	size_t i, j, n_succ_total = 0;
	size_t *fails_so_far, *succ_so_far;
	int64_t horizon = cause_horizon(c);
	struct users users = {0};

	c->intrusion_start = FL_TIME_UNKNOWN;
	for (i = 0; i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		const char *ip = efield(c, i, "src_ip");

		if (ip == NULL || !(is_fail(s) || is_success(s) ||
		    s == FL_SIG_BMC_AUTH_FAIL || s == FL_SIG_BMC_LOGIN))
			continue;
		FL_GROW(c->srcs, c->cap_srcs, c->n_srcs + 1);
		memset(&c->srcs[c->n_srcs], 0, sizeof *c->srcs);
		c->srcs[c->n_srcs].ip = ip;
		c->srcs[c->n_srcs].first_fail = FL_TIME_UNKNOWN;
		c->n_srcs++;
	}
	if (c->n_srcs > 1)
		qsort(c->srcs, c->n_srcs, sizeof *c->srcs, cmp_src);
	for (i = j = 0; i < c->n_srcs; i++)
		if (j == 0 || strcmp(c->srcs[j - 1].ip, c->srcs[i].ip) != 0)
			c->srcs[j++] = c->srcs[i];
	c->n_srcs = j;
	for (i = 0; i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		const char *ip = efield(c, i, "src_ip");
		int64_t t = etime(c, i);
		struct src *sr;

		if (ip == NULL || !(is_fail(s) || is_success(s) ||
		    s == FL_SIG_BMC_AUTH_FAIL || s == FL_SIG_BMC_LOGIN))
			continue;
		sr = src_find(c, ip);
		if (is_fail(s)) {
			if (s == FL_SIG_SCAN_NOISE)
				sr->scans += c->ev->events[i].repeat;
			else
				sr->fails += c->ev->events[i].repeat;
			if (sr->first_fail == FL_TIME_UNKNOWN)
				sr->first_fail = t;
		} else if (is_success(s)) {
			sr->succ++;
		} else if (s == FL_SIG_BMC_AUTH_FAIL) {
			sr->bmc_fails++;
		}
	}
	for (i = 0; i < c->n_srcs; i++)
		if (c->srcs[i].fails >= 10)
			c->srcs[i].brute = 1;
	for (i = 0; i < c->n_chits; i++)
		if (c->chits[i].sig == FL_SIG_BRUTE_FORCE ||
		    c->chits[i].sig == FL_SIG_BRUTE_FORCE_SUCCESS)
			mark_brute_sources(c, c->chits[i].group);

	/* Successful logins in time order, each judged by what its source
	 * and its account had done before it. */
	fails_so_far = fl_xcalloc(c->n_srcs + 1, sizeof *fails_so_far);
	succ_so_far = fl_xcalloc(c->n_srcs + 1, sizeof *succ_so_far);
	for (i = 0; i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		const char *ip = efield(c, i, "src_ip");
		struct src *sr = src_find(c, ip);
		struct user_rec *ua;
		size_t si;
		double entry = 0;
		const char *why = NULL;

		if (sr == NULL)
			continue;
		si = (size_t)(sr - c->srcs);
		if (is_fail(s)) {
			fails_so_far[si] += c->ev->events[i].repeat;
			continue;
		}
		if (s != FL_SIG_AUTH_SUCCESS)
			continue;
		ua = user_get(&users, euser(c, i));
		if (in_chit(c, FL_SIG_BRUTE_FORCE_SUCCESS, i) ||
		    (sr->brute && fails_so_far[si] >= 3)) {
			entry = 0.8;
			why = "brute force then success";
		} else if (succ_so_far[si] == 0 && (!is_private_ip(ip) ||
		    n_succ_total >= 3)) {
			/* an account with habits, used from elsewhere */
			int habit = ua != NULL && ua->n >= 3;
			const char *m = efield(c, i, "method");

			entry = !is_private_ip(ip) ? 0.4 : habit ? 0.3 : 0.2;
			if (!is_private_ip(ip) && habit)
				entry += 0.2;
			if (habit && m != NULL && strstr(m, "password") &&
			    ua->n_password == 0)
				entry += 0.1;
			why = !is_private_ip(ip) ? "login from a new public "
			    "address" : habit ? "login from an address this "
			    "account never used" : "login from a new internal "
			    "address";
		}
		succ_so_far[si]++;
		n_succ_total++;
		if (ua != NULL) {
			const char *m = efield(c, i, "method");

			ua->n++;
			if (m != NULL && strstr(m, "password"))
				ua->n_password++;
		}
		if (entry > 0 && etime(c, i) <= horizon && !sr->attacker)
			follow_chain(c, i, entry, why);
	}
	free(fails_so_far);
	free(succ_so_far);
	free(users.v);
}

/* The addresses that logged in anywhere before t, sorted for lookup. */
static void
logins_before(const struct ctx *c, int64_t t, struct strset *out)
{
	size_t i;

	for (i = 0; i < c->ev->n_events && etime(c, i) != FL_TIME_UNKNOWN &&
	    etime(c, i) < t; i++)
		if (is_success(c->sig[i]))
			ss_add(out, efield(c, i, "src_ip"));
	ss_sort(out);
}

/* The session line of a login already set apart (same host and user,
 * the same second or so). */
static int
odd_session(const struct ctx *c, const struct fb *odd, size_t k)
{
	const char *u = euser(c, k);
	size_t j;

	for (j = 0; odd != NULL && u != NULL && j < odd->n_evs; j++) {
		size_t o = odd->evs[j];

		if (c->ev->events[o].host == c->ev->events[k].host &&
		    euser(c, o) != NULL && strcmp(euser(c, o), u) == 0 &&
		    abs64(etime(c, o) - etime(c, k)) <= 2 * SEC)
			return 1;
	}
	return 0;
}

/* Background noise and routine logins: reported, never a cause. */
static void
noise_findings(struct ctx *c)
{
	size_t i, n_ips = 0, n_public = 0, attempts = 0;
	struct fb *f = NULL, *rec = NULL, *odd = NULL;
	struct strset users = {0}, known = {0};
	int64_t lo = c->has_incident ? c->first_down : INT64_MAX;

	for (i = 0; i < c->n_srcs; i++) {
		const struct src *s = &c->srcs[i];

		if (s->attacker || s->succ > 0 || s->fails + s->scans == 0)
			continue;
		n_ips++;
		attempts += s->fails + s->scans;
		if (!is_private_ip(s->ip))
			n_public++;
	}
	if (n_ips > 0) {
		f = fb_new(c, "security", "auth_fail", astr(c, "login attempts "
		    "from %zu address(es) (%zu public) that never succeeded: "
		    "background scanning, not a cause", n_ips, n_public), 1);
		/* every attempt counted above: its hosts, span and lines */
		for (i = 0; i < c->ev->n_events; i++) {
			struct src *s = src_find(c, efield(c, i, "src_ip"));
			int64_t t = etime(c, i);

			if (s == NULL || !is_fail(c->sig[i]) || s->attacker ||
			    s->succ > 0)
				continue;
			fb_ev(c, f, i);
			if (t == FL_TIME_UNKNOWN)
				continue;
			if (f->start == FL_TIME_UNKNOWN || t < f->start)
				f->start = t;
			if (f->end == FL_TIME_UNKNOWN || t > f->end)
				f->end = t;
		}
		fb_field(f, "attempts", astr(c, "%zu", attempts));
		fb_field(f, "addresses", astr(c, "%zu", n_ips));
	}
	if (c->has_incident)
		logins_before(c, lo, &known);
	for (i = 0; i < c->ev->n_events; i++) {
		const char *ip = efield(c, i, "src_ip");
		struct src *s = src_find(c, ip);

		if (!is_success(c->sig[i]) || etime(c, i) < lo ||
		    (s != NULL && s->attacker) ||
		    ss_has(&c->att_hosts, hname(c, c->ev->events[i].host)))
			continue;
		/* recovery work comes from known or internal addresses */
		if (ip != NULL && !is_private_ip(ip) && (known.n == 0 ||
		    bsearch(&ip, known.v, known.n, sizeof *known.v,
		    cmp_strp) == NULL)) {
			if (odd == NULL)
				odd = fb_new(c, "security", "auth_success",
				    "logins after the outage began from public "
				    "addresses never seen before: not recovery "
				    "work as far as the logs show", 0);
			if (odd->n_evs < MAX_CITES)
				fb_ev(c, odd, i);
			else
				ss_add(&odd->hosts, hname(c,
				    c->ev->events[i].host));
			fb_field(odd, "user", euser(c, i));
			fb_field(odd, "src_ip", ip);
			continue;
		}
		if (ip == NULL && odd_session(c, odd, i))
			continue;
		if (rec == NULL)
			rec = fb_new(c, "security", "auth_success", NULL, 1);
		if (rec->n_evs < MAX_CITES)
			fb_ev(c, rec, i);
		else
			ss_add(&rec->hosts, hname(c, c->ev->events[i].host));
		ss_add(&users, euser(c, i));
	}
	if (rec != NULL) {
		struct fl_buf b = {0};

		ss_sort(&users);
		for (i = 0; i < users.n; i++)
			fl_buf_printf(&b, "%s%s", i ? ", " : "", users.v[i]);
		rec->title = astr(c, "logins after the outage began (%s) from "
		    "known or internal sources: recovery work, not a cause",
		    b.data ? b.data : "no user named");
		fl_buf_free(&b);
		for (i = 0; i < users.n; i++)
			fb_field(rec, "user", users.v[i]);
	}
	ss_free(&known);
	ss_free(&users);
}

/* Tampering, destruction, physical access and BMC logins. */
static int
near_shutdown(const struct ctx *c, size_t k)
{
	uint32_t h = c->ev->events[k].host;
	int64_t t = etime(c, k);
	size_t i;

	for (i = 0; i < c->n_hev[h]; i++) {
		size_t j = c->hev[h][i];
		int64_t tj = etime(c, j);

		if (tj == FL_TIME_UNKNOWN || tj < t - 10 * MIN)
			continue;
		if (tj > t + 10 * MIN)
			break;
		if (SIG_IN(c->sig[j], FL_SIG_SHUTDOWN_BEGIN,
		    FL_SIG_SHUTDOWN_END, FL_SIG_SHUTDOWN_REQUEST, FL_SIG_BOOT,
		    FL_SIG_UPS_COMMANDED_SHUTDOWN, FL_SIG_LOGGER_START))
			return 1;
	}
	/* The last words before a stop that ended in a boot. */
	for (i = 0; i < c->lanes->v[h].n_gaps; i++) {
		const struct fl_gap *g = &c->lanes->v[h].gaps[i];

		if (g->ev_began == k && g->ended != FL_ENDED_RESUMED &&
		    g->ended != FL_ENDED_OPEN)
			return 1;
	}
	return 0;
}

static void
analyze_tamper(struct ctx *c)
{
	int64_t horizon = cause_horizon(c);
	/* a week before the stop: older records (a BMC log cleared months
	 * ago) are history, not this incident */
	int64_t since = c->has_incident ? c->first_down - 7 * 24 * HOUR :
	    INT64_MIN;
	struct fb *tf = NULL, *df = NULL, *pf = NULL, *bf = NULL;
	struct strset bmc_fail_hosts = {0};
	size_t i, h, j;

	for (i = 0; i < c->ev->n_events; i++)
		if (c->sig[i] == FL_SIG_BMC_AUTH_FAIL && etime(c, i) >= since &&
		    etime(c, i) <= horizon)
			ss_add(&bmc_fail_hosts, hname(c, c->ev->events[i].host));

	for (i = 0; i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		int64_t t = etime(c, i);
		const char *u = euser(c, i);
		int by_att = ss_has(&c->att_hosts, hname(c, c->ev->events[i].host))
		    || ss_has(&c->att_users, u);

		if (t == FL_TIME_UNKNOWN || t > horizon || t < since)
			continue;
		if (SIG_IN(s, FL_SIG_LOG_TAMPER, FL_SIG_AUDIT_STOP,
		    FL_SIG_HISTORY_CLEAR) ||
		    (s == FL_SIG_LOGGER_STOP &&
		    c->kind[c->ev->events[i].host] == FL_HOST_SERVER &&
		    !near_shutdown(c, i))) {
			if (tf == NULL)
				tf = fb_new(c, "security", "log_tamper",
				    "evidence tampering: logs deleted, logger or "
				    "audit stopped outside a shutdown, or history "
				    "cleared", 0);
			fb_ev(c, tf, i);
			fb_field(tf, "user", u);
			if (!by_att)
				ss_add(&c->actor_users, u);
		} else if (s == FL_SIG_DESTRUCTIVE_COMMAND) {
			if (df == NULL)
				df = fb_new(c, "security", "destructive_command",
				    "destructive commands", 0);
			fb_ev(c, df, i);
			fb_field(df, "user", u);
			fb_field(df, "command", efield(c, i, "command"));
		} else if (s == FL_SIG_MALWARE_INDICATOR) {
			if (pf == NULL)
				pf = fb_new(c, "security", "malware_indicator",
				    "ransomware, miner or exploit indicators", 0);
			fb_ev(c, pf, i);
		} else if (s == FL_SIG_BMC_LOGIN || s == FL_SIG_BMC_AUTH_FAIL) {
			const char *ip = efield(c, i, "src_ip");
			struct src *sr = src_find(c, ip);
			int bad = ip != NULL && (!is_private_ip(ip) ||
			    ss_has(&c->att_ips, ip) ||
			    (sr != NULL && sr->bmc_fails >= 3));

			if (s == FL_SIG_BMC_AUTH_FAIL && (sr == NULL ||
			    sr->bmc_fails < 3) && bmc_fail_hosts.n < 2)
				continue;
			if (!bad && s == FL_SIG_BMC_LOGIN)
				continue;
			if (bf == NULL)
				bf = fb_new(c, "security", "bmc_login",
				    "management-interface (BMC) access from "
				    "unusual sources or after repeated password "
				    "failures", 0);
			fb_ev(c, bf, i);
			fb_field(bf, "src_ip", ip);
			fb_field(bf, "user", u);
			if (s == FL_SIG_BMC_LOGIN) {
				ss_add(&c->att_ips, ip);
				ss_add(&c->att_devices, astr(c, "%s BMC",
				    display_host(c, c->ev->events[i].host)));
				set_feat(c, FT_BMC_COMPROMISE, 1, bf, NULL);
			} else {
				/* password violations on several BMCs: someone
				 * went through them, and what those BMCs do next
				 * is theirs */
				set_feat(c, FT_BMC_COMPROMISE,
				    bmc_fail_hosts.n >= 2 ? 1 : 0.5, bf, NULL);
				if (bmc_fail_hosts.n >= 2)
					ss_add(&c->att_devices, astr(c, "%s BMC",
					    display_host(c,
					    c->ev->events[i].host)));
			}
		}
	}
	ss_free(&bmc_fail_hosts);
	if (tf != NULL)
		set_feat(c, FT_TAMPER, 1, tf, tf->title);
	if (df != NULL)
		set_feat(c, FT_DESTRUCTIVE, 1, df, df->title);
	if (pf != NULL)
		set_feat(c, FT_DESTRUCTIVE, 0.5, pf, pf->title);
	/* Holes in a host's logs with no reboot. */
	for (h = 0; h < c->lanes->n; h++)
		for (j = 0; j < c->lanes->v[h].n_gaps; j++) {
			const struct fl_gap *g = &c->lanes->v[h].gaps[j];
			struct fb *f;
			size_t k, before, after;

			if (g->ended != FL_ENDED_RESUMED || g->begin_us > horizon ||
			    g->begin_us < since)
				continue;
			f = fb_new(c, "host", "log_gap", NULL, 0);
			f->title = astr(c, "%s's logs stop and resume with no "
			    "reboot in between: logs missing or removed",
			    hname(c, (uint32_t)h));
			ss_add(&f->hosts, hname(c, (uint32_t)h));
			fb_ev(c, f, g->ev_began);
			/* Only rule hits are kept: the lines cited are the last
			 * kept before the hole and the first kept after it,
			 * said to be so when they are not at its edges. */
			before = after = FL_NO_EVENT;
			for (k = 0; k < c->n_hev[h]; k++) {
				size_t e = c->hev[h][k];
				int64_t t = etime(c, e);

				if (t == FL_TIME_UNKNOWN || !has_text(c, e) ||
				    fl_format_is_device(c->ev->events[e].format))
					continue;
				if (t < minute_end(g->begin_us))
					before = e;
				else if (t >= minute_start(g->end_us)) {
					after = e;
					break;
				}
			}
			if (before == FL_NO_EVENT || after == FL_NO_EVENT ||
			    etime(c, before) < minute_start(g->begin_us) ||
			    etime(c, after) >= minute_end(g->end_us))
				f->title = astr(c, "%s; the lines at its edges are "
				    "not kept (not rule hits): the nearest kept "
				    "lines are cited", f->title);
			if (before != g->ev_began)
				fb_ev(c, f, before);
			fb_ev(c, f, after);
			if (f->n_evs == 0) {
				fb_drop_last(c); /* nothing to cite */
				continue;
			}
			f->start = g->begin_us;
			f->end = g->end_us;
			if (c->n_holes++ == 0)
				c->hole_fb = fb_index(c, f);
			/* Next to a stop, a hole far before it is explained by a
			 * quiet night or a lost file as well; with no stop, a
			 * hole is all there is to weigh. */
			if ((!c->has_incident || g->end_us >= c->first_down -
			    24 * HOUR) && c->feat[FT_TAMPER] < 0.5)
				set_feat(c, FT_TAMPER, 0.5, f, f->title);
		}
}

/* ------------------------------------------------------------------ */
/* Power: the episode, power actions, the topology */

static const char *
power_title(struct ctx *c, enum fl_sig s, const char *dev, size_t n_hosts)
{
	switch (s) {
	case FL_SIG_UTILITY_LOST:
		return dev ? astr(c, "mains power lost at %s", dev) :
		    astr(c, "mains power loss reported on %zu host(s)", n_hosts);
	case FL_SIG_ON_BATTERY:
		return dev ? astr(c, "%s running on battery", dev) :
		    astr(c, "UPS on battery reported on %zu host(s)", n_hosts);
	case FL_SIG_BATTERY_LOW:
		return dev ? astr(c, "%s battery low", dev) :
		    astr(c, "UPS battery low reported on %zu host(s)", n_hosts);
	case FL_SIG_BATTERY_EXHAUSTED:
		return astr(c, "%s battery exhausted: the load dropped",
		    dev ? dev : "UPS");
	case FL_SIG_UPS_FAULT: return astr(c, "%s reported a UPS fault",
	    dev ? dev : "a host");
	case FL_SIG_UPS_OUTPUT_OFF: return astr(c, "%s output switched off",
	    dev ? dev : "UPS");
	case FL_SIG_UTILITY_RESTORED:
		return dev ? astr(c, "mains power back at %s", dev) :
		    astr(c, "mains power back, reported on %zu host(s)", n_hosts);
	case FL_SIG_UPS_COMMANDED_SHUTDOWN:
		return dev ? astr(c, "%s ordered the hosts it feeds to shut "
		    "down", dev) : astr(c, "UPS daemon ordered %zu host(s) to "
		    "shut down", n_hosts);
	case FL_SIG_UPS_COMM_LOST:
		return astr(c, "communication with the UPS lost on %zu host(s)",
		    n_hosts);
	case FL_SIG_PDU_INPUT_LOST: return astr(c, "%s lost its input feed",
	    dev ? dev : "a PDU");
	case FL_SIG_BREAKER_TRIP: return astr(c, "breaker tripped at %s",
	    dev ? dev : "a PDU");
	case FL_SIG_OUTLET_OFF: return astr(c, "outlets switched off at %s",
	    dev ? dev : "a PDU");
	case FL_SIG_OUTLET_ON: return astr(c, "outlets switched on at %s",
	    dev ? dev : "a PDU");
	case FL_SIG_EPO: return astr(c, "emergency power off at %s",
	    dev ? dev : "the site");
	case FL_SIG_GENERATOR_START: return "generator started";
	case FL_SIG_GENERATOR_STOP: return "generator stopped";
	case FL_SIG_GENERATOR_FAIL: return "generator failed";
	case FL_SIG_ATS_TRANSFER: return "transfer switch changed source";
	case FL_SIG_PSU_AC_LOST:
		return astr(c, "BMCs recorded AC lost on the power supplies of "
		    "%zu host(s)", n_hosts);
	case FL_SIG_PSU_AC_RESTORED:
		return astr(c, "BMCs recorded AC back on the power supplies of "
		    "%zu host(s)", n_hosts);
	case FL_SIG_PSU_REDUNDANCY_LOST:
		return astr(c, "power-supply redundancy lost on %zu host(s)",
		    n_hosts);
	case FL_SIG_BMC_POWER_OFF:
		return astr(c, "BMCs recorded a power-off of %zu host(s)",
		    n_hosts);
	case FL_SIG_BMC_POWER_ON:
		return astr(c, "BMCs recorded %zu host(s) powered on", n_hosts);
	case FL_SIG_UPS_SELFTEST: return astr(c, "%s self-test",
	    dev ? dev : "UPS");
	case FL_SIG_BATTERY_UNRESTORED:
		return "UPS on battery with no restore before the end";
	default:
		return astr(c, "%s", fl_sig_name(s));
	}
}

static int
is_power_sig(enum fl_sig s)
{
	const struct fl_signal_def *d = fl_signal_find(fl_sig_name(s));

	return s != FL_SIG_NONE && d != NULL && d->category == FL_CAT_POWER;
}

/* Already behind a power finding (the cause found earlier). */
static int
cited_in_power(const struct ctx *c, size_t k)
{
	size_t i, j;

	for (i = 0; i < c->n_fbs; i++) {
		if (strcmp(c->fbs[i]->category, "power") != 0 ||
		    strcmp(c->fbs[i]->signal, "topology") == 0)
			continue;
		for (j = 0; j < c->fbs[i]->n_evs; j++)
			if (c->fbs[i]->evs[j] == k)
				return 1;
	}
	return 0;
}

/* One finding per power signal and device (host-side signals together). */
static void
power_findings(struct ctx *c, int64_t lo, int64_t hi)
{
	size_t i, j;
	struct fb *shared[FL_SIG_COUNT];

	memset(shared, 0, sizeof shared);
	for (i = at_or_after(c, lo); i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		const struct fl_event *e = &c->ev->events[i];
		struct fb *f = NULL;

		if (etime(c, i) == FL_TIME_UNKNOWN || etime(c, i) < lo)
			continue;
		if (etime(c, i) > hi)
			break;
		/* "no longer on battery" as the output goes off is not the
		 * mains coming back */
		if (!is_power_sig(s) || cited_in_power(c, i) ||
		    output_dropped_near(c, i))
			continue;
		if (c->kind[e->host] == FL_HOST_DEVICE) {
			for (j = 0; j < c->n_fbs; j++)
				if (strcmp(c->fbs[j]->category, "power") == 0 &&
				    strcmp(c->fbs[j]->signal, fl_sig_name(s)) ==
				    0 && c->fbs[j]->n_evs > 0 &&
				    c->ev->events[c->fbs[j]->evs[0]].host ==
				    e->host) {
					f = c->fbs[j];
					break;
				}
			if (f == NULL)
				f = fb_new(c, "power", fl_sig_name(s),
				    power_title(c, s, hname(c, e->host), 0), 0);
		} else {
			if (shared[s] == NULL)
				shared[s] = fb_new(c, "power", fl_sig_name(s),
				    NULL, 0);
			f = shared[s];
		}
		fb_ev(c, f, i);
		fb_field(f, "ups", efield(c, i, "ups"));
		fb_field(f, "outlet", efield(c, i, "outlet"));
		fb_field(f, "user", euser(c, i));
		fb_field(f, "src_ip", efield(c, i, "src_ip"));
	}
	for (i = 0; i < FL_SIG_COUNT; i++)
		if (shared[i] != NULL)
			shared[i]->title = power_title(c, (enum fl_sig)i, NULL,
			    shared[i]->hosts.n);
}

/* Did hosts drop right after t (an abrupt stop, or UPS-ordered when
 * ups_ok)? target names a host when known. */
static int
downs_follow(const struct ctx *c, int64_t t, int64_t within, int ups_ok,
    const char *target)
{
	size_t i;

	for (i = 0; i < c->n_downs; i++) {
		const struct down *d = &c->downs[i];

		/* down at t + within, and last heard of shortly before t at
		 * the earliest (a quiet host's last line comes well before) */
		if (!is_inc_down(c, i) || d->t < t - 10 * MIN ||
		    d->t > t + within || (d->gap->end_us != FL_TIME_UNKNOWN &&
		    d->gap->end_us <= t + within))
			continue;
		if (target != NULL && !fl_inventory_name_eq(target,
		    hname(c, d->host)))
			continue;
		if (d->gap->began == FL_BEGAN_ABRUPT ||
		    (ups_ok && d->gap->requester == FL_REQ_UPS))
			return 1;
	}
	return 0;
}

/* The host an outlet feeds, from the inventory or the outlet's name. */
static const char *
outlet_host(const struct ctx *c, size_t k)
{
	const char *out = efield(c, k, "outlet");
	const char *pdu = efield(c, k, "device");
	const struct fl_inventory *inv = c->o->inv;
	size_t i, j;

	if (out == NULL)
		return NULL;
	if (pdu == NULL)
		pdu = hname(c, c->ev->events[k].host);
	for (i = 0; inv != NULL && i < inv->n_hosts; i++)
		for (j = 0; j < inv->hosts[i].n_psus; j++)
			if (fl_inventory_name_eq(inv->hosts[i].psus[j].pdu, pdu) &&
			    strcmp(inv->hosts[i].psus[j].outlet, out) == 0)
				return inv->hosts[i].name;
	for (i = 0; i < c->ev->n_hosts; i++)
		if (c->kind[i] != FL_HOST_DEVICE &&
		    fl_inventory_name_eq(hname(c, (uint32_t)i), out))
			return hname(c, (uint32_t)i);
	return NULL;
}

/* A UPS daemon doing its job on a power fault: upsmon/upsd forcing the
 * shutdown (FSD) from the UPS's own host, apcupsd's doshutdown. */
static int
ups_daemon_command(const struct ctx *c, size_t k)
{
	static const char *const daemons[] = {"upsmon", "upsd", "upssched",
	    "apcupsd", "nut", "monuser", "upsmaster", "powerchute"};
	const char *u = euser(c, k), *ip = efield(c, k, "src_ip");
	const char *cmd = efield(c, k, "command");
	const struct fl_event *e = &c->ev->events[k];
	size_t i;

	if (ip != NULL && (strncmp(ip, "127.", 4) == 0 ||
	    strcmp(ip, "::1") == 0 || strcmp(ip, "localhost") == 0))
		return 1;
	for (i = 0; i < sizeof daemons / sizeof daemons[0]; i++)
		if ((u != NULL && strncasecmp(u, daemons[i],
		    strlen(daemons[i])) == 0) ||
		    strncasecmp(e->program, daemons[i], strlen(daemons[i])) == 0)
			return 1;
	return cmd != NULL && (strstr(cmd, "FSD") != NULL ||
	    strstr(cmd, "fsd") != NULL);
}

/* Who logged in to a BMC shortly before it powered its host off. */
static size_t
bmc_login_before(const struct ctx *c, size_t k)
{
	uint32_t h = c->ev->events[k].host;
	int64_t t = etime(c, k);
	size_t i, best = FL_NO_EVENT;

	for (i = at_or_after(c, t - HOUR); i < c->ev->n_events &&
	    etime(c, i) <= t; i++)
		if (c->sig[i] == FL_SIG_BMC_LOGIN &&
		    c->ev->events[i].host == h && etime(c, i) >= t - HOUR)
			best = i;
	return best;
}

/* An IPv4 address written in a line (a PDU export's "HTTPS 10.1.2.3"
 * column) when no rule captured one. */
static const char *
ip_in_text(struct ctx *c, const char *s)
{
	const char *p;

	for (p = s; p != NULL && *p; p++) {
		unsigned a, b, d, e;
		int n = 0;

		if (!isdigit((unsigned char)*p) ||
		    (p > s && (isdigit((unsigned char)p[-1]) || p[-1] == '.')))
			continue;
		/* At most 3 digits each, every octet range-checked right
		 * after. */
		/* NOLINTNEXTLINE(cert-err34-c) */
		if (sscanf(p, "%3u.%3u.%3u.%3u%n", &a, &b, &d, &e, &n) == 4 &&
		    a <= 255 && b <= 255 && d <= 255 && e <= 255 &&
		    !isdigit((unsigned char)p[n]) && p[n] != '.')
			return fl_arena_strndup(c->r->arena, p, (size_t)n);
	}
	return NULL;
}

static void
add_action(struct ctx *c, size_t k, const char *user, const char *ip,
    const char *device)
{
	struct paction *a;

	if (ip == NULL)
		ip = ip_in_text(c, c->ev->events[k].message);

	FL_GROW(c->pact, c->cap_pact, c->n_pact + 1);
	a = &c->pact[c->n_pact++];
	a->ev = k;
	a->sig = c->sig[k];
	a->user = user;
	a->src_ip = ip;
	a->device = device;
	a->attacker = (user != NULL && ss_has(&c->att_users, user)) ||
	    (ip != NULL && ss_has(&c->att_ips, ip)) ||
	    ss_has(&c->att_hosts, hname(c, c->ev->events[k].host)) ||
	    (device != NULL && ss_has(&c->att_devices, device));
}

/* A server of the evidence that kept logging well after t was not behind
 * the load switched off at t. */
static int
logged_after(const struct ctx *c, const char *name, int64_t t)
{
	long h = name != NULL ? fl_evidence_host(c->ev, name) : -1;

	return h >= 0 && c->kind[h] == FL_HOST_SERVER &&
	    c->ev->hosts[h].last_us != FL_TIME_UNKNOWN &&
	    c->ev->hosts[h].last_us > t + 10 * MIN;
}

/* The finding of the power actions found (c->pact), their authors
 * noted as the intruder's or as the site's people (insider). */
static struct fb *
actions_finding(struct ctx *c, int *insider, int *attacker)
{
	struct fb *f = fb_new(c, "power", "power_command", NULL, 0);
	size_t i;

	*insider = *attacker = 0;
	for (i = 0; i < c->n_pact; i++) {
		const struct paction *a = &c->pact[i];

		fb_ev(c, f, a->ev);
		fb_field(f, "user", a->user);
		fb_field(f, "src_ip", a->src_ip);
		fb_field(f, "device", a->device);
		fb_field(f, "outlet", efield(c, a->ev, "outlet"));
		fb_field(f, "command", efield(c, a->ev, "command"));
		if (a->attacker) {
			*attacker = 1;
			ss_add(&c->att_devices, a->device);
		} else {
			if (a->user != NULL || (a->src_ip != NULL &&
			    is_private_ip(a->src_ip)))
				*insider = 1;
			ss_add(&c->actor_users, a->user);
			ss_add(&c->actor_ips, a->src_ip);
			ss_add(&c->actor_devices, a->device);
		}
	}
	return f;
}

/* With no hosts seen to stop: loads a person switched off. The hosts
 * behind them may simply not be in the evidence, so it weighs half. */
static void
loads_off(struct ctx *c)
{
	struct fb *f;
	size_t i;
	int insider, attacker;

	for (i = 0; i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		const char *user = euser(c, i), *ip = efield(c, i, "src_ip");
		const char *target = NULL;
		uint32_t h = c->ev->events[i].host;

		if (etime(c, i) == FL_TIME_UNKNOWN ||
		    !SIG_IN(s, FL_SIG_OUTLET_OFF, FL_SIG_EPO,
		    FL_SIG_UPS_OUTPUT_OFF, FL_SIG_BMC_POWER_OFF,
		    FL_SIG_REMOTE_POWER_COMMAND) ||
		    (s == FL_SIG_REMOTE_POWER_COMMAND &&
		    ups_daemon_command(c, i)))
			continue;
		if (ip == NULL)
			ip = ip_in_text(c, c->ev->events[i].message);
		if (user == NULL && ip == NULL)
			continue;  /* a person's act names its author */
		if (s == FL_SIG_OUTLET_OFF)
			target = outlet_host(c, i);
		else if (s == FL_SIG_BMC_POWER_OFF)
			target = display_host(c, h);
		if (logged_after(c, target, etime(c, i)))
			continue;
		add_action(c, i, user, ip, s == FL_SIG_BMC_POWER_OFF ?
		    astr(c, "%s BMC", display_host(c, h)) :
		    s == FL_SIG_REMOTE_POWER_COMMAND ? efield(c, i, "device") :
		    hname(c, h));
	}
	if (c->n_pact == 0)
		return;
	f = actions_finding(c, &insider, &attacker);
	f->title = astr(c, "power switched off by command, and no host in the "
	    "evidence seen to stop: %s%s%s%s%s%s (%zu line(s)); the hosts it "
	    "fed may not be in the evidence", fl_sig_name(c->pact[0].sig),
	    c->pact[0].device ? " at " : "",
	    c->pact[0].device ? c->pact[0].device : "",
	    c->pact[0].user ? " by '" : "",
	    c->pact[0].user ? c->pact[0].user : "",
	    c->pact[0].user ? "'" : "", c->n_pact);
	set_feat(c, FT_HUMAN_POWER, 0.5, f, f->title);
	if (attacker)
		set_feat(c, FT_ATTACKER_POWER, 0.5, f, f->title);
	if (insider && !attacker)
		set_feat(c, FT_INSIDER, 0.5, f, f->title);
}

static void
analyze_power(struct ctx *c)
{
	int64_t lo, hi, last_drop = FL_TIME_UNKNOWN, fault_hi;
	size_t m, i;
	int mains = 0;
	struct fb *mf = NULL, *af = NULL;

	c->episode_ev = FL_NO_EVENT;
	c->power_restored = FL_TIME_UNKNOWN;
	c->power_restored_ev = FL_NO_EVENT;
	if (!c->has_incident) {
		loads_off(c);
		return;
	}
	/* The cause lies between the first host's last line (or a while
	 * before it) and the first host's return. */
	lo = c->first_down - 15 * MIN;
	hi = c->last_down + 30 * MIN;
	for (i = 0; i < c->n_downs; i++)
		if (is_inc_down(c, i) && c->downs[i].gap->end_us !=
		    FL_TIME_UNKNOWN && c->downs[i].gap->end_us < hi)
			hi = c->downs[i].gap->end_us;
	if (hi < c->last_down + 5 * MIN)
		hi = c->last_down + 5 * MIN;
	c->cause_hi = hi;
	c->episode_start = FL_TIME_UNKNOWN;
	/* A power fault explains hosts that dropped (abruptly, or on a UPS
	 * daemon's order), not hosts already shut down by hand. */
	for (i = 0; i < c->n_downs; i++) {
		const struct fl_gap *g = c->downs[i].gap;

		if (is_inc_down(c, i) && (g->began == FL_BEGAN_ABRUPT ||
		    g->requester == FL_REQ_UPS) &&
		    (last_drop == FL_TIME_UNKNOWN || c->downs[i].t > last_drop))
			last_drop = c->downs[i].t;
	}
	fault_hi = last_drop == FL_TIME_UNKNOWN ? FL_TIME_UNKNOWN :
	    last_drop + 5 * MIN < hi ? last_drop + 5 * MIN : hi;
	m = fault_hi == FL_TIME_UNKNOWN ? FL_NO_EVENT :
	    mains_lost_before(c, c->first_down, fault_hi - 2 * MIN);
	if (m != FL_NO_EVENT) {
		mains = 1;
		c->episode_start = etime(c, m);
		c->episode_ev = m;
	}
	for (i = at_or_after(c, lo); i < c->ev->n_events; i++) {
		enum fl_sig s = c->sig[i];
		int64_t t = etime(c, i);
		const char *user = euser(c, i), *ip = efield(c, i, "src_ip");
		int cause = 0;

		if (t == FL_TIME_UNKNOWN || t < lo)
			continue;
		if (t > hi)
			break;
		switch (s) {
		case FL_SIG_PDU_INPUT_LOST: case FL_SIG_BREAKER_TRIP:
		case FL_SIG_UPS_FAULT: case FL_SIG_BATTERY_EXHAUSTED:
		case FL_SIG_GENERATOR_FAIL:
			if (user == NULL && fault_hi != FL_TIME_UNKNOWN &&
			    t <= fault_hi) {
				mains = 1;
				cause = 1;
				if (mf == NULL)
					mf = fb_new(c, "power", fl_sig_name(s),
					    NULL, 0);
				fb_ev(c, mf, i);
			}
			break;
		case FL_SIG_UPS_OUTPUT_OFF:
			if ((user != NULL || ip != NULL || !mains) &&
			    downs_follow(c, t, 5 * MIN, 0, NULL)) {
				add_action(c, i, user, ip,
				    hname(c, c->ev->events[i].host));
				cause = 1;
			}
			break;
		case FL_SIG_OUTLET_OFF: case FL_SIG_EPO: {
			const char *target = s == FL_SIG_OUTLET_OFF ?
			    outlet_host(c, i) : NULL;

			if (downs_follow(c, t, 5 * MIN, 0, target) ||
			    (target != NULL && downs_follow(c, t, 5 * MIN, 0,
			    NULL))) {
				add_action(c, i, user, ip,
				    hname(c, c->ev->events[i].host));
				cause = 1;
			}
			break;
		}
		case FL_SIG_BMC_POWER_OFF: {
			size_t lg = bmc_login_before(c, i);

			if (!downs_follow(c, t, 2 * MIN, 0,
			    display_host(c, c->ev->events[i].host)))
				break;
			add_action(c, i, lg != FL_NO_EVENT ? euser(c, lg) : user,
			    lg != FL_NO_EVENT ? efield(c, lg, "src_ip") : ip,
			    astr(c, "%s BMC", display_host(c,
			    c->ev->events[i].host)));
			cause = 1;
			break;
		}
		case FL_SIG_REMOTE_POWER_COMMAND:
			if (mains && ups_daemon_command(c, i))
				break;
			if (downs_follow(c, t, 5 * MIN, 0, NULL) ||
			    (!mains && downs_follow(c, t, 15 * MIN, 1, NULL))) {
				add_action(c, i, user, ip, efield(c, i, "device"));
				cause = 1;
			}
			break;
		case FL_SIG_UPS_COMMANDED_SHUTDOWN:
			if (!mains && downs_follow(c, t, 15 * MIN, 1, NULL)) {
				add_action(c, i, user, ip, efield(c, i, "ups"));
				cause = 1;
			}
			break;
		default:
			break;
		}
		if (cause && (c->episode_start == FL_TIME_UNKNOWN ||
		    t < c->episode_start)) {
			c->episode_start = t;
			c->episode_ev = i;
		}
	}
	if (mf != NULL) {
		mf->title = astr(c, "power fault before the hosts stopped: %s",
		    fl_sig_name(c->sig[mf->evs[0]]));
		set_feat(c, FT_MAINS_FAULT, 1, mf, mf->title);
	}
	if (m != FL_NO_EVENT) {
		struct fb *f = fb_new(c, "power", fl_sig_name(c->sig[m]), NULL,
		    0);

		fb_ev(c, f, m);
		f->title = astr(c, "mains power lost (%s) and not restored "
		    "before the hosts stopped", hname(c,
		    c->ev->events[m].host));
		set_feat(c, FT_MAINS_FAULT, 1, f, f->title);
	}
	/* With no power cause, the first orderly request opens it. */
	for (i = 0; i < c->n_downs && c->episode_start == FL_TIME_UNKNOWN; i++)
		if (is_inc_down(c, i) && c->downs[i].gap->ev_request !=
		    FL_NO_EVENT) {
			size_t k = c->downs[i].gap->ev_request;

			if (etime(c, k) >= c->first_down - 15 * MIN) {
				c->episode_start = etime(c, k);
				c->episode_ev = k;
			}
			break;
		}
	/* The cause's own record dates the incident: the hosts' last lines
	 * only bound the stop from below. */
	c->inc_start = c->episode_start != FL_TIME_UNKNOWN ? c->episode_start :
	    c->first_down;

	if (c->n_pact > 0) {
		int insider, attacker;

		af = actions_finding(c, &insider, &attacker);
		af->title = astr(c, "power cut by command just before the hosts "
		    "stopped: %s%s%s%s", fl_sig_name(c->pact[0].sig),
		    c->pact[0].user ? " by '" : "",
		    c->pact[0].user ? c->pact[0].user : "",
		    c->pact[0].user ? "'" : "");
		set_feat(c, FT_HUMAN_POWER, 1, af, af->title);
		if (attacker)
			set_feat(c, FT_ATTACKER_POWER, 1, af, af->title);
		if (insider && !attacker)
			set_feat(c, FT_INSIDER, 1, af, af->title);
	}
	/* Physical access before the power action (or the stop). */
	{
		int64_t ref = c->n_pact ? etime(c, c->pact[0].ev) : c->first_down;
		struct fb *pf = NULL;

		for (i = at_or_after(c, ref - HOUR); i < c->ev->n_events; i++) {
			int64_t t = etime(c, i);

			if (t == FL_TIME_UNKNOWN || t < ref - HOUR)
				continue;
			if (t > ref + 5 * MIN)
				break;
			if (c->sig[i] != FL_SIG_PHYSICAL_ACCESS &&
			    c->sig[i] != FL_SIG_CHASSIS_INTRUSION &&
			    c->sig[i] != FL_SIG_EPO)
				continue;
			if (pf == NULL)
				pf = fb_new(c, "security", "physical_access",
				    "physical access shortly before the power "
				    "was cut", 0);
			fb_ev(c, pf, i);
			if (door_reader(c, c->ev->events[i].host))
				c->phys_door = 1;
			else
				c->phys_machine = 1;
			fb_field(pf, "user", euser(c, i));
			fb_field(pf, "door", efield(c, i, "door"));
			ss_add(&c->actor_users, euser(c, i));
		}
		if (pf != NULL && (c->n_pact > 0 || !mains))
			set_feat(c, FT_PHYSICAL, c->n_pact ? 1 : 0.5, pf,
			    pf->title);
	}
	/* Power restored: the first restore recorded once the last host had
	 * stopped (a power device starting up, such as a UPS's management
	 * card coldstarting, had none before; one PSU reseated or another
	 * UPS's card restarting while hosts still go down ends nothing), or
	 * the first host that booted again if that came sooner. */
	for (i = at_or_after(c, c->last_down); i < c->ev->n_events; i++) {
		int64_t t = etime(c, i);

		if (t == FL_TIME_UNKNOWN || t < c->last_down)
			continue;
		if ((SIG_IN(c->sig[i], FL_SIG_UTILITY_RESTORED, FL_SIG_OUTLET_ON,
		    FL_SIG_BMC_POWER_ON, FL_SIG_PSU_AC_RESTORED) ||
		    (c->sig[i] == FL_SIG_BOOT &&
		    c->kind[c->ev->events[i].host] == FL_HOST_DEVICE)) &&
		    !output_dropped_near(c, i)) {
			c->power_restored = t;
			c->power_restored_ev = i;
			break;
		}
	}
	for (i = 0; i < c->n_downs; i++) {
		const struct fl_gap *g = c->downs[i].gap;

		if (!is_inc_down(c, i) || g->ev_boot == FL_NO_EVENT ||
		    g->ended == FL_ENDED_OPEN || g->ended == FL_ENDED_RESUMED)
			continue;
		if (c->power_restored == FL_TIME_UNKNOWN ||
		    g->end_us < c->power_restored) {
			c->power_restored = g->end_us;
			c->power_restored_ev = g->ev_boot;
		}
	}
}

/* Did the power element's own log record something around the stop? */
static int
device_logged(const struct ctx *c, const char *name)
{
	long h = fl_evidence_host(c->ev, name);
	size_t i;

	if (h < 0)
		return 0;
	for (i = 0; i < c->n_hev[h]; i++) {
		int64_t t = etime(c, c->hev[h][i]);

		if (t >= c->first_down - 4 * HOUR && t <= c->cause_hi &&
		    is_power_sig(c->sig[c->hev[h][i]]))
			return 1;
	}
	return 0;
}

/* Hosts behind every power path through el. */
static int
depends_on(const struct fl_inv_host *ih, const char *el)
{
	size_t j, k;

	if (ih->n_psus == 0)
		return 0;
	for (j = 0; j < ih->n_psus; j++) {
		int on = 0;

		/* skip the outlet itself (path[0]) */
		for (k = 1; k < ih->psus[j].n_path; k++)
			if (strcmp(ih->psus[j].path[k], el) == 0)
				on = 1;
		if (!on)
			return 0;
	}
	return 1;
}

static void
analyze_topology(struct ctx *c)
{
	const struct fl_inventory *inv = c->o->inv;
	size_t h, i, n_u = 0, n_d = 0, best_el = SIZE_MAX;
	size_t smallest = SIZE_MAX, smallest_n = 0;
	unsigned char *in_u, *in_d;
	double best = -1;
	struct fb *f;
	const char *role = NULL;
	int same_role = 1, role_all = 1;

	if (inv == NULL || !c->has_incident)
		return;
	in_u = fl_xcalloc(c->ev->n_hosts + 1, 1);
	in_d = fl_xcalloc(c->ev->n_hosts + 1, 1);
	for (h = 0; h < c->ev->n_hosts; h++) {
		const struct fl_host_rec *hr = &c->ev->hosts[h];

		if (c->inv[h] == NULL || c->inv[h]->n_psus == 0 ||
		    c->kind[h] == FL_HOST_DEVICE ||
		    hr->first_us == FL_TIME_UNKNOWN || hr->first_us > c->last_down)
			continue;
		in_u[h] = 1;
		n_u++;
		if (ss_has(&c->affected, hname(c, (uint32_t)h))) {
			in_d[h] = 1;
			n_d++;
			if (role == NULL)
				role = c->inv[h]->role;
			else if (c->inv[h]->role == NULL ||
			    strcmp(role, c->inv[h]->role) != 0)
				same_role = 0;
		}
	}
	if (n_d < 2) {
		free(in_u);
		free(in_d);
		return;
	}
	/* The element whose loss explains the set best; on a tie the one
	 * that logged an event, then the one nearest the hosts (PDU, then
	 * UPS, then feed). smallest: the nearest element behind which all
	 * of them are. */
	for (i = 0; i < inv->n_power; i++) {
		size_t inter = 0, uni = 0, ndep = 0;
		double jac;
		int better;

		for (h = 0; h < c->ev->n_hosts; h++) {
			int dep;

			if (!in_u[h])
				continue;
			dep = depends_on(c->inv[h], inv->power[i].name);
			ndep += dep;
			if (dep && in_d[h])
				inter++;
			if (dep || in_d[h])
				uni++;
		}
		jac = uni ? (double)inter / (double)uni : 0;
		if (inter == n_d && (smallest == SIZE_MAX || ndep < smallest_n)) {
			smallest = i;
			smallest_n = ndep;
		}
		better = jac > best + 1e-9;
		if (!better && jac > best - 1e-9 && best_el != SIZE_MAX) {
			int ev_i = device_logged(c, inv->power[i].name);
			int ev_b = device_logged(c, inv->power[best_el].name);

			better = ev_i > ev_b || (ev_i == ev_b &&
			    inv->power[i].kind > inv->power[best_el].kind);
		}
		if (better) {
			best = jac;
			best_el = i;
		}
	}
	if (role != NULL && same_role)
		for (h = 0; h < c->ev->n_hosts; h++)
			if (in_u[h] && !in_d[h] && c->inv[h]->role != NULL &&
			    strcmp(c->inv[h]->role, role) == 0)
				role_all = 0;
	f = fb_new(c, "power", "topology", NULL, 0);
	for (i = 0; i < c->n_downs && f->n_evs < MAX_CITES; i++) {
		const struct fl_gap *g = c->downs[i].gap;

		if (!is_inc_down(c, i))
			continue;
		fb_ev(c, f, g->ev_unclean != FL_NO_EVENT ? g->ev_unclean :
		    g->ev_began != FL_NO_EVENT ? g->ev_began : g->ev_boot);
	}
	if (c->episode_ev != FL_NO_EVENT)
		fb_ev(c, f, c->episode_ev);
	if (f->n_evs == 0) {
		fb_drop_last(c);
		free(in_u);
		free(in_d);
		return;
	}
	fb_field(f, "hosts_known", astr(c, "%zu", n_u));
	fb_field(f, "hosts_down", astr(c, "%zu", n_d));
	if (best >= 0.8) {
		f->title = astr(c, "the hosts that stopped follow the power "
		    "topology: %s the hosts fed only through %s (%zu of %zu "
		    "known hosts, match %.2f)", best >= 0.999 ? "exactly" :
		    "nearly", inv->power[best_el].name, n_d, n_u, best);
		fb_field(f, "element", inv->power[best_el].name);
		set_feat(c, FT_TOPO_MATCH, best, f, f->title);
	} else if (smallest != SIZE_MAX &&
	    inv->power[smallest].kind == FL_INV_PDU) {
		/* part of one PDU: a bank, a breaker or a strip inside it
		 * that the inventory does not describe */
		f->title = astr(c, "the hosts that stopped are all fed only "
		    "through %s, though not all of its hosts stopped: a fault "
		    "inside it (a bank or breaker) fits", inv->power[smallest].name);
		fb_field(f, "element", inv->power[smallest].name);
	} else if (best < 0.5) {
		f->title = astr(c, "the hosts that stopped do not follow the "
		    "power topology: no feed, UPS or PDU explains them (%s%s "
		    "match %.2f)%s%s%s", best > 0 ? "best " : "",
		    best > 0 ? inv->power[best_el].name : "none to",
		    best > 0 ? best : 0,
		    same_role && role_all && role ? "; they are exactly the "
		    "hosts with role '" : "", same_role && role_all && role ?
		    role : "", same_role && role_all && role ? "'" : "");
		if (same_role && role_all && role)
			fb_field(f, "role", role);
		set_feat(c, FT_TOPO_MISMATCH, best < 0.3 ? 1 : 0.6, f,
		    f->title);
	} else {
		f->title = astr(c, "the hosts that stopped partly follow the "
		    "power topology (best %s, match %.2f)",
		    inv->power[best_el].name, best);
	}
	c->topo_note = f->title;
	free(in_u);
	free(in_d);
}

/* ------------------------------------------------------------------ */
/* Outage, lanes and clock findings; the features they give */

static size_t
down_evidence(const struct fl_gap *g)
{
	if (g->ev_unclean != FL_NO_EVENT)
		return g->ev_unclean;
	if (g->ev_began != FL_NO_EVENT)
		return g->ev_began;
	if (g->ev_boot != FL_NO_EVENT)
		return g->ev_boot;
	return g->ev_request;
}

/* No host's logs record its stop or a boot after it: their lines just
 * end, a stop only because power evidence backs it. Only rule hits keep
 * their text, so the outage cites each host's last kept line before it
 * and that power evidence; its time stays the stop's. */
static void
outage_open_ends(struct ctx *c, struct fb *of)
{
	size_t i, k, last;

	for (i = 0; i < c->n_downs; i++) {
		const struct down *d = &c->downs[i];

		if (!is_inc_down(c, i))
			continue;
		last = FL_NO_EVENT;
		for (k = 0; k < c->n_hev[d->host]; k++) {
			size_t e = c->hev[d->host][k];
			int64_t t = etime(c, e);

			if (t == FL_TIME_UNKNOWN || t >= minute_end(d->t))
				break;
			if (has_text(c, e))
				last = e;
		}
		fb_ev(c, of, last);
	}
	fb_ev(c, of, power_evidence_at(c, c->first_down, c->last_down));
	of->start = c->first_down;
	of->end = c->last_down;
	of->title = astr(c, "%s; no host's logs record its stop or a boot "
	    "after it: the last kept line of each before the stop and the "
	    "power evidence are cited", of->title);
}

static void
outage_findings(struct ctx *c)
{
	size_t i, n = 0, n_abrupt = 0, n_unclean = 0, n_ups = 0, n_clean = 0;
	size_t n_person = 0;
	double person = 0;
	struct fb *of, *pf = NULL, *ia = NULL;
	int64_t *req_t = fl_xcalloc(c->n_downs + 1, sizeof *req_t);
	struct strset req_users = {0};
	char span[64];

	of = fb_new(c, "host", "outage", NULL, 0);
	for (i = 0; i < c->n_downs; i++) {
		const struct down *d = &c->downs[i];
		const struct fl_gap *g = d->gap;

		if (!is_inc_down(c, i))
			continue;
		n++;
		fb_ev(c, of, down_evidence(g));
		ss_add(&of->hosts, display_host(c, d->host));
		if (g->requester == FL_REQ_UPS)
			n_ups++;
		else if (g->began == FL_BEGAN_ABRUPT)
			n_abrupt++;
		else
			n_clean++;
		if (g->ended == FL_ENDED_BOOT_UNCLEAN)
			n_unclean++;
		if (g->requested_by != NULL &&
		    ss_has(&c->att_users, g->requested_by)) {
			/* the intruder shut it down: an attack's power action,
			 * however orderly */
			if (ia == NULL)
				ia = fb_new(c, "security", "power_command",
				    astr(c, "the intruder's account '%s' shut "
				    "hosts down", g->requested_by), 0);
			fb_ev(c, ia, g->ev_request);
			set_feat(c, FT_HUMAN_POWER, 1, ia, ia->title);
			set_feat(c, FT_ATTACKER_POWER, 1, ia, ia->title);
		} else if (g->began != FL_BEGAN_ABRUPT &&
		    g->requester != FL_REQ_UPS) {
			double w = g->requester == FL_REQ_PERSON ? 1 :
			    g->requester == FL_REQ_UNKNOWN ? 0.75 :
			    g->requester == FL_REQ_BUTTON ? 0.5 :
			    g->requester == FL_REQ_REMOTE ? 0.25 : 0.5;

			person += w;
			req_t[n_person++] = d->t;
			if (g->ev_request != FL_NO_EVENT) {
				if (pf == NULL)
					pf = fb_new(c, "host", "shutdown_request",
					    NULL, 0);
				fb_ev(c, pf, g->ev_request);
				ss_add(&req_users, g->requested_by);
			}
			if (g->requester == FL_REQ_BUTTON)
				set_feat(c, FT_PHYSICAL, 1, pf, NULL);
		}
	}
	if (c->last_down - c->first_down < MIN)
		snprintf(span, sizeof span, "a minute");
	else
		dur(span, c->last_down - c->first_down);
	of->title = astr(c, "%zu host(s) stopped within %s: %zu abruptly, %zu "
	    "on a UPS daemon's order, %zu by an orderly shutdown; %zu booted "
	    "with unclean-shutdown recovery", n, span, n_abrupt, n_ups,
	    n_clean, n_unclean);
	if (of->n_evs == 0)
		outage_open_ends(c, of);
	if (of->n_evs == 0)
		fb_drop_last(c);
	else
		set_feat(c, FT_OUTAGE, 1, of, of->title);
	set_feat(c, FT_ABRUPT, (double)n_abrupt / (double)n, NULL, NULL);
	set_feat(c, FT_UNCLEAN, (double)n_unclean / (double)n, NULL, NULL);
	if (c->feat[FT_MAINS_FAULT] > 0)
		set_feat(c, FT_UPS_SHUTDOWN, (double)n_ups / (double)n, NULL,
		    NULL);
	set_feat(c, FT_CLEAN_PERSON, person / (double)n, pf, NULL);
	if (pf != NULL) {
		struct fl_buf b = {0};

		ss_sort(&req_users);
		for (i = 0; i < req_users.n; i++)
			fl_buf_printf(&b, "%s%s", i ? ", " : "", req_users.v[i]);
		pf->title = astr(c, "orderly shutdown of %zu host(s) requested "
		    "%s%s", pf->hosts.n, b.len ? "by " : "by no named user",
		    b.len ? b.data : "");
		for (i = 0; i < req_users.n; i++)
			fb_field(pf, "user", req_users.v[i]);
		fl_buf_free(&b);
		if (c->feat_fb[FT_CLEAN_PERSON] < 0)
			c->feat_fb[FT_CLEAN_PERSON] = fb_index(c, pf);
	}
	if (n_person >= 2) {
		int64_t *gaps = fl_xcalloc(n_person, sizeof *gaps);
		size_t k;

		for (k = 0; k + 1 < n_person; k++)
			gaps[k] = req_t[k + 1] - req_t[k];
		if (median_i64(gaps, n_person - 1) >= MIN)
			set_feat(c, FT_STAGGERED, 1, pf, NULL);
		free(gaps);
	}
	/* The person who shut hosts down also did damage. */
	for (i = 0; i < req_users.n; i++)
		if (ss_has(&c->actor_users, req_users.v[i]) &&
		    (c->feat[FT_TAMPER] > 0 || c->feat[FT_DESTRUCTIVE] > 0)) {
			set_feat(c, FT_MALICIOUS_ADMIN, 1,
			    c->feat_fb[FT_TAMPER] >= 0 ?
			    c->fbs[c->feat_fb[FT_TAMPER]] : NULL, NULL);
			ss_add(&c->actor_users, req_users.v[i]);
		}
	/* AC lost on the hosts' power supplies. */
	{
		struct strset ac = {0};
		struct fb *af = NULL;

		for (i = at_or_after(c, c->first_down - 5 * MIN);
		    i < c->ev->n_events; i++) {
			int64_t t = etime(c, i);
			const char *hn = display_host(c, c->ev->events[i].host);

			if (t == FL_TIME_UNKNOWN || t < c->first_down - 5 * MIN)
				continue;
			if (t > c->cause_hi)
				break;
			if (c->sig[i] != FL_SIG_PSU_AC_LOST ||
			    !ss_has(&c->affected, hname(c,
			    c->ev->events[i].host)))
				continue;
			ss_add(&ac, hn);
			if (af == NULL)
				af = fb_new(c, "power", "psu_ac_lost", NULL, 0);
			fb_ev(c, af, i);
		}
		if (af != NULL) {
			af->title = astr(c, "BMCs of %zu of the %zu hosts that "
			    "stopped recorded AC lost on their power supplies",
			    ac.n, n);
			set_feat(c, FT_AC_LOST, (double)ac.n / (double)n, af,
			    af->title);
		}
		ss_free(&ac);
	}
	ss_free(&req_users);
	free(req_t);
}

/* No outage: restarts of single hosts and hosts that just stopped. */
/* The host's kernel panic (or lockup, oops) just before t, or none. */
static size_t
panic_before(const struct ctx *c, uint32_t h, int64_t t)
{
	size_t i, found = FL_NO_EVENT;

	for (i = 0; i < c->n_hev[h]; i++) {
		size_t k = c->hev[h][i];
		int64_t et = etime(c, k);

		if (et == FL_TIME_UNKNOWN || et > t + MIN)
			break;
		if (et >= t - 15 * MIN && c->sig[k] == FL_SIG_KERNEL_PANIC)
			found = k;
	}
	return found;
}

static void
quiet_findings(struct ctx *c)
{
	struct fb *rf = NULL;
	size_t i;

	for (i = 0; i < c->n_downs; i++) {
		const struct fl_gap *g = c->downs[i].gap;
		struct fb *f;
		size_t panic;

		if (is_inc_down(c, i))
			continue;
		if (routine_restart(g) || (g->began == FL_BEGAN_CLEAN &&
		    g->ended != FL_ENDED_BOOT_UNCLEAN)) {
			if (rf == NULL)
				rf = fb_new(c, "host", "boot", NULL, 0);
			fb_ev(c, rf, down_evidence(g));
			continue;
		}
		panic = g->began == FL_BEGAN_ABRUPT ?
		    panic_before(c, c->downs[i].host, g->begin_us) :
		    FL_NO_EVENT;
		f = fb_new(c, "host", g->began == FL_BEGAN_ABRUPT ?
		    "abrupt_stop" : "shutdown", astr(c, "%s: %s%s (%s%s, then "
		    "%s)", hname(c, c->downs[i].host), fl_gap_kind(g),
		    c->has_incident ? " outside the incident" : "",
		    fl_gap_began_name(g->began),
		    panic != FL_NO_EVENT ? " after a kernel panic" : "",
		    fl_gap_ended_name(g->ended)), 0);
		if (panic != FL_NO_EVENT)
			fb_ev(c, f, panic);
		fb_ev(c, f, down_evidence(g));
		if (f->n_evs == 0)
			fb_drop_last(c);
		else {
			f->start = g->begin_us;
			f->end = g->end_us;
		}
	}
	if (rf != NULL) {
		if (rf->n_evs == 0) {
			fb_drop_last(c);
			return;
		}
		rf->title = astr(c, "orderly restarts of %zu host(s), one at a "
		    "time: routine", rf->hosts.n);
		if (!c->has_incident)
			set_feat(c, FT_ROUTINE, 1, rf, rf->title);
	}
}

static void
clock_findings(struct ctx *c)
{
	size_t i, k;

	for (i = 0; i < c->n_doms; i++) {
		const struct dom *d = &c->doms[i];
		struct fb *f;
		int64_t off = d->zone_us + d->skew_us;
		char s[64];

		if (off == 0)
			continue;
		dur(s, off);
		f = fb_new(c, "context", "clock", astr(c, "%s%s clock corrected "
		    "by %s%s: %s", hname(c, d->host), d->dev &&
		    c->kind[d->host] == FL_HOST_SERVER ? " (BMC log)" : "",
		    off < 0 ? "-" : "+", s, d->basis), 0);
		fb_ev(c, f, d->anchor_ev);
		for (k = 0; f->n_evs == 0 && k < c->n_hev[d->host]; k++) {
			size_t e = c->hev[d->host][k];

			if (fl_format_is_device(c->ev->events[e].format) ==
			    (d->dev != 0))
				fb_ev(c, f, e);
		}
		if (f->n_evs == 0) {
			fb_drop_last(c);
			continue;
		}
		fb_field(f, "offset_s", astr(c, "%+.0f", (double)off / SEC));
		fb_field(f, "confidence", astr(c, "%.2f", d->conf));
		if (d->zone_us)
			fb_field(f, "zone_error_h", astr(c, "%+" PRId64,
			    d->zone_us / HOUR));
	}
}

/* Findings in time order, F1, F2 ...; each cites its first lines. */

static int
cmp_fb(const void *va, const void *vb)
{
	const struct fb *a = *(struct fb *const *)va, *b = *(struct fb *const *)vb;
	int r;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if ((r = strcmp(a->category, b->category)) != 0)
		return r;
	if ((r = strcmp(a->title, b->title)) != 0)
		return r;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void
finalize_findings(struct ctx *c)
{
	struct fb **order = fl_xcalloc(c->n_fbs + 1, sizeof *order);
	struct fl_report *r = c->r;
	size_t i, j, n = 0;

	for (i = 0; i < c->n_fbs; i++) {
		struct fb *f = c->fbs[i];
		size_t u = 0;

		f->out = SIZE_MAX;
		if (f->n_evs == 0 || f->title == NULL)
			continue;
		qsort(f->evs, f->n_evs, sizeof *f->evs, cmp_size);
		for (j = 0; j < f->n_evs; j++)
			if (u == 0 || f->evs[u - 1] != f->evs[j])
				f->evs[u++] = f->evs[j];
		f->n_evs = u;
		if (f->start == FL_TIME_UNKNOWN)
			f->start = etime(c, f->evs[0]);
		if (f->end == FL_TIME_UNKNOWN)
			f->end = etime(c, f->evs[f->n_evs - 1]);
		ss_sort(&f->hosts);
		order[n++] = f;
	}
	qsort(order, n, sizeof *order, cmp_fb);
	r->findings = fl_xcalloc(n + 1, sizeof *r->findings);
	r->n_findings = n;
	for (i = 0; i < n; i++) {
		struct fb *f = order[i];
		struct fl_report_finding *rf = &r->findings[i];
		size_t nc = 0;

		f->out = i;
		rf->id = astr(c, "F%zu", i + 1);
		rf->category = f->category;
		rf->signal = f->signal;
		rf->title = f->title;
		rf->noise = f->noise;
		rf->start_us = f->start;
		rf->end_us = f->end;
		rf->n_hosts = f->hosts.n;
		rf->hosts = fl_arena_alloc(r->arena,
		    (f->hosts.n + 1) * sizeof *rf->hosts);
		if (f->hosts.n)
			memcpy(rf->hosts, f->hosts.v, f->hosts.n *
			    sizeof *rf->hosts);
		rf->n_fields = f->n_fields;
		rf->fields = fl_arena_alloc(r->arena,
		    (f->n_fields + 1) * sizeof *rf->fields);
		if (f->n_fields)
			memcpy(rf->fields, f->fields, f->n_fields *
			    sizeof *rf->fields);
		rf->cites = fl_arena_alloc(r->arena, (MAX_CITES + 1) *
		    sizeof *rf->cites);
		for (j = 0; j < f->n_evs && nc < MAX_CITES; j++)
			if (has_text(c, f->evs[j]))
				set_cite(c, f->evs[j], &rf->cites[nc++]);
		rf->n_cites = nc;
		/* folded noise counts every line it stands for */
		rf->n_events = 0;
		for (j = 0; j < f->n_evs; j++)
			rf->n_events += c->ev->events[f->evs[j]].repeat;
	}
	free(order);
}

/* ------------------------------------------------------------------ */
/* Recovery */

static void
norm_service(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	for (; s != NULL && *s && *s != '@' && n + 1 < outlen; s++)
		out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
	if (n > 8 && strcmp(out + n - 8, ".service") == 0)
		out[n - 8] = '\0';
}

static int
service_match(const char *a, const char *b)
{
	char x[128], y[128];
	size_t lx, ly;

	norm_service(a, x, sizeof x);
	norm_service(b, y, sizeof y);
	lx = strlen(x);
	ly = strlen(y);
	if (lx == 0 || ly == 0)
		return 0;
	if (strcmp(x, y) == 0)
		return 1;
	/* postgres / postgresql, mysqld / mysql */
	return lx >= 4 && ly >= 4 && (strncmp(x, y, lx < ly ? lx : ly) == 0);
}

static const char *
event_service(const struct ctx *c, size_t k)
{
	const char *s = efield(c, k, "service");

	if (s == NULL)
		s = efield(c, k, "unit");
	if (s == NULL && c->ev->events[k].program[0] != '\0' &&
	    strcmp(c->ev->events[k].program, "systemd") != 0)
		s = c->ev->events[k].program;
	return s;
}

/* A description that is a sentence ("... (SNMP) Daemon.") keeps its
 * period in "Started <description>.": the name shown drops it. */
static const char *
service_name(struct ctx *c, const char *s)
{
	size_t n = strlen(s);

	return n > 1 && s[n - 1] == '.' ? astr(c, "%.*s", (int)(n - 1), s) : s;
}

/* systemd's own units say nothing about the site's services. */
static int
plumbing_unit(const char *s)
{
	static const char *const pre[] = {"systemd-", "dbus", "getty",
	    "user@", "user-runtime", "session-", "serial-getty", "modprobe@",
	    "kmod", "plymouth", "console-", "keyboard-", "setvtrgb",
	    "ifup@", "networkd-dispatcher", "polkit", "accounts-daemon",
	    "rsyslog", "syslog", "journal", "cron", "atd", "ssh", "logrotate",
	    "apt-", "man-db", "e2scrub", "fstrim", "motd", "snapd",
	    "unattended", "udisks", "multipathd", "lvm2", "blk-availability",
	    "finalrd", "grub", "irqbalance", "apparmor", "auditd", "chrony",
	    "ntp", "timesyncd", "rc-local", "ufw", "networking", "network",
	    "NetworkManager", "wpa_supplicant", "avahi", "cups", "kernel"};
	/* what common distributions call those units in "Started ..." */
	static const char *const desc[] = {"System Logging Service",
	    "Regular background program processing daemon",
	    "Command Scheduler", "OpenBSD Secure Shell server",
	    "OpenSSH server daemon", "Remount Root and Kernel File Systems",
	    "Daily Cleanup of Temporary Directories",
	    "Create Volatile Files and Directories",
	    "system activity accounting tool", "Rotate log files",
	    "dnf makecache", "Daily apt download activities",
	    "Daily apt upgrade and clean activities",
	    "Discard unused blocks",
	    "Message of the Day", "Load Kernel Modules",
	    "Apply Kernel Variables", "Permit User Sessions",
	    "User Login Management", "Login Service",
	    "D-Bus System Message Bus", "Network Time Synchronization",
	    "Journal Service", "Flush Journal to Persistent Storage",
	    "Record System Boot/Shutdown in UTMP",
	    "Update UTMP about System", "Create System Users",
	    "Create Static Device Nodes", "Rule-based Manager for Device",
	    "Coldplug All udev Devices", "Raise network interfaces",
	    "Getty on", "Serial Getty on", "User Manager for UID",
	    "User Runtime Directory", "Authorization Manager",
	    "Accounts Service", "Hostname Service", "Time & Date Service",
	    "Locale Service", "irqbalance daemon",
	    "Hold until boot process finishes up",
	    "Terminate Plymouth Boot Screen", "Set console font and keymap",
	    "Set the console keyboard layout", "Network Manager",
	    "Dispatcher daemon for systemd-networkd", "Disk Manager",
	    "Availability of block devices", "Update the operating system",
	    "Security Auditing Service", "NTP client/server",
	    "Run anacron jobs", "Daily rotation of log files",
	    "Daily man-db", "Check PackageKit", "Cleanup of Temporary"};
	size_t i;

	if (s == NULL || strstr(s, ".target") || strstr(s, ".mount") ||
	    strstr(s, ".socket") || strstr(s, ".slice") || strstr(s, ".scope")
	    || strstr(s, ".path") || strstr(s, ".timer") || strstr(s, ".device"))
		return 1;
	for (i = 0; i < sizeof pre / sizeof pre[0]; i++)
		if (strncasecmp(s, pre[i], strlen(pre[i])) == 0)
			return 1;
	for (i = 0; i < sizeof desc / sizeof desc[0]; i++)
		if (strncasecmp(s, desc[i], strlen(desc[i])) == 0)
			return 1;
	return 0;
}

static void
add_service(struct ctx *c, const char *svc, uint32_t h, const struct fl_gap *g,
    size_t *cap)
{
	struct fl_report *r = c->r;
	struct fl_recovery_service *rs;
	size_t i;

	for (i = 0; i < r->n_rec_services; i++)
		if (strcmp(r->rec_services[i].host, display_host(c, h)) == 0 &&
		    service_match(r->rec_services[i].service, svc))
			return;
	FL_GROW(r->rec_services, *cap, r->n_rec_services + 1);
	rs = &r->rec_services[r->n_rec_services++];
	rs->service = svc;
	rs->host = display_host(c, h);
	rs->last_healthy_us = g->begin_us;
	rs->back_us = FL_TIME_UNKNOWN;
	/* the last word of the service before the stop */
	for (i = c->n_hev[h]; i-- > 0;) {
		size_t k = c->hev[h][i];
		int64_t t = etime(c, k);

		if (t == FL_TIME_UNKNOWN || t > g->begin_us)
			continue;
		if (t < g->begin_us - 6 * HOUR)
			break;
		if ((c->sig[k] == FL_SIG_SERVICE_DOWN ||
		    c->sig[k] == FL_SIG_SERVICE_FAILED) &&
		    service_match(event_service(c, k), svc) &&
		    t >= g->begin_us - 30 * MIN) {
			rs->last_healthy_us = t;
			break;
		}
	}
	if (g->end_us == FL_TIME_UNKNOWN)
		return;
	for (i = 0; i < c->n_hev[h]; i++) {
		size_t k = c->hev[h][i];
		int64_t t = etime(c, k);

		if (t == FL_TIME_UNKNOWN || t < g->end_us - MIN)
			continue;
		if (t > g->end_us + 24 * HOUR)
			break;
		if (c->sig[k] == FL_SIG_SERVICE_UP &&
		    service_match(event_service(c, k), svc)) {
			rs->back_us = t;
			break;
		}
	}
}

static int
cmp_rec_host(const void *va, const void *vb)
{
	const struct fl_recovery_host *a = va, *b = vb;

	return strcmp(a->host, b->host);
}

static int
cmp_rec_service(const void *va, const void *vb)
{
	const struct fl_recovery_service *a = va, *b = vb;
	int r = strcmp(a->host, b->host);

	return r ? r : strcmp(a->service, b->service);
}

static void
recovery(struct ctx *c)
{
	struct fl_report *r = c->r;
	size_t i, j, cap = 0;
	int64_t end = c->last_down;

	r->power_restored_us = c->power_restored;
	r->last_service_us = FL_TIME_UNKNOWN;
	if (!c->has_incident)
		return;
	r->rec_hosts = fl_xcalloc(c->n_inc_downs + 1, sizeof *r->rec_hosts);
	for (i = 0; i < c->n_downs; i++) {
		const struct down *d = &c->downs[i];
		const struct fl_gap *g = d->gap;
		uint32_t h = d->host;
		size_t before = r->n_rec_services;

		if (!is_inc_down(c, i))
			continue;
		r->rec_hosts[r->n_rec_hosts].host = display_host(c, h);
		r->rec_hosts[r->n_rec_hosts].down_us = g->begin_us;
		r->rec_hosts[r->n_rec_hosts].up_us = g->end_us;
		r->n_rec_hosts++;
		if (g->end_us != FL_TIME_UNKNOWN && g->end_us > end)
			end = g->end_us;
		if (c->inv[h] != NULL && c->inv[h]->n_services > 0) {
			for (j = 0; j < c->inv[h]->n_services; j++)
				add_service(c, c->inv[h]->services[j], h, g, &cap);
			continue;
		}
		if (g->end_us == FL_TIME_UNKNOWN)
			continue;
		for (j = 0; j < c->n_hev[h] && r->n_rec_services - before < 8;
		    j++) {
			size_t k = c->hev[h][j];
			int64_t t = etime(c, k);
			const char *svc;

			if (t == FL_TIME_UNKNOWN || t < g->end_us - MIN)
				continue;
			if (t > g->end_us + HOUR)
				break;
			svc = event_service(c, k);
			/* the unit's name when the line gives it, else what
			 * its description says */
			if (c->sig[k] == FL_SIG_SERVICE_UP && !plumbing_unit(svc) &&
			    (efield(c, k, "unit") == NULL ||
			    !plumbing_unit(efield(c, k, "unit"))))
				add_service(c, service_name(c, svc), h, g, &cap);
		}
	}
	qsort(r->rec_hosts, r->n_rec_hosts, sizeof *r->rec_hosts, cmp_rec_host);
	if (r->n_rec_services > 1)
		qsort(r->rec_services, r->n_rec_services,
		    sizeof *r->rec_services, cmp_rec_service);
	for (i = 0; i < r->n_rec_services; i++)
		if (r->rec_services[i].back_us != FL_TIME_UNKNOWN &&
		    (r->last_service_us == FL_TIME_UNKNOWN ||
		    r->rec_services[i].back_us > r->last_service_us))
			r->last_service_us = r->rec_services[i].back_us;
	if (r->last_service_us != FL_TIME_UNKNOWN && r->last_service_us > end)
		end = r->last_service_us;
	/* The incident ends when power comes back; without a record of
	 * that, when the last host or service is back. */
	c->inc_end = c->power_restored != FL_TIME_UNKNOWN &&
	    c->power_restored > c->first_down ? c->power_restored : end;
}

/* ------------------------------------------------------------------ */
/* Scoring and the verdict */

static const enum fl_cause hyp[FL_N_HYPOTHESES] = {
	FL_CAUSE_ACCIDENT, FL_CAUSE_SABOTAGE, FL_CAUSE_CYBERATTACK,
	FL_CAUSE_PLANNED, FL_CAUSE_NO_INCIDENT
};

static const char *
fid(const struct ctx *c, long fbi)
{
	if (fbi < 0 || (size_t)fbi >= c->n_fbs || c->fbs[fbi]->out == SIZE_MAX)
		return NULL;
	return c->r->findings[c->fbs[fbi]->out].id;
}

/* What evidence would separate two causes. */
static const char *
separator(const struct ctx *c, enum fl_cause a, enum fl_cause b)
{
	enum fl_cause x = a < b ? a : b, y = a < b ? b : a;

	if (x == FL_CAUSE_ACCIDENT && y == FL_CAUSE_SABOTAGE)
		return "PDU and UPS event logs naming who switched outlets or "
		    "outputs off, the BMC event logs of the hosts (AC lost "
		    "versus a commanded power-off) and door/badge logs";
	if (x == FL_CAUSE_ACCIDENT && y == FL_CAUSE_CYBERATTACK)
		return "authentication, sudo and audit logs of the hosts that "
		    "stopped for the hours before, and the BMCs' access logs";
	if (x == FL_CAUSE_ACCIDENT && y == FL_CAUSE_PLANNED)
		return "the last lines before each stop (an orderly shutdown "
		    "sequence and who asked for it) and the UPS/PDU logs";
	if (x == FL_CAUSE_SABOTAGE && y == FL_CAUSE_CYBERATTACK)
		return "how the account behind the power command logged in "
		    "(source address, earlier failures) and whether it was "
		    "used from outside before";
	if (x == FL_CAUSE_SABOTAGE && y == FL_CAUSE_PLANNED)
		return "a change record or announcement for the shutdown, and "
		    "whether the person who ran it was authorised";
	if (x == FL_CAUSE_CYBERATTACK && y == FL_CAUSE_PLANNED)
		return "how the account that shut the hosts down logged in "
		    "(source address, earlier failures, new account)";
	if (x == FL_CAUSE_SABOTAGE && y == FL_CAUSE_NO_INCIDENT &&
	    !c->has_incident && c->n_pact > 0)
		return "the logs of the servers on those outlets or outputs "
		    "(did they stop?), and a change ticket or maintenance "
		    "notice for the switching";
	if (y == FL_CAUSE_NO_INCIDENT && c->unseen_undated)
		return "server logs that can be read and dated (syslog, "
		    "journal, authentication logs) for the hours in question, "
		    "and the power devices' logs";
	if (y == FL_CAUSE_NO_INCIDENT && c->feat[FT_UNSEEN] > 0)
		return "the servers' authentication logs (auth.log, secure, "
		    "the journal) for the hours they are missing";
	if (x == FL_CAUSE_SABOTAGE && y == FL_CAUSE_NO_INCIDENT)
		return "power-device logs naming who switched what off, the "
		    "logs of the hosts those outlets or outputs feed (did they "
		    "stop?), and a change record for the switching";
	if (x == FL_CAUSE_CYBERATTACK && y == FL_CAUSE_NO_INCIDENT)
		return "authentication, sudo and audit logs for the hosts and "
		    "hours they are missing, and why logs stop with no reboot";
	if (y == FL_CAUSE_NO_INCIDENT)
		return "logs that cover the hosts' stops and restarts (boot "
		    "and unclean-recovery lines) and the power devices' logs";
	return "more logs from the hosts and power devices around the stop";
}

/* "2024-08-03 09:52:10 local (07:52:10Z)", the date left out when the
 * previous time given had the same one. */
static void
local_time(struct ctx *c, int64_t us, char *out, size_t outlen)
{
	char z[FL_TIME_STRLEN], l[FL_TIME_STRLEN], *p, *lt;
	int64_t off = c->o->site_zone ? (int64_t)fl_zone_offset_at(
	    c->o->site_zone, us / SEC) * SEC : 0;
	int64_t day = (us + off) / (24 * HOUR);

	tstr(z, us);
	tstr(l, us + off);
	l[strlen(l) - 1] = '\0';
	if ((p = strchr(l, 'T')) != NULL)
		*p = ' ';
	lt = day == c->day_shown && p != NULL ? p + 1 : l;
	c->day_shown = day;
	if (c->o->site_zone == NULL) {
		snprintf(out, outlen, "%sZ", lt);
		return;
	}
	p = strchr(z, 'T');
	snprintf(out, outlen, "%s local (%s)", lt, p ? p + 1 : z);
}

static void
list_str(struct fl_buf *b, const struct strset *s, size_t max)
{
	size_t i;

	for (i = 0; i < s->n && i < max; i++)
		fl_buf_printf(b, "%s%s", i ? ", " : "", s->v[i]);
	if (s->n > max)
		fl_buf_printf(b, " and %zu more", s->n - max);
}

static void
summary_recovery(struct ctx *c, struct fl_buf *b)
{
	struct fl_report *r = c->r;
	char t[96], d[64];
	size_t i, back = 0;

	for (i = 0; i < r->n_rec_hosts; i++)
		if (r->rec_hosts[i].up_us != FL_TIME_UNKNOWN)
			back++;
	if (r->power_restored_us != FL_TIME_UNKNOWN) {
		local_time(c, r->power_restored_us, t, sizeof t);
		fl_buf_printf(b, " Power returned at %s.", t);
	}
	if (r->n_rec_hosts)
		fl_buf_printf(b, " %zu of %zu host(s) came back.", back,
		    r->n_rec_hosts);
	if (r->last_service_us != FL_TIME_UNKNOWN) {
		for (i = 0; i < r->n_rec_services; i++)
			if (r->rec_services[i].back_us == r->last_service_us)
				break;
		local_time(c, r->last_service_us, t, sizeof t);
		fl_buf_printf(b, " The last service (%s on %s) was back at %s",
		    r->rec_services[i].service, r->rec_services[i].host, t);
		if (r->power_restored_us != FL_TIME_UNKNOWN &&
		    r->last_service_us >= r->power_restored_us) {
			dur(d, r->last_service_us - r->power_restored_us);
			fl_buf_printf(b, ", %s after power returned", d);
		}
		fl_buf_adds(b, ".");
	}
}

/* Clocks found in the wrong zone, said in the summary. */
static void
summary_clocks(struct ctx *c, struct fl_buf *b)
{
	size_t i;

	for (i = 0; i < c->n_doms; i++) {
		const struct dom *d = &c->doms[i];

		if (d->zone_us == 0 || d->fixed)
			continue;
		char a[16], z[16];

		offset_str(a, d->assumed_off_s);
		offset_str(z, d->assumed_off_s - (int32_t)(d->zone_us / SEC));
		fl_buf_printf(b, " %s%s logs %s, not %s (%s) as assumed: its "
		    "times were moved by %+" PRId64 " h.", hname(c, d->host),
		    d->dev && c->kind[d->host] == FL_HOST_SERVER ?
		    "'s BMC log" : "", z,
		    c->ev->hosts[d->host].zone, a, d->zone_us / HOUR);
	}
}

static void
summary_noise(struct ctx *c, struct fl_buf *b)
{
	size_t i;

	for (i = 0; i < c->n_fbs; i++)
		if (c->fbs[i]->noise && c->fbs[i]->out != SIZE_MAX)
			fl_buf_printf(b, " Noise, not a cause: %s.",
			    c->fbs[i]->title);
}

/* With no incident: tampering found and what no log could show. */
static void
summary_unseen(struct ctx *c, struct fl_buf *b)
{
	if (c->has_incident)
		return;
	if (c->feat[FT_HUMAN_POWER] > 0)
		fl_buf_printf(b, " A power command was found all the same: %s [%s].",
		    c->feat_note[FT_HUMAN_POWER],
		    fid(c, c->feat_fb[FT_HUMAN_POWER]));
	if (c->feat[FT_TAMPER] > 0)
		fl_buf_printf(b, " Tampering was found all the same: %s [%s]%s.",
		    c->feat_note[FT_TAMPER], fid(c, c->feat_fb[FT_TAMPER]),
		    c->n_holes > 1 ? astr(c, " and %zu more hole(s) in the "
		    "logs", c->n_holes - 1) : "");
	if (c->feat[FT_UNSEEN] > 0)
		fl_buf_printf(b, " %c%s.", toupper((unsigned char)
		    c->feat_note[FT_UNSEEN][0]), c->feat_note[FT_UNSEEN] + 1);
}

/* An intrusion that did not cause the outage is still one, and a benign
 * cause must not hide it. */
static void
summary_compromise(struct ctx *c, struct fl_buf *b)
{
	if (c->feat[FT_INTRUSION] >= 0.5)
		fl_buf_printf(b, " A compromise was found all the same: %s "
		    "[%s].", c->feat_note[FT_INTRUSION],
		    fid(c, c->feat_fb[FT_INTRUSION]));
}

static void
summary(struct ctx *c, enum fl_cause cause)
{
	struct fl_buf b = {0};
	char t[96], span[64];
	size_t i;

	if (c->has_incident && c->last_down - c->first_down < MIN)
		snprintf(span, sizeof span, "a minute");
	else if (c->has_incident)
		dur(span, c->last_down - c->first_down);
	switch (cause) {
	case FL_CAUSE_ACCIDENT: {
		char t2[96];

		if (c->episode_ev != FL_NO_EVENT) {
			size_t k = c->episode_ev;
			uint32_t h = c->ev->events[k].host;

			local_time(c, etime(c, k), t, sizeof t);
			if (is_mains_lost(c->sig[k]) &&
			    c->kind[h] == FL_HOST_DEVICE)
				fl_buf_printf(&b, "Mains power was lost at %s at "
				    "%s.", hname(c, h), t);
			else if (is_mains_lost(c->sig[k]))
				fl_buf_printf(&b, "Mains power loss was reported "
				    "by %s at %s.", hname(c, h), t);
			else {
				const char *what = power_title(c, c->sig[k],
				    c->kind[h] == FL_HOST_DEVICE ? hname(c, h) :
				    NULL, 1);

				fl_buf_printf(&b, "%c%s at %s.",
				    toupper((unsigned char)what[0]), what + 1, t);
			}
		} else {
			local_time(c, c->first_down, t, sizeof t);
			fl_buf_printf(&b, "Power was lost at %s.", t);
		}
		local_time(c, c->first_down, t, sizeof t);
		if (c->last_down - c->first_down < MIN) {
			fl_buf_printf(&b, " %zu host(s) stopped at %s",
			    c->affected.n, t);
		} else {
			local_time(c, c->last_down, t2, sizeof t2);
			fl_buf_printf(&b, " %zu host(s) stopped between %s and "
			    "%s (%s)", c->affected.n, t, t2, span);
		}
		if (c->feat[FT_UPS_SHUTDOWN] > 0)
			fl_buf_printf(&b, ", %.0f%% of them on the UPS daemon's "
			    "order", 100 * c->feat[FT_UPS_SHUTDOWN]);
		if (c->feat[FT_ABRUPT] > 0)
			fl_buf_printf(&b, ", %.0f%% abruptly",
			    100 * c->feat[FT_ABRUPT]);
		fl_buf_adds(&b, ".");
		if (c->feat[FT_AC_LOST] > 0)
			fl_buf_printf(&b, " %s.", c->feat_note[FT_AC_LOST]);
		if (c->feat[FT_TOPO_MATCH] > 0)
			fl_buf_printf(&b, " %c%s.", toupper((unsigned char)
			    c->topo_note[0]), c->topo_note + 1);
		{
			const char *no[3];
			size_t nn = 0, k;

			if (c->feat[FT_HUMAN_POWER] == 0)
				no[nn++] = "power command by a person";
			if (c->feat[FT_INTRUSION] < 0.5)
				no[nn++] = "intrusion";
			if (c->feat[FT_TAMPER] == 0)
				no[nn++] = "tampering";
			for (k = 0; k < nn; k++)
				fl_buf_printf(&b, "%s%s", k == 0 ? " No " :
				    k + 1 == nn ? " or " : ", ", no[k]);
			if (nn)
				fl_buf_adds(&b, " was found.");
		}
		summary_compromise(c, &b);
		break;
	}
	case FL_CAUSE_SABOTAGE:
	case FL_CAUSE_CYBERATTACK:
		if (cause == FL_CAUSE_CYBERATTACK && c->feat_note[FT_INTRUSION]) {
			local_time(c, c->intrusion_start, t, sizeof t);
			fl_buf_printf(&b, "Intrusion from %s: %s.", t,
			    c->feat_note[FT_INTRUSION]);
		}
		if (cause == FL_CAUSE_CYBERATTACK &&
		    c->feat[FT_BMC_COMPROMISE] > 0)
			fl_buf_printf(&b, "%sThe management interfaces (BMC) "
			    "were attacked.", b.len ? " " : "");
		if (c->n_pact > 0) {
			local_time(c, etime(c, c->pact[0].ev), t, sizeof t);
			fl_buf_printf(&b, "%sAt %s power was cut by command (%s",
			    b.len ? " " : "", t, fl_sig_name(c->pact[0].sig));
			if (c->pact[0].device)
				fl_buf_printf(&b, " at %s", c->pact[0].device);
			if (c->pact[0].user)
				fl_buf_printf(&b, " by '%s'", c->pact[0].user);
			if (c->pact[0].src_ip)
				fl_buf_printf(&b, " from %s", c->pact[0].src_ip);
			fl_buf_adds(&b, ").");
		} else if (c->has_incident) {
			local_time(c, c->first_down, t, sizeof t);
			fl_buf_printf(&b, "%sHosts began to stop at %s.",
			    b.len ? " " : "", t);
		}
		if (c->has_incident)
			fl_buf_printf(&b, " %zu host(s) stopped within %s.",
			    c->affected.n, span);
		else
			fl_buf_adds(&b, " No host in the evidence was seen to "
			    "stop: those it fed may not be in it.");
		if (c->feat[FT_TOPO_MISMATCH] > 0)
			fl_buf_printf(&b, " %c%s.", toupper((unsigned char)
			    c->topo_note[0]), c->topo_note + 1);
		if (c->feat[FT_PHYSICAL] > 0)
			fl_buf_adds(&b, " Physical access was recorded shortly "
			    "before.");
		if (c->feat[FT_TAMPER] > 0)
			fl_buf_adds(&b, " Logs were tampered with.");
		if (c->feat[FT_DESTRUCTIVE] > 0)
			fl_buf_adds(&b, " Destructive commands were run.");
		if (c->feat[FT_MAINS_FAULT] == 0)
			fl_buf_adds(&b, " No utility, UPS or PDU fault was "
			    "recorded.");
		if (cause == FL_CAUSE_SABOTAGE && c->feat[FT_INTRUSION] < 0.5)
			fl_buf_adds(&b, " No intrusion from outside was found.");
		break;
	case FL_CAUSE_PLANNED: {
		struct strset users = {0};
		char t2[96];

		for (i = 0; i < c->n_downs; i++)
			if (is_inc_down(c, i))
				ss_add(&users, c->downs[i].gap->requested_by);
		ss_sort(&users);
		local_time(c, c->first_down, t, sizeof t);
		local_time(c, c->last_down, t2, sizeof t2);
		fl_buf_printf(&b, "%zu host(s) were shut down in an orderly way "
		    "between %s and %s", c->affected.n, t, t2);
		if (users.n) {
			fl_buf_adds(&b, " on request of ");
			list_str(&b, &users, 5);
		}
		if (c->feat[FT_STAGGERED] > 0)
			fl_buf_adds(&b, ", one at a time");
		fl_buf_adds(&b, ". No power-device fault was recorded.");
		summary_compromise(c, &b);
		ss_free(&users);
		break;
	}
	case FL_CAUSE_NO_INCIDENT:
		fl_buf_adds(&b, "No site outage: no hosts stopped together.");
		if (c->feat[FT_ROUTINE] > 0)
			fl_buf_printf(&b, " %c%s.", toupper((unsigned char)
			    c->feat_note[FT_ROUTINE][0]),
			    c->feat_note[FT_ROUTINE] + 1);
		summary_unseen(c, &b);
		break;
	case FL_CAUSE_INCONCLUSIVE:
		break;
	}
	summary_clocks(c, &b);
	if (cause != FL_CAUSE_NO_INCIDENT)
		summary_recovery(c, &b);
	summary_noise(c, &b);
	c->r->summary = fl_arena_strdup(c->r->arena, b.data ? b.data : "");
	fl_buf_free(&b);
}

struct contrib {
	enum feat f;
	double v;
};

static int
cmp_contrib(const void *va, const void *vb)
{
	const struct contrib *a = va, *b = vb;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return a->f < b->f ? -1 : a->f > b->f;
}

static const char *
contrib_str(struct ctx *c, enum feat f, double v)
{
	const char *id = fid(c, c->feat_fb[f]);

	return astr(c, "%s %+.2f: %s%s%s%s", weights[f].name, v,
	    c->feat_note[f] ? c->feat_note[f] : weights[f].meaning,
	    id ? " [" : "", id ? id : "", id ? "]" : "");
}

static void
decide(struct ctx *c)
{
	struct fl_report *r = c->r;
	double sc[FL_N_HYPOTHESES], p[FL_N_HYPOTHESES], sum = 0, mx;
	size_t order[FL_N_HYPOTHESES], i, j, h;
	struct contrib ct[FT_COUNT];
	enum fl_cause cause;
	struct strset reasons = {0};
	int unseen_only;

	for (h = 0; h < FL_N_HYPOTHESES; h++) {
		sc[h] = 0;
		for (i = 0; i < FT_COUNT; i++)
			sc[h] += c->feat[i] * weights[i].w[h];
		order[h] = h;
	}
	for (i = 1; i < FL_N_HYPOTHESES; i++)
		for (j = i; j > 0 && sc[order[j]] > sc[order[j - 1]]; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	mx = sc[order[0]];
	for (h = 0; h < FL_N_HYPOTHESES; h++)
		sum += p[h] = exp((sc[h] - mx) / SCORE_TEMPERATURE);
	for (h = 0; h < FL_N_HYPOTHESES; h++) {
		struct fl_report_score *s = &r->scores[h];
		size_t nf = 0, na = 0;

		p[h] /= sum;
		s->cause = hyp[h];
		s->score = sc[h];
		s->probability = p[h];
		s->for_ = fl_arena_alloc(r->arena, FT_COUNT * sizeof *s->for_);
		s->against = fl_arena_alloc(r->arena,
		    FT_COUNT * sizeof *s->against);
		for (i = 0; i < FT_COUNT; i++) {
			double v = c->feat[i] * weights[i].w[h];

			ct[i].f = (enum feat)i;
			ct[i].v = v;
		}
		qsort(ct, FT_COUNT, sizeof *ct, cmp_contrib);
		for (i = 0; i < FT_COUNT; i++) {
			if (ct[i].v > 0)
				s->for_[nf++] = contrib_str(c, ct[i].f, ct[i].v);
		}
		for (i = FT_COUNT; i-- > 0;)
			if (ct[i].v < 0)
				s->against[na++] = contrib_str(c, ct[i].f,
				    ct[i].v);
		s->n_for = nf;
		s->n_against = na;
	}
	cause = hyp[order[0]];
	if (sc[order[0]] - sc[order[1]] < INCONCLUSIVE_MARGIN ||
	    sc[order[0]] < MIN_WINNING_SCORE)
		cause = FL_CAUSE_INCONCLUSIVE;
	/* Power switched off with no host seen to stop shows no harm: it
	 * may lead, against no incident, but not decide. */
	if (hyp[order[0]] == FL_CAUSE_SABOTAGE && !c->has_incident &&
	    c->n_pact > 0) {
		cause = FL_CAUSE_INCONCLUSIVE;
		for (i = 1; hyp[order[i]] != FL_CAUSE_NO_INCIDENT; i++)
			;
		order[1] = order[i];
	}
	c->lead = hyp[order[0]];
	c->rival = hyp[order[1]];
	r->cause = cause;
	r->confidence = floor(p[order[0]] * 100 + 0.5) / 100;
	/* Reasons: what carried the leading cause, then the noise. */
	for (i = 0; i < FT_COUNT; i++) {
		ct[i].f = (enum feat)i;
		ct[i].v = c->feat[i] * weights[i].w[order[0]];
	}
	qsort(ct, FT_COUNT, sizeof *ct, cmp_contrib);
	for (i = 0; i < FT_COUNT && reasons.n < 8; i++)
		if (ct[i].v > 0)
			ss_add(&reasons, contrib_str(c, ct[i].f, ct[i].v));
	for (i = 0; i < c->n_fbs; i++)
		if (c->fbs[i]->noise && c->fbs[i]->out != SIZE_MAX)
			ss_add(&reasons, astr(c, "not a cause: %s [%s]",
			    c->fbs[i]->title, fid(c, (long)i)));
	/* Nothing speaks for any cause but no-incident, and not enough for
	 * it: the runner-up is only the first of the causes with nothing for
	 * them, and is not named. */
	unseen_only = cause == FL_CAUSE_INCONCLUSIVE &&
	    c->lead == FL_CAUSE_NO_INCIDENT && sc[order[1]] <= 0;
	if (unseen_only) {
		r->separate = astr(c, "no-incident (%.2f) is too weak to decide: "
		    "no incident was found, and too little of the evidence "
		    "could show one; what would: %s", sc[order[0]],
		    separator(c, c->lead, c->rival));
		ss_add(&reasons, r->separate);
	} else if (cause == FL_CAUSE_INCONCLUSIVE) {
		r->separate = astr(c, "%s (%.2f) and %s (%.2f) %s; what would "
		    "separate them: %s", fl_cause_name(c->lead), sc[order[0]],
		    fl_cause_name(c->rival), sc[order[1]],
		    sc[order[0]] - sc[order[1]] < INCONCLUSIVE_MARGIN ||
		    sc[order[0]] < MIN_WINNING_SCORE ? "are too close" :
		    "cannot be told apart while no host is seen to stop",
		    separator(c, c->lead, c->rival));
		ss_add(&reasons, r->separate);
	}
	r->n_reasons = reasons.n;
	r->reasons = fl_arena_alloc(r->arena, (reasons.n + 1) *
	    sizeof *r->reasons);
	if (reasons.n)
		memcpy(r->reasons, reasons.v, reasons.n * sizeof *r->reasons);
	ss_free(&reasons);
	/* Actors: for a person's or an intruder's act only. */
	if (cause == FL_CAUSE_CYBERATTACK || (cause == FL_CAUSE_INCONCLUSIVE &&
	    hyp[order[0]] == FL_CAUSE_CYBERATTACK)) {
		ss_sort(&c->att_users);
		ss_sort(&c->att_ips);
		ss_sort(&c->att_devices);
		r->users = c->att_users.v;
		r->n_users = c->att_users.n;
		r->src_ips = c->att_ips.v;
		r->n_src_ips = c->att_ips.n;
		r->devices = c->att_devices.v;
		r->n_devices = c->att_devices.n;
		r->entry_host = c->entry_host;
	} else if (cause == FL_CAUSE_SABOTAGE ||
	    (cause == FL_CAUSE_INCONCLUSIVE &&
	    hyp[order[0]] == FL_CAUSE_SABOTAGE)) {
		ss_sort(&c->actor_users);
		ss_sort(&c->actor_ips);
		ss_sort(&c->actor_devices);
		r->users = c->actor_users.v;
		r->n_users = c->actor_users.n;
		r->src_ips = c->actor_ips.v;
		r->n_src_ips = c->actor_ips.n;
		r->devices = c->actor_devices.v;
		r->n_devices = c->actor_devices.n;
	}
	if (cause != FL_CAUSE_INCONCLUSIVE) {
		summary(c, cause);
	} else {
		struct fl_buf b = {0};

		if (unseen_only)
			fl_buf_printf(&b, "No incident was found, but too "
			    "little of the evidence could show one to rule one "
			    "out. What would: %s.",
			    separator(c, c->lead, c->rival));
		else
			fl_buf_printf(&b, "The evidence does not separate %s "
			    "from %s. What would: %s.", fl_cause_name(c->lead),
			    fl_cause_name(c->rival),
			    separator(c, c->lead, c->rival));
		if (c->has_incident) {
			char t[96];

			local_time(c, c->first_down, t, sizeof t);
			fl_buf_printf(&b, " %zu host(s) began to stop at %s.",
			    c->affected.n, t);
		}
		summary_compromise(c, &b);
		summary_unseen(c, &b);
		summary_recovery(c, &b);
		summary_noise(c, &b);
		r->summary = fl_arena_strdup(r->arena, b.data);
		fl_buf_free(&b);
	}
}

/* ------------------------------------------------------------------ */
/* Ruled out: the checks behind each cause not chosen, with coverage */

struct span {
	int64_t a, b;
};

static int
cmp_span(const void *va, const void *vb)
{
	const struct span *x = va, *y = vb;

	return x->a < y->a ? -1 : x->a > y->a;
}

static void
add_span(struct span **v, size_t *n, size_t *cap, int64_t a, int64_t b)
{
	if (a == FL_TIME_UNKNOWN || b == FL_TIME_UNKNOWN || b < a)
		return;
	FL_GROW(*v, *cap, *n + 1);
	(*v)[*n].a = a;
	(*v)[*n].b = b;
	(*n)++;
}

static int
auth_stream_name(const char *name)
{
	return strncmp(name, "auth", 4) == 0 || strncmp(name, "secure", 6) == 0
	    || strstr(name, "journal") != NULL || strncmp(name, "audit", 5) == 0
	    || strstr(name, "auth.log") != NULL;
}

/* Spans during which host h's authentication events were recorded. */
static size_t
auth_spans(const struct ctx *c, uint32_t h, struct span **out)
{
	struct span *v = NULL;
	size_t n = 0, cap = 0, i;
	unsigned char *done = fl_xcalloc(c->ev->n_streams + 1, 1);
	int64_t sk = c->ev->hosts[h].skew_us;

	for (i = 0; i < c->ev->n_streams; i++) {
		const struct fl_stream_rec *s = &c->ev->streams[i];

		/* the journal holds the authentication lines too */
		if (s->host == h && (auth_stream_name(s->name) ||
		    s->format == FL_FMT_JOURNAL_JSON)) {
			done[i] = 1;
			add_span(&v, &n, &cap, s->first_us == FL_TIME_UNKNOWN ?
			    s->first_us : s->first_us + sk,
			    s->last_us == FL_TIME_UNKNOWN ? s->last_us :
			    s->last_us + sk);
		}
	}
	for (i = 0; i < c->n_hev[h]; i++) {
		size_t k = c->hev[h][i];
		const struct fl_stream_rec *s;
		uint32_t si = c->ev->events[k].stream;

		if (done[si] || !(is_fail(c->sig[k]) || is_success(c->sig[k]) ||
		    c->sig[k] == FL_SIG_PRIV_ESCALATION))
			continue;
		done[si] = 1;
		s = &c->ev->streams[si];
		add_span(&v, &n, &cap, s->first_us == FL_TIME_UNKNOWN ?
		    s->first_us : s->first_us + sk,
		    s->last_us == FL_TIME_UNKNOWN ? s->last_us : s->last_us + sk);
	}
	free(done);
	*out = v;
	return n;
}

/* Is host h's BMC event log in the evidence? */
static int
has_sel(const struct ctx *c, uint32_t h)
{
	size_t i;

	for (i = 0; i < c->ev->n_streams; i++)
		if (c->ev->streams[i].host == h &&
		    (c->ev->streams[i].format == FL_FMT_SEL ||
		    c->ev->streams[i].format == FL_FMT_SEL_CSV))
			return 1;
	return c->o->inv != NULL && c->inv[h] != NULL && c->inv[h]->bmc != NULL
	    && fl_evidence_host(c->ev, c->inv[h]->bmc) >= 0;
}

/* Can host h's own logs show its chassis opened or its power button: a BMC
 * event log, or logind lines (the power key)? */
static int
machine_logged(const struct ctx *c, uint32_t h)
{
	size_t i;

	if (has_sel(c, h))
		return 1;
	for (i = 0; i < c->n_hev[h]; i++)
		if (strcmp(c->ev->events[c->hev[h][i]].program,
		    "systemd-logind") == 0)
			return 1;
	return 0;
}

struct coverage {
	int64_t lo, hi;            /* the window looked at */
	size_t servers, with_auth;
	struct strset no_auth;     /* host names */
	const char **partial;      /* "no auth logs for h between a and b" */
	size_t n_partial, cap_partial;
	size_t devices, devices_in; /* power devices: UPS, PDU, ATS ... */
	size_t doors, doors_in;    /* badge and door readers */
	size_t machines, machines_in; /* hosts, those whose logs show their
	                              * chassis or power button */
	size_t sel_hosts;
	struct strset no_sel;      /* affected hosts without a BMC log */
	int64_t window_us;         /* servers × the window */
	int64_t unseen_us;         /* of which with no authentication log */
};

static void
coverage(struct ctx *c, struct coverage *cv)
{
	size_t h, i, j;
	int64_t wlo;

	memset(cv, 0, sizeof *cv);
	cv->lo = cv->hi = FL_TIME_UNKNOWN;
	for (h = 0; h < c->ev->n_hosts; h++) {
		const struct fl_host_rec *hr = &c->ev->hosts[h];

		if (hr->first_us == FL_TIME_UNKNOWN)
			continue;
		if (cv->lo == FL_TIME_UNKNOWN || hr->first_us < cv->lo)
			cv->lo = hr->first_us;
		if (cv->hi == FL_TIME_UNKNOWN || hr->last_us + MIN > cv->hi)
			cv->hi = hr->last_us + MIN;
	}
	if (c->has_incident) {
		if (cv->lo < c->inc_start - 24 * HOUR)
			cv->lo = c->inc_start - 24 * HOUR;
		cv->hi = c->inc_end > c->last_down ? c->inc_end : c->last_down;
	}
	/* What was not seen is counted from the first server line: a
	 * device's weeks of history are not hours the servers missed. */
	wlo = FL_TIME_UNKNOWN;
	for (h = 0; h < c->ev->n_hosts; h++)
		if (c->kind[h] == FL_HOST_SERVER &&
		    c->ev->hosts[h].first_us != FL_TIME_UNKNOWN &&
		    (wlo == FL_TIME_UNKNOWN || c->ev->hosts[h].first_us < wlo))
			wlo = c->ev->hosts[h].first_us;
	if (wlo == FL_TIME_UNKNOWN || wlo < cv->lo)
		wlo = cv->lo;
	for (h = 0; h < c->ev->n_hosts; h++) {
		struct span *sp = NULL;
		size_t n, cap;
		int64_t at;
		int any = 0;

		if (c->kind[h] == FL_HOST_DEVICE) {
			const struct fl_host_rec *hr = &c->ev->hosts[h];
			int door = door_reader(c, (uint32_t)h);
			int in = hr->first_us != FL_TIME_UNKNOWN &&
			    hr->first_us <= cv->hi && hr->last_us + MIN >= cv->lo;

			if (door) {
				cv->doors++;
				cv->doors_in += in;
			} else {
				cv->devices++;
				cv->devices_in += in;
			}
			continue;
		}
		if (c->kind[h] != FL_HOST_SERVER)
			continue;
		if (!c->has_incident) {
			cv->machines++;
			cv->machines_in += machine_logged(c, (uint32_t)h);
		}
		cv->servers++;
		if (cv->hi > wlo)
			cv->window_us += cv->hi - wlo;
		n = auth_spans(c, (uint32_t)h, &sp);
		cap = n;
		for (i = 0; i < n; i++)
			if (sp[i].a <= cv->hi && sp[i].b >= cv->lo)
				any = 1;
		if (!any) {
			ss_add(&cv->no_auth, hname(c, (uint32_t)h));
			if (cv->hi > wlo)
				cv->unseen_us += cv->hi - wlo;
			free(sp);
			continue;
		}
		cv->with_auth++;
		/* the host was down: nobody logged in */
		for (j = 0; j < c->lanes->v[h].n_gaps; j++) {
			const struct fl_gap *g = &c->lanes->v[h].gaps[j];

			if (g->ended != FL_ENDED_RESUMED)
				add_span(&sp, &n, &cap, g->begin_us,
				    g->end_us == FL_TIME_UNKNOWN ? cv->hi :
				    g->end_us);
		}
		qsort(sp, n, sizeof *sp, cmp_span);
		at = cv->lo;
		for (i = 0; i <= n; i++) {
			int64_t next = i < n ? sp[i].a : cv->hi;

			if (next > cv->hi)
				next = cv->hi;
			if (next - at >= 30 * MIN) {
				char a[FL_TIME_STRLEN], b[FL_TIME_STRLEN];

				if (next > wlo)
					cv->unseen_us += next - (at > wlo ? at :
					    wlo);
				tstr(a, at);
				tstr(b, next);
				FL_GROW(cv->partial, cv->cap_partial,
				    cv->n_partial + 1);
				cv->partial[cv->n_partial++] = astr(c, "no "
				    "authentication logs for %s between %s and "
				    "%s: an intrusion there cannot be excluded",
				    hname(c, (uint32_t)h), a, b);
			}
			if (i < n && sp[i].b > at)
				at = sp[i].b;
		}
		free(sp);
	}
	for (i = 0; i < c->affected.n; i++) {
		long hh = fl_evidence_host(c->ev, c->affected.v[i]);

		if (c->has_incident)
			cv->machines++;
		if (hh < 0)
			continue;
		if (has_sel(c, (uint32_t)hh))
			cv->sel_hosts++;
		else
			ss_add(&cv->no_sel, c->affected.v[i]);
		if (c->has_incident)
			cv->machines_in += machine_logged(c, (uint32_t)hh);
	}
	ss_sort(&cv->no_auth);
	ss_sort(&cv->no_sel);
}

static void
coverage_free(struct coverage *cv)
{
	ss_free(&cv->no_auth);
	ss_free(&cv->no_sel);
	free(cv->partial);
}

/* With no incident, what the evidence could not see weighs against
 * "nothing happened": a quiet report on logs that are not there is not a
 * finding. */
static void
unseen(struct ctx *c)
{
	struct coverage cv;
	double share;
	size_t h, dated = 0;

	coverage(c, &cv);
	for (h = 0; h < c->ev->n_hosts; h++)
		if (c->kind[h] == FL_HOST_SERVER &&
		    c->ev->hosts[h].first_us != FL_TIME_UNKNOWN)
			dated++;
	c->unseen_undated = cv.servers == 0 || dated == 0;
	if (cv.servers == 0) {
		set_feat(c, FT_UNSEEN, 1, NULL, "no server logs in the "
		    "evidence: nothing shows whether hosts stopped or were "
		    "entered");
	} else if (dated == 0) {
		set_feat(c, FT_UNSEEN, 1, NULL, astr(c, "no line of the %zu "
		    "server(s) could be parsed and dated: nothing shows "
		    "whether hosts stopped or were entered", cv.servers));
	} else if (cv.window_us > 0 && cv.unseen_us > 0) {
		share = (double)cv.unseen_us / (double)cv.window_us;
		if (share >= 0.05)
			set_feat(c, FT_UNSEEN, share, NULL, astr(c,
			    "no authentication logs for %.0f%% of the hours of "
			    "the %zu server(s)%s: an intrusion there "
			    "cannot be seen", 100 * share, cv.servers,
			    cv.no_auth.n ? astr(c, " (%zu with none at all)",
			    cv.no_auth.n) : ""));
	}
	coverage_free(&cv);
}

struct ro_build {
	struct fl_report_check *checks;
	size_t n, cap;
	const char **gaps;
	size_t n_gaps, cap_gaps;
};

static void
ro_check(struct ctx *c, struct ro_build *b, const char *check, size_t cov,
    size_t tot, int64_t lo, int64_t hi, const char *result)
{
	/* A check no host's logs could answer rules nothing out. */
	if (cov == 0 && strncmp(result, "found", 5) != 0 &&
	    strncmp(result, "not ", 4) != 0) {
		int why = strncmp(result, "none", 4) != 0;

		result = astr(c, "not checked: %s%s%s", tot == 0 ? "nothing in "
		    "the evidence could show it" : astr(c, "none of the %zu "
		    "host(s) has the logs it needs", tot), why ? "; " : "",
		    why ? result : "");
	}
	FL_GROW(b->checks, b->cap, b->n + 1);
	b->checks[b->n].check = check;
	b->checks[b->n].hosts_covered = cov;
	b->checks[b->n].hosts_total = tot;
	b->checks[b->n].from_us = lo;
	b->checks[b->n].to_us = hi;
	b->checks[b->n].result = result;
	b->n++;
}

static void
ro_gap(struct ro_build *b, const char *g)
{
	FL_GROW(b->gaps, b->cap_gaps, b->n_gaps + 1);
	b->gaps[b->n_gaps++] = g;
}

static const char *
feat_result(struct ctx *c, enum feat f, const char *none)
{
	const char *id = fid(c, c->feat_fb[f]);

	if (c->feat[f] <= 0)
		return none;
	return astr(c, "found: %s%s%s%s", c->feat_note[f] ? c->feat_note[f] :
	    weights[f].meaning, id ? " [" : "", id ? id : "", id ? "]" : "");
}

/* With no incident: the power-device records found all the same (power
 * commands aside, which the sabotage checks report), no host seen to stop
 * with them; else none. */
static const char *
power_found(struct ctx *c, const char *none)
{
	size_t i, n = 0;
	long first = -1;

	if (c->has_incident)
		return none;
	for (i = 0; i < c->n_fbs; i++) {
		const struct fb *f = c->fbs[i];

		if (f->noise || f->out == SIZE_MAX || f->category == NULL ||
		    strcmp(f->category, "power") != 0 || (f->signal != NULL &&
		    strcmp(f->signal, "power_command") == 0))
			continue;
		if (first < 0)
			first = (long)i;
		n++;
	}
	if (first < 0)
		return none;
	return astr(c, "found: %s [%s]%s; no host was seen to stop with it",
	    c->fbs[first]->title, fid(c, first), n > 1 ? astr(c, " and %zu "
	    "more power record(s)", n - 1) : "");
}

/* What the tampering checks found: holes far from the stop are reported
 * but not weighed, and said so. */
static const char *
tamper_result(struct ctx *c, enum feat other)
{
	const char *id = fid(c, c->hole_fb);

	if (c->feat[FT_TAMPER] > 0)
		return feat_result(c, FT_TAMPER, "none");
	if (other != FT_COUNT && c->feat[other] > 0)
		return feat_result(c, other, "none");
	if (c->n_holes > 0 && id != NULL)
		return astr(c, "%zu hole(s) in the logs with no reboot [%s], "
		    "more than a day before the stop: reported, not weighed",
		    c->n_holes, id);
	return "none";
}

static const char *
hostlist(struct ctx *c, const struct strset *s)
{
	struct fl_buf b = {0};
	const char *r;

	list_str(&b, s, 8);
	r = fl_arena_strdup(c->r->arena, b.data ? b.data : "");
	fl_buf_free(&b);
	return r;
}

static void
ruled_out(struct ctx *c)
{
	struct fl_report *r = c->r;
	struct coverage cv;
	size_t h, i, n_ro = 0, noise_attempts = 0, noise_ips = 0;
	size_t n_aff = c->affected.n;
	enum fl_cause keep[2] = {FL_CAUSE_INCONCLUSIVE, FL_CAUSE_INCONCLUSIVE};
	size_t n_keep = 0;

	coverage(c, &cv);
	for (i = 0; i < c->n_srcs; i++)
		if (!c->srcs[i].attacker && c->srcs[i].succ == 0 &&
		    c->srcs[i].fails + c->srcs[i].scans > 0) {
			noise_ips++;
			noise_attempts += c->srcs[i].fails + c->srcs[i].scans;
		}
	if (r->cause == FL_CAUSE_INCONCLUSIVE) {
		/* the two in contention are not ruled out */
		keep[n_keep++] = c->lead;
		keep[n_keep++] = c->rival;
	} else {
		keep[n_keep++] = r->cause;
	}
	r->ruled_out = fl_xcalloc(FL_N_HYPOTHESES, sizeof *r->ruled_out);
	for (h = 0; h < FL_N_HYPOTHESES; h++) {
		struct ro_build b;
		struct fl_report_ruled_out *ro;
		enum fl_cause cz = hyp[h];

		if (cz == keep[0] || (n_keep > 1 && cz == keep[1]))
			continue;
		memset(&b, 0, sizeof b);
		switch (cz) {
		case FL_CAUSE_ACCIDENT:
			ro_check(c, &b, "power-device logs (UPS, PDU, ATS, "
			    "generator): utility loss, UPS fault or exhaustion, "
			    "PDU input loss, breaker trip", cv.devices_in,
			    cv.devices, cv.lo, cv.hi,
			    feat_result(c, FT_MAINS_FAULT, c->has_incident ?
			    "none before the hosts stopped" :
			    power_found(c, "none")));
			ro_check(c, &b, "BMC event logs: power supplies lost AC",
			    cv.sel_hosts, n_aff, cv.lo, cv.hi,
			    feat_result(c, FT_AC_LOST, "none"));
			ro_check(c, &b, "the topology: do the hosts that stopped "
			    "share a feed, UPS or PDU", c->o->inv ? n_aff : 0,
			    n_aff, cv.lo, cv.hi, c->topo_note ? c->topo_note :
			    c->o->inv ? "not tested (fewer than two hosts "
			    "stopped)" : "not checked: no inventory given");
			if (cv.devices == 0)
				ro_gap(&b, "no UPS or PDU logs in the evidence: a "
				    "fault upstream of the servers cannot be "
				    "excluded");
			if (cv.no_sel.n && c->has_incident)
				ro_gap(&b, astr(c, "no BMC logs for %s: AC loss at "
				    "their power supplies cannot be checked",
				    hostlist(c, &cv.no_sel)));
			break;
		case FL_CAUSE_SABOTAGE:
			ro_check(c, &b, "power commands: outlet or UPS output off, "
			    "EPO, BMC power-off, ipmitool/upscmd, forced "
			    "shutdown", cv.devices_in + cv.with_auth,
			    cv.devices + cv.servers, cv.lo, cv.hi,
			    feat_result(c, FT_HUMAN_POWER, c->has_incident ?
			    "none before the hosts stopped" : "none"));
			ro_check(c, &b, "physical access: badges and doors",
			    cv.doors_in, cv.doors, cv.lo, cv.hi,
			    c->phys_door ? feat_result(c, FT_PHYSICAL, "none") :
			    cv.doors == 0 ? "not checked: no badge or door logs" :
			    "none");
			ro_check(c, &b, "at the machines: chassis opened, power "
			    "button (BMC event logs, logind)", cv.machines_in,
			    cv.machines, cv.lo, cv.hi, c->phys_machine ?
			    feat_result(c, FT_PHYSICAL, "none") : "none");
			ro_check(c, &b, "destruction and tampering by a local user",
			    cv.with_auth, cv.servers, cv.lo, cv.hi,
			    tamper_result(c, FT_DESTRUCTIVE));
			if (cv.devices == 0)
				ro_gap(&b, "no PDU or UPS logs: outlets or outputs "
				    "switched off by a person cannot be excluded");
			break;
		case FL_CAUSE_CYBERATTACK:
			ro_check(c, &b, "authentication: brute force then success, "
			    "logins from new sources", cv.with_auth, cv.servers,
			    cv.lo, cv.hi, c->feat[FT_INTRUSION] > 0 ?
			    feat_result(c, FT_INTRUSION, "") :
			    noise_ips ? astr(c, "%zu failed attempts from %zu "
			    "address(es), none of which ever logged in: noise",
			    noise_attempts, noise_ips) : "none");
			ro_check(c, &b, "after login: privilege escalation, account "
			    "changes, persistence, lateral movement",
			    cv.with_auth, cv.servers, cv.lo, cv.hi,
			    c->feat[FT_INTRUSION] >= 0.5 ? "part of the "
			    "intrusion above" : "none attributable to an "
			    "intruder");
			ro_check(c, &b, "tampering: logs deleted, audit or logger "
			    "stopped outside a shutdown, history cleared, holes "
			    "with no reboot", cv.with_auth, cv.servers, cv.lo,
			    cv.hi, tamper_result(c, FT_COUNT));
			ro_check(c, &b, "management interfaces: BMC password "
			    "failures and logins", cv.sel_hosts, n_aff ? n_aff :
			    cv.servers, cv.lo, cv.hi,
			    feat_result(c, FT_BMC_COMPROMISE, "none"));
			if (cv.no_auth.n)
				ro_gap(&b, astr(c, "no authentication logs for %s: "
				    "an intrusion there cannot be excluded",
				    hostlist(c, &cv.no_auth)));
			for (i = 0; i < cv.n_partial && i < 10; i++)
				ro_gap(&b, cv.partial[i]);
			if (cv.n_partial > 10)
				ro_gap(&b, astr(c, "and %zu more such holes",
				    cv.n_partial - 10));
			break;
		case FL_CAUSE_PLANNED:
			ro_check(c, &b, "orderly shutdown sequences and who asked "
			    "for them", c->has_incident ? n_aff : cv.servers,
			    c->has_incident ? n_aff : cv.servers, cv.lo, cv.hi,
			    !c->has_incident ? "no hosts were shut down together"
			    : astr(c, "%.0f%% of the hosts that stopped did so "
			    "abruptly; %.0f%% were shut down on a person's "
			    "request", 100 * c->feat[FT_ABRUPT],
			    100 * c->feat[FT_CLEAN_PERSON]));
			ro_check(c, &b, "power-device faults that no plan would "
			    "cause", cv.devices_in, cv.devices, cv.lo, cv.hi,
			    feat_result(c, FT_MAINS_FAULT, power_found(c,
			    "none")));
			break;
		case FL_CAUSE_NO_INCIDENT:
			ro_check(c, &b, "hosts that stopped together", cv.servers,
			    cv.servers, cv.lo, cv.hi, c->has_incident ?
			    astr(c, "%zu host(s) stopped together", n_aff) :
			    "none");
			break;
		case FL_CAUSE_INCONCLUSIVE:
			break;
		}
		ro = &r->ruled_out[n_ro++];
		ro->cause = cz;
		ro->score = r->scores[h].score;
		ro->n_checks = b.n;
		ro->checks = fl_arena_alloc(r->arena, (b.n + 1) *
		    sizeof *ro->checks);
		if (b.n)
			memcpy(ro->checks, b.checks, b.n * sizeof *b.checks);
		ro->n_gaps = b.n_gaps;
		ro->coverage_gaps = fl_arena_alloc(r->arena, (b.n_gaps + 1) *
		    sizeof *ro->coverage_gaps);
		if (b.n_gaps)
			memcpy(ro->coverage_gaps, b.gaps, b.n_gaps *
			    sizeof *b.gaps);
		free(b.checks);
		free(b.gaps);
	}
	r->n_ruled_out = n_ro;
	coverage_free(&cv);
}

/* ------------------------------------------------------------------ */
/* Timeline, hosts, inputs */

static int
cmp_tl(const void *va, const void *vb)
{
	const struct fl_timeline_entry *a = va, *b = vb;

	if (a->time_us != b->time_us)
		return a->time_us < b->time_us ? -1 : 1;
	return strcmp(a->what, b->what);
}

static void
tl_add(struct ctx *c, size_t *cap, int64_t t, const char *host,
    const char *what, size_t k)
{
	struct fl_report *r = c->r;
	struct fl_timeline_entry *e;

	if (t == FL_TIME_UNKNOWN)
		return;
	FL_GROW(r->timeline, *cap, r->n_timeline + 1);
	e = &r->timeline[r->n_timeline++];
	memset(e, 0, sizeof *e);
	e->time_us = t;
	e->host = host;
	e->what = what;
	if (k != FL_NO_EVENT) {
		set_cite(c, k, &e->cite);
		e->has_cite = 1;
	}
}

static void
timeline(struct ctx *c)
{
	struct fl_report *r = c->r;
	size_t cap = 0, i;

	if (c->has_incident) {
		tl_add(c, &cap, c->inc_start, NULL, "incident begins",
		    c->episode_ev);
		tl_add(c, &cap, c->first_down, NULL, "first host stops",
		    FL_NO_EVENT);
		if (c->last_down != c->first_down)
			tl_add(c, &cap, c->last_down, NULL, "last host stops",
			    FL_NO_EVENT);
		tl_add(c, &cap, r->power_restored_us, NULL, "power restored",
		    c->power_restored_ev);
		tl_add(c, &cap, r->last_service_us, NULL,
		    "last service restored", FL_NO_EVENT);
		tl_add(c, &cap, c->inc_end, NULL, "incident ends", FL_NO_EVENT);
	}
	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *f = &r->findings[i];

		if (f->noise)
			continue;
		FL_GROW(r->timeline, cap, r->n_timeline + 1);
		memset(&r->timeline[r->n_timeline], 0, sizeof *r->timeline);
		r->timeline[r->n_timeline].time_us = f->start_us;
		r->timeline[r->n_timeline].host = f->n_hosts == 1 ?
		    f->hosts[0] : NULL;
		r->timeline[r->n_timeline].what = astr(c, "%s: %s", f->id,
		    f->title);
		if (f->n_cites > 0) {
			r->timeline[r->n_timeline].cite = f->cites[0];
			r->timeline[r->n_timeline].has_cite = 1;
		}
		r->n_timeline++;
	}
	if (r->n_timeline > 1)
		qsort(r->timeline, r->n_timeline, sizeof *r->timeline, cmp_tl);
}

static void
hosts_section(struct ctx *c)
{
	struct fl_report *r = c->r;
	size_t h, j, i;

	r->n_hosts = c->ev->n_hosts;
	r->hosts = fl_xcalloc(r->n_hosts + 1, sizeof *r->hosts);
	for (h = 0; h < c->ev->n_hosts; h++) {
		const struct fl_host_rec *hr = &c->ev->hosts[h];
		const struct fl_lane *l = &c->lanes->v[h];
		struct fl_report_host *rh = &r->hosts[h];

		rh->name = hr->name;
		rh->kind = fl_host_kind_name(c->kind[h]);
		rh->zone = hr->zone;
		rh->zone_source = fl_zone_source_name(hr->zone_source);
		rh->lines = hr->lines;
		rh->first_us = hr->first_us;
		rh->last_us = hr->last_us;
		for (i = 0; i < c->n_doms; i++) {
			const struct dom *d = &c->doms[i];
			int64_t off = d->zone_us + d->skew_us;

			if (d->host != h || off == 0)
				continue;
			if ((d->dev != 0) == main_dom_dev(c, (uint32_t)h)) {
				rh->clock_offset_us = off;
				rh->clock_confidence = d->conf;
				rh->clock_basis = d->basis;
				rh->zone_corrected = d->zone_us != 0;
			} else {
				rh->bmc_offset_us = off;
			}
		}
		rh->n_gaps = l->n_gaps;
		rh->gaps = fl_arena_alloc(r->arena, (l->n_gaps + 1) *
		    sizeof *rh->gaps);
		for (j = 0; j < l->n_gaps; j++) {
			const struct fl_gap *g = &l->gaps[j];
			struct fl_report_gap *rg = &rh->gaps[j];
			size_t ks[4], nk = 0, m;

			/* arena memory is not zeroed: flags are only ever set */
			memset(rg, 0, sizeof *rg);
			rg->start_us = g->begin_us;
			rg->end_us = g->end_us;
			rg->kind = fl_gap_kind(g);
			rg->began = fl_gap_began_name(g->began);
			rg->ended = fl_gap_ended_name(g->ended);
			rg->requested_by = fl_requester_name(g->requester);
			rg->user = g->requested_by;
			for (m = 0; m < c->n_downs; m++)
				if (c->downs[m].gap == g && is_inc_down(c, m))
					rg->in_incident = 1;
			if (g->ev_request != FL_NO_EVENT)
				ks[nk++] = g->ev_request;
			if (g->ev_began != FL_NO_EVENT && g->ev_began !=
			    g->ev_request)
				ks[nk++] = g->ev_began;
			if (g->ev_boot != FL_NO_EVENT)
				ks[nk++] = g->ev_boot;
			if (g->ev_unclean != FL_NO_EVENT)
				ks[nk++] = g->ev_unclean;
			rg->n_cites = nk;
			rg->cites = fl_arena_alloc(r->arena, (nk + 1) *
			    sizeof *rg->cites);
			for (m = 0; m < nk; m++)
				set_cite(c, ks[m], &rg->cites[m]);
		}
	}
}

static void
unreadable(struct ctx *c)
{
	struct fl_report *r = c->r;
	size_t i, cap = 0;

	for (i = 0; i < c->ev->n_inputs; i++) {
		const struct fl_input_rec *in = &c->ev->inputs[i];
		const char *why = in->note ? in->note : in->error;

		if (in->kind == FL_INPUT_FILE && in->error == NULL)
			continue;
		FL_GROW(r->unreadable, cap, r->n_unreadable + 1);
		r->unreadable[r->n_unreadable++] = astr(c, "%s: %s", in->path,
		    why ? why : in->kind == FL_INPUT_SKIPPED ? "skipped" :
		    "unreadable");
	}
	for (i = 0; i < c->ev->n_streams; i++) {
		const struct fl_stream_rec *s = &c->ev->streams[i];

		if (s->error == NULL)
			continue;
		FL_GROW(r->unreadable, cap, r->n_unreadable + 1);
		r->unreadable[r->n_unreadable++] = astr(c, "%s%s%s: %s",
		    c->ev->inputs[s->input].path, s->member[0] ? "!" : "",
		    s->member, s->error);
	}
	cap = 0;
	for (i = 0; i < c->ev->n_streams; i++) {
		const struct fl_stream_rec *s = &c->ev->streams[i];
		struct fl_report_unparsed *u;

		if (s->lines == 0 || (s->parsed > 0 &&
		    s->first_us != FL_TIME_UNKNOWN))
			continue;
		FL_GROW(r->unparsed, cap, r->n_unparsed + 1);
		u = &r->unparsed[r->n_unparsed++];
		u->path = astr(c, "%s%s%s", c->ev->inputs[s->input].path,
		    s->member[0] ? "!" : "", s->member);
		u->format = fl_format_name(s->format);
		u->lines = s->lines;
	}
}

/* ------------------------------------------------------------------ */

static void
ctx_free(struct ctx *c)
{
	size_t i;

	for (i = 0; c->hev != NULL && i < c->ev->n_hosts; i++)
		free(c->hev[i]);
	free(c->hev);
	free(c->n_hev);
	free(c->sig);
	free(c->kind);
	free(c->inv);
	fl_lanes_free(c->lanes);
	free(c->doms);
	for (i = 0; i < c->n_chits; i++)
		free(c->chits[i].evs);
	free(c->chits);
	free(c->downs);
	ss_free(&c->affected);
	free(c->pact);
	free(c->srcs);
	ss_free(&c->att_users);
	ss_free(&c->att_ips);
	ss_free(&c->att_devices);
	ss_free(&c->att_hosts);
	ss_free(&c->actor_users);
	ss_free(&c->actor_ips);
	ss_free(&c->actor_devices);
	for (i = 0; i < c->n_fbs; i++) {
		free(c->fbs[i]->evs);
		free(c->fbs[i]->fields);
		ss_free(&c->fbs[i]->hosts);
		free(c->fbs[i]);
	}
	free(c->fbs);
}

/* Strings that must outlive the context move into the report. */
static const char **
keep_list(struct ctx *c, const struct strset *s)
{
	const char **v = fl_arena_alloc(c->r->arena, (s->n + 1) * sizeof *v);

	if (s->n)
		memcpy(v, s->v, s->n * sizeof *v);
	return v;
}

struct fl_report *
fl_analyze(struct fl_evidence *ev, const struct fl_ruleset *rs,
    const struct fl_analyze_opts *o)
{
	struct ctx c;
	struct fl_report *r = fl_xcalloc(1, sizeof *r);
	size_t i;

	memset(&c, 0, sizeof c);
	c.ev = ev;
	c.rs = rs;
	c.o = o;
	c.r = r;
	r->arena = fl_arena_new();
	r->ev = ev;
	r->version = o->version;
	r->rules_digest = ev->rules_digest;
	r->evidence_status = o->evidence_status;
	r->site_zone = o->site_zone ? fl_zone_name(o->site_zone) : NULL;
	for (i = 0; i < FT_COUNT; i++)
		c.feat_fb[i] = -1;
	c.hole_fb = -1;
	c.inc_start = c.inc_end = c.first_down = c.last_down = FL_TIME_UNKNOWN;
	c.intrusion_start = FL_TIME_UNKNOWN;
	c.entry_time = FL_TIME_UNKNOWN;
	c.day_shown = FL_TIME_UNKNOWN;

	c.sig = fl_event_signals(ev, rs);
	classify_hosts(&c);
	correct_clocks(&c);
	build_host_events(&c);
	c.lanes = fl_lanes_build(ev, c.sig, c.kind, &o->lanes);
	run_correlator(&c);
	drop_collection_ends(&c);
	find_outage(&c);
	if (c.has_incident) {
		c.inc_start = c.first_down;
		c.inc_end = c.last_down;
		for (i = 0; i < c.n_downs; i++)
			if (is_inc_down(&c, i) && c.downs[i].gap->end_us !=
			    FL_TIME_UNKNOWN && c.downs[i].gap->end_us > c.inc_end)
				c.inc_end = c.downs[i].gap->end_us;
	}
	analyze_logins(&c);
	noise_findings(&c);
	analyze_tamper(&c);
	analyze_power(&c);
	analyze_topology(&c);
	if (c.has_incident) {
		outage_findings(&c);
	} else {
		/* loads switched off whose hosts are not in the evidence:
		 * that none stopped shows less */
		set_feat(&c, FT_NO_OUTAGE, c.n_pact > 0 ? 0.5 : 1, NULL, NULL);
		unseen(&c);
	}
	quiet_findings(&c);
	clock_findings(&c);
	recovery(&c);
	if (c.has_incident)
		power_findings(&c, c.inc_start - 5 * MIN, c.inc_end + 5 * MIN);
	else
		power_findings(&c, INT64_MIN + 1, INT64_MAX);
	finalize_findings(&c);
	decide(&c);
	/* An attack begins with the intruder's entry, not with its effect. */
	if (c.has_incident && r->cause == FL_CAUSE_CYBERATTACK &&
	    c.entry_host != NULL && c.entry_time < c.inc_start &&
	    c.entry_time >= c.inc_start - 24 * HOUR) {
		c.inc_start = c.entry_time;
		c.episode_ev = c.entry_ev;
	}
	ruled_out(&c);

	r->has_incident = c.has_incident;
	if (c.has_incident) {
		r->incident_start_us = c.inc_start;
		r->incident_end_us = c.inc_end;
		ss_sort(&c.affected);
		r->n_affected = c.affected.n;
		r->affected = keep_list(&c, &c.affected);
		for (i = 0; i < r->n_affected; i++) {
			long h = fl_evidence_host(ev, r->affected[i]);

			if (h >= 0)
				r->affected[i] = display_host(&c, (uint32_t)h);
		}
	}
	r->users = keep_list(&c, &(struct strset){(const char **)r->users,
	    r->n_users, 0});
	r->src_ips = keep_list(&c, &(struct strset){(const char **)r->src_ips,
	    r->n_src_ips, 0});
	r->devices = keep_list(&c, &(struct strset){(const char **)r->devices,
	    r->n_devices, 0});
	timeline(&c);
	hosts_section(&c);
	unreadable(&c);
	ctx_free(&c);
	return r;
}
