/* The line matcher: program index, required-literal prefilter, then the
 * condition tree with Sigma value semantics and PCRE2 (JIT) for |re. */
#include "config.h"

#include "fl_rules_int.h"

/* FL_NO_HYPERSCAN builds the portable prefilter alone (tested so). */
#if defined(HAVE_HYPERSCAN) && !defined(FL_NO_HYPERSCAN)
#define FL_HYPERSCAN 1
#include <hs.h>
#endif

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
/* Larger blocks (a 7-Zip member handed over whole) are searched line by
 * line, so that the hits held for a block stay a few MiB at most. */
#define PRESCAN_MAX (4u << 20)

/* ---- compile-time analysis: required literals and programs ---- */

/* A requirement in conjunctive form: every clause must have one of its
 * literals in the line. AND keeps both sides' clauses, OR joins a clause
 * of each side (A1 and A2, or B1 and B2, implies A1 or B1). */
struct clause {
	size_t n;
	enum fl_field_id field[FL_MAX_LITS];
	const char *s[FL_MAX_LITS];
	size_t len[FL_MAX_LITS];
};

struct req {
	int any;                   /* no requirement known */
	size_t nc;
	struct clause c[FL_MAX_CLAUSES];
};

static const struct req REQ_ANY = {1, 0, {{0, {0}, {0}, {0}}}};

static size_t
alnum_count(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += isalnum((unsigned char)s[i]) != 0;
	return k;
}

/* Words most log lines carry, whatever the program: a literal inside one
 * of them says little about a line. */
static const char *const common_words[] = {
	"accepted", "activated", "active", "and", "closed", "connection",
	"daemon", "deleted", "denied", "device", "disconnect", "error",
	"failed", "finished", "for", "from", "info", "kernel", "login",
	"message", "network", "not", "opened", "pam_unix", "port", "process",
	"received", "removed", "request", "root", "service", "session",
	"source", "started", "status", "stopped", "system", "the", "time",
	"user", "warning", "with", "/dev/null", "uid=",
};

static int
common_literal(const char *s, size_t n)
{
	size_t i, b = 0, e = n;

	/* the literal's text without the spaces and marks around it */
	while (b < e && !isalnum((unsigned char)s[b]) && s[b] != '/')
		b++;
	while (e > b && !isalnum((unsigned char)s[e - 1]) &&
	    s[e - 1] != '=')
		e--;
	if (b == e)
		return 1;
	for (i = 0; i < sizeof common_words / sizeof common_words[0]; i++) {
		size_t wn = strlen(common_words[i]);
		const char *w = common_words[i];
		size_t k;

		for (k = 0; k + (e - b) <= wn; k++)
			if (memcmp(w + k, s + b, e - b) == 0)
				return 1;
	}
	return 0;
}

/* Roughly how often a clause holds in log text: each literal counts for
 * less the longer its words are, and much more when it is punctuation and
 * a letter or two (": ", "])"), three letters inside a word ("ufw", a tag
 * in every firewall line; "epo " has to end a word), or part of a common
 * word. */
static unsigned long
clause_cost(const struct clause *c)
{
	unsigned long cost = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const char *s = c->s[i];
		size_t n = c->len[i], a = alnum_count(s, n);
		int word_end = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');

		cost += (1UL << (16 - (a < 14 ? a : 14))) *
		    (a < 3 || (a == 3 && !word_end) ||
		    common_literal(s, n) ? 64 : 1);
	}
	return cost;
}

/* A clause worth searching for besides the rarest one: every literal is a
 * word of some length that most lines do not have. */
static int
strong_clause(const struct clause *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (alnum_count(c->s[i], c->len[i]) < 4 ||
		    common_literal(c->s[i], c->len[i]))
			return 0;
	return 1;
}

static int
cmp_clause(const void *a, const void *b)
{
	unsigned long x = clause_cost(a), y = clause_cost(b);

	return x < y ? -1 : x > y;
}

static int
same_clause(const struct clause *a, const struct clause *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->field[i] != b->field[i] || a->len[i] != b->len[i] ||
		    memcmp(a->s[i], b->s[i], a->len[i]) != 0)
			return 0;
	return 1;
}

/* Sorted by cost; the rarest FL_MAX_CLAUSES kept, and a clause that is
 * not strong only when it is the rarest: every clause's literals are
 * searched in every line, so a common one would cost more than it saves. */
static struct req
req_and(const struct req *a, const struct req *b)
{
	struct clause all[2 * FL_MAX_CLAUSES];
	struct req r = {0, 0, {{0, {0}, {0}, {0}}}};
	size_t i, j, n = 0;

	if (a->any)
		return *b;
	if (b->any)
		return *a;
	for (i = 0; i < a->nc; i++)
		all[n++] = a->c[i];
	for (i = 0; i < b->nc; i++)
		all[n++] = b->c[i];
	qsort(all, n, sizeof *all, cmp_clause);
	for (i = 0; i < n && r.nc < FL_MAX_CLAUSES; i++) {
		if (r.nc > 0 && !strong_clause(&all[i]))
			continue;
		for (j = 0; j < r.nc; j++)
			if (same_clause(&r.c[j], &all[i]))
				break;
		if (j == r.nc)
			r.c[r.nc++] = all[i];
	}
	return r;
}

static struct req
req_or(const struct req *a, const struct req *b)
{
	struct req x = *a, y = *b, r = {0, 0, {{0, {0}, {0}, {0}}}};
	size_t k, i;

	if (a->any || b->any)
		return REQ_ANY;
	qsort(x.c, x.nc, sizeof *x.c, cmp_clause);
	qsort(y.c, y.nc, sizeof *y.c, cmp_clause);
	for (k = 0; k < x.nc && k < y.nc; k++) {
		struct clause *c = &r.c[r.nc];

		if (x.c[k].n + y.c[k].n > FL_MAX_LITS)
			continue;
		*c = x.c[k];
		for (i = 0; i < y.c[k].n; i++) {
			c->field[c->n] = y.c[k].field[i];
			c->s[c->n] = y.c[k].s[i];
			c->len[c->n++] = y.c[k].len[i];
		}
		r.nc++;
	}
	return r.nc ? r : REQ_ANY;
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
	r.nc = 1;
	r.c[0].n = 1;
	r.c[0].field[0] = field;
	r.c[0].s[0] = low;
	r.c[0].len[0] = n;
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
	struct fl_rule_gate *g = &r->gate;
	size_t i, k;

	if (!q.any && q.nc > 0) {
		size_t c, n = 0;

		for (c = 0; c < q.nc; c++)
			n += q.c[c].n;
		g->lits = fl_arena_alloc(rs->arena, n * sizeof *g->lits);
		for (c = 0; c < q.nc; c++)
			for (i = 0; i < q.c[c].n; i++) {
				struct fl_rule_literal *l = &g->lits[g->nlits++];

				l->raw = q.c[c].field[i] == FL_FLD_RAW;
				l->s = q.c[c].s[i];
				l->n = q.c[c].len[i];
				l->clause = (unsigned)c;
			}
		g->all_clauses = (1u << q.nc) - 1;
	}
	if (!p.any && p.n > 0) {
		g->progs = fl_arena_alloc(rs->arena, p.n * sizeof *g->progs);
		for (i = 0; i < p.n; i++) {
			char *low = fl_arena_alloc(rs->arena, p.v[i]->n + 1);

			for (k = 0; k < p.v[i]->n; k++)
				low[k] = (char)fl_lower(
				    (unsigned char)p.v[i]->s[k]);
			low[k] = '\0';
			g->progs[i].p = low;
			g->progs[i].n = k;
		}
		g->nprogs = p.n;
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
add_literal(struct fl_ruleset *rs, const struct fl_rule_literal *l,
    uint32_t rule,
    const uint32_t *seen)
{
	unsigned bit = 1u << l->clause;
	struct fl_plit *pl;
	size_t i, k, best = 0, alen = l->n >= 4 ? 4 : l->n, which = 4 - alen;
	unsigned long bw = ULONG_MAX;
	uint32_t v, h;
	int raw = l->raw;

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
	if (pl->nuses && pl->uses[pl->nuses - 1].rule == rule &&
	    pl->uses[pl->nuses - 1].clause_bit == bit)
		return;
	FL_GROW(pl->uses, pl->capuses, pl->nuses + 1);
	pl->uses[pl->nuses].rule = rule;
	pl->uses[pl->nuses++].clause_bit = bit;
}

/* Hyperscan finds all the literals in one SIMD pass, several times faster
 * than the anchors; it is only a faster way to the same set of found
 * literals, so a database it refuses (or a CPU it cannot use) leaves the
 * anchors in charge with the same results. */
static void
build_hs(struct fl_ruleset *rs)
{
#ifdef FL_HYPERSCAN
	const char **exprs;
	unsigned *flags, *ids;
	size_t *lens, i;
	hs_compile_error_t *cerr = NULL;

	if (rs->nplits == 0 || rs->nplits > UINT_MAX ||
	    hs_valid_platform() != HS_SUCCESS)
		return;
	exprs = fl_xreallocarray(NULL, rs->nplits, sizeof *exprs);
	flags = fl_xreallocarray(NULL, rs->nplits, sizeof *flags);
	ids = fl_xreallocarray(NULL, rs->nplits, sizeof *ids);
	lens = fl_xreallocarray(NULL, rs->nplits, sizeof *lens);
	for (i = 0; i < rs->nplits; i++) {
		exprs[i] = rs->plits[i].s;
		lens[i] = rs->plits[i].n;
		flags[i] = HS_FLAG_CASELESS;
		ids[i] = (unsigned)i;
	}
	if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)rs->nplits,
	    HS_MODE_BLOCK, NULL, &rs->hs_db, &cerr) != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		rs->hs_db = NULL;
	}
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
#else
	(void)rs;
#endif
}

void
fl_ruleset_build_index(struct fl_ruleset *rs)
{
	uint32_t *seen;
	size_t i, j, nprog = 0;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i]->det != NULL)
			nprog += rs->rules[i]->gate.nprogs;
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
		for (j = 0; j < r->gate.nlits; j++)
			add_literal(rs, &r->gate.lits[j], (uint32_t)i, seen);
		if (r->gate.nlits > 0)
			continue;
		if (r->gate.nprogs == 0) {
			rs->any = fl_xreallocarray(rs->any, rs->nany + 1,
			    sizeof *rs->any);
			rs->any[rs->nany++] = (uint32_t)i;
		}
		for (j = 0; j < r->gate.nprogs; j++) {
			const struct fl_span *pg = &r->gate.progs[j];
			struct fl_prog_slot *sl = prog_slot(rs, pg->p, pg->n, 1);

			if (sl->name == NULL) {
				sl->name = pg->p;
				sl->len = pg->n;
				rs->prog_lens |= UINT64_C(1) <<
				    (sl->len < 63 ? sl->len : 63);
			}
			if (sl->n && sl->rules[sl->n - 1] == (uint32_t)i)
				continue;
			FL_GROW(sl->rules, sl->cap, sl->n + 1);
			sl->rules[sl->n++] = (uint32_t)i;
		}
	}
	free(seen);
	build_hs(rs);
}

void
fl_ruleset_free_index(struct fl_ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->prog_cap; i++)
		free(rs->prog[i].rules);
	free(rs->prog);
	free(rs->any);
	for (i = 0; i < rs->nplits; i++)
		free(rs->plits[i].uses);
	free(rs->plits);
	for (i = 0; i < 3; i++) {
		free(rs->pf_head[i]);
		free(rs->pf_bits[i]);
	}
	free(rs->pf_pair);
#ifdef FL_HYPERSCAN
	hs_free_database(rs->hs_db);
#endif
}

/* ---- matching ---- */

enum { LOW_MESSAGE, LOW_RAW, LOW_N };

#ifdef FL_HYPERSCAN
struct prehit {
	size_t end;                /* offset in the block just past it */
	uint32_t plit;
};
#endif

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
	unsigned char *sat;        /* per rule: its clauses satisfied (bits) */
	uint32_t *flist;           /* the rules with some clause satisfied */
	uint32_t *cand;            /* the rules to try on this line */
	size_t nfound;
	struct fl_capture caps[MAX_CAPTURES];
	size_t ncaps;
	int re_error;
#ifdef FL_HYPERSCAN
	hs_scratch_t *hs_scratch;
	/* the region being scanned: s[0..n), message at [lo, hi) */
	size_t scan_base, lo, hi;
	int with_msg, with_raw;
	/* the block searched by fl_matcher_prescan and what it found, in
	 * order of end offset; next: the first not yet used by a line */
	const char *block;
	size_t block_len;
	struct prehit *pre;
	size_t npre, cappre, next;
	int pre_sorted;
#endif
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
#ifdef FL_HYPERSCAN
	if (rs->hs_db != NULL &&
	    hs_alloc_scratch(rs->hs_db, &m->hs_scratch) != HS_SUCCESS) {
		fl_matcher_free(m);
		return NULL;
	}
#endif
	m->errors = fl_xcalloc(rs->n ? rs->n : 1, sizeof *m->errors);
	m->sat = fl_xcalloc(rs->n ? rs->n : 1, sizeof *m->sat);
	m->cand = fl_xcalloc(rs->n ? rs->n : 1, sizeof *m->cand);
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
#ifdef FL_HYPERSCAN
	hs_free_scratch(m->hs_scratch);
	free(m->pre);
#endif
	for (i = 0; i < LOW_N; i++)
		fl_buf_free(&m->low[i]);
	free(m->errors);
	free(m->sat);
	free(m->cand);
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

	for (k = 0; k < pl->nuses; k++) {
		uint32_t r = pl->uses[k].rule;

		if (m->sat[r] == 0)
			m->flist[m->nfound++] = r;
		m->sat[r] |= (unsigned char)pl->uses[k].clause_bit;
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

#ifdef FL_HYPERSCAN
static int
on_literal(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *vm)
{
	struct fl_matcher *m = vm;
	const struct fl_plit *pl = &m->rs->plits[id];
	size_t end = m->scan_base + (size_t)to, begin = end - pl->n;

	(void)from;
	(void)flags;
	if (pl->raw ? m->with_raw : (m->with_msg && begin >= m->lo &&
	    end <= m->hi))
		mark_found(m, pl);
	return 0;
}

/* The same contract as scan_literals, by Hyperscan. */
static void
hs_literals(struct fl_matcher *m, const unsigned char *s, size_t n,
    size_t lo, size_t hi, int with_msg, int with_raw)
{
	size_t start = with_raw ? 0 : lo, end = with_raw ? n : hi;

	/* too short for any literal (and s may be NULL when empty) */
	if (end - start < MIN_LITERAL)
		return;
	if (end - start > UINT_MAX) {
		scan_literals(m, s, n, lo, hi, with_msg, with_raw);
		return;
	}
	m->scan_base = start;
	m->lo = lo;
	m->hi = hi;
	m->with_msg = with_msg;
	m->with_raw = with_raw;
	hs_scan(m->rs->hs_db, (const char *)s + start, (unsigned)(end - start),
	    0, m->hs_scratch, on_literal, m);
}

static int
on_block_literal(unsigned int id, unsigned long long from,
    unsigned long long to, unsigned int flags, void *vm)
{
	struct fl_matcher *m = vm;

	(void)from;
	(void)flags;
	FL_GROW(m->pre, m->cappre, m->npre + 1);
	if (m->npre > 0 && m->pre[m->npre - 1].end > (size_t)to)
		m->pre_sorted = 0;
	m->pre[m->npre].end = (size_t)to;
	m->pre[m->npre++].plit = id;
	return 0;
}

static int
cmp_prehit(const void *a, const void *b)
{
	const struct prehit *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->plit < y->plit ? -1 : x->plit > y->plit;
}

void
fl_matcher_prescan(struct fl_matcher *m, const char *data, size_t n)
{
	m->block = NULL;
	m->npre = m->next = 0;
	if (m->hs_scratch == NULL || n > PRESCAN_MAX)
		return;
	m->pre_sorted = 1;
	if (hs_scan(m->rs->hs_db, data, (unsigned)n, 0, m->hs_scratch,
	    on_block_literal, m) != HS_SUCCESS)
		return;
	if (!m->pre_sorted)
		qsort(m->pre, m->npre, sizeof *m->pre, cmp_prehit);
	m->block = data;
	m->block_len = n;
}

/* The literals of a line inside the prescanned block, from the block's
 * hits: those that lie whole in the line, message literals within
 * [lo, hi) of it. Lines come in order, so the hits are used in order. */
static int
from_block(struct fl_matcher *m, const char *s, size_t n, size_t lo,
    size_t hi, int with_raw)
{
	size_t off, begin, end;

	if (m->block == NULL || (uintptr_t)s < (uintptr_t)m->block ||
	    (uintptr_t)s - (uintptr_t)m->block > m->block_len ||
	    n > m->block_len - ((uintptr_t)s - (uintptr_t)m->block))
		return 0;
	off = (size_t)(s - m->block);
	while (m->next < m->npre && m->pre[m->next].end <= off)
		m->next++;
	for (; m->next < m->npre && m->pre[m->next].end <= off + n;
	    m->next++) {
		const struct fl_plit *pl = &m->rs->plits[m->pre[m->next].plit];

		end = m->pre[m->next].end - off;
		if (end < pl->n)
			continue;
		begin = end - pl->n;
		if (pl->raw ? with_raw : (begin >= lo && end <= hi))
			mark_found(m, pl);
	}
	return 1;
}

static void
find_in(struct fl_matcher *m, const unsigned char *s, size_t n, size_t lo,
    size_t hi, int with_msg, int with_raw)
{
	if (m->hs_scratch != NULL)
		hs_literals(m, s, n, lo, hi, with_msg, with_raw);
	else
		scan_literals(m, s, n, lo, hi, with_msg, with_raw);
}
#else
void
fl_matcher_prescan(struct fl_matcher *m, const char *data, size_t n)
{
	(void)m;
	(void)data;
	(void)n;
}

#define find_in scan_literals
#define from_block(m, s, n, lo, hi, with_raw) 0
#endif


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

		if (from_block(m, in->raw.p, in->raw.n, lo, lo + msg.n,
		    m->rs->pf_raw))
			return;
		find_in(m, raw, in->raw.n, lo, lo + msg.n, 1, m->rs->pf_raw);
		return;
	}
	/* The message is not part of the raw line (decoded JSON). */
	find_in(m, (const unsigned char *)msg.p, msg.n, 0, msg.n, 1, 0);
	if (m->rs->pf_raw)
		find_in(m, raw, in->raw.n, 0, in->raw.n, 0, 1);
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

/* The rules of the line's program that have no literal to wait for. */
static const uint32_t *
prog_rules(const struct fl_matcher *m, size_t *n)
{
	const struct fl_parsed *ps = m->in->parsed;
	const struct fl_prog_slot *sl;
	size_t len;

	*n = 0;
	if (ps == NULL || ps->program.n == 0)
		return NULL;
	len = ps->program.n < 63 ? ps->program.n : 63;
	if (!(m->rs->prog_lens >> len & 1))
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

/* Every clause of the rule's prefilter has one of its literals. */
static int
is_candidate(const struct fl_matcher *m, uint32_t r)
{
	return m->sat[r] == m->rs->rules[r]->gate.all_clauses;
}

/* The line's program is one the rule needs, or it needs none. */
static int
has_program(const struct fl_matcher *m, const struct fl_rule *r)
{
	const struct fl_parsed *ps = m->in->parsed;
	size_t i, n;

	if (r->gate.nprogs == 0)
		return 1;
	if (ps == NULL)
		return 0;
	n = ps->program.n;
	for (i = 0; i < r->gate.nprogs; i++)
		if (r->gate.progs[i].n == n &&
		    eq_ci(ps->program.p, r->gate.progs[i].p, n))
			return 1;
	return 0;
}

size_t
fl_matcher_run(struct fl_matcher *m, const struct fl_match_input *in,
    fl_hit_cb cb, void *ctx)
{
	const struct fl_ruleset *rs = m->rs;
	const uint32_t *pl;
	size_t np, nc = 0, i, hits = 0;

	m->in = in;
	m->low_ok[LOW_MESSAGE] = m->low_ok[LOW_RAW] = 0;
	m->nfound = 0;
	find_literals(m);
	/* The candidates: rules whose literals occur, on a program they
	 * accept; the program's rules without literals; the rules that need
	 * neither. Tried in rule order. */
	for (i = 0; i < m->nfound; i++) {
		if (is_candidate(m, m->flist[i]) && has_program(m,
		    rs->rules[m->flist[i]]))
			m->cand[nc++] = m->flist[i];
		m->sat[m->flist[i]] = 0;
	}
	pl = prog_rules(m, &np);
	for (i = 0; i < np; i++)
		m->cand[nc++] = pl[i];
	for (i = 0; i < rs->nany; i++)
		m->cand[nc++] = rs->any[i];
	if (nc > 1)
		qsort(m->cand, nc, sizeof *m->cand, cmp_u32);
	for (i = 0; i < nc; i++) {
		uint32_t idx = m->cand[i];
		const struct fl_rule *r = rs->rules[idx];
		struct fl_hit hit;

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
	return hits;
}
