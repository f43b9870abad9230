/* The line matcher: program index, required-literal prefilter, then the
 * condition tree with Sigma value semantics and PCRE2 (JIT) for |re. */
#include "config.h"

#include "fl_rules_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAPTURES 32
/* PCRE2 limits per match: a pathological pattern costs at most this much
 * and then counts as no match (fl_matcher_errors). */
#define RE_MATCH_LIMIT 1000000
#define RE_DEPTH_LIMIT 10000
#define RE_HEAP_LIMIT_KIB 65536
#define JIT_STACK_MAX (1024 * 1024)
#define MIN_LITERAL 2

/* ---- compile-time analysis: required literals and programs ---- */

struct req {
	int any;                   /* no requirement known */
	size_t n;
	enum fl_field_id field[FL_MAX_LITS];
	const char *s[FL_MAX_LITS];
	size_t len[FL_MAX_LITS];
};

static const struct req REQ_ANY = {1, 0, {0}, {0}, {0}};

static size_t
req_min(const struct req *r)
{
	size_t i, m = (size_t)-1;

	for (i = 0; i < r->n; i++)
		if (r->len[i] < m)
			m = r->len[i];
	return m;
}

/* AND: either requirement holds, keep the more selective one. */
static struct req
req_and(const struct req *a, const struct req *b)
{
	if (a->any)
		return *b;
	if (b->any)
		return *a;
	if (req_min(a) != req_min(b))
		return req_min(a) > req_min(b) ? *a : *b;
	return a->n <= b->n ? *a : *b;
}

/* OR: one of the alternatives' literals must occur. */
static struct req
req_or(const struct req *a, const struct req *b)
{
	struct req r = *a;
	size_t i;

	if (a->any || b->any || a->n + b->n > FL_MAX_LITS)
		return REQ_ANY;
	for (i = 0; i < b->n; i++) {
		r.field[r.n] = b->field[i];
		r.s[r.n] = b->s[i];
		r.len[r.n++] = b->len[i];
	}
	return r;
}

static struct req
req_lit(struct fl_ruleset *rs, enum fl_field_id field, const char *s,
    size_t n)
{
	struct req r = REQ_ANY;
	char *low;
	size_t i;

	if (n < MIN_LITERAL || (field != FL_FLD_MESSAGE && field != FL_FLD_RAW))
		return r;
	low = fl_arena_alloc(rs->arena, n + 1);
	for (i = 0; i < n; i++)
		low[i] = (char)fl_lower((unsigned char)s[i]);
	low[n] = '\0';
	r.any = 0;
	r.n = 1;
	r.field[0] = field;
	r.s[0] = low;
	r.len[0] = n;
	return r;
}

/* Skips a bracketed run starting at p[i] (one of "{<'") up to its closer. */
static size_t
skip_delim(const char *p, size_t n, size_t i)
{
	char close = p[i] == '{' ? '}' : p[i] == '<' ? '>' : '\'';

	while (i < n && p[i] != close)
		i++;
	return i < n ? i + 1 : n;
}

/* Skips a character class "[...]" starting at p[i]. */
static size_t
skip_class(const char *p, size_t n, size_t i)
{
	i++;
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	while (i < n && p[i] != ']') {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
			const char *e = strstr(p + i + 2, ":]");

			if (e != NULL && (size_t)(e - p) < n)
				i = (size_t)(e - p) + 1;
		}
		i++;
	}
	return i < n ? i + 1 : n;
}

/* Length of a quantifier at p[i] ("?", "*", "+", "{n,m}") with its lazy
 * or possessive suffix; *min gets its lower bound. 0 if none. */
static size_t
quantifier(const char *p, size_t n, size_t i, unsigned long *min)
{
	size_t j = i;

	if (i >= n)
		return 0;
	if (p[i] == '?' || p[i] == '*') {
		*min = 0;
		j++;
	} else if (p[i] == '+') {
		*min = 1;
		j++;
	} else if (p[i] == '{') {
		unsigned long v = 0;
		int digits = 0;

		j++;
		while (j < n && p[j] >= '0' && p[j] <= '9') {
			v = v * 10 + (unsigned long)(p[j++] - '0');
			digits = 1;
			if (v > 100000)
				v = 100000;
		}
		if (!digits)
			return 0;       /* a literal '{' */
		while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ','))
			j++;
		if (j >= n || p[j] != '}')
			return 0;
		j++;
		*min = v;
	} else {
		return 0;
	}
	if (j < n && (p[j] == '?' || p[j] == '+'))
		j++;
	return j - i;
}

/* Required literals of a regular expression, found by a small recursive
 * reading of the pattern: a sequence needs its best literal run or group,
 * an alternation needs one of its branches' requirements. Anything the
 * reader does not understand (verbs, recursion, conditionals, extended
 * mode, \Q...\E) means no requirement, which is always safe. */
struct rescan {
	struct fl_ruleset *rs;
	enum fl_field_id field;
	const char *p;
	size_t n, i;
	unsigned depth;
	int bad;
};

static struct req re_alt(struct rescan *x);

static void
flush_run(struct rescan *x, struct fl_buf *run, struct req *best)
{
	struct req r;

	if (run->len >= MIN_LITERAL) {
		r = req_lit(x->rs, x->field, run->data, run->len);
		*best = req_and(best, &r);
	}
	fl_buf_reset(run);
}

/* Reads a group at p[i] == '('; returns what it requires. */
static struct req
re_group(struct rescan *x)
{
	const char *p = x->p;
	size_t n = x->n;
	int content = 1;
	struct req r;

	if (++x->depth > 64) {
		x->bad = 1;
		return REQ_ANY;
	}
	x->i++;
	if (x->i < n && p[x->i] == '*') {
		x->bad = 1;             /* (*VERB) */
		return REQ_ANY;
	}
	if (x->i < n && p[x->i] == '?') {
		char c = x->i + 1 < n ? p[x->i + 1] : '\0';

		if (c == ':' || c == '|' || c == '>') {
			x->i += 2;
		} else if (c == '=' || c == '!') {
			/* a lookahead: what it looks for must be there too,
			 * unless it is negative */
			x->i += 2;
			content = c == '=';
		} else if (c == '<' && x->i + 2 < n &&
		    (p[x->i + 2] == '=' || p[x->i + 2] == '!')) {
			content = p[x->i + 2] == '=';
			x->i += 3;
		} else if (c == '<' || c == '\'' ||
		    (c == 'P' && x->i + 2 < n && p[x->i + 2] == '<')) {
			char close = c == '\'' ? '\'' : '>';

			x->i += c == 'P' ? 3 : 2;
			while (x->i < n && p[x->i] != close)
				x->i++;
			x->i++;
		} else if (c == '#') {
			while (x->i < n && p[x->i] != ')')
				x->i++;
			x->i++;
			x->depth--;
			return REQ_ANY;
		} else {
			size_t f = x->i + 1;

			while (f < n && strchr("imnsxJU^-", p[f]) != NULL &&
			    p[f] != '\0') {
				if (p[f] == 'x')
					x->bad = 1;
				f++;
			}
			if (x->bad || f >= n || (p[f] != ')' && p[f] != ':')) {
				x->bad = 1;     /* recursion, conditionals */
				return REQ_ANY;
			}
			x->i = f + 1;
			if (p[f] == ')') {
				x->depth--;
				return REQ_ANY; /* (?i): flags only */
			}
		}
	}
	r = re_alt(x);
	if (x->i >= n || p[x->i] != ')')
		x->bad = 1;
	x->i++;
	x->depth--;
	return content ? r : REQ_ANY;
}

/* A sequence of items up to '|' or ')'. */
static struct req
re_seq(struct rescan *x)
{
	const char *p = x->p;
	size_t n = x->n, q;
	struct fl_buf run = {0};
	struct req best = REQ_ANY, g;
	unsigned long min;

	while (x->i < n && !x->bad) {
		unsigned char ch = (unsigned char)p[x->i];
		int lit = 0;

		if (ch == '|' || ch == ')')
			break;
		min = 1;
		if (ch == '(') {
			flush_run(x, &run, &best);
			g = re_group(x);
			if ((q = quantifier(p, n, x->i, &min)) > 0)
				x->i += q;
			if (min > 0)
				best = req_and(&best, &g);
			continue;
		}
		if (ch == '\\' && x->i + 1 < n) {
			unsigned char d = (unsigned char)p[x->i + 1];

			if (d == 'Q' || d == 'E') {
				x->bad = 1;
				break;
			}
			if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') ||
			    (d >= '0' && d <= '9')) {
				x->i += 2;
				if (strchr("xopPNgk", d) != NULL) {
					if (x->i < n && (p[x->i] == '{' ||
					    p[x->i] == '<' || p[x->i] == '\''))
						x->i = skip_delim(p, n, x->i);
					else if (d == 'x')
						while (x->i < n && isxdigit(
						    (unsigned char)p[x->i]))
							x->i++;
					else if (d == 'p' || d == 'P')
						x->i++;
					else if (d == 'g')
						while (x->i < n && (p[x->i] == '-' ||
						    p[x->i] == '+' || isdigit(
						    (unsigned char)p[x->i])))
							x->i++;
				} else if (d == 'c') {
					x->i++;
				} else if (isdigit(d)) {
					while (x->i < n && isdigit(
					    (unsigned char)p[x->i]))
						x->i++;
				}
			} else {
				ch = d;
				x->i += 2;
				lit = 1;
			}
		} else if (ch == '[') {
			x->i = skip_class(p, n, x->i);
		} else if (ch == '.' || ch == '^' || ch == '$' || ch == '*' ||
		    ch == '+' || ch == '?' || ch == '{') {
			x->i++;
		} else {
			x->i++;
			lit = 1;
		}
		q = quantifier(p, n, x->i, &min);
		x->i += q;
		if (!lit || min == 0) {
			/* not a literal, or an optional one: the run ends */
			flush_run(x, &run, &best);
			continue;
		}
		fl_buf_addc(&run, (char)ch);
		if (q > 0) {
			/* "x+", "x{2}": x ends this run and starts the next */
			flush_run(x, &run, &best);
			fl_buf_addc(&run, (char)ch);
		}
	}
	flush_run(x, &run, &best);
	fl_buf_free(&run);
	return best;
}

static struct req
re_alt(struct rescan *x)
{
	struct req r = re_seq(x), b;

	while (!x->bad && x->i < x->n && x->p[x->i] == '|') {
		x->i++;
		b = re_seq(x);
		r = req_or(&r, &b);
	}
	return r;
}

static struct req
re_req(struct fl_ruleset *rs, enum fl_field_id field, const char *p,
    size_t n)
{
	struct rescan x = {rs, field, p, n, 0, 0, 0};
	struct req r;

	if (field != FL_FLD_MESSAGE && field != FL_FLD_RAW)
		return REQ_ANY;
	r = re_alt(&x);
	return x.bad || x.i < n ? REQ_ANY : r;
}

/* Longest literal segment of a normalised glob. */
static void
glob_literal(const char *p, size_t n, struct fl_buf *best)
{
	struct fl_buf run = {0};
	size_t i;

	fl_buf_reset(best);
	for (i = 0; i <= n; i++) {
		if (i < n && p[i] == '\\' && i + 1 < n) {
			fl_buf_addc(&run, p[++i]);
			continue;
		}
		if (i < n && p[i] != '*' && p[i] != '?') {
			fl_buf_addc(&run, p[i]);
			continue;
		}
		if (run.len > best->len) {
			fl_buf_reset(best);
			fl_buf_add(best, run.data, run.len);
		}
		fl_buf_reset(&run);
	}
	fl_buf_free(&run);
}

static struct req
req_val(struct fl_ruleset *rs, enum fl_field_id field, const struct fl_val *v)
{
	struct fl_buf lit = {0};
	struct req r;

	switch (v->kind) {
	case FL_V_EQ:
	case FL_V_PREFIX:
	case FL_V_SUFFIX:
	case FL_V_CONTAINS:
		return req_lit(rs, field, v->s, v->n);
	case FL_V_GLOB:
		glob_literal(v->s, v->n, &lit);
		break;
	case FL_V_RE:
		return re_req(rs, field, v->s, v->n);
	default:
		return REQ_ANY;
	}
	r = req_lit(rs, field, lit.data ? lit.data : "", lit.len);
	fl_buf_free(&lit);
	return r;
}

static struct req
req_fspec(struct fl_ruleset *rs, const struct fl_fspec *f)
{
	struct req r = f->all ? REQ_ANY : req_val(rs, f->field, &f->v[0]), x;
	size_t i;

	for (i = f->all ? 0 : 1; i < f->nv; i++) {
		x = req_val(rs, f->field, &f->v[i]);
		r = f->all ? req_and(&r, &x) : req_or(&r, &x);
	}
	return r;
}

static struct req
req_sel(struct fl_ruleset *rs, const struct fl_sel *s)
{
	struct req r = REQ_ANY, m, x;
	size_t a, f;

	for (a = 0; a < s->nalt; a++) {
		m = REQ_ANY;
		for (f = 0; f < s->alt[a].nf; f++) {
			x = req_fspec(rs, &s->alt[a].f[f]);
			m = req_and(&m, &x);
		}
		if (a == 0)
			r = m;
		else
			r = req_or(&r, &m);
	}
	return r;
}

static struct req
req_node(struct fl_ruleset *rs, const struct fl_det *d, uint32_t i)
{
	const struct fl_cnode *c = &d->cond[i];
	struct req a, b;

	switch (c->op) {
	case FL_C_SEL:
		return req_sel(rs, &d->sel[c->a]);
	case FL_C_NOT:
		return REQ_ANY;
	case FL_C_AND:
		a = req_node(rs, d, c->a);
		b = req_node(rs, d, c->b);
		return req_and(&a, &b);
	case FL_C_OR:
		a = req_node(rs, d, c->a);
		b = req_node(rs, d, c->b);
		return req_or(&a, &b);
	}
	return REQ_ANY;
}

/* Programs: the same algebra over "program equals one of these". */
struct preq {
	int any;
	size_t n;
	const struct fl_val *v[FL_MAX_LITS];
};
static const struct preq PREQ_ANY = {1, 0, {0}};

static struct preq
preq_and(const struct preq *a, const struct preq *b)
{
	if (a->any)
		return *b;
	if (b->any)
		return *a;
	return a->n <= b->n ? *a : *b;
}

static struct preq
preq_or(const struct preq *a, const struct preq *b)
{
	struct preq r = *a;
	size_t i;

	if (a->any || b->any || a->n + b->n > FL_MAX_LITS)
		return PREQ_ANY;
	for (i = 0; i < b->n; i++)
		r.v[r.n++] = b->v[i];
	return r;
}

static struct preq
preq_sel(const struct fl_sel *s)
{
	struct preq r = PREQ_ANY, m;
	size_t a, f, k;

	for (a = 0; a < s->nalt; a++) {
		m = PREQ_ANY;
		for (f = 0; f < s->alt[a].nf; f++) {
			const struct fl_fspec *fs = &s->alt[a].f[f];
			struct preq x = {0, 0, {0}};

			if (fs->field != FL_FLD_PROGRAM || fs->all ||
			    fs->nv > FL_MAX_LITS)
				continue;
			for (k = 0; k < fs->nv; k++)
				if (fs->v[k].kind != FL_V_EQ || fs->v[k].n == 0)
					break;
			if (k < fs->nv)
				continue;
			for (k = 0; k < fs->nv; k++)
				x.v[x.n++] = &fs->v[k];
			m = preq_and(&m, &x);
		}
		r = a == 0 ? m : preq_or(&r, &m);
	}
	return r;
}

static struct preq
preq_node(const struct fl_det *d, uint32_t i)
{
	const struct fl_cnode *c = &d->cond[i];
	struct preq a, b;

	switch (c->op) {
	case FL_C_SEL:
		return preq_sel(&d->sel[c->a]);
	case FL_C_NOT:
		return PREQ_ANY;
	case FL_C_AND:
		a = preq_node(d, c->a);
		b = preq_node(d, c->b);
		return preq_and(&a, &b);
	case FL_C_OR:
		a = preq_node(d, c->a);
		b = preq_node(d, c->b);
		return preq_or(&a, &b);
	}
	return PREQ_ANY;
}

void
fl_rule_prefilter(struct fl_ruleset *rs, struct fl_rule *r)
{
	struct req q = req_node(rs, r->det, r->det->root);
	struct preq p = preq_node(r->det, r->det->root);
	size_t i, k;

	if (!q.any && q.n > 0) {
		r->lits = fl_arena_alloc(rs->arena, q.n * sizeof *r->lits);
		r->nlits = q.n;
		for (i = 0; i < q.n; i++) {
			r->lits[i].field = q.field[i];
			r->lits[i].s = q.s[i];
			r->lits[i].n = q.len[i];
		}
	}
	if (!p.any && p.n > 0) {
		r->progs = fl_arena_alloc(rs->arena, p.n * sizeof *r->progs);
		for (i = 0; i < p.n; i++) {
			char *low = fl_arena_alloc(rs->arena, p.v[i]->n + 1);

			for (k = 0; k < p.v[i]->n; k++)
				low[k] = (char)fl_lower(
				    (unsigned char)p.v[i]->s[k]);
			low[k] = '\0';
			r->progs[i] = low;
		}
		r->nprogs = p.n;
	}
}

/* ---- the program index ---- */

static uint32_t
hash_lower(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ fl_lower((unsigned char)s[i])) * 16777619u;
	return h;
}

static struct fl_prog_slot *
prog_slot(const struct fl_ruleset *rs, const char *s, size_t n, int create)
{
	uint32_t h;
	size_t i, k;

	if (rs->prog_cap == 0)
		return NULL;
	h = hash_lower(s, n);
	for (i = h & (rs->prog_cap - 1);; i = (i + 1) & (rs->prog_cap - 1)) {
		struct fl_prog_slot *sl = &rs->prog[i];

		if (sl->name == NULL)
			return create ? sl : NULL;
		if (sl->len != n)
			continue;
		for (k = 0; k < n; k++)
			if (fl_lower((unsigned char)s[k]) !=
			    (unsigned char)sl->name[k])
				break;
		if (k == n)
			return sl;
	}
}

/* How common a pair of lower-cased bytes is in log text, roughly: a
 * literal is anchored where its leading pair (then its 4 bytes) is
 * least common, so that anchors rarely occur in lines. */
static unsigned
byte_weight(unsigned char c)
{
	if (c == ' ')
		return 16;
	if (c >= '0' && c <= '9')
		return 12;
	if (strchr("etaoinsr", c) != NULL && c != '\0')
		return 10;
	if (c >= 'a' && c <= 'z')
		return strchr("xjqzkvwy", c) != NULL ? 3 : 6;
	if (strchr(":.-/=[]()", c) != NULL && c != '\0')
		return 5;
	return 2;
}

static unsigned
pair_weight(unsigned char a, unsigned char b)
{
	static const char common[] =
	    "th he in er an re on at en nd ti es or te of ed is it al ar st "
	    "to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce "
	    "li ch ll be ma si om ur ss ac ion";
	char pair[3] = {(char)a, (char)b, '\0'};

	if (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z' &&
	    strstr(common, pair) != NULL)
		return 200;
	return byte_weight(a) * byte_weight(b);
}

/* Hash of a 4-byte (or 3-byte, top byte zero) anchor. */
static inline uint32_t
anchor_hash(uint32_t v)
{
	return (v * 0x9e3779b1u) >> (32 - FL_PF_HASH_BITS);
}

static void
add_literal(struct fl_ruleset *rs, const struct fl_lit *l, uint32_t rule,
    const uint32_t *seen)
{
	struct fl_plit *pl;
	size_t i, k, best = 0, alen = l->n >= 4 ? 4 : l->n, which = 4 - alen;
	unsigned long bw = ULONG_MAX;
	uint32_t v, h;
	int raw = l->field == FL_FLD_RAW;

	for (i = 0; i < rs->nplits; i++)
		if (rs->plits[i].raw == raw && rs->plits[i].n == l->n &&
		    memcmp(rs->plits[i].s, l->s, l->n) == 0)
			break;
	if (i == rs->nplits) {
		FL_GROW(rs->plits, rs->capplits, rs->nplits + 1);
		pl = &rs->plits[rs->nplits++];
		memset(pl, 0, sizeof *pl);
		pl->s = l->s;
		pl->n = l->n;
		pl->raw = raw;
		for (k = 0; k + alen <= l->n; k++) {
			unsigned char c0 = (unsigned char)l->s[k];
			unsigned char c1 = (unsigned char)l->s[k + 1];
			unsigned long w = (pair_weight(c0, c1) +
			    16UL * seen[c0 << 8 | c1]) * 1000UL;
			size_t j;

			for (j = 2; j < alen; j++)
				w += byte_weight((unsigned char)l->s[k + j]);
			if (w < bw) {
				bw = w;
				best = k;
			}
		}
		pl->off = (uint32_t)best;
		for (v = 0, k = 0; k < alen; k++)
			v = v << 8 | (unsigned char)l->s[best + k];
		h = anchor_hash(v);
		if (rs->pf_pair == NULL)
			rs->pf_pair = fl_xcalloc(65536 / 64, sizeof *rs->pf_pair);
		if (rs->pf_head[which] == NULL) {
			rs->pf_head[which] = fl_xreallocarray(NULL,
			    (size_t)1 << FL_PF_HASH_BITS, sizeof (uint32_t));
			memset(rs->pf_head[which], 0xff,
			    ((size_t)1 << FL_PF_HASH_BITS) * sizeof (uint32_t));
			rs->pf_bits[which] = fl_xcalloc(
			    ((size_t)1 << FL_PF_HASH_BITS) / 64, sizeof (uint64_t));
		}
		/* The pair bitmap is tested on the bytes as they are (first
		 * byte low), so it holds every case variant of the pair. */
		for (k = 0; k < 4; k++) {
			unsigned char c0 = (unsigned char)l->s[best];
			unsigned char c1 = (unsigned char)l->s[best + 1];

			if ((k & 1) && c0 >= 'a' && c0 <= 'z')
				c0 = (unsigned char)(c0 - 32);
			if ((k & 2) && c1 >= 'a' && c1 <= 'z')
				c1 = (unsigned char)(c1 - 32);
			v = (uint32_t)c1 << 8 | c0;
			rs->pf_pair[v >> 6] |= UINT64_C(1) << (v & 63);
		}
		pl->next = rs->pf_head[which][h];
		rs->pf_head[which][h] = (uint32_t)i;
		rs->pf_bits[which][h >> 6] |= UINT64_C(1) << (h & 63);
		rs->pf_raw |= raw;
	}
	pl = &rs->plits[i];
	if (pl->nrules && pl->rules[pl->nrules - 1] == rule)
		return;
	FL_GROW(pl->rules, pl->caprules, pl->nrules + 1);
	pl->rules[pl->nrules++] = rule;
}

void
fl_ruleset_build_index(struct fl_ruleset *rs)
{
	uint32_t *seen;
	size_t i, j, nprog = 0;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i]->det != NULL)
			nprog += rs->rules[i]->nprogs;
	rs->prog_cap = 16;
	while (rs->prog_cap < 2 * nprog)
		rs->prog_cap *= 2;
	rs->prog = fl_xcalloc(rs->prog_cap, sizeof *rs->prog);
	/* The rules' own example lines tell which byte pairs are common in
	 * logs; anchors avoid them. */
	seen = fl_xcalloc(65536, sizeof *seen);
	for (i = 0; i < rs->n; i++) {
		const struct fl_rule *r = rs->rules[i];

		for (j = 0; j < r->nex + r->ncex; j++) {
			const unsigned char *e = (const unsigned char *)(j < r->nex ?
			    r->ex[j].text : r->cex[j - r->nex].text);

			for (; e[0] && e[1]; e++)
				seen[fl_lower(e[0]) << 8 | fl_lower(e[1])]++;
		}
	}
	for (i = 0; i < rs->n; i++) {
		const struct fl_rule *r = rs->rules[i];

		if (r->det == NULL)
			continue;
		for (j = 0; j < r->nlits; j++)
			add_literal(rs, &r->lits[j], (uint32_t)i, seen);
		if (r->nprogs == 0 && r->nlits == 0) {
			rs->any = fl_xreallocarray(rs->any, rs->nany + 1,
			    sizeof *rs->any);
			rs->any[rs->nany++] = (uint32_t)i;
		}
		for (j = 0; j < r->nprogs; j++) {
			struct fl_prog_slot *sl = prog_slot(rs, r->progs[j],
			    strlen(r->progs[j]), 1);

			if (sl->name == NULL) {
				sl->name = r->progs[j];
				sl->len = strlen(r->progs[j]);
			}
			if (sl->n && sl->rules[sl->n - 1] == (uint32_t)i)
				continue;
			FL_GROW(sl->rules, sl->cap, sl->n + 1);
			sl->rules[sl->n++] = (uint32_t)i;
		}
	}
	free(seen);
}

/* ---- matching ---- */

enum { LOW_MESSAGE, LOW_RAW, LOW_N };

struct fl_matcher {
	const struct fl_ruleset *rs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jstack;
	uint64_t *errors;
	unsigned char low_tab[256];
	/* per line */
	const struct fl_match_input *in;
	struct fl_buf low[LOW_N];
	int low_ok[LOW_N];
	uint64_t *found;           /* rules whose literal occurs (bits) */
	uint32_t *flist;           /* the same rules, as a list */
	size_t nfound;
	struct fl_capture caps[MAX_CAPTURES];
	size_t ncaps;
	int re_error;
};

struct fl_matcher *
fl_matcher_new(const struct fl_ruleset *rs)
{
	struct fl_matcher *m = fl_xcalloc(1, sizeof *m);
	size_t i;

	m->rs = rs;
	m->md = pcre2_match_data_create(rs->max_groups + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jstack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
	if (m->md == NULL || m->mctx == NULL) {
		fl_matcher_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, RE_DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, RE_HEAP_LIMIT_KIB);
	if (m->jstack != NULL)
		pcre2_jit_stack_assign(m->mctx, NULL, m->jstack);
	m->errors = fl_xcalloc(rs->n ? rs->n : 1, sizeof *m->errors);
	m->found = fl_xcalloc(rs->n / 64 + 1, sizeof *m->found);
	m->flist = fl_xcalloc(rs->n ? rs->n : 1, sizeof *m->flist);
	for (i = 0; i < 256; i++)
		m->low_tab[i] = fl_lower((unsigned char)i);
	return m;
}

void
fl_matcher_free(struct fl_matcher *m)
{
	size_t i;

	if (m == NULL)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jstack);
	for (i = 0; i < LOW_N; i++)
		fl_buf_free(&m->low[i]);
	free(m->errors);
	free(m->found);
	free(m->flist);
	free(m);
}

uint64_t
fl_matcher_errors(const struct fl_matcher *m, size_t rule)
{
	return rule < m->rs->n ? m->errors[rule] : 0;
}

static const char *const facilities[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console",
	"solaris-cron", "local0", "local1", "local2", "local3", "local4",
	"local5", "local6", "local7"
};
static const char *const severities[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
};

static struct fl_span
name_span(const char *const *names, size_t n, int v)
{
	struct fl_span s = {NULL, 0};

	if (v >= 0 && (size_t)v < n) {
		s.p = names[v];
		s.n = strlen(names[v]);
	}
	return s;
}

/* The value of a field; p == NULL when the event has no such field. */
static struct fl_span
field_value(const struct fl_matcher *m, const struct fl_fspec *f)
{
	const struct fl_match_input *in = m->in;
	const struct fl_parsed *ps = in->parsed;
	struct fl_span none = {NULL, 0};
	size_t i, nl;

	switch (f->field) {
	case FL_FLD_HOST:
		return in->host.p && in->host.n ? in->host : none;
	case FL_FLD_PROGRAM:
		return ps ? ps->program : none;
	case FL_FLD_PID:
		return ps ? ps->pid : none;
	case FL_FLD_FACILITY:
		return ps ? name_span(facilities, sizeof facilities /
		    sizeof facilities[0], ps->facility) : none;
	case FL_FLD_SEVERITY:
		return ps ? name_span(severities, sizeof severities /
		    sizeof severities[0], ps->severity) : none;
	case FL_FLD_MESSAGE:
		return ps ? ps->message : in->raw;
	case FL_FLD_RAW:
		return in->raw;
	case FL_FLD_SOURCE:
		return in->source;
	case FL_FLD_OTHER:
		break;
	}
	nl = strlen(f->name);
	for (i = m->ncaps; i-- > 0;)
		if (strcmp(m->caps[i].name, f->name) == 0)
			return m->caps[i].value;
	if (ps != NULL)
		for (i = 0; i < ps->n_extra; i++)
			if (ps->extra_name[i].n == nl &&
			    memcmp(ps->extra_name[i].p, f->name, nl) == 0)
				return ps->extra_value[i];
	return none;
}

static const struct fl_buf *
lowered(struct fl_matcher *m, int which, struct fl_span v)
{
	struct fl_buf *b = &m->low[which];
	const unsigned char *t = m->low_tab;
	size_t i;

	if (m->low_ok[which])
		return b;
	fl_buf_reset(b);
	fl_buf_reserve(b, v.n);
	for (i = 0; i < v.n; i++)
		b->data[i] = (char)t[(unsigned char)v.p[i]];
	b->len = v.n;
	b->data[v.n] = '\0';
	m->low_ok[which] = 1;
	return b;
}

static void
mark_found(struct fl_matcher *m, const struct fl_plit *pl)
{
	size_t k;

	for (k = 0; k < pl->nrules; k++) {
		uint32_t r = pl->rules[k];

		if (m->found[r >> 6] & (UINT64_C(1) << (r & 63)))
			continue;
		m->found[r >> 6] |= UINT64_C(1) << (r & 63);
		m->flist[m->nfound++] = r;
	}
}

static void
check_chain(struct fl_matcher *m, uint32_t li, const unsigned char *s,
    size_t n, size_t at, size_t lo, size_t hi, int with_msg, int with_raw)
{
	const struct fl_ruleset *rs = m->rs;
	const unsigned char *t = m->low_tab;
	size_t k;

	for (; li != UINT32_MAX; li = rs->plits[li].next) {
		const struct fl_plit *pl = &rs->plits[li];
		size_t from = pl->raw ? 0 : lo, to = pl->raw ? n : hi;

		if ((pl->raw ? !with_raw : !with_msg) || at < from + pl->off ||
		    at - pl->off + pl->n > to)
			continue;
		for (k = 0; k < pl->n; k++)
			if (t[s[at - pl->off + k]] != (unsigned char)pl->s[k])
				break;
		if (k == pl->n)
			mark_found(m, pl);
	}
}

/* s[0] | s[1] << 8, in one load where the byte order allows. */
static inline uint32_t
load_pair(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
#else
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
#endif
}

/* One pass over s[0..n) finds every indexed literal: literals of message
 * count inside [lo, hi) only, literals of raw anywhere (when with_raw).
 * A bitmap of the anchors' leading byte pairs rejects almost every
 * position with one test; hashed bitmaps of whole anchors come next. */
static void
scan_literals(struct fl_matcher *m, const unsigned char *s, size_t n,
    size_t lo, size_t hi, int with_msg, int with_raw)
{
	const struct fl_ruleset *rs = m->rs;
	const unsigned char *t = m->low_tab;
	const uint64_t *pb = rs->pf_pair, *b4 = rs->pf_bits[0],
	    *b3 = rs->pf_bits[1], *b2 = rs->pf_bits[2];
	size_t a, start = with_raw ? 0 : lo, end = with_raw ? n : hi;
	uint32_t pair, v, h;

	if (end - start < 2)
		return;
	for (a = start; a + 1 < end; a++) {
		uint32_t raw2 = load_pair(s + a);

		if (!(pb[raw2 >> 6] & (UINT64_C(1) << (raw2 & 63))))
			continue;
		pair = (uint32_t)t[s[a]] << 8 | t[s[a + 1]];
		if (b2 != NULL) {
			h = anchor_hash(pair);
			if (b2[h >> 6] & (UINT64_C(1) << (h & 63)))
				check_chain(m, rs->pf_head[2][h], s, n, a, lo, hi,
				    with_msg, with_raw);
		}
		if (a + 3 > end)
			continue;
		v = pair << 8 | t[s[a + 2]];
		if (b3 != NULL) {
			h = anchor_hash(v);
			if (b3[h >> 6] & (UINT64_C(1) << (h & 63)))
				check_chain(m, rs->pf_head[1][h], s, n, a, lo, hi,
				    with_msg, with_raw);
		}
		if (b4 == NULL || a + 4 > end)
			continue;
		v = v << 8 | t[s[a + 3]];
		h = anchor_hash(v);
		if (b4[h >> 6] & (UINT64_C(1) << (h & 63)))
			check_chain(m, rs->pf_head[0][h], s, n, a, lo, hi,
			    with_msg, with_raw);
	}
}

static void
find_literals(struct fl_matcher *m)
{
	const struct fl_match_input *in = m->in;
	struct fl_span msg = in->parsed ? in->parsed->message : in->raw;
	const unsigned char *raw = (const unsigned char *)in->raw.p;

	if (m->rs->nplits == 0)
		return;
	if (msg.p >= in->raw.p && msg.p + msg.n <= in->raw.p + in->raw.n) {
		size_t lo = (size_t)(msg.p - in->raw.p);

		scan_literals(m, raw, in->raw.n, lo, lo + msg.n, 1,
		    m->rs->pf_raw);
		return;
	}
	/* The message is not part of the raw line (decoded JSON). */
	scan_literals(m, (const unsigned char *)msg.p, msg.n, 0, msg.n, 1, 0);
	if (m->rs->pf_raw)
		scan_literals(m, raw, in->raw.n, 0, in->raw.n, 0, 1);
}

static int
eq_ci(const char *a, const char *low, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fl_lower((unsigned char)a[i]) != (unsigned char)low[i])
			return 0;
	return 1;
}

static int
eq_cmp(const char *a, const char *b, size_t n, int cased)
{
	return cased ? memcmp(a, b, n) == 0 : eq_ci(a, b, n);
}

static int
find_ci(struct fl_span v, const char *s, size_t n, int cased)
{
	size_t i;

	if (cased)
		return memmem(v.p, v.n, s, n) != NULL;
	for (i = 0; i + n <= v.n; i++)
		if (fl_lower((unsigned char)v.p[i]) == (unsigned char)s[0] &&
		    eq_ci(v.p + i, s, n))
			return 1;
	return 0;
}

/* Sigma wildcards over a normalised pattern ('\' escapes the next byte). */
static int
glob_match(const char *p, size_t pn, const char *s, size_t sn, int cased)
{
	size_t i = 0, j = 0, star_i = (size_t)-1, star_j = 0;

	while (j < sn) {
		if (i < pn && p[i] == '*') {
			star_i = ++i;
			star_j = j;
			continue;
		}
		if (i < pn) {
			unsigned char pc = (unsigned char)p[i];
			unsigned char sc = (unsigned char)s[j];
			size_t adv = 1;

			if (pc == '?') {
				i++;
				j++;
				continue;
			}
			if (pc == '\\' && i + 1 < pn) {
				pc = (unsigned char)p[i + 1];
				adv = 2;
			}
			if (!cased)
				sc = fl_lower(sc);
			if (pc == sc) {
				i += adv;
				j++;
				continue;
			}
		}
		if (star_i == (size_t)-1)
			return 0;
		i = star_i;
		j = ++star_j;
	}
	while (i < pn && p[i] == '*')
		i++;
	return i == pn;
}

static int
cidr_match(const struct fl_val *v, struct fl_span s)
{
	unsigned char a[16];
	char buf[64];
	const unsigned char *x = a;
	unsigned full, rem;

	if (s.n == 0 || s.n >= sizeof buf)
		return 0;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	if (v->family == 4) {
		if (inet_pton(AF_INET, buf, a) != 1) {
			static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0,
			    0, 0, 0, 0, 0xff, 0xff};

			if (inet_pton(AF_INET6, buf, a) != 1 ||
			    memcmp(a, mapped, 12) != 0)
				return 0;
			x = a + 12;
		}
	} else if (inet_pton(AF_INET6, buf, a) != 1) {
		return 0;
	}
	full = v->bits / 8;
	rem = v->bits % 8;
	if (memcmp(x, v->addr, full) != 0)
		return 0;
	if (rem) {
		unsigned char mask = (unsigned char)(0xff << (8 - rem));

		if ((x[full] & mask) != (v->addr[full] & mask))
			return 0;
	}
	return 1;
}

static int
re_match(struct fl_matcher *m, const struct fl_val *v, struct fl_span s)
{
	int rc;
	uint32_t g;
	PCRE2_SIZE *ov;

	rc = pcre2_match(v->re, (PCRE2_SPTR)(s.p ? s.p : ""), s.n, 0, 0, m->md,
	    m->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		m->re_error = 1;
		return 0;
	}
	if (v->names == NULL)
		return 1;
	ov = pcre2_get_ovector_pointer(m->md);
	for (g = 1; g <= v->n_groups && g < (uint32_t)rc; g++) {
		if (v->names[g] == NULL || ov[2 * g] == PCRE2_UNSET ||
		    m->ncaps >= MAX_CAPTURES)
			continue;
		m->caps[m->ncaps].name = v->names[g];
		m->caps[m->ncaps].value.p = s.p + ov[2 * g];
		m->caps[m->ncaps].value.n = ov[2 * g + 1] - ov[2 * g];
		m->ncaps++;
	}
	return 1;
}

static int
match_val(struct fl_matcher *m, const struct fl_fspec *f,
    const struct fl_val *v, struct fl_span s)
{
	int present = s.p != NULL;

	switch (v->kind) {
	case FL_V_NULL:
		return !present || s.n == 0;
	case FL_V_EXISTS:
		return (present && s.n > 0) == v->want;
	case FL_V_EQ:
		if (v->n == 0)
			return !present || s.n == 0;
		return present && s.n == v->n && eq_cmp(s.p, v->s, v->n,
		    v->cased);
	default:
		break;
	}
	if (!present)
		return 0;
	switch (v->kind) {
	case FL_V_PREFIX:
		return s.n >= v->n && eq_cmp(s.p, v->s, v->n, v->cased);
	case FL_V_SUFFIX:
		return s.n >= v->n && eq_cmp(s.p + s.n - v->n, v->s, v->n,
		    v->cased);
	case FL_V_CONTAINS:
		if (v->n == 0)
			return 1;
		if (s.n < v->n)
			return 0;
		if (!v->cased && (f->field == FL_FLD_MESSAGE ||
		    f->field == FL_FLD_RAW)) {
			const struct fl_buf *b = lowered(m, f->field ==
			    FL_FLD_RAW ? LOW_RAW : LOW_MESSAGE, s);

			return memmem(b->data, b->len, v->s, v->n) != NULL;
		}
		return find_ci(s, v->s, v->n, v->cased);
	case FL_V_GLOB:
		return glob_match(v->s, v->n, s.p, s.n, v->cased);
	case FL_V_RE:
		return re_match(m, v, s);
	case FL_V_CIDR:
		return cidr_match(v, s);
	default:
		return 0;
	}
}

static int
eval_fspec(struct fl_matcher *m, const struct fl_fspec *f)
{
	struct fl_span s = field_value(m, f);
	size_t i;

	for (i = 0; i < f->nv; i++) {
		int r = match_val(m, f, &f->v[i], s);

		if (f->all && !r)
			return 0;
		if (!f->all && r)
			return 1;
	}
	return f->all;
}

static int
eval_sel(struct fl_matcher *m, const struct fl_sel *s)
{
	size_t a, f, save = m->ncaps;

	for (a = 0; a < s->nalt; a++) {
		for (f = 0; f < s->alt[a].nf; f++)
			if (!eval_fspec(m, &s->alt[a].f[f]))
				break;
		if (f == s->alt[a].nf)
			return 1;
		m->ncaps = save;
	}
	return 0;
}

/* Captures made inside a branch that turns out false are dropped. */
static int
eval_node(struct fl_matcher *m, const struct fl_det *d, uint32_t i)
{
	const struct fl_cnode *c = &d->cond[i];
	size_t save = m->ncaps;
	int r;

	switch (c->op) {
	case FL_C_SEL:
		return eval_sel(m, &d->sel[c->a]);
	case FL_C_NOT:
		r = !eval_node(m, d, c->a);
		m->ncaps = save;
		return r;
	case FL_C_AND:
		r = eval_node(m, d, c->a) && eval_node(m, d, c->b);
		break;
	case FL_C_OR:
		r = eval_node(m, d, c->a) || eval_node(m, d, c->b);
		break;
	default:
		r = 0;
	}
	if (!r)
		m->ncaps = save;
	return r;
}

static const uint32_t *
prog_rules(const struct fl_matcher *m, size_t *n)
{
	const struct fl_parsed *ps = m->in->parsed;
	const struct fl_prog_slot *sl;

	*n = 0;
	if (ps == NULL || ps->program.n == 0)
		return NULL;
	sl = prog_slot(m->rs, ps->program.p, ps->program.n, 0);
	if (sl == NULL)
		return NULL;
	*n = sl->n;
	return sl->rules;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
is_found(const struct fl_matcher *m, uint32_t r)
{
	return (m->found[r >> 6] >> (r & 63)) & 1;
}

size_t
fl_matcher_run(struct fl_matcher *m, const struct fl_match_input *in,
    fl_hit_cb cb, void *ctx)
{
	const struct fl_ruleset *rs = m->rs;
	const uint32_t *pl;
	uint32_t anyfound[64], *af = anyfound;
	size_t np, naf = 0, i = 0, j = 0, k = 0, hits = 0;

	m->in = in;
	m->low_ok[LOW_MESSAGE] = m->low_ok[LOW_RAW] = 0;
	m->nfound = 0;
	find_literals(m);
	/* Found rules that need no program join the program's rules and the
	 * rules that need neither; all three lists are in rule order. */
	if (m->nfound > sizeof anyfound / sizeof anyfound[0])
		af = fl_xreallocarray(NULL, m->nfound, sizeof *af);
	for (i = 0; i < m->nfound; i++)
		if (rs->rules[m->flist[i]]->nprogs == 0)
			af[naf++] = m->flist[i];
	if (naf > 1)
		qsort(af, naf, sizeof *af, cmp_u32);
	pl = prog_rules(m, &np);
	i = 0;
	for (;;) {
		uint32_t idx = UINT32_MAX;
		const struct fl_rule *r;
		struct fl_hit hit;

		if (i < np)
			idx = pl[i];
		if (j < rs->nany && rs->any[j] < idx)
			idx = rs->any[j];
		if (k < naf && af[k] < idx)
			idx = af[k];
		if (idx == UINT32_MAX)
			break;
		if (i < np && pl[i] == idx)
			i++;
		if (j < rs->nany && rs->any[j] == idx)
			j++;
		if (k < naf && af[k] == idx)
			k++;
		r = rs->rules[idx];
		if (r->nlits && !is_found(m, idx))
			continue;
		m->ncaps = 0;
		m->re_error = 0;
		if (eval_node(m, r->det, r->det->root)) {
			hit.rule = idx;
			hit.n_captures = m->ncaps;
			hit.captures = m->caps;
			cb(ctx, &hit);
			hits++;
		}
		if (m->re_error)
			m->errors[idx]++;
	}
	for (i = 0; i < m->nfound; i++)
		m->found[m->flist[i] >> 6] = 0;
	if (af != anyfound)
		free(af);
	return hits;
}
