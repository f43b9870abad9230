/* Rule files → struct fl_rule: validation with file:line:column messages,
 * Sigma feature checks, value compilation, and the set-level compile step
 * (duplicate ids, references, JIT, prefilter and index). */
#include "config.h"

#include "fl_rules_int.h"
#include "fl_signals.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Limits on what one rule may hold, to keep evaluation bounded. */
#define MAX_ORDERED_STEPS 32
#define MAX_TIMESPAN_US (INT64_C(3660) * 86400 * 1000000)

struct lctx {
	struct fl_ruleset *rs;
	const char *file;
	const struct fl_diag *diag;
	struct fl_rule *r;
	int errors;
	int has_fl;                /* the rule has a faultline: block */
	struct fl_buf why;         /* first unsupported feature */
	unsigned why_line, why_col;
};

static void
vreport(const struct lctx *c, enum fl_diag_level lvl, unsigned line,
    unsigned col, const char *fmt, va_list ap)
{
	struct fl_buf w = {0}, m = {0};

	fl_buf_printf(&w, "%s:%u:%u", c->file, line, col);
	fl_buf_vprintf(&m, fmt, ap);
	fl_diagf(c->diag, lvl, w.data, "%s", m.data);
	fl_buf_free(&w);
	fl_buf_free(&m);
}

static void err_at(struct lctx *c, const struct fl_ynode *n, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
static void
err_at(struct lctx *c, const struct fl_ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, FL_DIAG_ERROR, n->line, n->col, fmt, ap);
	va_end(ap);
	c->errors++;
}

static void unsup_at(struct lctx *c, const struct fl_ynode *n,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void
unsup_at(struct lctx *c, const struct fl_ynode *n, const char *fmt, ...)
{
	va_list ap;

	if (c->why.len)
		return;
	va_start(ap, fmt);
	fl_buf_vprintf(&c->why, fmt, ap);
	va_end(ap);
	c->why_line = n->line;
	c->why_col = n->col;
}

/* A scalar for messages, cut to a sensible length (whoever prints the
 * message makes it safe for a terminal). */
static const char *
shown(struct lctx *c, const struct fl_ynode *n)
{
	if (n->kind != FL_YN_SCALAR)
		return n->kind == FL_YN_MAP ? "(a mapping)" : "(a list)";
	return n->len > 200 ? fl_arena_strndup(c->rs->arena, n->str, 200) :
	    n->str;
}

static int
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *
want_scalar(struct lctx *c, const struct fl_ynode *n, const char *what)
{
	if (n->kind != FL_YN_SCALAR || fl_ynode_is_null(n)) {
		err_at(c, n, "%s must be a string", what);
		return NULL;
	}
	return n->str;
}

/* A string or a list of strings → NULL-terminated array in the arena. */
static const char **
want_strings(struct lctx *c, const struct fl_ynode *n, const char *what,
    size_t *count, const struct fl_ynode ***nodes)
{
	const char **v;
	size_t i, k = n->kind == FL_YN_SEQ ? n->n : 1;

	if (n->kind == FL_YN_MAP || (n->kind == FL_YN_SEQ && n->n == 0) ||
	    fl_ynode_is_null(n)) {
		err_at(c, n, "%s must be a string or a non-empty list of strings",
		    what);
		return NULL;
	}
	v = fl_arena_alloc(c->rs->arena, (k + 1) * sizeof *v);
	if (nodes)
		*nodes = fl_arena_alloc(c->rs->arena, k * sizeof **nodes);
	for (i = 0; i < k; i++) {
		const struct fl_ynode *it = n->kind == FL_YN_SEQ ? n->kids[i] : n;

		if (it->kind != FL_YN_SCALAR || fl_ynode_is_null(it) ||
		    it->len == 0) {
			err_at(c, it, "%s must hold non-empty strings", what);
			return NULL;
		}
		v[i] = it->str;
		if (nodes)
			(*nodes)[i] = it;
	}
	v[k] = NULL;
	if (count)
		*count = k;
	return v;
}

/* ---- values ---- */

static const char *const unsupported_mods[] = {
	"base64", "base64offset", "utf16", "utf16le", "utf16be", "wide",
	"windash", "expand", "fieldref", "gt", "gte", "lt", "lte", "neq",
	"minute", "hour", "day", "week", "month", "year", NULL
};

enum mkind { M_EQ, M_CONTAINS, M_STARTS, M_ENDS, M_RE, M_CIDR, M_EXISTS };

struct mods {
	enum mkind kind;
	int all, cased;
	uint32_t re_opts;
};

static void
add_code(struct fl_ruleset *rs, pcre2_code *code)
{
	FL_GROW(rs->codes, rs->capcodes, rs->ncodes + 1);
	rs->codes[rs->ncodes++] = code;
}

/* Column of byte off inside a scalar, when the scalar sits on one line. */
static unsigned
col_in(const struct fl_ynode *n, size_t off)
{
	if (n->end_line != n->line)
		return n->col;
	return n->col + (unsigned)off + (n->plain ? 0 : 1);
}

static int
compile_re(struct lctx *c, const struct fl_ynode *n, uint32_t opts,
    struct fl_val *v)
{
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];
	uint32_t ncount = 0, esize = 0, i;
	PCRE2_SPTR table;

	v->kind = FL_V_RE;
	v->s = n->str;
	v->n = n->len;
	v->re = pcre2_compile((PCRE2_SPTR)n->str, n->len,
	    opts | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP, &errcode, &erroff, NULL);
	if (v->re == NULL) {
		struct fl_ynode at = *n;

		pcre2_get_error_message(errcode, msg, sizeof msg);
		at.col = col_in(n, erroff);
		err_at(c, &at, "bad regular expression: %s at offset %lu of '%s'",
		    (const char *)msg, (unsigned long)erroff, shown(c, n));
		return -1;
	}
	add_code(c->rs, v->re);
	pcre2_pattern_info(v->re, PCRE2_INFO_CAPTURECOUNT, &v->n_groups);
	pcre2_pattern_info(v->re, PCRE2_INFO_NAMECOUNT, &ncount);
	if (v->n_groups > c->rs->max_groups)
		c->rs->max_groups = v->n_groups;
	if (ncount == 0)
		return 0;
	pcre2_pattern_info(v->re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	pcre2_pattern_info(v->re, PCRE2_INFO_NAMETABLE, &table);
	v->names = fl_arena_alloc(c->rs->arena,
	    (v->n_groups + 1) * sizeof *v->names);
	memset(v->names, 0, (v->n_groups + 1) * sizeof *v->names);
	for (i = 0; i < ncount; i++) {
		const unsigned char *e = table + (size_t)i * esize;
		unsigned g = (unsigned)e[0] << 8 | e[1];

		if (g <= v->n_groups)
			v->names[g] = (const char *)e + 2;
	}
	v->n_names = ncount;
	return 0;
}

static int
parse_cidr(struct lctx *c, const struct fl_ynode *n, struct fl_val *v)
{
	char buf[64], *slash;
	long bits;

	v->kind = FL_V_CIDR;
	if (n->len >= sizeof buf)
		goto bad;
	memcpy(buf, n->str, n->len + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, v->addr) == 1) {
		v->family = 4;
		bits = 32;
	} else if (inet_pton(AF_INET6, buf, v->addr) == 1) {
		v->family = 6;
		bits = 128;
	} else {
		goto bad;
	}
	if (slash) {
		char *end;
		long b;

		errno = 0;
		b = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || b < 0 || b > bits)
			goto bad;
		bits = b;
	}
	v->bits = (unsigned)bits;
	return 0;
bad:
	err_at(c, n, "bad CIDR network '%s'", shown(c, n));
	return -1;
}

/* Sigma wildcards: '*' and '?'; "\*", "\?" and "\\" are literal. The
 * normalised pattern keeps wildcards bare and escapes literal '*', '?' and
 * '\' with a backslash, so the matcher and the classifier agree. */
static void
glob_normalise(struct fl_buf *out, const char *s, size_t n, int cased)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\\' && i + 1 < n &&
		    (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			fl_buf_addc(out, '\\');
			fl_buf_addc(out, s[++i]);
		} else if (ch == '\\') {
			fl_buf_adds(out, "\\\\");
		} else if (ch == '*') {
			if (out->len == 0 || out->data[out->len - 1] != '*' ||
			    (out->len >= 2 && out->data[out->len - 2] == '\\'))
				fl_buf_addc(out, '*');
		} else {
			fl_buf_addc(out, (char)(cased ? ch : fl_lower(ch)));
		}
	}
}

/* Classifies a normalised pattern: literal, prefix, suffix, contains or a
 * real glob. */
static void
glob_classify(struct lctx *c, const char *p, size_t n, int cased,
    struct fl_val *v)
{
	struct fl_buf lit = {0};
	size_t i, start = 0, end = n;
	int lead = 0, trail = 0;

	if (n && p[0] == '*') {
		lead = 1;
		start = 1;
	}
	if (end > start && p[end - 1] == '*' &&
	    !(end >= 2 && p[end - 2] == '\\' &&
	    !(end >= 3 && p[end - 3] == '\\'))) {
		trail = 1;
		end--;
	}
	for (i = start; i < end; i++) {
		if (p[i] == '\\') {
			fl_buf_addc(&lit, p[++i]);
		} else if (p[i] == '*' || p[i] == '?') {
			fl_buf_free(&lit);
			v->kind = FL_V_GLOB;
			v->s = fl_arena_strndup(c->rs->arena, p, n);
			v->n = n;
			v->cased = cased;
			return;
		} else {
			fl_buf_addc(&lit, p[i]);
		}
	}
	v->kind = lead ? (trail ? FL_V_CONTAINS : FL_V_SUFFIX) :
	    (trail ? FL_V_PREFIX : FL_V_EQ);
	if (n == 1 && lead)
		v->kind = FL_V_CONTAINS;
	v->s = fl_arena_strndup(c->rs->arena, lit.data ? lit.data : "",
	    lit.len);
	v->n = lit.len;
	v->cased = cased;
	fl_buf_free(&lit);
}

static int
compile_value(struct lctx *c, const struct fl_ynode *n, const struct mods *m,
    struct fl_val *v)
{
	struct fl_buf g = {0};

	memset(v, 0, sizeof *v);
	if (n->kind != FL_YN_SCALAR) {
		err_at(c, n, "a value must be a string or a list of strings");
		return -1;
	}
	if (m->kind == M_EXISTS) {
		v->kind = FL_V_EXISTS;
		if (n->plain && (strcmp(n->str, "true") == 0 ||
		    strcmp(n->str, "yes") == 0))
			v->want = 1;
		else if (n->plain && (strcmp(n->str, "false") == 0 ||
		    strcmp(n->str, "no") == 0))
			v->want = 0;
		else {
			err_at(c, n, "'exists' takes true or false");
			return -1;
		}
		return 0;
	}
	if (fl_ynode_is_null(n)) {
		v->kind = FL_V_NULL;
		return 0;
	}
	if (m->kind == M_RE)
		return compile_re(c, n, m->re_opts, v);
	if (m->kind == M_CIDR)
		return parse_cidr(c, n, v);
	if (m->kind == M_CONTAINS || m->kind == M_ENDS)
		fl_buf_addc(&g, '*');
	glob_normalise(&g, n->str, n->len, m->cased);
	if ((m->kind == M_CONTAINS || m->kind == M_STARTS) &&
	    (g.len == 0 || g.data[g.len - 1] != '*' ||
	    (g.len >= 2 && g.data[g.len - 2] == '\\')))
		fl_buf_addc(&g, '*');
	glob_classify(c, g.data ? g.data : "", g.len, m->cased, v);
	fl_buf_free(&g);
	return 0;
}

static enum fl_field_id
field_id(const char *name)
{
	static const char *const names[] = {
		"host", "program", "pid", "facility", "severity", "message",
		"raw", "source"
	};
	size_t i;

	if (name[0] == '\0')
		return FL_FLD_MESSAGE;  /* Sigma "|all" keyword lists */
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return (enum fl_field_id)i;
	return FL_FLD_OTHER;
}

/* "field|mod|mod" → field spec. Returns -1 on error, 1 if unsupported. */
static int
compile_fspec(struct lctx *c, const struct fl_ynode *key,
    const struct fl_ynode *val, struct fl_fspec *f)
{
	struct mods m = {M_EQ, 0, 0, 0};
	char *spec = fl_arena_strdup(c->rs->arena, key->str), *mod, *save;
	size_t i, k;
	int kind_set = 0;

	memset(f, 0, sizeof *f);
	mod = strchr(spec, '|');
	if (mod)
		*mod++ = '\0';
	f->name = spec;
	f->field = field_id(spec);
	for (; mod != NULL; mod = save) {
		save = strchr(mod, '|');
		if (save)
			*save++ = '\0';
		if (strcmp(mod, "all") == 0) {
			m.all = 1;
		} else if (strcmp(mod, "cased") == 0) {
			m.cased = 1;
		} else if (m.kind == M_RE && (strcmp(mod, "i") == 0 ||
		    strcmp(mod, "m") == 0 || strcmp(mod, "s") == 0)) {
			m.re_opts |= mod[0] == 'i' ? PCRE2_CASELESS :
			    mod[0] == 'm' ? PCRE2_MULTILINE : PCRE2_DOTALL;
		} else if (strcmp(mod, "contains") == 0 ||
		    strcmp(mod, "startswith") == 0 ||
		    strcmp(mod, "endswith") == 0 || strcmp(mod, "re") == 0 ||
		    strcmp(mod, "cidr") == 0 || strcmp(mod, "exists") == 0) {
			if (kind_set) {
				err_at(c, key, "modifier '%s' cannot be combined "
				    "with an earlier matching modifier", mod);
				return -1;
			}
			kind_set = 1;
			m.kind = mod[0] == 'c' ? (mod[1] == 'o' ? M_CONTAINS :
			    M_CIDR) : mod[0] == 's' ? M_STARTS : mod[0] == 'e' ?
			    (mod[1] == 'n' ? M_ENDS : M_EXISTS) : M_RE;
		} else if (in_list(mod, unsupported_mods)) {
			unsup_at(c, key, "modifier '|%s' is not supported", mod);
			return 1;
		} else {
			err_at(c, key, "unknown modifier '|%s'", mod);
			return -1;
		}
	}
	if (spec[0] == '\0' && !kind_set)
		m.kind = M_CONTAINS;    /* Sigma keywords under '|all' */
	f->all = m.all;
	k = val->kind == FL_YN_SEQ ? val->n : 1;
	if (k == 0) {
		err_at(c, val, "empty list of values for '%s'", key->str);
		return -1;
	}
	if (val->kind == FL_YN_MAP) {
		err_at(c, val, "the value of '%s' must be a string or a list "
		    "of strings", key->str);
		return -1;
	}
	f->v = fl_arena_alloc(c->rs->arena, k * sizeof *f->v);
	f->nv = k;
	for (i = 0; i < k; i++)
		if (compile_value(c, val->kind == FL_YN_SEQ ? val->kids[i] : val,
		    &m, &f->v[i]) < 0)
			return -1;
	return 0;
}

static int
compile_map(struct lctx *c, const struct fl_ynode *map, struct fl_smap *sm)
{
	size_t i;
	int r;

	if (map->n == 0) {
		err_at(c, map, "empty selection");
		return -1;
	}
	sm->nf = map->n / 2;
	sm->f = fl_arena_alloc(c->rs->arena, sm->nf * sizeof *sm->f);
	for (i = 0; i < sm->nf; i++)
		if ((r = compile_fspec(c, map->kids[2 * i], map->kids[2 * i + 1],
		    &sm->f[i])) != 0)
			return r;
	return 0;
}

/* A keyword list: OR of substrings of message. */
static int
compile_keywords(struct lctx *c, const struct fl_ynode *list,
    struct fl_smap *sm)
{
	struct mods m = {M_CONTAINS, 0, 0, 0};
	struct fl_fspec *f;
	size_t i, k = list->kind == FL_YN_SEQ ? list->n : 1;

	sm->nf = 1;
	sm->f = f = fl_arena_alloc(c->rs->arena, sizeof *f);
	memset(f, 0, sizeof *f);
	f->field = FL_FLD_MESSAGE;
	f->name = "message";
	f->v = fl_arena_alloc(c->rs->arena, k * sizeof *f->v);
	f->nv = k;
	for (i = 0; i < k; i++) {
		const struct fl_ynode *it = list->kind == FL_YN_SEQ ?
		    list->kids[i] : list;

		if (fl_ynode_is_null(it)) {
			err_at(c, it, "a keyword cannot be null");
			return -1;
		}
		if (compile_value(c, it, &m, &f->v[i]) < 0)
			return -1;
	}
	return 0;
}

static int
compile_selection(struct lctx *c, const struct fl_ynode *key,
    const struct fl_ynode *val, struct fl_sel *s)
{
	size_t i, maps = 0;
	int r;

	s->name = key->str;
	if (val->kind == FL_YN_MAP) {
		s->nalt = 1;
		s->alt = fl_arena_alloc(c->rs->arena, sizeof *s->alt);
		return compile_map(c, val, s->alt);
	}
	if (val->kind == FL_YN_SCALAR && fl_ynode_is_null(val)) {
		err_at(c, val, "selection '%s' is empty", key->str);
		return -1;
	}
	if (val->kind == FL_YN_SEQ) {
		if (val->n == 0) {
			err_at(c, val, "selection '%s' is empty", key->str);
			return -1;
		}
		for (i = 0; i < val->n; i++)
			maps += val->kids[i]->kind == FL_YN_MAP;
		if (maps && maps != val->n) {
			err_at(c, val, "selection '%s' mixes maps and plain "
			    "strings", key->str);
			return -1;
		}
	}
	if (maps) {
		s->nalt = maps;
		s->alt = fl_arena_alloc(c->rs->arena, maps * sizeof *s->alt);
		for (i = 0; i < maps; i++)
			if ((r = compile_map(c, val->kids[i], &s->alt[i])) != 0)
				return r;
		return 0;
	}
	s->nalt = 1;
	s->alt = fl_arena_alloc(c->rs->arena, sizeof *s->alt);
	return compile_keywords(c, val, s->alt);
}

static void
compile_detection(struct lctx *c, const struct fl_ynode *det)
{
	struct fl_det *d;
	const struct fl_ynode *cond = NULL;
	struct fl_buf text = {0}, err = {0};
	size_t i, nsel = 0, off = 0;
	int r;

	if (det->kind != FL_YN_MAP) {
		err_at(c, det, "detection must be a mapping");
		return;
	}
	d = fl_arena_alloc(c->rs->arena, sizeof *d);
	memset(d, 0, sizeof *d);
	d->sel = fl_arena_alloc(c->rs->arena, (det->n / 2) * sizeof *d->sel);
	for (i = 0; i + 1 < det->n; i += 2) {
		const struct fl_ynode *k = det->kids[i], *v = det->kids[i + 1];

		if (strcmp(k->str, "condition") == 0) {
			cond = v;
			continue;
		}
		if (strcmp(k->str, "timeframe") == 0) {
			unsup_at(c, k, "'timeframe' is not supported (use a "
			    "correlation rule)");
			return;
		}
		r = compile_selection(c, k, v, &d->sel[nsel]);
		if (r != 0)
			return;
		nsel++;
	}
	d->nsel = nsel;
	if (cond == NULL) {
		err_at(c, det, "detection has no condition");
		return;
	}
	if (nsel == 0) {
		err_at(c, det, "detection has no selection");
		return;
	}
	if (cond->kind == FL_YN_SEQ) {
		/* Sigma's list of conditions means any of them. */
		for (i = 0; i < cond->n; i++) {
			if (cond->kids[i]->kind != FL_YN_SCALAR) {
				err_at(c, cond->kids[i], "a condition must be a "
				    "string");
				return;
			}
			fl_buf_printf(&text, "%s(%s)", i ? " or " : "",
			    cond->kids[i]->str);
		}
		if (cond->n == 0) {
			err_at(c, cond, "empty condition");
			return;
		}
	} else if (cond->kind == FL_YN_SCALAR && !fl_ynode_is_null(cond)) {
		fl_buf_add(&text, cond->str, cond->len);
	} else {
		err_at(c, cond, "a condition must be a string");
		return;
	}
	r = fl_cond_compile(text.data, d->sel, d->nsel, c->rs->arena,
	    &d->cond, &d->ncond, &d->root, &err, &off);
	if (r != 0) {
		struct fl_ynode at = *cond;

		if (cond->kind == FL_YN_SCALAR)
			at.col = col_in(cond, off);
		if (r > 0)
			unsup_at(c, &at, "%s", err.data);
		else
			err_at(c, &at, "bad condition: %s", err.data);
	}
	fl_buf_free(&text);
	fl_buf_free(&err);
	if (r == 0) {
		c->r->det = d;
		if (d->nsel > c->rs->max_sel)
			c->rs->max_sel = d->nsel;
	}
}

/* ---- correlation ---- */

static const char *const corr_keys[] = {
	"type", "rules", "group-by", "timespan", "condition", "followed-by",
	"generate", "aliases", NULL
};

static int
parse_count(struct lctx *c, const struct fl_ynode *n, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (n->kind != FL_YN_SCALAR || n->len == 0 || n->str[0] == '-') {
		err_at(c, n, "a count must be a non-negative integer");
		return -1;
	}
	errno = 0;
	v = strtoull(n->str, &end, 10);
	if (*end != '\0' || errno) {
		err_at(c, n, "a count must be a non-negative integer");
		return -1;
	}
	*out = v;
	return 0;
}

static void
compile_condition(struct lctx *c, const struct fl_ynode *n,
    struct fl_corr_def *d)
{
	static const char *const ops[] = {"gt", "gte", "lt", "lte", "eq", NULL};
	size_t i, j, nops = 0;

	if (n->kind != FL_YN_MAP) {
		err_at(c, n, "a correlation condition must be a mapping such "
		    "as {gte: 10}");
		return;
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct fl_ynode *k = n->kids[i], *v = n->kids[i + 1];

		if (strcmp(k->str, "field") == 0) {
			d->value_field = want_scalar(c, v, "condition field");
			continue;
		}
		for (j = 0; ops[j]; j++)
			if (strcmp(k->str, ops[j]) == 0)
				break;
		if (ops[j] == NULL) {
			if (strcmp(k->str, "neq") == 0) {
				unsup_at(c, k, "condition 'neq' is not supported");
				return;
			}
			err_at(c, k, "unknown condition '%s' (gt, gte, lt, lte, "
			    "eq, field)", shown(c, k));
			return;
		}
		if (++nops > 1) {
			unsup_at(c, k, "a condition with more than one "
			    "comparison is not supported");
			return;
		}
		d->op = (enum fl_corr_op)j;
		if (parse_count(c, v, &d->threshold) < 0)
			return;
	}
	if (nops == 0)
		err_at(c, n, "the condition needs one of gt, gte, lt, lte, eq");
	d->has_cond = 1;
}

static void
compile_correlation(struct lctx *c, const struct fl_ynode *n)
{
	struct fl_corr_def *d;
	const struct fl_ynode *type = NULL, *v;
	static const char *const types[] = {"event_count", "value_count",
	    "temporal", "temporal_ordered", "absence", NULL};
	size_t i;

	if (n->kind != FL_YN_MAP) {
		err_at(c, n, "correlation must be a mapping");
		return;
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct fl_ynode *k = n->kids[i];

		if (!in_list(k->str, corr_keys)) {
			err_at(c, k, "unknown key '%s' in correlation", shown(c, k));
			return;
		}
		if (strcmp(k->str, "aliases") == 0) {
			unsup_at(c, k, "correlation 'aliases' are not supported");
			return;
		}
	}
	d = fl_arena_alloc(c->rs->arena, sizeof *d);
	memset(d, 0, sizeof *d);
	d->line = n->line;
	d->col = n->col;
	type = fl_ymap_get(n, "type");
	if (type == NULL) {
		err_at(c, n, "correlation has no type");
		return;
	}
	if (type->kind == FL_YN_SCALAR)
		for (i = 0; types[i]; i++)
			if (strcmp(type->str, types[i]) == 0)
				break;
	if (type->kind != FL_YN_SCALAR || types[i] == NULL) {
		err_at(c, type, "unknown correlation type '%s' (event_count, "
		    "value_count, temporal, temporal_ordered, absence)",
		    shown(c, type));
		return;
	}
	c->r->info.kind = (enum fl_rule_kind)(FL_RULE_EVENT_COUNT + i);
	if ((v = fl_ymap_get(n, "rules")) == NULL) {
		err_at(c, n, "correlation has no rules");
		return;
	}
	if ((d->refs = want_strings(c, v, "rules", &d->nrefs,
	    &d->ref_nodes)) == NULL)
		return;
	if (c->r->info.kind == FL_RULE_TEMPORAL_ORDERED &&
	    d->nrefs > MAX_ORDERED_STEPS) {
		err_at(c, v, "temporal_ordered takes at most %d rules",
		    MAX_ORDERED_STEPS);
		return;
	}
	if ((v = fl_ymap_get(n, "group-by")) != NULL &&
	    (d->group_by = want_strings(c, v, "group-by", &d->ngroup,
	    NULL)) == NULL)
		return;
	if ((v = fl_ymap_get(n, "timespan")) == NULL) {
		err_at(c, n, "correlation has no timespan");
		return;
	}
	if (v->kind != FL_YN_SCALAR ||
	    fl_parse_duration(v->str, &d->timespan_us) < 0 ||
	    d->timespan_us <= 0) {
		err_at(c, v, "bad timespan '%s' (a number with s, m, h or d)",
		    shown(c, v));
		return;
	}
	if (d->timespan_us > MAX_TIMESPAN_US) {
		err_at(c, v, "timespan '%s' is longer than 10 years", shown(c, v));
		return;
	}
	v = fl_ymap_get(n, "followed-by");
	if (c->r->info.kind == FL_RULE_ABSENCE) {
		if (v == NULL) {
			err_at(c, n, "an absence correlation needs followed-by");
			return;
		}
		if ((d->follow = want_strings(c, v, "followed-by", &d->nfollow,
		    &d->follow_nodes)) == NULL)
			return;
	} else if (v != NULL) {
		err_at(c, v, "followed-by is only for absence correlations");
		return;
	}
	v = fl_ymap_get(n, "condition");
	switch (c->r->info.kind) {
	case FL_RULE_EVENT_COUNT:
	case FL_RULE_VALUE_COUNT:
		if (v == NULL) {
			err_at(c, n, "correlation has no condition");
			return;
		}
		compile_condition(c, v, d);
		if (c->errors || c->why.len)
			return;
		if (c->r->info.kind == FL_RULE_VALUE_COUNT &&
		    d->value_field == NULL) {
			err_at(c, v, "value_count needs 'field' in its condition");
			return;
		}
		if (c->r->info.kind == FL_RULE_EVENT_COUNT &&
		    d->value_field != NULL) {
			err_at(c, v, "'field' is only for value_count");
			return;
		}
		break;
	default:
		if (v != NULL) {
			unsup_at(c, v, "a condition on a %s correlation is not "
			    "supported", types[c->r->info.kind -
			    FL_RULE_EVENT_COUNT]);
			return;
		}
		break;
	}
	d->ref_idx = fl_arena_alloc(c->rs->arena, d->nrefs * sizeof *d->ref_idx);
	d->follow_idx = fl_arena_alloc(c->rs->arena,
	    (d->nfollow ? d->nfollow : 1) * sizeof *d->follow_idx);
	c->r->corr = d;
}

/* ---- the rule as a whole ---- */

static const char *const top_keys[] = {
	"title", "id", "name", "status", "description", "author", "date",
	"modified", "references", "tags", "logsource", "detection",
	"falsepositives", "level", "fields", "related", "license", "taxonomy",
	"scope", "correlation", "generate", "faultline", NULL
};
static const char *const fl_keys[] = {
	"signal", "category", "fields", "examples", "counterexamples", NULL
};
static const char *const levels[] = {
	"informational", "low", "medium", "high", "critical", NULL
};
static const char *const statuses[] = {
	"stable", "test", "experimental", "deprecated", "unsupported", NULL
};
/* Log sources faultline reads: Linux hosts and its own device kinds. */
static const char *const products[] = {
	"linux", "ups", "pdu", "ipmi", "bmc", "badge", "ats", "generator",
	"nmc", "esxi", "faultline", NULL
};

static void
load_examples(struct lctx *c, const struct fl_ynode *n,
    struct fl_example **out, size_t *nout, const char *what)
{
	const struct fl_ynode **nodes;
	const char **s;
	size_t i, k;

	if ((s = want_strings(c, n, what, &k, &nodes)) == NULL)
		return;
	*out = fl_arena_alloc(c->rs->arena, k * sizeof **out);
	for (i = 0; i < k; i++) {
		(*out)[i].text = s[i];
		(*out)[i].line = nodes[i]->line;
	}
	*nout = k;
}

static void
load_faultline(struct lctx *c, const struct fl_ynode *n)
{
	const struct fl_ynode *v;
	const struct fl_signal_def *sig = NULL;
	size_t i;

	if (n->kind != FL_YN_MAP) {
		err_at(c, n, "faultline must be a mapping");
		return;
	}
	for (i = 0; i + 1 < n->n; i += 2)
		if (!in_list(n->kids[i]->str, fl_keys))
			err_at(c, n->kids[i], "unknown key '%s' in faultline",
			    shown(c, n->kids[i]));
	if ((v = fl_ymap_get(n, "signal")) != NULL &&
	    (c->r->info.signal = want_scalar(c, v, "signal")) != NULL) {
		sig = fl_signal_find(c->r->info.signal);
		if (sig == NULL)
			err_at(c, v, "unknown signal '%s'", shown(c, v));
	}
	if ((v = fl_ymap_get(n, "category")) != NULL &&
	    (c->r->info.category = want_scalar(c, v, "category")) != NULL) {
		static const char *const cats[] = {"power", "host", "security",
		    "context", NULL};

		if (!in_list(c->r->info.category, cats))
			err_at(c, v, "unknown category '%s' (power, host, "
			    "security, context)", shown(c, v));
		else if (sig != NULL && strcmp(c->r->info.category,
		    fl_signal_category_name(sig->category)) != 0)
			err_at(c, v, "category '%s' does not match signal '%s' "
			    "(category %s)", c->r->info.category, sig->name,
			    fl_signal_category_name(sig->category));
	}
	if (sig != NULL && c->r->info.category == NULL)
		c->r->info.category = fl_signal_category_name(sig->category);
	if ((v = fl_ymap_get(n, "fields")) != NULL)
		c->r->info.keep_fields = want_strings(c, v, "fields", NULL, NULL);
	if ((v = fl_ymap_get(n, "examples")) != NULL)
		load_examples(c, v, &c->r->ex, &c->r->nex, "examples");
	if ((v = fl_ymap_get(n, "counterexamples")) != NULL)
		load_examples(c, v, &c->r->cex, &c->r->ncex, "counterexamples");
}

static void
check_logsource(struct lctx *c, const struct fl_ynode *n)
{
	const struct fl_ynode *v;

	if (n->kind != FL_YN_MAP) {
		err_at(c, n, "logsource must be a mapping");
		return;
	}
	if ((v = fl_ymap_get(n, "product")) != NULL && v->kind == FL_YN_SCALAR &&
	    !in_list(v->str, products))
		unsup_at(c, v, "logsource product '%s' is not read by faultline",
		    shown(c, v));
	if ((v = fl_ymap_get(n, "category")) != NULL)
		unsup_at(c, v, "logsource category '%s' needs an event source "
		    "faultline does not read", shown(c, v));
}

static void
add_skipped(struct fl_ruleset *rs, const char *id)
{
	FL_GROW(rs->skipped, rs->capskipped, rs->nskipped + 1);
	rs->skipped[rs->nskipped++] = id;
}

static void
load_rule(struct fl_ruleset *rs, const char *file, const struct fl_ynode *doc,
    const struct fl_diag *diag)
{
	struct lctx c;
	struct fl_rule *r;
	const struct fl_ynode *v, *det, *corr, *fl;
	struct fl_buf canon = {0};
	size_t i;

	memset(&c, 0, sizeof c);
	c.rs = rs;
	c.file = file;
	c.diag = diag;
	if (doc->kind != FL_YN_MAP) {
		err_at(&c, doc, "a rule must be a mapping");
		rs->errors++;
		return;
	}
	r = fl_arena_alloc(rs->arena, sizeof *r);
	memset(r, 0, sizeof *r);
	c.r = r;
	r->line = doc->line;
	r->col = doc->col;
	r->info.file = file;
	r->info.level = "medium";
	for (i = 0; i + 1 < doc->n; i += 2) {
		const struct fl_ynode *k = doc->kids[i];

		if (strcmp(k->str, "action") == 0 || strcmp(k->str, "filter") == 0)
			unsup_at(&c, k, "Sigma '%s' documents are not supported",
			    k->str);
		else if (!in_list(k->str, top_keys))
			err_at(&c, k, "unknown key '%s'", shown(&c, k));
	}
	if ((v = fl_ymap_get(doc, "title")) == NULL)
		err_at(&c, doc, "rule has no title");
	else
		r->info.title = want_scalar(&c, v, "title");
	if ((v = fl_ymap_get(doc, "id")) == NULL)
		err_at(&c, doc, "rule has no id");
	else
		r->info.id = want_scalar(&c, v, "id");
	if ((v = fl_ymap_get(doc, "name")) != NULL)
		r->name = want_scalar(&c, v, "name");
	if ((v = fl_ymap_get(doc, "level")) != NULL &&
	    (r->info.level = want_scalar(&c, v, "level")) != NULL &&
	    !in_list(r->info.level, levels))
		err_at(&c, v, "unknown level '%s' (informational, low, medium, "
		    "high, critical)", shown(&c, v));
	if ((v = fl_ymap_get(doc, "status")) != NULL &&
	    want_scalar(&c, v, "status") != NULL) {
		if (!in_list(v->str, statuses))
			err_at(&c, v, "unknown status '%s'", shown(&c, v));
		else if (strcmp(v->str, "unsupported") == 0)
			unsup_at(&c, v, "the rule's status is 'unsupported'");
	}
	if ((fl = fl_ymap_get(doc, "faultline")) != NULL) {
		c.has_fl = 1;
		load_faultline(&c, fl);
	}
	if (r->info.category == NULL)
		r->info.category = "security";
	if ((v = fl_ymap_get(doc, "logsource")) != NULL)
		check_logsource(&c, v);
	det = fl_ymap_get(doc, "detection");
	corr = fl_ymap_get(doc, "correlation");
	if (det != NULL && corr != NULL) {
		err_at(&c, corr, "a rule has either detection or correlation, "
		    "not both");
	} else if (det != NULL) {
		r->info.kind = FL_RULE_DETECTION;
		if (c.errors == 0)
			compile_detection(&c, det);
	} else if (corr != NULL) {
		if (c.errors == 0)
			compile_correlation(&c, corr);
		if (r->nex || r->ncex)
			err_at(&c, fl, "correlation rules take no examples");
	} else {
		err_at(&c, doc, "rule has neither detection nor correlation");
	}
	if (c.errors) {
		rs->errors += (unsigned)c.errors;
	} else if (c.why.len) {
		struct fl_buf w = {0};

		fl_buf_printf(&w, "%s:%u:%u", file, c.why_line, c.why_col);
		if (c.has_fl) {
			fl_diagf(diag, FL_DIAG_ERROR, w.data, "rule %s: %s",
			    r->info.id, c.why.data);
			rs->errors++;
		} else {
			fl_diagf(diag, FL_DIAG_WARNING, w.data,
			    "rule %s (%s) skipped: %s", r->info.id,
			    r->info.title, c.why.data);
			add_skipped(rs, r->info.id);
			rs->skipped_rules++;
			if (r->name)
				add_skipped(rs, r->name);
		}
		fl_buf_free(&w);
	} else {
		fl_ynode_canon(&canon, doc);
		r->canon = fl_arena_strndup(rs->arena, canon.data, canon.len);
		fl_buf_free(&canon);
		FL_GROW(rs->rules, rs->cap, rs->n + 1);
		rs->rules[rs->n++] = r;
	}
	fl_buf_free(&c.why);
}

/* ---- public: building the set ---- */

struct fl_ruleset *
fl_ruleset_new(void)
{
	struct fl_ruleset *rs = fl_xcalloc(1, sizeof *rs);

	rs->arena = fl_arena_new();
	return rs;
}

void
fl_ruleset_free(struct fl_ruleset *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->ncodes; i++)
		pcre2_code_free(rs->codes[i]);
	free(rs->codes);
	fl_ruleset_free_index(rs);
	if (rs->users != NULL)
		for (i = 0; i < rs->n; i++)
			free(rs->users[i]);
	free(rs->users);
	free(rs->nusers);
	free(rs->byid);
	free(rs->rules);
	free(rs->skipped);
	fl_arena_free(rs->arena);
	free(rs);
}

enum fl_err
fl_ruleset_add_text(struct fl_ruleset *rs, const char *name, const char *text,
    size_t len, const struct fl_diag *diag)
{
	struct fl_ynode **docs;
	size_t i, ndocs;
	unsigned before = rs->errors;
	const char *file = fl_arena_strdup(rs->arena, name);
	enum fl_err err;

	if (rs->compiled) {
		fl_diagf(diag, FL_DIAG_ERROR, name,
		    "rules added after the set was compiled");
		rs->errors++;
		return FL_ERR_INTERNAL;
	}
	/* The tree lives in the set's arena: rules point into it. */
	err = fl_yaml_parse(file, text, len, rs->arena, &docs, &ndocs, diag);
	if (err != FL_OK)
		rs->errors++;
	for (i = 0; i < ndocs; i++)
		if (!(docs[i]->kind == FL_YN_SCALAR && fl_ynode_is_null(docs[i])))
			load_rule(rs, file, docs[i], diag);
	free(docs);
	return rs->errors == before ? FL_OK : FL_ERR_RULE;
}

enum fl_err
fl_ruleset_add_file(struct fl_ruleset *rs, const char *path,
    const struct fl_diag *diag)
{
	FILE *f = fopen(path, "rb");
	struct fl_buf b = {0};
	char chunk[65536];
	size_t got;
	enum fl_err err;
	int e;

	if (f == NULL) {
		fl_diagf(diag, FL_DIAG_ERROR, path, "cannot open: %s",
		    strerror(errno));
		rs->errors++;
		return FL_ERR_IO;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		fl_buf_add(&b, chunk, got);
		if (b.len > FL_YAML_MAX_BYTES)
			break;
	}
	e = ferror(f) ? errno : 0;
	fclose(f);
	if (e) {
		fl_diagf(diag, FL_DIAG_ERROR, path, "cannot read: %s",
		    strerror(e));
		fl_buf_free(&b);
		rs->errors++;
		return FL_ERR_IO;
	}
	err = fl_ruleset_add_text(rs, path, b.data ? b.data : "", b.len, diag);
	fl_buf_free(&b);
	return err;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_rule_file(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

/* Collects rule files below dir (hidden entries skipped), depth-limited
 * against symlink loops. */
static int
walk(const char *dir, unsigned depth, char ***files, size_t *n, size_t *cap,
    const struct fl_diag *diag)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0, cn = 0, i;
	int r = 0;

	if (depth > 16) {
		fl_diagf(diag, FL_DIAG_ERROR, dir, "directories nested too deep");
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		fl_diagf(diag, FL_DIAG_ERROR, dir, "cannot open directory: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		FL_GROW(names, cn, nn + 1);
		names[nn++] = fl_xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (nn > 1)
		qsort(names, nn, sizeof *names, cmp_str);
	for (i = 0; i < nn; i++) {
		struct stat st;

		if (r == 0 && stat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				r = walk(names[i], depth + 1, files, n, cap, diag);
			} else if (S_ISREG(st.st_mode) && is_rule_file(names[i])) {
				FL_GROW(*files, *cap, *n + 1);
				(*files)[(*n)++] = names[i];
				names[i] = NULL;
			}
		}
		free(names[i]);
	}
	free(names);
	return r;
}

enum fl_err
fl_ruleset_add_dir(struct fl_ruleset *rs, const char *dir,
    const struct fl_diag *diag)
{
	char **files = NULL;
	size_t n = 0, cap = 0, i;
	enum fl_err err = FL_OK, e;
	struct stat st;

	if (stat(dir, &st) == 0 && S_ISREG(st.st_mode))
		return fl_ruleset_add_file(rs, dir, diag);
	if (walk(dir, 0, &files, &n, &cap, diag) < 0) {
		rs->errors++;
		err = FL_ERR_IO;
	}
	for (i = 0; i < n; i++) {
		if (err != FL_ERR_IO) {
			e = fl_ruleset_add_file(rs, files[i], diag);
			if (e != FL_OK)
				err = e;
		}
		free(files[i]);
	}
	free(files);
	return err;
}

enum fl_err
fl_ruleset_add_builtin(struct fl_ruleset *rs, const struct fl_diag *diag)
{
	enum fl_err err = FL_OK, e;
	size_t i;

	for (i = 0; i < fl_builtin_rules_n; i++) {
		char *name = fl_xasprintf("builtin:%s", fl_builtin_rules[i].name);

		e = fl_ruleset_add_text(rs, name, fl_builtin_rules[i].text,
		    fl_builtin_rules[i].len, diag);
		if (e != FL_OK)
			err = e;
		free(name);
	}
	return err;
}

/* ---- compile: references, checks, JIT, index ---- */

struct idkey {
	const char *id;
	uint32_t idx;
};

static int
cmp_idkey(const void *a, const void *b)
{
	const struct idkey *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static void
build_byid(struct fl_ruleset *rs)
{
	struct idkey *k = fl_xreallocarray(NULL, rs->n ? rs->n : 1, sizeof *k);
	size_t i;

	for (i = 0; i < rs->n; i++) {
		k[i].id = rs->rules[i]->info.id;
		k[i].idx = (uint32_t)i;
	}
	qsort(k, rs->n, sizeof *k, cmp_idkey);
	free(rs->byid);
	rs->byid = fl_xreallocarray(NULL, rs->n ? rs->n : 1, sizeof *rs->byid);
	for (i = 0; i < rs->n; i++)
		rs->byid[i] = k[i].idx;
	free(k);
}

static long
find_id(const struct fl_ruleset *rs, const char *id)
{
	size_t lo = 0, hi = rs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rs->rules[rs->byid[mid]]->info.id, id);

		if (c == 0) {
			/* the first of equal ids */
			while (mid > 0 && strcmp(rs->rules[rs->byid[mid - 1]]->
			    info.id, id) == 0)
				mid--;
			return rs->byid[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A reference names a rule by id, or by its Sigma name. */
static long
find_ref(const struct fl_ruleset *rs, const char *ref)
{
	long i = find_id(rs, ref);
	size_t k;

	if (i >= 0)
		return i;
	for (k = 0; k < rs->n; k++)
		if (rs->rules[k]->name && strcmp(rs->rules[k]->name, ref) == 0)
			return (long)k;
	return -1;
}

static int
was_skipped(const struct fl_ruleset *rs, const char *ref)
{
	size_t i;

	for (i = 0; i < rs->nskipped; i++)
		if (strcmp(rs->skipped[i], ref) == 0)
			return 1;
	return 0;
}

static void
where_of(struct fl_buf *w, const struct fl_rule *r, const struct fl_ynode *n)
{
	fl_buf_reset(w);
	fl_buf_printf(w, "%s:%u:%u", r->info.file, n ? n->line : r->line,
	    n ? n->col : r->col);
}

/* Drops correlations that use a skipped rule (repeatedly, since that can
 * cascade); reports references to rules that do not exist. */
static void
resolve_refs(struct fl_ruleset *rs, const struct fl_diag *diag)
{
	struct fl_buf w = {0};
	size_t i, j, k;
	int changed = 1;

	while (changed) {
		changed = 0;
		build_byid(rs);
		for (i = 0; i < rs->n; i++) {
			struct fl_rule *r = rs->rules[i];
			struct fl_corr_def *d = r->corr;

			if (d == NULL)
				continue;
			for (j = 0; j < d->nrefs + d->nfollow; j++) {
				int fol = j >= d->nrefs;
				const char *ref = fol ? d->follow[j - d->nrefs] :
				    d->refs[j];
				const struct fl_ynode *at = fol ?
				    d->follow_nodes[j - d->nrefs] : d->ref_nodes[j];
				long idx = find_ref(rs, ref);

				if (idx >= 0) {
					if (fol)
						d->follow_idx[j - d->nrefs] =
						    (uint32_t)idx;
					else
						d->ref_idx[j] = (uint32_t)idx;
					continue;
				}
				where_of(&w, r, at);
				if (!was_skipped(rs, ref)) {
					fl_diagf(diag, FL_DIAG_ERROR, w.data,
					    "rule %s refers to unknown rule '%s'",
					    r->info.id, ref);
					rs->errors++;
					continue;
				}
				fl_diagf(diag, FL_DIAG_WARNING, w.data,
				    "rule %s (%s) skipped: it uses rule '%s', "
				    "which was skipped", r->info.id, r->info.title,
				    ref);
				add_skipped(rs, r->info.id);
				rs->skipped_rules++;
				if (r->name)
					add_skipped(rs, r->name);
				for (k = i; k + 1 < rs->n; k++)
					rs->rules[k] = rs->rules[k + 1];
				rs->n--;
				changed = 1;
				break;
			}
			if (changed)
				break;
		}
	}
	fl_buf_free(&w);
}

/* Correlations form a DAG; a cycle would feed hits back forever. */
static int
has_cycle(const struct fl_ruleset *rs, uint32_t i, unsigned char *color)
{
	const struct fl_corr_def *d = rs->rules[i]->corr;
	size_t j;

	if (color[i] == 2 || d == NULL)
		return 0;
	if (color[i] == 1)
		return 1;
	color[i] = 1;
	for (j = 0; j < d->nrefs; j++)
		if (has_cycle(rs, d->ref_idx[j], color))
			return 1;
	for (j = 0; j < d->nfollow; j++)
		if (has_cycle(rs, d->follow_idx[j], color))
			return 1;
	color[i] = 2;
	return 0;
}

static void
check_dups(struct fl_ruleset *rs, const struct fl_diag *diag)
{
	struct fl_buf w = {0};
	size_t i;

	for (i = 1; i < rs->n; i++) {
		const struct fl_rule *a = rs->rules[rs->byid[i - 1]];
		const struct fl_rule *b = rs->rules[rs->byid[i]];

		if (strcmp(a->info.id, b->info.id) != 0)
			continue;
		where_of(&w, b, NULL);
		fl_diagf(diag, FL_DIAG_ERROR, w.data,
		    "duplicate id '%s' (first defined at %s:%u:%u)", b->info.id,
		    a->info.file, a->line, a->col);
		rs->errors++;
	}
	fl_buf_free(&w);
}

static void
jit_rule(struct fl_ruleset *rs, const struct fl_rule *r)
{
	size_t s, a, f, v;

	for (s = 0; s < r->det->nsel; s++)
		for (a = 0; a < r->det->sel[s].nalt; a++)
			for (f = 0; f < r->det->sel[s].alt[a].nf; f++) {
				const struct fl_fspec *fs = &r->det->sel[s].alt[a].f[f];

				for (v = 0; v < fs->nv; v++)
					if (fs->v[v].re != NULL &&
					    pcre2_jit_compile(fs->v[v].re,
					    PCRE2_JIT_COMPLETE) != 0)
						rs->jit_failed++;
			}
}

enum fl_err
fl_ruleset_compile(struct fl_ruleset *rs, const struct fl_diag *diag)
{
	unsigned char *color;
	struct fl_buf w = {0};
	size_t i, j;

	if (rs->compiled)
		return rs->errors ? FL_ERR_RULE : FL_OK;
	resolve_refs(rs, diag);
	check_dups(rs, diag);
	if (rs->errors)
		return FL_ERR_RULE;
	color = fl_xcalloc(rs->n ? rs->n : 1, 1);
	for (i = 0; i < rs->n; i++) {
		if (rs->rules[i]->corr == NULL || color[i] == 2)
			continue;
		if (has_cycle(rs, (uint32_t)i, color)) {
			where_of(&w, rs->rules[i], NULL);
			fl_diagf(diag, FL_DIAG_ERROR, w.data,
			    "correlation rule %s is part of a reference cycle",
			    rs->rules[i]->info.id);
			rs->errors++;
			break;
		}
	}
	free(color);
	fl_buf_free(&w);
	if (rs->errors)
		return FL_ERR_RULE;
	rs->users = fl_xcalloc(rs->n ? rs->n : 1, sizeof *rs->users);
	rs->nusers = fl_xcalloc(rs->n ? rs->n : 1, sizeof *rs->nusers);
	for (i = 0; i < rs->n; i++) {
		struct fl_rule *r = rs->rules[i];
		const struct fl_corr_def *d = r->corr;

		if (r->det != NULL) {
			jit_rule(rs, r);
			fl_rule_prefilter(rs, r);
			rs->ndet++;
		}
		if (d == NULL)
			continue;
		for (j = 0; j < d->nrefs + d->nfollow; j++) {
			uint32_t t = j < d->nrefs ? d->ref_idx[j] :
			    d->follow_idx[j - d->nrefs];

			/* a rule listed twice is used once */
			if (rs->nusers[t] &&
			    rs->users[t][rs->nusers[t] - 1] == (uint32_t)i)
				continue;
			rs->users[t] = fl_xreallocarray(rs->users[t],
			    rs->nusers[t] + 1, sizeof **rs->users);
			rs->users[t][rs->nusers[t]++] = (uint32_t)i;
		}
	}
	fl_ruleset_build_index(rs);
	if (rs->jit_failed)
		fl_diagf(diag, FL_DIAG_NOTE, NULL, "%u regular expressions run "
		    "without JIT (JIT memory refused)", rs->jit_failed);
	rs->compiled = 1;
	return FL_OK;
}

size_t
fl_ruleset_count(const struct fl_ruleset *rs)
{
	return rs->n;
}

size_t
fl_ruleset_skipped(const struct fl_ruleset *rs)
{
	return rs->skipped_rules;
}

const struct fl_rule_info *
fl_ruleset_rule(const struct fl_ruleset *rs, size_t index)
{
	return index < rs->n ? &rs->rules[index]->info : NULL;
}

const struct fl_rule_gate *
fl_ruleset_gate(const struct fl_ruleset *rs, size_t index)
{
	return index < rs->n ? &rs->rules[index]->gate : NULL;
}

static int
field_correlated(const struct fl_ruleset *rs, size_t index, const char *field,
    unsigned depth)
{
	size_t i, j;

	/* correlation chains are acyclic (checked at compile) and short */
	if (depth > 16)
		return 1;
	for (i = 0; i < rs->nusers[index]; i++) {
		const struct fl_corr_def *d = rs->rules[rs->users[index][i]]->corr;

		for (j = 0; j < d->ngroup; j++)
			if (strcmp(d->group_by[j], field) == 0)
				return 1;
		if ((d->value_field != NULL &&
		    strcmp(d->value_field, field) == 0) ||
		    field_correlated(rs, rs->users[index][i], field, depth + 1))
			return 1;
	}
	return 0;
}

int
fl_ruleset_field_correlated(const struct fl_ruleset *rs, size_t index,
    const char *field)
{
	return rs->compiled && index < rs->n &&
	    field_correlated(rs, index, field, 0);
}

long
fl_ruleset_find(const struct fl_ruleset *rs, const char *id)
{
	size_t i;

	if (rs->compiled)
		return find_id(rs, id);
	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i]->info.id, id) == 0)
			return (long)i;
	return -1;
}

void
fl_ruleset_digest(const struct fl_ruleset *rs, char out[65])
{
	struct fl_buf b = {0};
	size_t i;

	for (i = 0; i < rs->n; i++) {
		fl_buf_adds(&b, rs->rules[i]->canon);
		fl_buf_addc(&b, '\n');
	}
	fl_sha256_hex(b.data ? b.data : "", b.len, out);
	fl_buf_free(&b);
}

const char *
fl_rule_kind_name(enum fl_rule_kind kind)
{
	switch (kind) {
	case FL_RULE_DETECTION: return "detection";
	case FL_RULE_EVENT_COUNT: return "event_count";
	case FL_RULE_VALUE_COUNT: return "value_count";
	case FL_RULE_TEMPORAL: return "temporal";
	case FL_RULE_TEMPORAL_ORDERED: return "temporal_ordered";
	case FL_RULE_ABSENCE: return "absence";
	}
	return "?";
}
