/* Unit tests of the correlator: every correlation type, window edges,
 * group-by, out-of-order events, re-arming, absence, chaining, limits. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fl_rules.h"
#include "tap.h"

#define S(x) ((int64_t)(x) * FL_US_PER_SEC)

static struct fl_buf diag_out;

static void
emit(void *ctx, enum fl_diag_level lvl, const char *where, const char *msg)
{
	(void)ctx;
	(void)lvl;
	fl_buf_printf(&diag_out, "%s: %s\n", where ? where : "", msg);
}
static const struct fl_diag diag = {emit, NULL};

/* Three detection rules d1, d2, d3 to correlate on. */
static const char detections[] =
    "title: d1\nid: d1\ndetection:\n  a: {message: one}\n  condition: a\n"
    "---\n"
    "title: d2\nid: d2\ndetection:\n  a: {message: two}\n  condition: a\n"
    "---\n"
    "title: d3\nid: d3\ndetection:\n  a: {message: three}\n  condition: a\n";

struct run {
	struct fl_ruleset *rs;
	struct fl_correlator *c;
	struct fl_buf out;
	uint32_t next_id;
};

static void
on_hit(void *ctx, const struct fl_corr_hit *hit)
{
	struct run *r = ctx;
	size_t i;

	fl_buf_printf(&r->out, "%s[%s] %lld-%lld v=%llu ids=",
	    fl_ruleset_rule(r->rs, hit->rule)->id, hit->group,
	    (long long)(hit->start_us / FL_US_PER_SEC),
	    (long long)(hit->end_us / FL_US_PER_SEC),
	    (unsigned long long)hit->value);
	for (i = 0; i < hit->n_events; i++)
		fl_buf_printf(&r->out, "%s%u", i ? "," : "", hit->events[i]);
	fl_buf_adds(&r->out, "; ");
}

static int
start(struct run *r, const char *corr)
{
	char *text = fl_xasprintf("%s---\n%s", detections, corr);

	memset(r, 0, sizeof *r);
	fl_buf_reset(&diag_out);
	r->rs = fl_ruleset_new();
	if (fl_ruleset_add_text(r->rs, "c.yml", text, strlen(text), &diag) !=
	    FL_OK || fl_ruleset_compile(r->rs, &diag) != FL_OK) {
		printf("# load failed: %s", diag_out.data ? diag_out.data : "");
		free(text);
		fl_ruleset_free(r->rs);
		r->rs = NULL;
		return -1;
	}
	free(text);
	r->c = fl_correlator_new(r->rs, on_hit, r);
	return 0;
}

/* Feeds an event of rule id at time t (seconds); fields "k=v,k=v". */
static void
feed_ms(struct run *r, const char *rule, int64_t t_us, const char *host,
    const char *fields)
{
	const char *names[8], *values[8];
	char buf[256], *p, *save = NULL;
	struct fl_corr_event ev;
	size_t n = 0;

	memset(&ev, 0, sizeof ev);
	ev.time_us = t_us;
	ev.rule = (uint32_t)fl_ruleset_find(r->rs, rule);
	ev.id = r->next_id++;
	ev.host = host;
	snprintf(buf, sizeof buf, "%s", fields ? fields : "");
	for (p = strtok_r(buf, ",", &save); p && n < 8;
	    p = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(p, '=');

		*eq = '\0';
		names[n] = p;
		values[n++] = eq + 1;
	}
	ev.n_fields = n;
	ev.field_names = names;
	ev.field_values = values;
	fl_correlator_feed(r->c, &ev);
}

static void
feed(struct run *r, const char *rule, int64_t t, const char *host,
    const char *fields)
{
	feed_ms(r, rule, S(t), host, fields);
}

static const char *
finish(struct run *r, int64_t end)
{
	fl_correlator_finish(r->c, S(end));
	return r->out.data ? r->out.data : "";
}

static void
stop(struct run *r)
{
	fl_correlator_free(r->c);
	fl_ruleset_free(r->rs);
	fl_buf_free(&r->out);
}

static const char count_rule[] =
    "title: c\nid: bf\ncorrelation:\n  type: event_count\n"
    "  rules: [d1, d2]\n  group-by: [src_ip]\n  timespan: 10s\n"
    "  condition: {gte: 3}\n";

static void
test_event_count(void)
{
	struct run r;

	if (start(&r, count_rule) < 0)
		return;
	feed(&r, "d1", 0, "h", "src_ip=A");
	feed(&r, "d2", 5, "h", "src_ip=A");
	feed(&r, "d1", 10, "h", "src_ip=A");
	is_str(finish(&r, 10), "bf[src_ip=A] 0-10 v=3 ids=0,1,2; ",
	    "window edges are inclusive: events exactly timespan apart count");
	stop(&r);

	start(&r, count_rule);
	feed(&r, "d1", 0, "h", "src_ip=A");
	feed(&r, "d1", 5, "h", "src_ip=A");
	feed_ms(&r, "d1", S(10) + 1, "h", "src_ip=A");
	is_str(finish(&r, 11), "", "an event older than the window drops out");
	stop(&r);

	start(&r, count_rule);
	feed(&r, "d1", 0, "h", "src_ip=A");
	feed(&r, "d1", 1, "h", "src_ip=B");
	feed(&r, "d1", 2, "h", "src_ip=A");
	feed(&r, "d1", 3, "h", "src_ip=B");
	feed(&r, "d1", 4, "h", "src_ip=A");
	feed(&r, "d1", 4, "h", NULL);
	is_str(finish(&r, 4), "bf[src_ip=A] 0-4 v=3 ids=0,2,4; ",
	    "group-by keeps sources apart; events without the field ignored");
	stop(&r);

	start(&r, count_rule);
	for (int i = 0; i < 10; i++)
		feed(&r, "d1", i, "h", "src_ip=A");
	is_str(finish(&r, 10), "bf[src_ip=A] 0-2 v=3 ids=0,1,2; ",
	    "a burst fires once, not on every event after the threshold");
	stop(&r);

	start(&r, count_rule);
	feed(&r, "d1", 0, "h", "src_ip=A");
	feed(&r, "d1", 1, "h", "src_ip=A");
	feed(&r, "d1", 2, "h", "src_ip=A");   /* fires, quiet until 12 */
	feed(&r, "d1", 11, "h", "src_ip=A");
	feed(&r, "d1", 12, "h", "src_ip=A");
	feed(&r, "d1", 13, "h", "src_ip=A");  /* window 3..13 is past 2 */
	is_str(finish(&r, 13), "bf[src_ip=A] 0-2 v=3 ids=0,1,2; "
	    "bf[src_ip=A] 11-13 v=3 ids=3,4,5; ",
	    "re-arms once the fired window has moved past");
	stop(&r);

	start(&r, count_rule);
	feed(&r, "d1", 0, "h", "src_ip=A");
	feed(&r, "d1", 8, "h", "src_ip=A");
	feed(&r, "d1", 5, "h", "src_ip=A");   /* late, inside the window */
	feed(&r, "d1", 100, "h", "src_ip=B");
	feed(&r, "d1", 100, "h", "src_ip=B");
	feed(&r, "d1", 50, "h", "src_ip=B");  /* late, outside */
	is_str(finish(&r, 100), "bf[src_ip=A] 0-8 v=3 ids=0,2,1; ",
	    "an out-of-order event inside the window counts, in time order");
	{
		struct fl_corr_stats st;

		feed_ms(&r, "d1", FL_TIME_UNKNOWN, "h", "src_ip=B");
		fl_correlator_stats(r.c, &st);
		is_int(st.late_events, 1, "an event older than the window is "
		    "counted as late");
		is_int(st.untimed_events, 1, "an event without a time is "
		    "counted and ignored");
	}
	stop(&r);
}

static void
test_value_count(void)
{
	struct run r;

	if (start(&r, "title: v\nid: vc\ncorrelation:\n  type: value_count\n"
	    "  rules: d1\n  group-by: src_ip\n  timespan: 1m\n"
	    "  condition: {field: user, gte: 3}\n") < 0)
		return;
	feed(&r, "d1", 0, "h", "src_ip=A,user=root");
	feed(&r, "d1", 1, "h", "src_ip=A,user=root");
	feed(&r, "d1", 2, "h", "src_ip=A,user=bob");
	feed(&r, "d1", 3, "h", "src_ip=B,user=eve");
	feed(&r, "d1", 4, "h", "src_ip=A,user=amy");
	is_str(finish(&r, 5), "vc[src_ip=A] 0-4 v=3 ids=0,1,2,4; ",
	    "value_count counts distinct values");
	stop(&r);

	if (start(&r, "title: v\nid: hosts\ncorrelation:\n"
	    "  type: value_count\n  rules: d1\n  group-by: user\n"
	    "  timespan: 1m\n  condition: {field: host, gt: 1}\n") < 0)
		return;
	feed(&r, "d1", 0, "web1", "user=ann");
	feed(&r, "d1", 10, "web2", "user=ann");
	is_str(finish(&r, 20), "hosts[user=ann] 0-10 v=2 ids=0,1; ",
	    "value_count over host");
	stop(&r);
}

static void
test_tumbling(void)
{
	struct run r;
	const char *rule = "title: f\nid: few\ncorrelation:\n"
	    "  type: event_count\n  rules: d1\n  group-by: host\n"
	    "  timespan: 10s\n  condition: {lt: 3}\n";

	if (start(&r, rule) < 0)
		return;
	feed(&r, "d1", 0, "h1", NULL);
	feed(&r, "d1", 5, "h1", NULL);
	feed(&r, "d1", 1, "h2", NULL);
	feed(&r, "d1", 2, "h2", NULL);
	feed(&r, "d1", 3, "h2", NULL);
	feed(&r, "d2", 30, "h1", NULL);
	is_str(finish(&r, 30), "few[host=h1] 0-5 v=2 ids=0,1; ",
	    "lt is judged when the window closes");
	stop(&r);

	start(&r, rule);
	feed(&r, "d1", 0, "h1", NULL);
	is_str(finish(&r, 5), "", "a window cut by the end is not judged");
	stop(&r);
}

static void
test_temporal(void)
{
	struct run r;

	if (start(&r, "title: t\nid: tp\ncorrelation:\n  type: temporal\n"
	    "  rules: [d1, d2]\n  group-by: [host]\n  timespan: 10s\n") < 0)
		return;
	feed(&r, "d2", 0, "h1", NULL);
	feed(&r, "d1", 5, "h1", NULL);
	feed(&r, "d1", 20, "h2", NULL);
	feed(&r, "d2", 31, "h2", NULL);
	is_str(finish(&r, 40), "tp[host=h1] 0-5 v=2 ids=1,0; ",
	    "temporal: any order within the window, per host");
	stop(&r);

	if (start(&r, "title: t\nid: to\ncorrelation:\n"
	    "  type: temporal_ordered\n  rules: [d1, d2, d3]\n"
	    "  timespan: 10s\n") < 0)
		return;
	feed(&r, "d2", 0, "h", NULL);
	feed(&r, "d1", 1, "h", NULL);
	feed(&r, "d3", 2, "h", NULL);   /* d2 came before d1: no chain */
	feed(&r, "d1", 20, "h", NULL);
	feed(&r, "d1", 25, "h", NULL);  /* a later start fits better */
	feed(&r, "d2", 30, "h", NULL);
	feed(&r, "d3", 34, "h", NULL);
	is_str(finish(&r, 40), "to[] 25-34 v=3 ids=4,5,6; ",
	    "temporal_ordered: in order, latest start, no group-by");
	stop(&r);

	if (start(&r, "title: t\nid: to\ncorrelation:\n"
	    "  type: temporal_ordered\n  rules: [d1, d2]\n"
	    "  timespan: 10s\n") < 0)
		return;
	feed(&r, "d1", 0, "h", NULL);
	feed(&r, "d2", 11, "h", NULL);
	is_str(finish(&r, 40), "", "temporal_ordered: too far apart");
	stop(&r);
}

static const char absence_rule[] =
    "title: a\nid: ab\ncorrelation:\n  type: absence\n  rules: [d1]\n"
    "  followed-by: [d2]\n  group-by: [host]\n  timespan: 10s\n";

static void
test_absence(void)
{
	struct run r;

	if (start(&r, absence_rule) < 0)
		return;
	feed(&r, "d1", 0, "h1", NULL);
	feed(&r, "d2", 5, "h1", NULL);
	feed(&r, "d3", 50, "h1", NULL);
	is_str(finish(&r, 50), "", "absence: the awaited event came");
	stop(&r);

	start(&r, absence_rule);
	feed(&r, "d1", 0, "h1", NULL);
	feed(&r, "d2", 10, "h1", NULL);
	is_str(finish(&r, 50), "", "absence: awaited event exactly at the "
	    "deadline counts");
	stop(&r);

	start(&r, absence_rule);
	feed(&r, "d2", 0, "h1", NULL);   /* before A: does not count */
	feed(&r, "d1", 1, "h1", NULL);
	feed(&r, "d1", 2, "h1", NULL);
	feed(&r, "d2", 3, "h2", NULL);   /* other host */
	feed(&r, "d3", 12, "h3", NULL);  /* passes the deadline (11) */
	is_str(r.out.data ? r.out.data : "", "ab[host=h1] 1-11 v=2 ids=1,2; ",
	    "absence fires when a later event passes the deadline");
	is_str(finish(&r, 12), "ab[host=h1] 1-11 v=2 ids=1,2; ",
	    "and only once");
	stop(&r);

	start(&r, absence_rule);
	feed(&r, "d1", 0, "h1", NULL);
	is_str(finish(&r, 3), "ab[host=h1] 0-3 v=1 ids=0; ",
	    "absence fires at the end of the evidence");
	stop(&r);
}

static void
test_chaining(void)
{
	struct run r;

	if (start(&r, "title: c\nid: bf\ncorrelation:\n  type: event_count\n"
	    "  rules: d1\n  group-by: src_ip\n  timespan: 10s\n"
	    "  condition: {gte: 2}\n---\n"
	    "title: s\nid: bfs\ncorrelation:\n  type: temporal_ordered\n"
	    "  rules: [bf, d2]\n  group-by: src_ip\n  timespan: 1m\n---\n"
	    "title: n\nid: lots\ncorrelation:\n  type: event_count\n"
	    "  rules: bfs\n  timespan: 1h\n  condition: {gte: 2}\n") < 0)
		return;
	feed(&r, "d1", 0, "h", "src_ip=A");
	feed(&r, "d1", 1, "h", "src_ip=A");
	feed(&r, "d2", 30, "h", "src_ip=A,user=x");
	feed(&r, "d2", 31, "h", "src_ip=B");
	feed(&r, "d1", 100, "h", "src_ip=C");
	feed(&r, "d1", 101, "h", "src_ip=C");
	feed(&r, "d2", 102, "h", "src_ip=C");
	is_str(finish(&r, 200),
	    "bf[src_ip=A] 0-1 v=2 ids=0,1; bfs[src_ip=A] 1-30 v=2 ids=0,2; "
	    "bf[src_ip=C] 100-101 v=2 ids=4,5; bfs[src_ip=C] 101-102 v=2 "
	    "ids=4,6; lots[] 30-102 v=2 ids=0,2,4,6; ",
	    "chained correlations see hits as events with their group");
	stop(&r);
}

static void
test_limits(void)
{
	struct run r;
	struct fl_corr_stats st;
	char f[64];
	int i;

	if (start(&r, count_rule) < 0)
		return;
	for (i = 0; i <= FL_CORR_MAX_GROUPS; i++) {
		snprintf(f, sizeof f, "src_ip=%d", i);
		feed(&r, "d1", 0, "h", f);
	}
	fl_correlator_stats(r.c, &st);
	is_int(st.dropped_groups, 1, "groups beyond the cap are counted");
	/* Old groups are swept as time moves on, making room again. */
	for (i = 0; i < 5000; i++) {
		snprintf(f, sizeof f, "src_ip=new%d", i);
		feed(&r, "d1", 100, "h", f);
	}
	fl_correlator_stats(r.c, &st);
	is_int(st.dropped_groups, 1, "expired groups are freed");
	stop(&r);
}

int
main(void)
{
	test_event_count();
	test_value_count();
	test_tumbling();
	test_temporal();
	test_absence();
	test_chaining();
	test_limits();
	fl_buf_free(&diag_out);
	return tap_done();
}
