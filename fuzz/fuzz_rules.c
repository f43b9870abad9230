/*
 * Fuzz target: the rule loader. The bytes are a rule file (YAML, Sigma
 * subset); when the set loads and compiles, it runs its own examples, is
 * matched against a few lines of each format, and its hits go through the
 * correlator, so a rule that loads is also a rule that runs.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_parse.h"
#include "fl_rules.h"
#include "fl_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const lines[] = {
	"Aug  3 09:41:12 srv-db-07 sshd[2211]: Failed password for root from 203.0.113.7 port 4711 ssh2",
	"Aug  3 09:41:13 srv-db-07 sshd[2211]: Accepted publickey for admin from 10.0.0.5 port 5022 ssh2",
	"2024-08-03T09:41:12.123456+02:00 srv-app-11 systemd[1]: Stopping OpenSSH server...",
	"<34>1 2024-08-03T09:41:12Z srv-web-01 sudo 4242 - - admin : TTY=pts/0 ; COMMAND=/sbin/poweroff",
	"type=USER_CMD msg=audit(1722678072.123:456): pid=1 uid=0 auid=1000 cmd=726D202D7266202F exe=\"/usr/bin/sudo\" res=success",
	"2024-08-03 09:41:12 +0200  Power failure.",
	"08/03/2024 09:41:12 Device UPS: On battery power in response to an input power problem. 0x0109",
	"   1 | 08/03/2024 | 09:41:12 | Power Supply #0x51 | Power Supply AC lost | Asserted",
	"[   37.749084] EXT4-fs (sda1): recovering journal",
	"Aug  3 09:41:12 srv-db-07 kernel: \x1b[31mred\x1b[0m \xff\xfe bad",
	"",
};

struct ctx {
	struct fl_correlator *corr;
	uint32_t id;
	int64_t t;
	const char *host;
};

static void
on_hit(void *vctx, const struct fl_hit *hit)
{
	struct ctx *c = vctx;
	const char *names[8], *values[8];
	char buf[8][64];
	struct fl_corr_event ev;
	size_t i, n = hit->n_captures < 8 ? hit->n_captures : 8;

	for (i = 0; i < n; i++) {
		size_t len = hit->captures[i].value.n < 63 ?
		    hit->captures[i].value.n : 63;

		names[i] = hit->captures[i].name;
		memcpy(buf[i], hit->captures[i].value.p, len);
		buf[i][len] = '\0';
		values[i] = buf[i];
	}
	memset(&ev, 0, sizeof ev);
	ev.time_us = c->t;
	ev.rule = hit->rule;
	ev.id = c->id++;
	ev.host = c->host;
	ev.n_fields = n;
	ev.field_names = names;
	ev.field_values = values;
	fl_correlator_feed(c->corr, &ev);
}

static void
on_corr(void *vctx, const struct fl_corr_hit *hit)
{
	(void)vctx;
	if (hit->n_events > FL_CORR_MAX_EVENTS || hit->group == NULL)
		abort();
}

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_diag diag = {quiet, NULL};
	struct fl_ruleset *rs = fl_ruleset_new();
	struct fl_matcher *m;
	struct fl_parse_opts popts;
	struct fl_corr_stats cs;
	struct ctx c;
	char digest[65];
	char *text = fl_xmalloc(size ? size : 1);
	size_t i, k, tested, round;

	/* A buffer of exactly the input's length: no NUL after it. */
	memcpy(text, data, size);
	if (fl_ruleset_add_text(rs, "fuzz.yml", text, size, &diag) != FL_OK ||
	    fl_ruleset_compile(rs, &diag) != FL_OK)
		goto out;
	for (i = 0; i < fl_ruleset_count(rs); i++) {
		const struct fl_rule_info *ri = fl_ruleset_rule(rs, i);

		if (ri == NULL || ri->id == NULL ||
		    fl_ruleset_find(rs, ri->id) < 0)
			abort();
		fl_rule_kind_name(ri->kind);
	}
	fl_ruleset_digest(rs, digest);
	memset(&popts, 0, sizeof popts);
	fl_ruleset_selftest(rs, &popts, &tested, &diag);

	m = fl_matcher_new(rs);
	memset(&c, 0, sizeof c);
	c.corr = fl_correlator_new(rs, on_corr, NULL);
	c.t = INT64_C(1722678072) * FL_US_PER_SEC;
	for (round = 0; round < 3; round++) {
		for (k = 0; k < sizeof lines / sizeof lines[0]; k++) {
			struct fl_parser *p = fl_parser_new(&popts, NULL);
			struct fl_parsed parsed;
			struct fl_match_input in;
			size_t len = strlen(lines[k]);

			fl_parse_line(p, lines[k], len, &parsed);
			memset(&in, 0, sizeof in);
			in.parsed = &parsed;
			in.raw.p = lines[k];
			in.raw.n = len;
			in.source.p = "auth.log";
			in.source.n = 8;
			in.host = parsed.host;
			c.host = round == 1 ? "srv-a" : "srv-b";
			fl_matcher_run(m, &in, on_hit, &c);
			c.t += 7 * FL_US_PER_SEC;
			fl_parser_free(p);
		}
	}
	for (i = 0; i < fl_ruleset_count(rs); i++)
		fl_matcher_errors(m, i);
	fl_correlator_finish(c.corr, c.t);
	fl_correlator_stats(c.corr, &cs);
	fl_correlator_free(c.corr);
	fl_matcher_free(m);
out:
	fl_ruleset_free(rs);
	free(text);
	return 0;
}
