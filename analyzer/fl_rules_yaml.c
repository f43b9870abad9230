/* YAML rule files → a node tree with line:column for every node. Built on
 * libyaml's event parser so that nothing is expanded behind our back:
 * anchors and aliases are refused, depth, size and node count are capped. */
#include "config.h"

#include "fl_rules_int.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame {
	struct fl_ynode *node;
	struct fl_ynode **kids;
	size_t n, cap;
};

struct yparse {
	const char *name;
	struct fl_arena *arena;
	const struct fl_diag *diag;
	struct frame *stack;
	size_t depth;
	size_t nodes;
	struct fl_ynode *root;
};

static void
yerr(const struct yparse *y, yaml_mark_t mark, const char *msg)
{
	char where[64];
	struct fl_buf w = {0};

	snprintf(where, sizeof where, ":%lu:%lu", (unsigned long)mark.line + 1,
	    (unsigned long)mark.column + 1);
	fl_buf_adds(&w, y->name);
	fl_buf_adds(&w, where);
	fl_diagf(y->diag, FL_DIAG_ERROR, w.data, "%s", msg);
	fl_buf_free(&w);
}

static struct fl_ynode *
new_node(struct yparse *y, enum fl_ynode_kind kind, const yaml_event_t *ev)
{
	struct fl_ynode *n = fl_arena_alloc(y->arena, sizeof *n);

	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	n->end_line = (unsigned)ev->end_mark.line + 1;
	return n;
}

static void
attach(struct yparse *y, struct fl_ynode *n)
{
	struct frame *f;

	if (y->depth == 0) {
		y->root = n;
		return;
	}
	f = &y->stack[y->depth - 1];
	FL_GROW(f->kids, f->cap, f->n + 1);
	f->kids[f->n++] = n;
}

static int
cmp_key(const void *a, const void *b)
{
	const struct fl_ynode *x = *(struct fl_ynode *const *)a;
	const struct fl_ynode *z = *(struct fl_ynode *const *)b;
	int c;

	if (x->len != z->len)
		return x->len < z->len ? -1 : 1;
	c = memcmp(x->str, z->str, x->len);
	if (c)
		return c;
	if (x->line != z->line)
		return x->line < z->line ? -1 : 1;
	return x->col < z->col ? -1 : x->col > z->col;
}

/* Keys must be scalars and unique; sorting keeps this O(n log n) for
 * hostile files with huge maps. */
static int
check_map(struct yparse *y, const struct fl_ynode *m)
{
	struct fl_ynode **keys;
	const struct fl_ynode *dup = NULL;
	size_t i, nk = m->n / 2;
	yaml_mark_t mark;

	for (i = 0; i < nk; i++) {
		if (m->kids[2 * i]->kind != FL_YN_SCALAR) {
			mark.line = m->kids[2 * i]->line - 1;
			mark.column = m->kids[2 * i]->col - 1;
			yerr(y, mark, "a mapping key must be a plain string");
			return -1;
		}
	}
	if (nk < 2)
		return 0;
	keys = fl_xreallocarray(NULL, nk, sizeof *keys);
	for (i = 0; i < nk; i++)
		keys[i] = m->kids[2 * i];
	qsort(keys, nk, sizeof *keys, cmp_key);
	for (i = 1; i < nk; i++) {
		if (keys[i]->len == keys[i - 1]->len &&
		    memcmp(keys[i]->str, keys[i - 1]->str, keys[i]->len) == 0 &&
		    (dup == NULL || keys[i]->line < dup->line ||
		    (keys[i]->line == dup->line && keys[i]->col < dup->col)))
			dup = keys[i];
	}
	free(keys);
	if (dup != NULL) {
		struct fl_buf msg = {0};

		mark.line = dup->line - 1;
		mark.column = dup->col - 1;
		fl_buf_adds(&msg, "duplicate key '");
		fl_buf_text_safe(&msg, dup->str, dup->len);
		fl_buf_adds(&msg, "'");
		yerr(y, mark, msg.data);
		fl_buf_free(&msg);
		return -1;
	}
	return 0;
}

static void
free_stack(struct yparse *y)
{
	size_t i;

	for (i = 0; i < y->depth; i++)
		free(y->stack[i].kids);
	free(y->stack);
	y->stack = NULL;
	y->depth = 0;
}

/* Handles one event; returns 1 at the end of the stream, 0 to go on, -1 on
 * error (reported). */
static int
on_event(struct yparse *y, const yaml_event_t *ev, struct fl_ynode ***docs,
    size_t *ndocs, size_t *capdocs)
{
	struct fl_ynode *n;
	struct frame *f;
	const unsigned char *anchor = NULL;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		y->root = NULL;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		if (y->root != NULL) {
			FL_GROW(*docs, *capdocs, *ndocs + 1);
			(*docs)[(*ndocs)++] = y->root;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		yerr(y, ev->start_mark,
		    "YAML aliases are not supported in rule files");
		return -1;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		break;
	default:
		break;
	}
	if (anchor != NULL) {
		yerr(y, ev->start_mark,
		    "YAML anchors are not supported in rule files");
		return -1;
	}
	if (ev->type == YAML_SCALAR_EVENT || ev->type ==
	    YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
		if (++y->nodes > FL_YAML_MAX_NODES) {
			yerr(y, ev->start_mark, "too many YAML nodes in one file");
			return -1;
		}
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = new_node(y, FL_YN_SCALAR, ev);
		n->str = fl_arena_strndup(y->arena,
		    (const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		attach(y, n);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (y->depth >= FL_YAML_MAX_DEPTH) {
			yerr(y, ev->start_mark, "YAML nesting deeper than 64");
			return -1;
		}
		n = new_node(y, ev->type == YAML_SEQUENCE_START_EVENT ?
		    FL_YN_SEQ : FL_YN_MAP, ev);
		y->stack = fl_xreallocarray(y->stack, y->depth + 1,
		    sizeof *y->stack);
		f = &y->stack[y->depth++];
		memset(f, 0, sizeof *f);
		f->node = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		f = &y->stack[y->depth - 1];
		n = f->node;
		n->end_line = (unsigned)ev->end_mark.line + 1;
		n->n = f->n;
		if (f->n) {
			n->kids = fl_arena_alloc(y->arena, f->n * sizeof *n->kids);
			memcpy(n->kids, f->kids, f->n * sizeof *n->kids);
		}
		free(f->kids);
		y->depth--;
		if (n->kind == FL_YN_MAP && check_map(y, n) < 0)
			return -1;
		attach(y, n);
		return 0;
	default:
		return 0;
	}
}

enum fl_err
fl_yaml_parse(const char *name, const char *text, size_t len,
    struct fl_arena *arena, struct fl_ynode ***docs, size_t *ndocs,
    const struct fl_diag *diag)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct yparse y;
	size_t capdocs = 0;
	int r = 0;

	*docs = NULL;
	*ndocs = 0;
	if (len > FL_YAML_MAX_BYTES) {
		fl_diagf(diag, FL_DIAG_ERROR, name,
		    "rule file larger than %u bytes", FL_YAML_MAX_BYTES);
		return FL_ERR_RULE;
	}
	memset(&y, 0, sizeof y);
	y.name = name;
	y.arena = arena;
	y.diag = diag;
	if (!yaml_parser_initialize(&parser))
		return FL_ERR_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (r == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			struct fl_buf msg = {0};

			fl_buf_printf(&msg, "YAML syntax error: %s",
			    parser.problem ? parser.problem : "unknown");
			if (parser.context != NULL)
				fl_buf_printf(&msg, " (%s at line %lu)",
				    parser.context,
				    (unsigned long)parser.context_mark.line + 1);
			yerr(&y, parser.problem_mark, msg.data);
			fl_buf_free(&msg);
			r = -1;
			break;
		}
		r = on_event(&y, &ev, docs, ndocs, &capdocs);
		yaml_event_delete(&ev);
	}
	free_stack(&y);
	yaml_parser_delete(&parser);
	return r < 0 ? FL_ERR_RULE : FL_OK;
}

const struct fl_ynode *
fl_ymap_get(const struct fl_ynode *map, const char *key)
{
	size_t i, kl = strlen(key);

	if (map == NULL || map->kind != FL_YN_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->len == kl &&
		    memcmp(map->kids[i]->str, key, kl) == 0)
			return map->kids[i + 1];
	return NULL;
}

int
fl_ynode_is_null(const struct fl_ynode *n)
{
	if (n->kind != FL_YN_SCALAR || !n->plain)
		return 0;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

void
fl_ynode_canon(struct fl_buf *b, const struct fl_ynode *n)
{
	size_t i;

	switch (n->kind) {
	case FL_YN_SCALAR:
		if (fl_ynode_is_null(n))
			fl_buf_adds(b, "null");
		else
			fl_buf_json_str(b, n->str, n->len);
		break;
	case FL_YN_SEQ:
		fl_buf_addc(b, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				fl_buf_addc(b, ',');
			fl_ynode_canon(b, n->kids[i]);
		}
		fl_buf_addc(b, ']');
		break;
	case FL_YN_MAP:
		fl_buf_addc(b, '{');
		for (i = 0; i + 1 < n->n; i += 2) {
			if (i)
				fl_buf_addc(b, ',');
			fl_ynode_canon(b, n->kids[i]);
			fl_buf_addc(b, ':');
			fl_ynode_canon(b, n->kids[i + 1]);
		}
		fl_buf_addc(b, '}');
		break;
	}
}
