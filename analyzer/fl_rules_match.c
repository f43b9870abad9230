/* The line matcher: program index, required-literal prefilter, then the
 * condition tree with Sigma value semantics and PCRE2 (JIT) for |re. */
#include "config.h"

#include "fl_rules_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAPTURES 32
/* PCRE2 limits per match: a pathological pattern costs at most this much
 * and then counts as no match (fl_matcher_errors). */
#define RE_MATCH_LIMIT 1000000
#define RE_DEPTH_LIMIT 10000
#define RE_HEAP_LIMIT_KIB 65536
#define JIT_STACK_MAX (1024 * 1024)
/* Literal checks on one field before the bigram set pays for itself. */
#define BIGRAM_AFTER 4
#define MIN_LITERAL 3

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

/* Skips a group "(...)" starting at p[i]; nested groups and classes. */
static size_t
skip_group(const char *p, size_t n, size_t i)
{
	unsigned depth = 0;

	while (i < n) {
		if (p[i] == '\\') {
			i += 2;
			continue;
		}
		if (p[i] == '[') {
			i = skip_class(p, n, i);
			continue;
		}
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return n;
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

/* Keeps run in best when longer; empties run. */
static void
keep_longer(struct fl_buf *best, struct fl_buf *run)
{
	if (run->len > best->len) {
		fl_buf_reset(best);
		fl_buf_add(best, run->data, run->len);
	}
	fl_buf_reset(run);
}

/* The longest literal run every match of a regular expression must
 * contain, found conservatively: groups, classes and escapes end a run,
 * an optional character is dropped, top-level alternation gives up. */
static void
re_literal(const char *p, size_t n, struct fl_buf *best)
{
	struct fl_buf run = {0};
	size_t i = 0;

	fl_buf_reset(best);
	for (i = 0; i + 1 < n; i++)
		if ((p[i] == '\\' && (p[i + 1] == 'Q' || p[i + 1] == 'E')) ||
		    (p[i] == '(' && p[i + 1] == '?' &&
		    strspn(p + i + 2, "imnsxJU-^") > 0 &&
		    memchr(p + i + 2, 'x', strspn(p + i + 2, "imnsxJU-^"))))
			return;
	for (i = 0; i + 3 < n; i++)
		if (p[i] == '(' && p[i + 1] == '*')
			return;         /* verbs such as (*UTF) change the rules */
	i = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)p[i];
		unsigned long min = 1;
		size_t q;
		int lit = 0;

		if (ch == '\\' && i + 1 < n) {
			unsigned char d = (unsigned char)p[i + 1];

			if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') ||
			    (d >= '0' && d <= '9')) {
				i += 2;
				if (d == 'x' || d == 'o' || d == 'p' || d == 'P' ||
				    d == 'N' || d == 'g' || d == 'k') {
					if (i < n && (p[i] == '{' || p[i] == '<' ||
					    p[i] == '\''))
						i = skip_delim(p, n, i);
					else if (d == 'x')
						while (i < n && strchr(
						    "0123456789abcdefABCDEF", p[i]) &&
						    p[i] != '\0')
							i++;
					else if (d == 'p' || d == 'P')
						i++;
					else if (d == 'g')
						while (i < n && (p[i] == '-' ||
						    p[i] == '+' || (p[i] >= '0' &&
						    p[i] <= '9')))
							i++;
				} else if (d == 'c') {
					i++;
				} else if (d >= '0' && d <= '9') {
					while (i < n && p[i] >= '0' && p[i] <= '9')
						i++;
				}
				goto brk;
			}
			ch = d;
			i += 2;
			lit = 1;
		} else if (ch == '[') {
			i = skip_class(p, n, i);
			goto brk;
		} else if (ch == '(') {
			i = skip_group(p, n, i);
			goto brk;
		} else if (ch == '|' || ch == ')') {
			fl_buf_reset(best);
			fl_buf_free(&run);
			return;
		} else if (ch == '.' || ch == '^' || ch == '$' || ch == '*' ||
		    ch == '+' || ch == '?' || ch == '{') {
			i++;
			goto brk;
		} else {
			i++;
			lit = 1;
		}
		if (lit) {
			q = quantifier(p, n, i, &min);
			if (q == 0) {
				fl_buf_addc(&run, (char)ch);
				continue;
			}
			i += q;
			if (min > 0) {
				/* "x+" or "x{2}": x ends this run and starts
				 * the next one */
				fl_buf_addc(&run, (char)ch);
				keep_longer(best, &run);
				fl_buf_addc(&run, (char)ch);
				continue;
			}
		}
brk:
		/* a quantifier after a group or class is skipped with it */
		if ((q = quantifier(p, n, i, &min)) > 0)
			i += q;
		keep_longer(best, &run);
	}
	keep_longer(best, &run);
	fl_buf_free(&run);
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
		keep_longer(best, &run);
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
		re_literal(v->s, v->n, &lit);
		break;
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
			struct fl_lit *l = &r->lits[i];
			const unsigned char *s = (const unsigned char *)q.s[i];
			size_t n = q.len[i];

			l->field = q.field[i];
			l->s = q.s[i];
			l->n = n;
			l->bg[0] = fl_bigram(s[0], s[1]);
			l->bg[1] = fl_bigram(s[n / 2 - 1], s[n / 2]);
			l->bg[2] = fl_bigram(s[n - 2], s[n - 1]);
			l->nbg = 3;
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

void
fl_ruleset_build_index(struct fl_ruleset *rs)
{
	size_t i, j, nprog = 0;

	for (i = 0; i < rs->n; i++)
		if (rs->rules[i]->det != NULL)
			nprog += rs->rules[i]->nprogs;
	rs->prog_cap = 16;
	while (rs->prog_cap < 2 * nprog)
		rs->prog_cap *= 2;
	rs->prog = fl_xcalloc(rs->prog_cap, sizeof *rs->prog);
	for (i = 0; i < rs->n; i++) {
		const struct fl_rule *r = rs->rules[i];

		if (r->det == NULL)
			continue;
		if (r->nprogs == 0) {
			rs->any = fl_xreallocarray(rs->any, rs->nany + 1,
			    sizeof *rs->any);
			rs->any[rs->nany++] = (uint32_t)i;
			continue;
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
}

/* ---- matching ---- */

enum { LOW_MESSAGE, LOW_RAW, LOW_N };

struct fl_matcher {
	const struct fl_ruleset *rs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jstack;
	uint64_t *errors;
	/* per line */
	const struct fl_match_input *in;
	struct fl_buf low[LOW_N];
	int low_ok[LOW_N];
	unsigned checks[LOW_N];
	int bg_ok[LOW_N];
	uint64_t bg[LOW_N][64];
	struct fl_capture caps[MAX_CAPTURES];
	size_t ncaps;
	int re_error;
};

struct fl_matcher *
fl_matcher_new(const struct fl_ruleset *rs)
{
	struct fl_matcher *m = fl_xcalloc(1, sizeof *m);

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
	size_t i;

	if (m->low_ok[which])
		return b;
	fl_buf_reset(b);
	fl_buf_reserve(b, v.n);
	for (i = 0; i < v.n; i++)
		b->data[i] = (char)fl_lower((unsigned char)v.p[i]);
	b->len = v.n;
	b->data[v.n] = '\0';
	m->low_ok[which] = 1;
	return b;
}

static void
build_bigrams(struct fl_matcher *m, int which)
{
	const struct fl_buf *b = &m->low[which];
	const unsigned char *s = (const unsigned char *)b->data;
	uint64_t *bits = m->bg[which];
	size_t i;

	memset(bits, 0, sizeof m->bg[which]);
	for (i = 0; i + 1 < b->len; i++) {
		uint16_t h = fl_bigram(s[i], s[i + 1]);

		bits[h >> 6] |= UINT64_C(1) << (h & 63);
	}
	m->bg_ok[which] = 1;
}

static struct fl_span
lit_field(const struct fl_matcher *m, enum fl_field_id f)
{
	const struct fl_match_input *in = m->in;

	if (f == FL_FLD_RAW || in->parsed == NULL)
		return in->raw;
	return in->parsed->message;
}

/* One of the rule's required literals occurs in its field. */
static int
prefilter(struct fl_matcher *m, const struct fl_rule *r)
{
	size_t i, k;

	for (i = 0; i < r->nlits; i++) {
		const struct fl_lit *l = &r->lits[i];
		int which = l->field == FL_FLD_RAW ? LOW_RAW : LOW_MESSAGE;
		struct fl_span v = lit_field(m, l->field);
		const struct fl_buf *b;

		if (v.n < l->n)
			continue;
		b = lowered(m, which, v);
		if (!m->bg_ok[which] && ++m->checks[which] > BIGRAM_AFTER)
			build_bigrams(m, which);
		if (m->bg_ok[which]) {
			for (k = 0; k < l->nbg; k++)
				if (!(m->bg[which][l->bg[k] >> 6] &
				    (UINT64_C(1) << (l->bg[k] & 63))))
					break;
			if (k < l->nbg)
				continue;
		}
		if (memmem(b->data, b->len, l->s, l->n) != NULL)
			return 1;
	}
	return 0;
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

size_t
fl_matcher_run(struct fl_matcher *m, const struct fl_match_input *in,
    fl_hit_cb cb, void *ctx)
{
	const struct fl_ruleset *rs = m->rs;
	const uint32_t *pl;
	size_t np, i = 0, j = 0, hits = 0, k;

	m->in = in;
	for (k = 0; k < LOW_N; k++) {
		m->low_ok[k] = 0;
		m->bg_ok[k] = 0;
		m->checks[k] = 0;
	}
	pl = prog_rules(m, &np);
	/* Merge the program's rules with the program-less ones, in rule
	 * order. */
	while (i < np || j < rs->nany) {
		uint32_t idx;
		const struct fl_rule *r;
		struct fl_hit hit;

		if (j >= rs->nany || (i < np && pl[i] < rs->any[j]))
			idx = pl[i++];
		else
			idx = rs->any[j++];
		r = rs->rules[idx];
		if (r->nlits && !prefilter(m, r))
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
	return hits;
}
