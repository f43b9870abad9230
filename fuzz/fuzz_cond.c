/*
 * Fuzz target: the Sigma condition parser. The bytes are a condition; it is
 * compiled directly against a fixed list of selection names, then put into
 * a rule document (as a YAML double-quoted scalar) that is loaded,
 * compiled and matched against a few lines, so that what compiles is also
 * evaluated.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_rules_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sel_names[] = {
	"selection", "filter", "keywords", "sel_a", "sel_b", "_hidden",
	"1", "x*y",
};

static const char doc_head[] =
    "title: fuzzed condition\n"
    "id: fuzz-cond\n"
    "level: low\n"
    "logsource:\n"
    "  product: linux\n"
    "detection:\n"
    "  selection:\n"
    "    program: sshd\n"
    "    message|contains: Failed\n"
    "  filter:\n"
    "    message|re: 'from (?<src_ip>\\S+) port (?<port>\\d+)'\n"
    "  keywords:\n"
    "    - root\n"
    "    - admin\n"
    "  sel_a:\n"
    "    host|startswith: srv-\n"
    "  sel_b:\n"
    "    - pid: '2211'\n"
    "    - message|endswith: ssh2\n"
    "  _hidden:\n"
    "    severity: 3\n"
    "  condition: \"";
static const char doc_tail[] =
    "\"\n"
    "faultline:\n"
    "  signal: auth_fail\n"
    "  category: security\n";

static const char *const lines[] = {
	"Aug  3 09:41:12 srv-db-07 sshd[2211]: Failed password for root from 203.0.113.7 port 4711 ssh2",
	"Aug  3 09:41:13 web sshd[99]: Accepted publickey for admin from 10.0.0.5 port 5022 ssh2",
	"<11>Aug  3 09:41:14 srv-x cron[1]: nothing",
};

static void
quiet(void *ctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	(void)ctx;
	(void)level;
	(void)where;
	if (msg == NULL)
		abort();
}

static void
on_hit(void *ctx, const struct fl_hit *hit)
{
	(void)ctx;
	(void)hit;
}

static void
direct(const char *text)
{
	struct fl_sel sel[sizeof sel_names / sizeof sel_names[0]];
	struct fl_arena *arena = fl_arena_new();
	struct fl_cnode *nodes = NULL;
	struct fl_buf err = {0};
	size_t i, nnodes = 0, off = 0;
	uint32_t root = 0;
	int r;

	memset(sel, 0, sizeof sel);
	for (i = 0; i < sizeof sel / sizeof sel[0]; i++)
		sel[i].name = sel_names[i];
	r = fl_cond_compile(text, sel, sizeof sel / sizeof sel[0], arena,
	    &nodes, &nnodes, &root, &err, &off);
	if (r == 0) {
		/* Every node refers to earlier nodes or to a selection. */
		if (nnodes == 0 || root >= nnodes)
			abort();
		for (i = 0; i < nnodes; i++) {
			const struct fl_cnode *c = &nodes[i];

			if (c->op == FL_C_SEL ? c->a >= sizeof sel / sizeof sel[0] :
			    c->a >= i || (c->op != FL_C_NOT && c->b >= i))
				abort();
		}
	} else if (err.len == 0 || off > strlen(text)) {
		/* A refusal always says why and where. */
		abort();
	}
	fl_buf_free(&err);
	fl_arena_free(arena);
}

static void
in_rule(const uint8_t *data, size_t size)
{
	struct fl_diag diag = {quiet, NULL};
	struct fl_ruleset *rs = fl_ruleset_new();
	struct fl_buf doc = {0};
	struct fl_matcher *m;
	size_t i;

	fl_buf_adds(&doc, doc_head);
	for (i = 0; i < size; i++) {
		unsigned char ch = data[i];

		if (ch == '"' || ch == '\\')
			fl_buf_printf(&doc, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fl_buf_printf(&doc, "\\x%02x", ch);
		else
			fl_buf_addc(&doc, (char)ch);
	}
	fl_buf_adds(&doc, doc_tail);
	if (fl_ruleset_add_text(rs, "cond.yml", doc.data, doc.len, &diag) ==
	    FL_OK && fl_ruleset_compile(rs, &diag) == FL_OK) {
		m = fl_matcher_new(rs);
		for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
			struct fl_parser *p = fl_parser_new(NULL, NULL);
			struct fl_parsed parsed;
			struct fl_match_input in;

			fl_parse_line(p, lines[i], strlen(lines[i]), &parsed);
			memset(&in, 0, sizeof in);
			in.parsed = &parsed;
			in.raw.p = lines[i];
			in.raw.n = strlen(lines[i]);
			in.source.p = "auth.log";
			in.source.n = 8;
			in.host = parsed.host;
			fl_matcher_run(m, &in, on_hit, NULL);
			fl_parser_free(p);
		}
		fl_matcher_free(m);
	}
	fl_ruleset_free(rs);
	fl_buf_free(&doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fl_xmalloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	direct(text);
	free(text);
	in_rule(data, size);
	return 0;
}
