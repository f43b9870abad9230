/* Unit tests of the rule loader, condition compiler and matcher. Lines are
 * built as struct fl_parsed by hand, so these tests do not depend on the
 * parser. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fl_rules.h"
#include "tap.h"

static struct fl_buf diag_out;

static void
emit(void *ctx, enum fl_diag_level lvl, const char *where, const char *msg)
{
	(void)ctx;
	fl_buf_printf(&diag_out, "%s%s%s%s\n", where ? where : "",
	    where ? ": " : "", lvl == FL_DIAG_WARNING ? "warning: " :
	    lvl == FL_DIAG_NOTE ? "note: " : "", msg);
}
static const struct fl_diag diag = {emit, NULL};

static const char *
diag_text(void)
{
	return diag_out.data ? diag_out.data : "";
}

/* Loads and compiles text; NULL (with diag_out kept) on failure. */
static struct fl_ruleset *
load(const char *text)
{
	struct fl_ruleset *rs = fl_ruleset_new();

	fl_buf_reset(&diag_out);
	if (fl_ruleset_add_text(rs, "t.yml", text, strlen(text), &diag) !=
	    FL_OK || fl_ruleset_compile(rs, &diag) != FL_OK) {
		fl_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

/* Expects loading to fail with a message containing want. */
static void
load_fails(const char *text, const char *want, const char *what)
{
	struct fl_ruleset *rs = load(text);

	ok(rs == NULL && strstr(diag_text(), want) != NULL, "%s", what);
	if (rs != NULL || strstr(diag_text(), want) == NULL)
		printf("#   diagnostics: %s#   wanted: %s\n", diag_text(), want);
	fl_ruleset_free(rs);
}

struct line {
	const char *program, *host, *message, *raw;
	const char *extra_name, *extra_value;
	int facility, severity;
};

struct hits {
	struct fl_buf ids;         /* "id1 id2 " */
	struct fl_buf caps;        /* "name=value " */
	const struct fl_ruleset *rs;
};

static void
on_hit(void *ctx, const struct fl_hit *hit)
{
	struct hits *h = ctx;
	size_t i;

	fl_buf_printf(&h->ids, "%s ", fl_ruleset_rule(h->rs, hit->rule)->id);
	for (i = 0; i < hit->n_captures; i++)
		fl_buf_printf(&h->caps, "%s=%.*s ", hit->captures[i].name,
		    (int)hit->captures[i].value.n, hit->captures[i].value.p);
}

static struct fl_span
span(const char *s)
{
	struct fl_span sp = {s, s ? strlen(s) : 0};

	return sp;
}

/* Runs a line through the rules; returns the ids that hit. */
static const char *
run_line(struct fl_matcher *m, const struct fl_ruleset *rs,
    const struct line *l, struct hits *h)
{
	struct fl_parsed p;
	struct fl_match_input in;

	memset(&p, 0, sizeof p);
	p.format = FL_FMT_RFC3164;
	p.program = span(l->program);
	p.host = span(l->host);
	p.message = span(l->message);
	p.facility = l->facility ? l->facility : -1;
	p.severity = l->severity ? l->severity : -1;
	if (l->extra_name) {
		p.n_extra = 1;
		p.extra_name[0] = span(l->extra_name);
		p.extra_value[0] = span(l->extra_value);
	}
	memset(&in, 0, sizeof in);
	in.parsed = &p;
	in.raw = span(l->raw ? l->raw : l->message);
	in.source = span("auth.log");
	in.host = p.host;
	fl_buf_reset(&h->ids);
	fl_buf_reset(&h->caps);
	h->rs = rs;
	fl_matcher_run(m, &in, on_hit, h);
	return h->ids.data ? h->ids.data : "";
}

/* One rule, one message: does it hit? */
static int
hits_msg(const char *rules, const char *program, const char *message)
{
	struct fl_ruleset *rs = load(rules);
	struct fl_matcher *m;
	struct hits h = {{0}, {0}, NULL};
	struct line l = {program, "srv1", message, NULL, NULL, NULL, 0, 0};
	int r;

	if (rs == NULL) {
		printf("#   load failed: %s", diag_text());
		return -1;
	}
	m = fl_matcher_new(rs);
	r = *run_line(m, rs, &l, &h) != '\0';
	fl_buf_free(&h.ids);
	fl_buf_free(&h.caps);
	fl_matcher_free(m);
	fl_ruleset_free(rs);
	return r;
}

static char *
rule_with(const char *detection)
{
	return fl_xasprintf("title: t\nid: r1\ndetection:\n%s", detection);
}

static void
check_cond(const char *cond, const char *msg, int want)
{
	char *det = fl_xasprintf(
	    "  a: {message|contains: alpha}\n"
	    "  b: {message|contains: beta}\n"
	    "  c: {message|contains: gamma}\n"
	    "  sel_x: {message|contains: xray}\n"
	    "  sel_y: {message|contains: yank}\n"
	    "  _z: {message|contains: zulu}\n"
	    "  condition: '%s'\n", cond);
	char *text = rule_with(det);

	is_int(hits_msg(text, "p", msg), want, "condition '%s' on '%s'", cond,
	    msg);
	free(det);
	free(text);
}

static void
test_conditions(void)
{
	check_cond("a or b and c", "alpha", 1);
	check_cond("a or b and c", "beta", 0);
	check_cond("a or b and c", "beta gamma", 1);
	check_cond("(a or b) and c", "alpha", 0);
	check_cond("(a or b) and c", "alpha gamma", 1);
	check_cond("not a and b", "alpha beta", 0);
	check_cond("not a and b", "beta", 1);
	check_cond("not (a and b)", "alpha beta", 0);
	check_cond("not not a", "alpha", 1);
	check_cond("a and not b or c", "alpha beta", 0);
	check_cond("a and not b or c", "alpha beta gamma", 1);
	check_cond("1 of sel_*", "yank", 1);
	check_cond("1 of sel_*", "alpha", 0);
	check_cond("all of sel_*", "xray", 0);
	check_cond("all of sel_*", "yank xray", 1);
	check_cond("1 of them", "zulu", 0);
	check_cond("1 of them", "gamma", 1);
	check_cond("all of them", "alpha beta gamma xray yank", 1);
	check_cond("all of them", "alpha beta gamma xray", 0);
	check_cond("a AND NOT b", "alpha", 1);
	check_cond("_z and 1 of sel*", "zulu xray", 1);
	check_cond("any of sel_*", "xray", 1);

	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a and nope\n", "t.yml:5:20: bad condition: unknown "
	    "selection 'nope'", "unknown selection, with its column");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: (a\n", "expected ')'", "unbalanced parenthesis");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a b\n", "t.yml:5:16: bad condition: unexpected 'b'",
	    "trailing word");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: 1 of z*\n", "no selection matches 'z*'",
	    "pattern matching nothing");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a*\n", "a wildcard needs '1 of' or 'all of'",
	    "wildcard outside 1 of");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a and\n", "condition ends too early",
	    "dangling and");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: \"a and 'b'\"\n", "t.yml:5:21: bad condition: "
	    "unexpected '''", "quoted scalar: the column counts the quote");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n",
	    "t.yml:4:3: detection has no condition", "missing condition");
}

static void
check_mod(const char *field_line, const char *program, const char *msg,
    int want, const char *what)
{
	char *det = fl_xasprintf("  s:\n    %s\n  condition: s\n", field_line);
	char *text = rule_with(det);

	is_int(hits_msg(text, program, msg), want, "%s", what);
	free(det);
	free(text);
}

static void
test_modifiers(void)
{
	check_mod("program: SSHD", "sshd", "x", 1, "equality ignores case");
	check_mod("program: sshd", "sshd2", "x", 0, "equality is whole-field");
	check_mod("message: 'power *'", "p", "Power failure", 1,
	    "trailing * is a prefix");
	check_mod("message: 'power *'", "p", "no power here", 0,
	    "prefix anchors at the start");
	check_mod("message: '*fail?re*'", "p", "power FAILURE.", 1,
	    "? matches one character");
	check_mod("message: 'a*b*c'", "p", "axxbyyc", 1, "inner wildcards");
	check_mod("message: 'a*b*c'", "p", "axxbyycd", 0,
	    "inner wildcards anchor at both ends");
	check_mod("message: 'rm \\*'", "p", "rm *", 1, "escaped star is literal");
	check_mod("message: 'rm \\*'", "p", "rm x", 0,
	    "escaped star matches only a star");
	check_mod("message|contains: 'Failed Password'", "p",
	    "x failed password for root", 1, "contains ignores case");
	check_mod("message|contains|cased: 'Failed'", "p", "failed", 0,
	    "cased is case-sensitive");
	check_mod("message|contains: 'failed password'", "p",
	    "X FAILED PASSWORD FOR ROOT", 1,
	    "the literal index ignores case (upper-case line)");
	check_mod("message|re|i: 'disk (?:full|gone)'", "p", "DiSk GoNe", 1,
	    "the literal index ignores case (mixed case, regex)");
	check_mod("raw|contains: 'web1 sshd'", "sshd", "x", 0,
	    "raw literal absent");
	check_mod("message|startswith: 'Accepted'", "p", "accepted publickey", 1,
	    "startswith");
	check_mod("message|startswith: 'Accepted'", "p", "x Accepted", 0,
	    "startswith anchors");
	check_mod("message|endswith: 'shutdown'", "p", "system SHUTDOWN", 1,
	    "endswith");
	check_mod("message|endswith: 'shutdown'", "p", "shutdown now", 0,
	    "endswith anchors");
	check_mod("message|re: '^Failed \\w+ for'", "p", "Failed password for x",
	    1, "re");
	check_mod("message|re: '^failed'", "p", "Failed", 0,
	    "re is case-sensitive");
	check_mod("message|re|i: '^failed'", "p", "Failed", 1, "re|i");
	check_mod("message|contains|all: [alpha, beta]", "p", "beta alpha", 1,
	    "all: every value present");
	check_mod("message|contains|all: [alpha, beta]", "p", "alpha", 0,
	    "all: one value missing");
	check_mod("message|contains: [alpha, beta]", "p", "beta", 1,
	    "list: any value");
	check_mod("src|cidr: 10.0.0.0/8", "p", "x", 0, "cidr: absent field");
	check_mod("facility: authpriv", "p", "x", 0, "facility absent");
	check_mod("pid|exists: false", "p", "x", 1, "exists: false");
	check_mod("pid|exists: true", "p", "x", 0, "exists: true on absent");
	check_mod("pid: null", "p", "x", 1, "null matches an absent field");
	check_mod("host: srv?", "p", "x", 1, "host field");
	check_mod("source: auth.log", "p", "x", 1, "source field");
	check_mod("message: '*'", "p", "", 1, "lone star");
	check_mod("'|all': [alpha, beta]", "p", "alpha beta", 1,
	    "Sigma keyword |all");
	check_mod("program: [cron, CRON, sshd]", "sshd", "x", 1,
	    "program list");
	check_mod("message|re: 'colou?r (?<n>\\d+)'", "p", "color 7", 1,
	    "optional character in a regex");
	check_mod("message|re: 'x{0,2}yz+w'", "p", "yzzzw", 1,
	    "counted and plus quantifiers");
	check_mod("message|re: '(?i)FAILED login'", "p", "failed login", 1,
	    "inline flag");
	check_mod("message|re: '\\d+ failures? for \\S+'", "p",
	    "3 failure for bob", 1, "escapes end literal runs");
	check_mod("message|re: '[Ff]ailed to (start|stop) unit'", "p",
	    "Failed to stop unit", 1, "class and group");
	check_mod("message|re: 'abc|xyz'", "p", "xyz", 1,
	    "top-level alternation");
	check_mod("message|re: 'a\\x41b'", "p", "aAb", 1, "hex escape");
	check_mod("message|re: 'error\\.log'", "p", "error.log", 1,
	    "escaped dot is a literal");
	check_mod("message|re: 'ab\\Q.*\\E'", "p", "ab.*", 1, "\\Q quoting");

	/* several fields, captures as fields, extras, facility */
	{
		const char *text =
		    "title: t\nid: r1\ndetection:\n"
		    "  s:\n"
		    "    program: sshd\n"
		    "    message|re: '^Failed password for (?<user>\\S+) from "
		    "(?<src_ip>[0-9a-f.:]+)'\n"
		    "    src_ip|cidr: [192.0.2.0/24, '2001:db8::/32']\n"
		    "  f:\n"
		    "    user: root\n"
		    "  condition: s and not f\n"
		    "---\n"
		    "title: t2\nid: r2\ndetection:\n"
		    "  s:\n"
		    "    - audit_type: EXECVE\n"
		    "    - facility: authpriv\n"
		    "      severity: notice\n"
		    "  condition: s\n";
		struct fl_ruleset *rs = load(text);
		struct fl_matcher *m = rs ? fl_matcher_new(rs) : NULL;
		struct hits h = {{0}, {0}, NULL};
		struct line l1 = {"sshd", "a", "Failed password for bob from "
		    "192.0.2.9 port 22", NULL, NULL, NULL, 0, 0};
		struct line l2 = {"sshd", "a", "Failed password for root from "
		    "192.0.2.9 port 22", NULL, NULL, NULL, 0, 0};
		struct line l3 = {"sshd", "a", "Failed password for bob from "
		    "198.51.100.1 port 22", NULL, NULL, NULL, 0, 0};
		struct line l4 = {"sshd", "a", "Failed password for bob from "
		    "2001:db8::5 port 22", NULL, NULL, NULL, 0, 0};
		struct line l5 = {"audit", "a", "x", NULL, "audit_type", "EXECVE",
		    0, 0};
		struct line l6 = {"su", "a", "x", NULL, NULL, NULL, 10, 5};

		ok(rs != NULL, "multi-field rules load");
		if (rs == NULL) {
			printf("# %s", diag_text());
			return;
		}
		is_str(run_line(m, rs, &l1, &h), "r1 ", "captures feed cidr");
		is_str(h.caps.data, "user=bob src_ip=192.0.2.9 ",
		    "named captures reported");
		is_str(run_line(m, rs, &l2, &h), "", "capture used by a filter");
		is_str(run_line(m, rs, &l3, &h), "", "cidr outside the network");
		is_str(run_line(m, rs, &l4, &h), "r1 ", "IPv6 cidr");
		is_str(run_line(m, rs, &l5, &h), "r2 ", "parser extra field");
		is_str(run_line(m, rs, &l6, &h), "r2 ",
		    "facility and severity names");
		fl_buf_free(&h.ids);
		fl_buf_free(&h.caps);
		fl_matcher_free(m);
		fl_ruleset_free(rs);
	}
}

static void
test_loader_errors(void)
{
	struct fl_ruleset *rs;

	load_fails("title: t\nid: r1\n  bad: [\n", "t.yml:3:",
	    "bad YAML gives a position");
	load_fails("title: t\nid: r1\nauthr: x\ndetection:\n  a: {message: x}\n"
	    "  condition: a\n", "t.yml:3:1: unknown key 'authr'",
	    "unknown top-level key");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a\nfaultline:\n  signal: boot\n  sginal: x\n",
	    "t.yml:8:3: unknown key 'sginal' in faultline",
	    "unknown faultline key");
	load_fails("title: t\nid: r1\ndetection:\n  a:\n    message|re: 'ab(c'\n"
	    "  condition: a\n", "t.yml:5:22: bad regular expression: missing "
	    "closing parenthesis at offset 4 of 'ab(c'",
	    "bad regex with PCRE2 message and offset");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a\nfaultline:\n  signal: power_gone\n",
	    "t.yml:7:11: unknown signal 'power_gone'", "unknown signal");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a\nfaultline:\n  signal: boot\n  category: power\n",
	    "does not match signal 'boot'", "category contradicts signal");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a\n---\ntitle: u\nid: r1\ndetection:\n"
	    "  a: {message: y}\n  condition: a\n",
	    "t.yml:7:1: duplicate id 'r1' (first defined at t.yml:1:1)",
	    "duplicate id");
	load_fails("title: c\nid: c1\ncorrelation:\n  type: event_count\n"
	    "  rules: [nope]\n  timespan: 5m\n  condition: {gte: 2}\n",
	    "t.yml:5:11: rule c1 refers to unknown rule 'nope'",
	    "unknown rule in a correlation");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message|wat: x}\n"
	    "  condition: a\n", "unknown modifier '|wat'", "unknown modifier");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message|base64offset: x}\n"
	    "  condition: a\nfaultline:\n  signal: boot\n",
	    "t.yml:4:7: rule r1: modifier '|base64offset' is not supported",
	    "unsupported feature in a faultline rule is an error");
	load_fails("title: t\nid: r1\ndetection:\n  a: {src|cidr: 10.0.0.0/33}\n"
	    "  condition: a\n", "bad CIDR network '10.0.0.0/33'", "bad CIDR");
	load_fails("title: t\nid: r1\nlevel: severe\ndetection:\n"
	    "  a: {message: x}\n  condition: a\n", "unknown level 'severe'",
	    "bad level");
	load_fails("title: t\ndetection:\n  a: {message: x}\n  condition: a\n",
	    "rule has no id", "missing id");
	load_fails("title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  a: {message: y}\n  condition: a\n",
	    "t.yml:5:3: duplicate key 'a'", "duplicate YAML key");
	load_fails("- just\n- a list\n", "t.yml:1:1: a rule must be a mapping",
	    "document that is not a mapping");
	load_fails("title: c\nid: c1\ncorrelation:\n  type: event_count\n"
	    "  rules: [c2]\n  timespan: 5m\n  condition: {gte: 2}\n---\n"
	    "title: c\nid: c2\ncorrelation:\n  type: event_count\n"
	    "  rules: [c1]\n  timespan: 5m\n  condition: {gte: 2}\n",
	    "reference cycle", "correlation cycle");
	load_fails("title: c\nid: c1\ncorrelation:\n  type: value_count\n"
	    "  rules: [c2]\n  timespan: 5m\n  condition: {gte: 2}\n",
	    "value_count needs 'field'", "value_count without field");
	load_fails("title: c\nid: c1\ncorrelation:\n  type: absence\n"
	    "  rules: [c2]\n  timespan: 5 parsecs\n",
	    "bad timespan '5 parsecs'", "bad timespan");

	/* Billion laughs: refused at the first anchor, nothing expanded. */
	{
		struct fl_buf b = {0};
		int i, j;
		clock_t t0 = clock();

		fl_buf_adds(&b, "title: lol\nid: lol\nx0: &a0 [lol, lol]\n");
		for (i = 1; i < 30; i++) {
			fl_buf_printf(&b, "x%d: &a%d [", i, i);
			for (j = 0; j < 9; j++)
				fl_buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
			fl_buf_adds(&b, "]\n");
		}
		load_fails(b.data, "t.yml:3:5: YAML anchors are not supported",
		    "billion laughs is refused");
		ok(clock() - t0 < CLOCKS_PER_SEC, "and quickly");
		fl_buf_free(&b);
	}
	{
		struct fl_buf b = {0};
		int i;

		fl_buf_adds(&b, "title: deep\nid: deep\nx: ");
		for (i = 0; i < 100; i++)
			fl_buf_addc(&b, '[');
		for (i = 0; i < 100; i++)
			fl_buf_addc(&b, ']');
		fl_buf_addc(&b, '\n');
		load_fails(b.data, "YAML nesting deeper than 64", "nesting bomb");
		fl_buf_free(&b);
	}
	load_fails("title: t\nid: r1\nx: *unknown\n", "YAML aliases are not "
	    "supported", "alias");

	/* All-or-nothing: one bad file spoils the set even if later adds
	 * succeed. */
	rs = fl_ruleset_new();
	fl_buf_reset(&diag_out);
	fl_ruleset_add_text(rs, "a.yml", "title: [\n", 9, &diag);
	fl_ruleset_add_text(rs, "b.yml", "title: t\nid: r\ndetection:\n"
	    "  a: {message: x}\n  condition: a\n", 49, &diag);
	is_int(fl_ruleset_compile(rs, &diag), FL_ERR_RULE,
	    "a set with a bad file does not compile");
	fl_ruleset_free(rs);

	/* Unsupported Sigma rules are skipped with a warning, with the
	 * correlations that use them. */
	rs = load("title: Sigma thing\nid: s1\nlogsource: {product: windows}\n"
	    "detection:\n  a: {message: x}\n  condition: a\n---\n"
	    "title: uses s1\nid: c1\ncorrelation:\n  type: event_count\n"
	    "  rules: s1\n  timespan: 1h\n  condition: {gte: 2}\n---\n"
	    "title: fine\nid: ok1\ndetection:\n  a: {message: x}\n"
	    "  condition: a\n");
	ok(rs != NULL, "unsupported rules do not fail the set");
	if (rs != NULL) {
		is_int(fl_ruleset_count(rs), 1, "one rule left");
		is_int(fl_ruleset_skipped(rs), 2, "two skipped");
		is_int(fl_ruleset_find(rs, "ok1"), 0, "find by id");
		is_int(fl_ruleset_find(rs, "s1"), -1, "skipped rule is absent");
	}
	ok(strstr(diag_text(), "t.yml:3:22: warning: rule s1 (Sigma thing) "
	    "skipped: logsource product 'windows' is not read by faultline") !=
	    NULL, "skip warning names the rule and the reason");
	ok(strstr(diag_text(), "rule c1 (uses s1) skipped: it uses rule 's1'") !=
	    NULL, "dependent correlation skipped");
	fl_ruleset_free(rs);

	rs = load("title: n\nid: n1\ndetection:\n  a: {message: x}\n"
	    "  b: {message: y}\n  condition: a near b\n---\n"
	    "title: tf\nid: n2\ndetection:\n  a: {message: x}\n"
	    "  timeframe: 5m\n  condition: a\n---\n"
	    "title: two\nid: n3\ndetection:\n  a: {message: x}\n"
	    "  b: {message: y}\n  condition: 2 of them\n---\n"
	    "title: cat\nid: n4\nlogsource: {product: linux, category: "
	    "process_creation}\ndetection:\n  a: {Image: x}\n"
	    "  condition: a\n");
	ok(rs != NULL && fl_ruleset_count(rs) == 0 &&
	    fl_ruleset_skipped(rs) == 4, "near, timeframe, 2 of, category");
	ok(strstr(diag_text(), "t.yml:6:16: warning: rule n1 (n) skipped: "
	    "'near' is not supported") != NULL, "near named with its column");
	ok(strstr(diag_text(), "rule n2 (tf) skipped: 'timeframe' is not "
	    "supported") != NULL, "timeframe");
	ok(strstr(diag_text(), "rule n3 (two) skipped: 'N of' with N other "
	    "than 1") != NULL, "2 of them");
	ok(strstr(diag_text(), "rule n4 (cat) skipped: logsource category "
	    "'process_creation'") != NULL, "logsource category");
	fl_ruleset_free(rs);
}

static void
test_catastrophic(void)
{
	struct fl_ruleset *rs = load("title: t\nid: evil\ndetection:\n"
	    "  a: {message|re: '(a+)+$'}\n  condition: a\n---\n"
	    "title: t\nid: fine\ndetection:\n  a: {message|contains: aaa}\n"
	    "  condition: a\n");
	struct fl_matcher *m;
	struct hits h = {{0}, {0}, NULL};
	struct fl_buf msg = {0};
	struct line l = {"p", "h", NULL, NULL, NULL, NULL, 0, 0};
	clock_t t0;
	size_t i;

	ok(rs != NULL, "catastrophic pattern loads");
	if (rs == NULL)
		return;
	for (i = 0; i < 5000; i++)
		fl_buf_addc(&msg, 'a');
	fl_buf_addc(&msg, 'b');
	l.message = msg.data;
	m = fl_matcher_new(rs);
	t0 = clock();
	is_str(run_line(m, rs, &l, &h), "fine ",
	    "catastrophic regex counts as no match; later rules still run");
	ok(clock() - t0 < 2 * CLOCKS_PER_SEC, "and returns quickly");
	is_int(fl_matcher_errors(m, 0), 1, "error counted for the rule");
	is_int(fl_matcher_errors(m, 1), 0, "no error for the other rule");
	fl_buf_free(&msg);
	fl_buf_free(&h.ids);
	fl_buf_free(&h.caps);
	fl_matcher_free(m);
	fl_ruleset_free(rs);
}

static void
test_set(void)
{
	const char *a = "title: t\nid: r1\ndetection:\n  a: {message: x}\n"
	    "  condition: a\n";
	const char *b = "# a comment changes nothing\ntitle: t\nid: r1\n"
	    "detection:\n    a: {message: x}\n    condition: a\n";
	const char *c = "title: t\nid: r1\ndetection:\n  a: {message: y}\n"
	    "  condition: a\n";
	char d1[65], d2[65], d3[65];
	struct fl_ruleset *rs;
	const struct fl_rule_info *info;

	rs = load(a);
	fl_ruleset_digest(rs, d1);
	fl_ruleset_free(rs);
	rs = load(b);
	fl_ruleset_digest(rs, d2);
	fl_ruleset_free(rs);
	rs = load(c);
	fl_ruleset_digest(rs, d3);
	fl_ruleset_free(rs);
	is_str(d1, d2, "digest ignores layout and comments");
	ok(strcmp(d1, d3) != 0, "digest changes with the rule");

	rs = load("title: Power failure\nid: fl-x\nlevel: high\n"
	    "detection:\n  a: {program: apcupsd, message|contains: power}\n"
	    "  condition: a\nfaultline:\n  signal: utility_lost\n"
	    "  fields: [ups, outlet]\n  examples: ['x']\n");
	ok(rs != NULL, "faultline rule loads");
	if (rs == NULL)
		return;
	info = fl_ruleset_rule(rs, 0);
	is_str(info->title, "Power failure", "title");
	is_str(info->level, "high", "level");
	is_str(info->signal, "utility_lost", "signal");
	is_str(info->category, "power", "category from the signal");
	is_str(info->file, "t.yml", "file");
	is_str(fl_rule_kind_name(info->kind), "detection", "kind");
	ok(info->keep_fields && strcmp(info->keep_fields[1], "outlet") == 0 &&
	    info->keep_fields[2] == NULL, "keep fields NULL-terminated");
	fl_ruleset_free(rs);

	rs = fl_ruleset_new();
	is_int(fl_ruleset_add_builtin(rs, &diag), FL_OK,
	    "the builtin library loads");
	is_int(fl_ruleset_compile(rs, &diag), FL_OK, "and compiles");
	fl_ruleset_free(rs);
}

int
main(void)
{
	test_conditions();
	test_modifiers();
	test_loader_errors();
	test_catastrophic();
	test_set();
	fl_buf_free(&diag_out);
	return tap_done();
}
