/* Sigma conditions → a small AST: and, or, not, parentheses, "1 of X*",
 * "all of X*", "1 of them", "all of them". Precedence: not > and > or. */
#include "config.h"

#include "fl_rules_int.h"

#include <stdlib.h>
#include <string.h>

#define COND_MAX_NESTING 64
/* Bounds the evaluator's recursion too. */
#define COND_MAX_NODES 4096

enum tok { T_END, T_IDENT, T_LP, T_RP, T_AND, T_OR, T_NOT, T_OF, T_ONE,
	T_ALL, T_THEM, T_PIPE, T_NEAR, T_BAD };

struct cparse {
	const char *s;
	size_t pos;                /* next unread byte */
	enum tok tok;              /* current token */
	size_t tok_off, tok_len;
	const struct fl_sel *sel;
	size_t nsel;
	struct fl_cnode *nodes;
	size_t n, cap;
	unsigned depth;
	struct fl_buf *err;
	size_t err_off;
	int unsupported;
};

static int
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '*' || c == '-' ||
	    c == '.';
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static int
word_is(const struct cparse *p, const char *w)
{
	return strlen(w) == p->tok_len &&
	    strncasecmp(p->s + p->tok_off, w, p->tok_len) == 0;
}

static void
next(struct cparse *p)
{
	const char *s = p->s;

	while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' ||
	    s[p->pos] == '\r')
		p->pos++;
	p->tok_off = p->pos;
	p->tok_len = 1;
	switch (s[p->pos]) {
	case '\0':
		p->tok = T_END;
		p->tok_len = 0;
		return;
	case '(':
		p->tok = T_LP;
		p->pos++;
		return;
	case ')':
		p->tok = T_RP;
		p->pos++;
		return;
	case '|':
		p->tok = T_PIPE;
		p->pos++;
		return;
	}
	if (!ident_char(s[p->pos])) {
		p->tok = T_BAD;
		p->pos++;
		return;
	}
	while (ident_char(s[p->pos]))
		p->pos++;
	p->tok_len = p->pos - p->tok_off;
	if (word_is(p, "and"))
		p->tok = T_AND;
	else if (word_is(p, "or"))
		p->tok = T_OR;
	else if (word_is(p, "not"))
		p->tok = T_NOT;
	else if (word_is(p, "of"))
		p->tok = T_OF;
	else if (word_is(p, "1") || word_is(p, "any"))
		p->tok = T_ONE;
	else if (word_is(p, "all"))
		p->tok = T_ALL;
	else if (word_is(p, "them"))
		p->tok = T_THEM;
	else if (word_is(p, "near"))
		p->tok = T_NEAR;
	else
		p->tok = T_IDENT;
}

static int
fail(struct cparse *p, size_t off, const char *fmt, const char *arg,
    size_t arglen)
{
	char *tmp;

	if (p->err->len)
		return -1;
	tmp = fl_xstrndup(arg ? arg : "", arg ? arglen : 0);
	fl_buf_printf(p->err, fmt, tmp);
	free(tmp);
	p->err_off = off;
	return -1;
}

static int
unsupported(struct cparse *p, const char *what)
{
	p->unsupported = 1;
	return fail(p, p->tok_off, what, NULL, 0);
}

static uint32_t
add(struct cparse *p, enum fl_cop op, uint32_t a, uint32_t b)
{
	if (p->n >= COND_MAX_NODES)
		fail(p, p->tok_off, "condition too complex (more than %s terms)",
		    "4096", 4);
	FL_GROW(p->nodes, p->cap, p->n + 1);
	p->nodes[p->n].op = op;
	p->nodes[p->n].a = a;
	p->nodes[p->n].b = b;
	return (uint32_t)p->n++;
}

/* Sigma identifier patterns know only '*'. */
static int
glob_ident(const char *pat, size_t pn, const char *s)
{
	size_t i = 0, j = 0, star = (size_t)-1, mark = 0, sn = strlen(s);

	while (j < sn) {
		if (i < pn && pat[i] == '*') {
			star = i++;
			mark = j;
		} else if (i < pn && pat[i] == s[j]) {
			i++;
			j++;
		} else if (star != (size_t)-1) {
			i = star + 1;
			j = ++mark;
		} else {
			return 0;
		}
	}
	while (i < pn && pat[i] == '*')
		i++;
	return i == pn;
}

static int parse_or(struct cparse *p, uint32_t *out);

static int
parse_primary(struct cparse *p, uint32_t *out)
{
	size_t i;

	switch (p->tok) {
	case T_LP:
		if (++p->depth > COND_MAX_NESTING)
			return fail(p, p->tok_off,
			    "parentheses nested deeper than 64%s", NULL, 0);
		next(p);
		if (parse_or(p, out) < 0)
			return -1;
		if (p->tok != T_RP)
			return fail(p, p->tok_off, "expected ')'%s", NULL, 0);
		p->depth--;
		next(p);
		return 0;
	case T_ONE:
	case T_ALL: {
		enum fl_cop op = p->tok == T_ONE ? FL_C_OR : FL_C_AND;
		const char *pat = NULL;
		size_t pn = 0, off, found = 0;
		uint32_t acc = 0;

		next(p);
		if (p->tok != T_OF)
			return fail(p, p->tok_off, "expected 'of'%s", NULL, 0);
		next(p);
		off = p->tok_off;
		if (p->tok == T_IDENT) {
			pat = p->s + p->tok_off;
			pn = p->tok_len;
		} else if (p->tok != T_THEM) {
			return fail(p, p->tok_off,
			    "expected a selection pattern or 'them' after 'of'%s",
			    NULL, 0);
		}
		for (i = 0; i < p->nsel; i++) {
			uint32_t leaf;

			if (pat == NULL ? p->sel[i].name[0] == '_' :
			    !glob_ident(pat, pn, p->sel[i].name))
				continue;
			leaf = add(p, FL_C_SEL, (uint32_t)i, 0);
			acc = found++ ? add(p, op, acc, leaf) : leaf;
		}
		if (found == 0)
			return fail(p, off, "no selection matches '%s'",
			    pat ? pat : "them", pat ? pn : 4);
		*out = acc;
		next(p);
		return 0;
	}
	case T_IDENT:
		if (all_digits(p->s + p->tok_off, p->tok_len)) {
			size_t save = p->pos, off = p->tok_off, len = p->tok_len;

			next(p);
			if (p->tok == T_OF)
				return unsupported(p,
				    "'N of' with N other than 1 is not supported%s");
			p->pos = save;
			p->tok_off = off;
			p->tok_len = len;
			p->tok = T_IDENT;
		}
		for (i = 0; i < p->nsel; i++)
			if (strlen(p->sel[i].name) == p->tok_len &&
			    memcmp(p->sel[i].name, p->s + p->tok_off,
			    p->tok_len) == 0)
				break;
		if (memchr(p->s + p->tok_off, '*', p->tok_len) != NULL)
			return fail(p, p->tok_off,
			    "a wildcard needs '1 of' or 'all of': '%s'",
			    p->s + p->tok_off, p->tok_len);
		if (i == p->nsel)
			return fail(p, p->tok_off, "unknown selection '%s'",
			    p->s + p->tok_off, p->tok_len);
		*out = add(p, FL_C_SEL, (uint32_t)i, 0);
		next(p);
		return 0;
	case T_PIPE:
		return unsupported(p,
		    "aggregation expressions ('| count() ...') are not supported%s");
	case T_NEAR:
		return unsupported(p, "'near' is not supported%s");
	case T_END:
		return fail(p, p->tok_off, "condition ends too early%s", NULL, 0);
	default:
		return fail(p, p->tok_off, "unexpected '%s'", p->s + p->tok_off,
		    p->tok_len);
	}
}

static int
parse_not(struct cparse *p, uint32_t *out)
{
	uint32_t a;

	if (p->tok != T_NOT)
		return parse_primary(p, out);
	if (++p->depth > COND_MAX_NESTING)
		return fail(p, p->tok_off, "'not' nested deeper than 64%s",
		    NULL, 0);
	next(p);
	if (parse_not(p, &a) < 0)
		return -1;
	p->depth--;
	*out = add(p, FL_C_NOT, a, 0);
	return 0;
}

static int
parse_and(struct cparse *p, uint32_t *out)
{
	uint32_t a, b;

	if (parse_not(p, &a) < 0)
		return -1;
	while (p->tok == T_AND) {
		next(p);
		if (parse_not(p, &b) < 0)
			return -1;
		a = add(p, FL_C_AND, a, b);
	}
	*out = a;
	return 0;
}

static int
parse_or(struct cparse *p, uint32_t *out)
{
	uint32_t a, b;

	if (parse_and(p, &a) < 0)
		return -1;
	while (p->tok == T_OR) {
		next(p);
		if (parse_and(p, &b) < 0)
			return -1;
		a = add(p, FL_C_OR, a, b);
	}
	*out = a;
	return 0;
}

int
fl_cond_compile(const char *text, const struct fl_sel *sel, size_t nsel,
    struct fl_arena *arena, struct fl_cnode **nodes, size_t *nnodes,
    uint32_t *root, struct fl_buf *err, size_t *err_off)
{
	struct cparse p;
	int r;

	memset(&p, 0, sizeof p);
	p.s = text;
	p.sel = sel;
	p.nsel = nsel;
	p.err = err;
	next(&p);
	r = parse_or(&p, root);
	if (r == 0 && p.err->len)
		r = -1;
	else if (r == 0 && p.tok == T_PIPE)
		r = unsupported(&p,
		    "aggregation expressions ('| count() ...') are not supported%s");
	else if (r == 0 && p.tok == T_NEAR)
		r = unsupported(&p, "'near' is not supported%s");
	else if (r == 0 && p.tok != T_END)
		r = fail(&p, p.tok_off, "unexpected '%s'", p.s + p.tok_off,
		    p.tok_len);
	if (r < 0) {
		free(p.nodes);
		*err_off = p.err_off;
		return p.unsupported ? 1 : -1;
	}
	*nodes = fl_arena_alloc(arena, p.n * sizeof **nodes);
	memcpy(*nodes, p.nodes, p.n * sizeof **nodes);
	*nnodes = p.n;
	free(p.nodes);
	return 0;
}
