/* Rules test themselves: every example line is parsed by the same parser
 * as evidence and must be hit by its rule through the full matcher (index
 * and prefilter included); every counterexample must not be. */
#include "config.h"

#include "fl_rules_int.h"

#include <stdlib.h>
#include <string.h>

struct st_hit {
	uint32_t want;
	int hit;
	const char *const *keep;
	unsigned char *seen;       /* per keep field: produced by a capture */
};

static void
on_hit(void *ctx, const struct fl_hit *hit)
{
	struct st_hit *s = ctx;
	size_t i, k;

	if (hit->rule != s->want)
		return;
	s->hit = 1;
	for (k = 0; s->keep != NULL && s->keep[k] != NULL; k++)
		for (i = 0; i < hit->n_captures; i++)
			if (strcmp(hit->captures[i].name, s->keep[k]) == 0)
				s->seen[k] = 1;
}

/* A kept field the parser provides itself (standard or extra field). */
static int
parsed_has(const struct fl_parsed *p, const char *name)
{
	size_t i, n = strlen(name);

	if (strcmp(name, "host") == 0)
		return p->host.n > 0;
	if (strcmp(name, "program") == 0)
		return p->program.n > 0;
	if (strcmp(name, "pid") == 0)
		return p->pid.n > 0;
	if (strcmp(name, "message") == 0 || strcmp(name, "raw") == 0 ||
	    strcmp(name, "source") == 0)
		return 1;
	for (i = 0; i < p->n_extra; i++)
		if (p->extra_name[i].n == n &&
		    memcmp(p->extra_name[i].p, name, n) == 0)
			return 1;
	return 0;
}

static int
run_one(struct fl_matcher *m, const struct fl_parse_opts *popts,
    const char *line, struct st_hit *s)
{
	static const struct fl_stream_info info = {
		"selftest", "", "selftest", "", INT64_MIN, FL_MTIME_NONE, 0, 0
	};
	struct fl_parser *p = fl_parser_new(popts, &info);
	struct fl_parsed parsed;
	struct fl_match_input in;
	const char *nl;
	size_t k, len = strlen(line);

	/* Lines before the last one are context for the parser (a CSV
	 * header, say); the last line is the one matched. */
	if (len && line[len - 1] == '\n')
		len--;
	while ((nl = memchr(line, '\n', len)) != NULL) {
		fl_parse_line(p, line, (size_t)(nl - line), &parsed);
		len -= (size_t)(nl + 1 - line);
		line = nl + 1;
	}
	fl_parse_line(p, line, len, &parsed);
	memset(&in, 0, sizeof in);
	in.parsed = &parsed;
	in.raw.p = line;
	in.raw.n = len;
	in.source.p = "selftest";
	in.source.n = 8;
	in.host = parsed.host;
	s->hit = 0;
	fl_matcher_run(m, &in, on_hit, s);
	if (s->hit)
		for (k = 0; s->keep != NULL && s->keep[k] != NULL; k++)
			if (parsed_has(&parsed, s->keep[k]))
				s->seen[k] = 1;
	fl_parser_free(p);
	return s->hit;
}

static void
fail(const struct fl_rule *r, unsigned line, const struct fl_diag *diag,
    const char *what, size_t n, const char *text)
{
	struct fl_buf w = {0};

	fl_buf_printf(&w, "%s:%u", r->info.file, line);
	fl_diagf(diag, FL_DIAG_ERROR, w.data, "rule %s: %s %zu %s: %s",
	    r->info.id, what, n, what[0] == 'e' ? "did not match" : "matched",
	    text);
	fl_buf_free(&w);
}

size_t
fl_ruleset_selftest(const struct fl_ruleset *rs,
    const struct fl_parse_opts *popts, size_t *tested,
    const struct fl_diag *diag)
{
	struct fl_matcher *m = fl_matcher_new(rs);
	struct fl_buf w = {0};
	size_t i, k, nkeep, failures = 0, checked = 0;

	if (m == NULL)
		return 0;
	for (i = 0; i < rs->n; i++) {
		const struct fl_rule *r = rs->rules[i];
		struct st_hit s;

		if (r->det == NULL || (r->nex == 0 && r->ncex == 0))
			continue;
		for (nkeep = 0; r->info.keep_fields != NULL &&
		    r->info.keep_fields[nkeep] != NULL; nkeep++)
			;
		memset(&s, 0, sizeof s);
		s.want = (uint32_t)i;
		s.keep = r->info.keep_fields;
		s.seen = fl_xcalloc(nkeep ? nkeep : 1, 1);
		for (k = 0; k < r->nex; k++, checked++)
			if (!run_one(m, popts, r->ex[k].text, &s)) {
				fail(r, r->ex[k].line, diag, "example", k + 1,
				    r->ex[k].text);
				failures++;
			}
		for (k = 0; k < r->ncex; k++, checked++)
			if (run_one(m, popts, r->cex[k].text, &s)) {
				fail(r, r->cex[k].line, diag, "counterexample",
				    k + 1, r->cex[k].text);
				failures++;
			}
		/* A kept field no example produces is most likely a typo. */
		for (k = 0; r->nex && k < nkeep; k++) {
			if (s.seen[k])
				continue;
			fl_buf_reset(&w);
			fl_buf_printf(&w, "%s:%u:%u", r->info.file, r->line,
			    r->col);
			fl_diagf(diag, FL_DIAG_ERROR, w.data, "rule %s: field '%s' "
			    "is kept but no example produces it", r->info.id,
			    r->info.keep_fields[k]);
			failures++;
		}
		free(s.seen);
	}
	fl_buf_free(&w);
	fl_matcher_free(m);
	if (tested)
		*tested = checked;
	return failures;
}
