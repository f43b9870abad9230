/* The correlator: event_count, value_count, temporal, temporal_ordered and
 * absence over sliding windows on event time, per group, with bounded
 * state and chaining. See docs/RULES.md for the window semantics. */
#include "config.h"

#include "fl_rules_int.h"

#include <stdlib.h>
#include <string.h>

#define NONE INT64_MIN
#define SWEEP_EVERY 4096
#define TIME_BOUND (INT64_C(1) << 61)   /* µs: about 73000 years */

/* The caller's event ids behind one remembered event: one for a
 * detection hit, several for a chained correlation hit. */
struct idl {
	uint32_t n;
	uint32_t one;
	uint32_t *many;
};

struct cev {
	int64_t t;
	uint32_t val;              /* value_count: interned value */
	struct idl ids;
};

struct group {
	char *key;                 /* length-prefixed group-by values */
	size_t keylen;
	char *label;               /* "src_ip=203.0.113.7" */
	uint32_t *vals;            /* interned group-by values */
	uint32_t host;             /* interned host of the last event */
	int64_t last_t;            /* latest event time */
	int64_t quiet_until;       /* fired: no new hit up to this time */
	unsigned heap_refs;        /* deadline entries that point here */
	uint64_t gen;              /* bumped when a deadline is cancelled */
	/* event_count, value_count */
	struct cev *ev;
	size_t head, n, cap;       /* ring buffer, time order */
	int win_open;              /* tumbling window (lt, lte, eq) */
	int64_t win_start;
	/* temporal: latest event per listed rule */
	int64_t *tlast;
	struct idl *tid;
	size_t ntid;
	/* temporal_ordered: latest start of a partial chain per step */
	int64_t *ostart, *oend;
	uint32_t *ochain;          /* nsteps x nsteps caller ids (first id
	                            * of each step's event) */
	/* absence */
	int pending;
	int64_t a_time, deadline;
	uint64_t a_count;
	uint32_t a_ids[FL_CORR_MAX_EVENTS];
	size_t n_a;
};

struct crule {
	uint32_t rule;
	const struct fl_corr_def *d;
	enum fl_rule_kind kind;
	int tumbling;              /* count with lt, lte or eq */
	struct group **slots;
	size_t cap, n;
};

struct dl {
	int64_t t;
	uint64_t seq;
	struct group *g;
	uint32_t cr;
	uint64_t gen;
};

struct istr {                      /* interned string */
	const char *s;
	size_t n;
	uint32_t hash;
};

struct ev {                        /* an event inside the correlator */
	int64_t t;
	uint32_t rule;
	const uint32_t *ids;
	size_t nids;
	const char *host;
	size_t n_fields;
	const char *const *names;
	const char *const *values;
};

struct fl_correlator {
	const struct fl_ruleset *rs;
	fl_corr_cb cb;
	void *ctx;
	struct crule *cr;
	int32_t *cr_of;            /* rule index → crule, -1 */
	size_t ncr;
	struct dl *heap;
	size_t nheap, capheap;
	uint64_t seq;
	int64_t now;               /* latest event time fed */
	int64_t swept_at;          /* now at the last sweep */
	size_t ngroups;
	uint64_t fed;
	struct fl_corr_stats stats;
	/* interning */
	struct fl_arena *arena;
	struct istr *strs;
	size_t nstrs, capstrs;
	uint32_t *itab;            /* open addressing: string index + 1 */
	size_t icap;
	uint64_t *stamp;
	size_t capstamp;
	uint64_t epoch;
	/* scratch */
	struct fl_buf key, label;
	uint32_t hit_ids[FL_CORR_MAX_EVENTS];
};

/* ---- small helpers ---- */

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint32_t
intern(struct fl_correlator *c, const char *s)
{
	size_t n = strlen(s), i;
	uint32_t h = hash_bytes(s, n);

	if (2 * (c->nstrs + 1) > c->icap) {
		size_t ncap = c->icap ? c->icap * 2 : 256, k;
		uint32_t *t = fl_xcalloc(ncap, sizeof *t);

		for (k = 0; k < c->nstrs; k++) {
			for (i = c->strs[k].hash & (ncap - 1); t[i];
			    i = (i + 1) & (ncap - 1))
				;
			t[i] = (uint32_t)k + 1;
		}
		free(c->itab);
		c->itab = t;
		c->icap = ncap;
	}
	for (i = h & (c->icap - 1); c->itab[i]; i = (i + 1) & (c->icap - 1)) {
		const struct istr *e = &c->strs[c->itab[i] - 1];

		if (e->hash == h && e->n == n && memcmp(e->s, s, n) == 0)
			return c->itab[i] - 1;
	}
	FL_GROW(c->strs, c->capstrs, c->nstrs + 1);
	c->strs[c->nstrs].s = fl_arena_strndup(c->arena, s, n);
	c->strs[c->nstrs].n = n;
	c->strs[c->nstrs].hash = h;
	c->itab[i] = (uint32_t)c->nstrs + 1;
	return (uint32_t)c->nstrs++;
}

static void
idl_set(struct idl *l, const uint32_t *ids, size_t n)
{
	free(l->many);
	l->many = NULL;
	l->n = (uint32_t)(n > FL_CORR_MAX_EVENTS ? FL_CORR_MAX_EVENTS : n);
	l->one = n ? ids[0] : 0;
	if (l->n > 1) {
		l->many = fl_xreallocarray(NULL, l->n, sizeof *l->many);
		memcpy(l->many, ids, l->n * sizeof *l->many);
	}
}

static const uint32_t *
idl_ids(const struct idl *l)
{
	return l->n > 1 ? l->many : &l->one;
}

/* Appends ids to the hit's list, bounded. */
static size_t
add_ids(struct fl_correlator *c, size_t n, const struct idl *l)
{
	const uint32_t *ids = idl_ids(l);
	size_t i;

	for (i = 0; i < l->n && n < FL_CORR_MAX_EVENTS; i++)
		c->hit_ids[n++] = ids[i];
	return n;
}

static const char *
field_of(const struct ev *e, const char *name)
{
	size_t i;

	if (strcmp(name, "host") == 0 && e->host != NULL)
		return e->host;
	for (i = 0; i < e->n_fields; i++)
		if (strcmp(e->names[i], name) == 0)
			return e->values[i];
	return NULL;
}

/* ---- the deadline heap ---- */

static int
dl_less(const struct dl *a, const struct dl *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
heap_push(struct fl_correlator *c, uint32_t cr, struct group *g, int64_t t)
{
	size_t i;

	FL_GROW(c->heap, c->capheap, c->nheap + 1);
	i = c->nheap++;
	c->heap[i].t = t;
	c->heap[i].seq = c->seq++;
	c->heap[i].g = g;
	c->heap[i].cr = cr;
	c->heap[i].gen = g->gen;
	g->heap_refs++;
	while (i > 0 && dl_less(&c->heap[i], &c->heap[(i - 1) / 2])) {
		struct dl tmp = c->heap[i];

		c->heap[i] = c->heap[(i - 1) / 2];
		c->heap[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static struct dl
heap_pop(struct fl_correlator *c)
{
	struct dl top = c->heap[0];
	size_t i = 0;

	c->heap[0] = c->heap[--c->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct dl tmp;

		if (l < c->nheap && dl_less(&c->heap[l], &c->heap[m]))
			m = l;
		if (r < c->nheap && dl_less(&c->heap[r], &c->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = c->heap[i];
		c->heap[i] = c->heap[m];
		c->heap[m] = tmp;
		i = m;
	}
	top.g->heap_refs--;
	return top;
}

/* ---- groups ---- */

static void
group_free(struct group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->ev[(g->head + i) % g->cap].ids.many);
	free(g->ev);
	for (i = 0; i < g->ntid; i++)
		free(g->tid[i].many);
	free(g->tid);
	free(g->tlast);
	free(g->ostart);
	free(g->oend);
	free(g->ochain);
	free(g->vals);
	free(g->key);
	free(g->label);
	free(g);
}

static void
table_insert(struct crule *r, struct group *g)
{
	size_t i;

	for (i = hash_bytes(g->key, g->keylen) & (r->cap - 1); r->slots[i];
	    i = (i + 1) & (r->cap - 1))
		;
	r->slots[i] = g;
	r->n++;
}

static void
table_grow(struct crule *r)
{
	struct group **old = r->slots;
	size_t oc = r->cap, i;

	r->cap = oc ? oc * 2 : 16;
	r->slots = fl_xcalloc(r->cap, sizeof *r->slots);
	r->n = 0;
	for (i = 0; i < oc; i++)
		if (old[i])
			table_insert(r, old[i]);
	free(old);
}

/* The group of an event; NULL when the event lacks a group-by field or
 * too many groups are open. */
static struct group *
group_get(struct fl_correlator *c, struct crule *r, const struct ev *e)
{
	const struct fl_corr_def *d = r->d;
	struct group *g;
	size_t i, k;
	uint32_t h;

	fl_buf_reset(&c->key);
	for (k = 0; k < d->ngroup; k++) {
		const char *v = field_of(e, d->group_by[k]);
		uint32_t len;

		if (v == NULL)
			return NULL;
		len = (uint32_t)strlen(v);
		fl_buf_add(&c->key, &len, sizeof len);
		fl_buf_add(&c->key, v, len);
	}
	if (c->key.len == 0)
		fl_buf_add(&c->key, "", 0);     /* data is never NULL below */
	h = hash_bytes(c->key.data, c->key.len);
	if (r->cap)
		for (i = h & (r->cap - 1); r->slots[i]; i = (i + 1) & (r->cap - 1))
			if (r->slots[i]->keylen == c->key.len &&
			    memcmp(r->slots[i]->key, c->key.data, c->key.len) == 0)
				return r->slots[i];
	if (c->ngroups >= FL_CORR_MAX_GROUPS) {
		c->stats.dropped_groups++;
		return NULL;
	}
	g = fl_xcalloc(1, sizeof *g);
	g->key = fl_xstrndup(c->key.data, c->key.len);
	g->keylen = c->key.len;
	g->last_t = NONE;
	g->quiet_until = NONE;
	g->host = UINT32_MAX;
	g->vals = fl_xcalloc(d->ngroup ? d->ngroup : 1, sizeof *g->vals);
	fl_buf_reset(&c->label);
	for (k = 0; k < d->ngroup; k++) {
		const char *v = field_of(e, d->group_by[k]);

		g->vals[k] = intern(c, v);
		fl_buf_printf(&c->label, "%s%s=%s", k ? ", " : "",
		    d->group_by[k], v);
	}
	g->label = fl_xstrdup(c->label.data ? c->label.data : "");
	if (r->kind == FL_RULE_TEMPORAL) {
		g->tlast = fl_xreallocarray(NULL, d->nrefs, sizeof *g->tlast);
		g->tid = fl_xcalloc(d->nrefs, sizeof *g->tid);
		g->ntid = d->nrefs;
		for (k = 0; k < d->nrefs; k++)
			g->tlast[k] = NONE;
	} else if (r->kind == FL_RULE_TEMPORAL_ORDERED) {
		g->ostart = fl_xreallocarray(NULL, d->nrefs, sizeof *g->ostart);
		g->oend = fl_xreallocarray(NULL, d->nrefs, sizeof *g->oend);
		g->ochain = fl_xcalloc(d->nrefs * d->nrefs, sizeof *g->ochain);
		for (k = 0; k < d->nrefs; k++)
			g->ostart[k] = g->oend[k] = NONE;
	}
	if (2 * (r->n + 1) > r->cap)
		table_grow(r);
	table_insert(r, g);
	c->ngroups++;
	return g;
}

/* Frees groups whose window lies wholly in the past and that hold no
 * pending deadline: the same result as keeping them, in bounded memory. */
static void
sweep(struct fl_correlator *c)
{
	size_t i, k;

	for (i = 0; i < c->ncr; i++) {
		struct crule *r = &c->cr[i];
		struct group **old = r->slots;
		size_t oc = r->cap;

		if (oc == 0)
			continue;
		r->slots = fl_xcalloc(oc, sizeof *r->slots);
		r->n = 0;
		for (k = 0; k < oc; k++) {
			struct group *g = old[k];

			if (g == NULL)
				continue;
			if (g->heap_refs == 0 && !g->pending && !g->win_open &&
			    g->last_t != NONE &&
			    g->last_t < c->now - r->d->timespan_us) {
				group_free(g);
				c->ngroups--;
			} else {
				table_insert(r, g);
			}
		}
		free(old);
	}
}

/* ---- hits and chaining ---- */

static void dispatch(struct fl_correlator *c, const struct ev *e);

static void
fire(struct fl_correlator *c, const struct crule *r, struct group *g,
    int64_t start, int64_t end, uint64_t value, size_t nids)
{
	const struct fl_corr_def *d = r->d;
	struct fl_corr_hit hit;
	const char **values = NULL;
	uint32_t ids[FL_CORR_MAX_EVENTS];
	struct ev e;
	size_t k;

	hit.rule = r->rule;
	hit.start_us = start;
	hit.end_us = end;
	hit.group = g->label;
	hit.value = value;
	hit.n_events = nids;
	hit.events = c->hit_ids;
	memcpy(ids, c->hit_ids, nids * sizeof *ids);
	c->cb(c->ctx, &hit);
	if (c->rs->nusers[r->rule] == 0)
		return;
	/* The hit becomes an event of this rule for the rules that use it,
	 * carrying its group-by values as fields. */
	if (d->ngroup) {
		values = fl_xreallocarray(NULL, d->ngroup, sizeof *values);
		for (k = 0; k < d->ngroup; k++)
			values[k] = c->strs[g->vals[k]].s;
	}
	e.t = end;
	e.rule = r->rule;
	e.ids = ids;
	e.nids = nids;
	e.host = g->host < c->nstrs ? c->strs[g->host].s : NULL;
	e.n_fields = d->ngroup;
	e.names = d->group_by;
	e.values = values;
	dispatch(c, &e);
	free(values);
}

static int
cond_holds(const struct fl_corr_def *d, uint64_t v)
{
	switch (d->op) {
	case FL_OP_GT: return v > d->threshold;
	case FL_OP_GTE: return v >= d->threshold;
	case FL_OP_LT: return v < d->threshold;
	case FL_OP_LTE: return v <= d->threshold;
	case FL_OP_EQ: return v == d->threshold;
	}
	return 0;
}

/* ---- event_count and value_count ---- */

static struct cev *
ev_at(struct group *g, size_t i)
{
	return &g->ev[(g->head + i) % g->cap];
}

static void
ev_drop_front(struct group *g)
{
	free(ev_at(g, 0)->ids.many);
	g->head = (g->head + 1) % g->cap;
	g->n--;
}

/* Inserts in time order (late events walk back from the end). */
static void
ev_insert(struct fl_correlator *c, struct group *g, const struct ev *e,
    uint32_t val)
{
	size_t i;
	struct cev *slot;

	if (g->n == FL_CORR_MAX_GROUP_EVENTS) {
		ev_drop_front(g);
		c->stats.dropped_events++;
	}
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 8, k;
		struct cev *nv = fl_xreallocarray(NULL, nc, sizeof *nv);

		for (k = 0; k < g->n; k++)
			nv[k] = *ev_at(g, k);
		free(g->ev);
		g->ev = nv;
		g->cap = nc;
		g->head = 0;
	}
	for (i = g->n; i > 0 && ev_at(g, i - 1)->t > e->t; i--)
		*ev_at(g, i) = *ev_at(g, i - 1);
	g->n++;
	slot = ev_at(g, i);
	memset(slot, 0, sizeof *slot);
	slot->t = e->t;
	slot->val = val;
	idl_set(&slot->ids, e->ids, e->nids);
}

static uint64_t
window_value(struct fl_correlator *c, const struct crule *r, struct group *g)
{
	size_t i;
	uint64_t distinct = 0;

	if (r->kind == FL_RULE_EVENT_COUNT)
		return g->n;
	if (c->capstamp < c->nstrs) {
		c->stamp = fl_xreallocarray(c->stamp, c->nstrs, sizeof *c->stamp);
		memset(c->stamp + c->capstamp, 0,
		    (c->nstrs - c->capstamp) * sizeof *c->stamp);
		c->capstamp = c->nstrs;
	}
	c->epoch++;
	for (i = 0; i < g->n; i++) {
		uint32_t v = ev_at(g, i)->val;

		if (c->stamp[v] != c->epoch) {
			c->stamp[v] = c->epoch;
			distinct++;
		}
	}
	return distinct;
}

static void
fire_window(struct fl_correlator *c, const struct crule *r, struct group *g,
    int64_t end)
{
	uint64_t v = window_value(c, r, g);
	size_t i, nids = 0;

	if (!cond_holds(r->d, v) || g->n == 0)
		return;
	for (i = 0; i < g->n; i++)
		nids = add_ids(c, nids, &ev_at(g, i)->ids);
	fire(c, r, g, ev_at(g, 0)->t, end, v, nids);
}

static void
on_count(struct fl_correlator *c, const struct crule *r, uint32_t cri,
    struct group *g, const struct ev *e)
{
	const struct fl_corr_def *d = r->d;
	uint32_t val = 0;

	if (r->kind == FL_RULE_VALUE_COUNT) {
		const char *v = field_of(e, d->value_field);

		if (v == NULL)
			return;
		val = intern(c, v);
	}
	if (r->tumbling) {
		/* lt, lte, eq: fixed windows from a group's first event,
		 * judged when the window has closed */
		if (!g->win_open) {
			g->win_open = 1;
			g->win_start = e->t;
			heap_push(c, cri, g, e->t + d->timespan_us);
		} else if (e->t < g->win_start) {
			c->stats.late_events++;
			return;
		}
		ev_insert(c, g, e, val);
		if (e->t > g->last_t)
			g->last_t = e->t;
		return;
	}
	if (g->last_t != NONE && e->t < g->last_t - d->timespan_us) {
		c->stats.late_events++;
		return;
	}
	ev_insert(c, g, e, val);
	if (e->t > g->last_t)
		g->last_t = e->t;
	while (g->n && ev_at(g, 0)->t < g->last_t - d->timespan_us)
		ev_drop_front(g);
	if (g->quiet_until != NONE && g->last_t <= g->quiet_until)
		return;
	if (cond_holds(d, window_value(c, r, g))) {
		g->quiet_until = g->last_t + d->timespan_us;
		fire_window(c, r, g, g->last_t);
	}
}

/* ---- temporal ---- */

static void
on_temporal(struct fl_correlator *c, const struct crule *r, struct group *g,
    const struct ev *e)
{
	const struct fl_corr_def *d = r->d;
	int64_t lo = INT64_MAX;
	size_t j, nids = 0;

	if (g->last_t != NONE && e->t < g->last_t - d->timespan_us) {
		c->stats.late_events++;
		return;
	}
	for (j = 0; j < d->nrefs; j++)
		if (d->ref_idx[j] == e->rule && e->t >= g->tlast[j]) {
			g->tlast[j] = e->t;
			idl_set(&g->tid[j], e->ids, e->nids);
		}
	if (e->t > g->last_t)
		g->last_t = e->t;
	if (g->quiet_until != NONE && g->last_t <= g->quiet_until)
		return;
	for (j = 0; j < d->nrefs; j++) {
		if (g->tlast[j] == NONE ||
		    g->tlast[j] < g->last_t - d->timespan_us)
			return;
		if (g->tlast[j] < lo)
			lo = g->tlast[j];
	}
	for (j = 0; j < d->nrefs; j++)
		nids = add_ids(c, nids, &g->tid[j]);
	g->quiet_until = g->last_t + d->timespan_us;
	fire(c, r, g, lo, g->last_t, d->nrefs, nids);
}

/* ---- temporal_ordered ---- */

static void
on_ordered(struct fl_correlator *c, const struct crule *r, struct group *g,
    const struct ev *e)
{
	const struct fl_corr_def *d = r->d;
	size_t ns = d->nrefs, i, k;
	uint32_t *ch = g->ochain;

	if (e->t > g->last_t)
		g->last_t = e->t;
	/* Last step first, so one event never fills two steps. */
	for (i = ns; i-- > 0;) {
		if (d->ref_idx[i] != e->rule)
			continue;
		if (i == 0) {
			g->ostart[0] = g->oend[0] = e->t;
			ch[0] = e->nids ? e->ids[0] : 0;
		} else if (g->ostart[i - 1] != NONE &&
		    e->t - g->ostart[i - 1] <= d->timespan_us &&
		    e->t >= g->oend[i - 1] &&
		    (g->ostart[i] == NONE || g->ostart[i - 1] >= g->ostart[i])) {
			g->ostart[i] = g->ostart[i - 1];
			g->oend[i] = e->t;
			memcpy(ch + i * ns, ch + (i - 1) * ns, i * sizeof *ch);
			ch[i * ns + i] = e->nids ? e->ids[0] : 0;
		} else {
			continue;
		}
		if (i != ns - 1)
			continue;
		if (g->quiet_until != NONE && e->t <= g->quiet_until)
			continue;
		for (k = 0; k < ns && k < FL_CORR_MAX_EVENTS; k++)
			c->hit_ids[k] = ch[i * ns + k];
		g->quiet_until = e->t + d->timespan_us;
		fire(c, r, g, g->ostart[i], e->t, ns, k);
		for (k = 0; k < ns; k++)
			g->ostart[k] = g->oend[k] = NONE;
		return;
	}
}

/* ---- absence ---- */

static void
on_absence(struct fl_correlator *c, const struct crule *r, uint32_t cri,
    struct group *g, const struct ev *e)
{
	const struct fl_corr_def *d = r->d;
	size_t j, k;

	if (e->t > g->last_t)
		g->last_t = e->t;
	for (j = 0; j < d->nfollow; j++)
		if (d->follow_idx[j] == e->rule && g->pending &&
		    e->t >= g->a_time && e->t <= g->deadline) {
			g->pending = 0;
			g->gen++;
			break;
		}
	for (j = 0; j < d->nrefs; j++) {
		if (d->ref_idx[j] != e->rule)
			continue;
		if (!g->pending) {
			g->pending = 1;
			g->a_time = e->t;
			g->deadline = e->t + d->timespan_us;
			g->a_count = 0;
			g->n_a = 0;
			heap_push(c, cri, g, g->deadline);
		}
		g->a_count++;
		for (k = 0; k < e->nids && g->n_a < FL_CORR_MAX_EVENTS; k++)
			g->a_ids[g->n_a++] = e->ids[k];
		break;
	}
}

/* A deadline came: an absence without its awaited event, or the close
 * of a tumbling count window. end is when the hit ends. */
static void
on_deadline(struct fl_correlator *c, const struct dl *x, int64_t end)
{
	const struct crule *r = &c->cr[x->cr];
	struct group *g = x->g;

	if (x->gen != g->gen)
		return;
	if (r->kind == FL_RULE_ABSENCE) {
		if (!g->pending)
			return;
		g->pending = 0;
		g->gen++;
		memcpy(c->hit_ids, g->a_ids, g->n_a * sizeof *g->a_ids);
		fire(c, r, g, g->a_time, end < g->a_time ? g->a_time : end,
		    g->a_count, g->n_a);
		return;
	}
	if (!g->win_open)
		return;
	g->win_open = 0;
	g->gen++;
	fire_window(c, r, g, g->n ? ev_at(g, g->n - 1)->t : g->win_start);
	while (g->n)
		ev_drop_front(g);
}

/* Fires every deadline strictly before t, in (time, creation) order. */
static void
advance(struct fl_correlator *c, int64_t t)
{
	while (c->nheap && c->heap[0].t < t) {
		struct dl x = heap_pop(c);

		on_deadline(c, &x, x.t);
	}
}

/* ---- feeding ---- */

static void
dispatch(struct fl_correlator *c, const struct ev *e)
{
	const struct fl_ruleset *rs = c->rs;
	size_t u;

	if (e->t > c->now)
		c->now = e->t;
	for (u = 0; u < rs->nusers[e->rule]; u++) {
		uint32_t ri = rs->users[e->rule][u];
		int32_t cri = c->cr_of[ri];
		struct crule *r = &c->cr[cri];
		struct group *g = group_get(c, r, e);

		if (g == NULL)
			continue;
		if (e->host != NULL)
			g->host = intern(c, e->host);
		switch (r->kind) {
		case FL_RULE_EVENT_COUNT:
		case FL_RULE_VALUE_COUNT:
			on_count(c, r, (uint32_t)cri, g, e);
			break;
		case FL_RULE_TEMPORAL:
			on_temporal(c, r, g, e);
			break;
		case FL_RULE_TEMPORAL_ORDERED:
			on_ordered(c, r, g, e);
			break;
		case FL_RULE_ABSENCE:
			on_absence(c, r, (uint32_t)cri, g, e);
			break;
		case FL_RULE_DETECTION:
			break;
		}
	}
}

struct fl_correlator *
fl_correlator_new(const struct fl_ruleset *rs, fl_corr_cb cb, void *ctx)
{
	struct fl_correlator *c = fl_xcalloc(1, sizeof *c);
	size_t i;

	c->rs = rs;
	c->cb = cb;
	c->ctx = ctx;
	c->now = NONE;
	c->swept_at = NONE;
	c->arena = fl_arena_new();
	c->cr_of = fl_xcalloc(rs->n ? rs->n : 1, sizeof *c->cr_of);
	c->cr = fl_xcalloc(rs->n ? rs->n : 1, sizeof *c->cr);
	for (i = 0; i < rs->n; i++) {
		const struct fl_rule *r = rs->rules[i];
		struct crule *cr;

		c->cr_of[i] = -1;
		if (r->corr == NULL)
			continue;
		cr = &c->cr[c->ncr];
		cr->rule = (uint32_t)i;
		cr->d = r->corr;
		cr->kind = r->info.kind;
		cr->tumbling = r->corr->has_cond && (r->corr->op == FL_OP_LT ||
		    r->corr->op == FL_OP_LTE || r->corr->op == FL_OP_EQ);
		c->cr_of[i] = (int32_t)c->ncr++;
	}
	return c;
}

void
fl_correlator_free(struct fl_correlator *c)
{
	size_t i, k;

	if (c == NULL)
		return;
	for (i = 0; i < c->ncr; i++) {
		for (k = 0; k < c->cr[i].cap; k++)
			if (c->cr[i].slots[k])
				group_free(c->cr[i].slots[k]);
		free(c->cr[i].slots);
	}
	free(c->cr);
	free(c->cr_of);
	free(c->heap);
	free(c->strs);
	free(c->itab);
	free(c->stamp);
	fl_buf_free(&c->key);
	fl_buf_free(&c->label);
	fl_arena_free(c->arena);
	free(c);
}

void
fl_correlator_feed(struct fl_correlator *c, const struct fl_corr_event *ev)
{
	struct ev e;

	/* Bounded times keep every window sum inside int64. */
	if (ev->rule >= c->rs->n)
		return;
	if (ev->time_us < -TIME_BOUND || ev->time_us > TIME_BOUND) {
		c->stats.untimed_events++;
		return;
	}
	advance(c, ev->time_us);
	/* Sweeping only here, between events, keeps group pointers valid
	 * while hits chain; a full table is swept as soon as time moved. */
	if (ev->time_us > c->now)
		c->now = ev->time_us;
	if (++c->fed % SWEEP_EVERY == 0 || (c->ngroups >= FL_CORR_MAX_GROUPS &&
	    c->now > c->swept_at)) {
		sweep(c);
		c->swept_at = c->now;
	}
	e.t = ev->time_us;
	e.rule = ev->rule;
	e.ids = &ev->id;
	e.nids = 1;
	e.host = ev->host;
	e.n_fields = ev->n_fields;
	e.names = ev->field_names;
	e.values = ev->field_values;
	dispatch(c, &e);
}

void
fl_correlator_finish(struct fl_correlator *c, int64_t end_us)
{
	advance(c, end_us);
	/* What is left ends at or after the end of the evidence: an awaited
	 * event that never came fires; a count window cut short does not. */
	while (c->nheap) {
		struct dl x = heap_pop(c);

		if (c->cr[x.cr].kind == FL_RULE_ABSENCE)
			on_deadline(c, &x, x.t < end_us ? x.t : end_us);
		else if (x.t <= end_us)
			on_deadline(c, &x, x.t);
	}
}

void
fl_correlator_stats(const struct fl_correlator *c, struct fl_corr_stats *out)
{
	*out = c->stats;
}
