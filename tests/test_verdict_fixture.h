/*
 * A hand-built struct fl_evidence for the analysis tests: hosts with
 * minute activity, streams, and rule hits whose rules carry the signals
 * under test. Times are given as minutes (and seconds) from a base day.
 */
#ifndef TEST_VERDICT_FIXTURE_H
#define TEST_VERDICT_FIXTURE_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fl_evidence.h"
#include "fl_rules.h"
#include "fl_signals.h"

/* 2024-08-03T00:00:00Z */
#define T0 (INT64_C(1722643200) * FL_US_PER_SEC)
#define AT(h, m, s) (T0 + ((int64_t)(h) * 3600 + (int64_t)(m) * 60 + (s)) * \
	FL_US_PER_SEC)

struct tb {
	struct fl_evidence *ev;
	struct fl_ruleset *rs;
	size_t cap_hosts, cap_streams, cap_events;
	size_t *cap_min;
};

static void
tb_diag(void *ctx, enum fl_diag_level l, const char *where, const char *msg)
{
	(void)ctx;
	(void)l;
	printf("# rules: %s: %s\n", where ? where : "-", msg);
}

/* One rule per signal of the table: id "t-<signal>". */
static struct fl_ruleset *
tb_rules(void)
{
	struct fl_ruleset *rs = fl_ruleset_new();
	struct fl_diag d = {tb_diag, NULL};
	struct fl_buf b = {0};
	const struct fl_signal_def *tab;
	size_t n, i;

	tab = fl_signal_table(&n);
	for (i = 0; i < n; i++)
		fl_buf_printf(&b, "%stitle: test %s\nid: t-%s\n"
		    "logsource: {product: linux}\n"
		    "detection:\n  sel:\n    message|contains: 'sig-%s'\n"
		    "  condition: sel\n"
		    "faultline:\n  signal: %s\n  category: %s\n",
		    i ? "---\n" : "", tab[i].name, tab[i].name, tab[i].name,
		    tab[i].name, fl_signal_category_name(tab[i].category));
	if (fl_ruleset_add_text(rs, "test.yml", b.data, b.len, &d) != FL_OK ||
	    fl_ruleset_compile(rs, &d) != FL_OK) {
		printf("Bail out! test rules do not load\n");
		exit(1);
	}
	fl_buf_free(&b);
	return rs;
}

static struct tb *
tb_new(void)
{
	struct tb *t = calloc(1, sizeof *t);
	struct fl_evidence *ev = calloc(1, sizeof *ev);

	ev->arena = fl_arena_new();
	ev->n_inputs = 1;
	ev->inputs = calloc(1, sizeof *ev->inputs);
	ev->inputs[0].path = "evidence.tar";
	ev->inputs[0].kind = FL_INPUT_FILE;
	strcpy(ev->inputs[0].sha256, "00");
	t->ev = ev;
	t->rs = tb_rules();
	return t;
}

/* Hosts must be added in name order (the evidence keeps them sorted). */
static uint32_t
tb_host(struct tb *t, const char *name, enum fl_zone_source zs)
{
	struct fl_evidence *ev = t->ev;
	struct fl_host_rec *h;

	FL_GROW(ev->hosts, t->cap_hosts, ev->n_hosts + 1);
	t->cap_min = realloc(t->cap_min, t->cap_hosts * sizeof *t->cap_min);
	h = &ev->hosts[ev->n_hosts];
	memset(h, 0, sizeof *h);
	h->name = name;
	h->zone = zs == FL_ZONE_FROM_LINE ? "UTC" : "UTC";
	h->zone_source = zs;
	h->first_us = h->last_us = FL_TIME_UNKNOWN;
	t->cap_min[ev->n_hosts] = 0;
	return (uint32_t)ev->n_hosts++;
}

static uint32_t
tb_stream(struct tb *t, uint32_t host, const char *name, enum fl_format fmt)
{
	struct fl_evidence *ev = t->ev;
	struct fl_stream_rec *s;

	FL_GROW(ev->streams, t->cap_streams, ev->n_streams + 1);
	s = &ev->streams[ev->n_streams];
	memset(s, 0, sizeof *s);
	s->input = 0;
	s->member = fl_arena_strdup(ev->arena, name);
	s->name = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	s->format = fmt;
	s->host = host;
	s->first_us = s->last_us = FL_TIME_UNKNOWN;
	s->error_offset = UINT64_MAX;
	ev->inputs[0].n_streams++;
	return (uint32_t)ev->n_streams++;
}

/* Lines every `every` minutes from `from` to `to` (inclusive). */
static void
tb_activity(struct tb *t, uint32_t host, int64_t from, int64_t to, int every)
{
	struct fl_host_rec *h = &t->ev->hosts[host];
	int64_t m;

	for (m = from / (60 * FL_US_PER_SEC); m <= to / (60 * FL_US_PER_SEC);
	    m += every) {
		FL_GROW(h->minutes, t->cap_min[host], h->n_minutes + 1);
		h->minutes[h->n_minutes].minute = m;
		h->minutes[h->n_minutes].lines = 3;
		h->minutes[h->n_minutes].last = 0;
		h->n_minutes++;
	}
}

/* A rule hit: signal (or NULL for a plain line), fields as name, value
 * pairs ending with NULL. */
static size_t
tb_event(struct tb *t, uint32_t stream, int64_t time, const char *signal,
    const char *message, ...)
{
	struct fl_evidence *ev = t->ev;
	struct fl_event *e;
	struct fl_field f[8];
	size_t nf = 0;
	va_list ap;
	const char *k;
	struct fl_buf raw = {0};
	char ts[FL_TIME_STRLEN];

	FL_GROW(ev->events, t->cap_events, ev->n_events + 1);
	e = &ev->events[ev->n_events];
	memset(e, 0, sizeof *e);
	e->time_us = e->raw_time_us = time;
	e->stream = stream;
	e->host = ev->streams[stream].host;
	e->line = ++ev->streams[stream].lines;
	e->program = "prog";
	e->pid = "";
	e->message = fl_arena_strdup(ev->arena, message);
	fl_format_time(ts, time, 0);
	fl_buf_printf(&raw, "%s %s prog: %s", ts, ev->hosts[e->host].name,
	    message);
	e->raw = fl_arena_strdup(ev->arena, raw.data);
	fl_buf_free(&raw);
	e->facility = e->severity = -1;
	e->format = ev->streams[stream].format;
	e->dup_stream = UINT32_MAX;
	e->repeat = 1;
	e->tflags = ev->hosts[e->host].zone_source == FL_ZONE_FROM_LINE ? 0 :
	    FL_TF_ZONE_ASSUMED;
	if (signal != NULL) {
		char id[64];

		snprintf(id, sizeof id, "t-%s", signal);
		e->rule = (int32_t)fl_ruleset_find(t->rs, id);
		if (e->rule < 0) {
			printf("Bail out! no signal %s\n", signal);
			exit(1);
		}
	} else {
		e->rule = -1;
	}
	va_start(ap, message);
	while ((k = va_arg(ap, const char *)) != NULL && nf < 8) {
		f[nf].name = k;
		f[nf].value = va_arg(ap, const char *);
		nf++;
	}
	va_end(ap);
	if (nf) {
		struct fl_field *ff = fl_arena_alloc(ev->arena, nf * sizeof *ff);

		memcpy(ff, f, nf * sizeof *ff);
		e->fields = ff;
		e->n_fields = (uint32_t)nf;
	}
	return ev->n_events++;
}

static int
tb_cmp_event(const void *va, const void *vb)
{
	const struct fl_event *a = va, *b = vb;

	if (a->time_us != b->time_us)
		return a->time_us < b->time_us ? -1 : 1;
	if (a->host != b->host)
		return a->host < b->host ? -1 : 1;
	if (a->stream != b->stream)
		return a->stream < b->stream ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static int
tb_cmp_minute(const void *va, const void *vb)
{
	const struct fl_minute *a = va, *b = vb;

	return a->minute < b->minute ? -1 : a->minute > b->minute;
}

/* Sorts, folds duplicate minutes, fills host and stream accounting. */
static struct fl_evidence *
tb_finish(struct tb *t)
{
	struct fl_evidence *ev = t->ev;
	size_t i, j;

	if (ev->n_events > 1)
		qsort(ev->events, ev->n_events, sizeof *ev->events,
		    tb_cmp_event);
	for (i = 0; i < ev->n_events; i++) {
		struct fl_event *e = &ev->events[i];
		struct fl_host_rec *h = &ev->hosts[e->host];
		struct fl_stream_rec *s = &ev->streams[e->stream];

		FL_GROW(h->minutes, t->cap_min[e->host], h->n_minutes + 1);
		h->minutes[h->n_minutes].minute = e->time_us /
		    (60 * FL_US_PER_SEC);
		h->minutes[h->n_minutes].lines = 1;
		h->minutes[h->n_minutes].last = 0;
		h->n_minutes++;
		s->parsed++;
		if (s->first_us == FL_TIME_UNKNOWN || e->time_us < s->first_us)
			s->first_us = e->time_us;
		if (s->last_us == FL_TIME_UNKNOWN || e->time_us > s->last_us)
			s->last_us = e->time_us;
	}
	for (i = 0; i < ev->n_hosts; i++) {
		struct fl_host_rec *h = &ev->hosts[i];
		size_t n = 0;

		if (h->n_minutes > 1)
			qsort(h->minutes, h->n_minutes, sizeof *h->minutes,
			    tb_cmp_minute);
		for (j = 0; j < h->n_minutes; j++) {
			if (n && h->minutes[n - 1].minute == h->minutes[j].minute)
				h->minutes[n - 1].lines += h->minutes[j].lines;
			else
				h->minutes[n++] = h->minutes[j];
		}
		h->n_minutes = n;
		for (j = 0; j < n; j++)
			h->lines += h->minutes[j].lines;
		if (n) {
			h->first_us = h->minutes[0].minute * 60 * FL_US_PER_SEC;
			h->last_us = h->minutes[n - 1].minute * 60 * FL_US_PER_SEC;
		}
	}
	/* a host's log files span its activity, as real ones do */
	for (i = 0; i < ev->n_streams; i++) {
		struct fl_stream_rec *s = &ev->streams[i];
		const struct fl_host_rec *h = &ev->hosts[s->host];

		if (h->first_us != FL_TIME_UNKNOWN && (s->first_us ==
		    FL_TIME_UNKNOWN || h->first_us < s->first_us))
			s->first_us = h->first_us;
		if (h->last_us != FL_TIME_UNKNOWN && (s->last_us ==
		    FL_TIME_UNKNOWN || h->last_us > s->last_us))
			s->last_us = h->last_us;
	}
	return ev;
}

static void
tb_free(struct tb *t)
{
	free(t->cap_min);
	fl_evidence_free(t->ev);
	fl_ruleset_free(t->rs);
	free(t);
}

#endif
