#include "config.h"

#include "fl_scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fl_host.h"

void
fl_scan_opts_default(struct fl_scan_opts *o)
{
	memset(o, 0, sizeof *o);
	fl_limits_default(&o->limits);
	o->since_us = FL_TIME_UNKNOWN;
	o->until_us = FL_TIME_UNKNOWN;
}

/* A time as read from a line; turned into UTC when the stream ends and its
 * years are known. */
struct ptime {
	uint8_t kind;             /* enum fl_ltime_kind */
	uint8_t mon, day, hour, min, sec;
	uint8_t approx;           /* borrowed from the previous timed line */
	uint8_t has_abbr_offset;  /* offset comes from a zone abbreviation */
	int32_t usec;
	int32_t year;
	uint32_t run;             /* year-inference run of a year-less line */
	int32_t offset;
	int64_t epoch_us;
};

struct pend_event {
	struct fl_event ev;       /* host holds the stream-local host index */
	struct ptime t;
};

/* Consecutive lines of one host in one minute. */
struct act_run {
	uint32_t host;
	uint32_t lines;
	struct ptime t;
};

struct minute_rec {
	uint32_t host;            /* stream-local until merged */
	uint32_t lines;
	int64_t minute;
};

struct stream_result {
	struct fl_stream_rec rec;
	char **hosts;             /* stream-local host names (arena strings) */
	unsigned *zone_assumed;   /* per host: some line needed an assumed zone */
	size_t n_hosts;
	struct fl_event *events;  /* host = stream-local index */
	size_t n_events;
	struct minute_rec *act;
	size_t n_act;
};

struct diag_msg {
	enum fl_diag_level level;
	char *where;
	char *msg;
};

struct file_result {
	struct fl_input_rec rec;
	struct stream_result *streams;
	size_t n_streams, cap_streams;
	struct fl_arena *arena;
	struct diag_msg *diags;
	size_t n_diags, cap_diags;
};

struct scan_ctx {
	const struct fl_scan_opts *o;
	struct fl_zones *zones;
	const struct fl_zone *default_zone;
	const struct fl_zone **host_zones;  /* parallel to o->tz_hosts */
	const struct fl_input_list *list;
	struct file_result *results;
	atomic_size_t next;
	/* progress: inputs finished and their bytes on disk */
	atomic_size_t files_done;
	atomic_uint_fast64_t bytes_done;
	uint64_t bytes_total;
	pthread_mutex_t progress_lock;
	pthread_cond_t progress_cond;
	int scan_finished;
};

struct worker {
	struct scan_ctx *ctx;
	struct fl_matcher *matcher;
};

struct stream_state {
	struct worker *w;
	struct file_result *fr;
	struct fl_parser *parser;
	struct fl_year_infer *yi;
	char *default_host;
	const char *source;       /* stream name, for rules on `source` */
	char **hosts;
	size_t n_hosts, cap_hosts;
	uint64_t *host_lines;
	struct pend_event *ev;
	size_t n_ev, cap_ev;
	struct act_run *act;
	size_t n_act, cap_act;
	struct ptime last_t;
	int have_last_t;
	uint64_t parsed, unparsed;
	uint64_t format_lines[FL_FMT_COUNT];
	/* the line being matched, for the hit callback */
	const char *line;
	size_t len;
	uint64_t lineno, offset;
	const struct fl_parsed *parsed_line;
	uint32_t line_host;
	struct ptime line_t;
	size_t hits_on_line;
};

static void
file_diag_emit(void *vctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	struct file_result *fr = vctx;

	FL_GROW(fr->diags, fr->cap_diags, fr->n_diags + 1);
	fr->diags[fr->n_diags].level = level;
	fr->diags[fr->n_diags].where = where ? fl_xstrdup(where) : NULL;
	fr->diags[fr->n_diags].msg = fl_xstrdup(msg);
	fr->n_diags++;
}

/* Known zone abbreviations seen in apcupsd and ipmitool output. */
static int
abbr_offset(const char *p, size_t n, int32_t *off)
{
	static const struct { const char *name; int32_t off; } tab[] = {
		{"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"WET", 0}, {"WEST", 3600},
		{"BST", 3600}, {"CET", 3600}, {"CEST", 7200}, {"EET", 7200},
		{"EEST", 10800}, {"EST", -18000}, {"EDT", -14400},
		{"CST", -21600}, {"CDT", -18000}, {"MST", -25200},
		{"MDT", -21600}, {"PST", -28800}, {"PDT", -25200},
	};
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strlen(tab[i].name) == n && memcmp(tab[i].name, p, n) == 0) {
			*off = tab[i].off;
			return 1;
		}
	return 0;
}

static uint32_t
intern_host(struct stream_state *st, const char *p, size_t n)
{
	size_t i;

	/* Lines of one stream nearly always name one or two hosts. */
	for (i = st->n_hosts; i-- > 0;)
		if (strncmp(st->hosts[i], p, n) == 0 && st->hosts[i][n] == '\0')
			return (uint32_t)i;
	FL_GROW(st->hosts, st->cap_hosts, st->n_hosts + 1);
	st->host_lines = fl_xreallocarray(st->host_lines, st->cap_hosts,
	    sizeof *st->host_lines);
	st->hosts[st->n_hosts] = fl_arena_strndup(st->fr->arena, p, n);
	st->host_lines[st->n_hosts] = 0;
	return (uint32_t)st->n_hosts++;
}


/* The visitor's context: one input file being read by one worker. */
struct file_job {
	struct worker *w;
	struct file_result *fr;
	const struct fl_input_file *file;
};

static void *
stream_begin(void *vctx, const struct fl_stream_info *info)
{
	struct file_job *job = vctx;
	struct stream_state *st = fl_xcalloc(1, sizeof *st);

	st->w = job->w;
	st->fr = job->fr;
	st->parser = fl_parser_new(&job->w->ctx->o->parse, info);
	st->yi = fl_year_infer_new();
	st->default_host = fl_host_from_path(info);
	st->source = fl_arena_strdup(job->fr->arena, info->name);
	return st;
}

static void
ptime_from_ltime(struct ptime *pt, const struct fl_ltime *t,
    struct fl_year_infer *yi)
{
	memset(pt, 0, sizeof *pt);
	pt->kind = (uint8_t)t->kind;
	pt->mon = t->mon;
	pt->day = t->day;
	pt->hour = t->hour;
	pt->min = t->min;
	pt->sec = t->sec;
	pt->usec = t->usec;
	pt->year = t->year;
	pt->epoch_us = t->epoch_us;
	switch (t->kind) {
	case FL_LT_NO_YEAR:
		pt->run = fl_year_infer_add(yi, t->mon, t->day);
		break;
	case FL_LT_LOCAL:
		fl_year_infer_anchor(yi, t->year, t->mon, t->day);
		if (t->zone_abbr != NULL &&
		    abbr_offset(t->zone_abbr, t->zone_abbr_len, &pt->offset))
			pt->has_abbr_offset = 1;
		break;
	case FL_LT_OFFSET:
		fl_year_infer_anchor(yi, t->year, t->mon, t->day);
		pt->offset = t->utc_offset;
		break;
	default:
		break;
	}
}

/* Same minute of the same clock reading: the unit of activity. */
static int
same_minute(const struct ptime *a, const struct ptime *b)
{
	if (a->kind != b->kind || a->approx != b->approx)
		return 0;
	switch (a->kind) {
	case FL_LT_EPOCH:
		return a->epoch_us / (60 * FL_US_PER_SEC) ==
		    b->epoch_us / (60 * FL_US_PER_SEC);
	case FL_LT_NO_YEAR:
		if (a->run != b->run)
			return 0;
		break;
	case FL_LT_LOCAL:
	case FL_LT_OFFSET:
		if (a->year != b->year || a->offset != b->offset)
			return 0;
		break;
	default:
		return 1;
	}
	return a->mon == b->mon && a->day == b->day && a->hour == b->hour &&
	    a->min == b->min;
}

static const char *
span_copy(struct stream_state *st, const char *raw_copy, struct fl_span sp)
{
	/* A span that ends the line is shared with the kept raw copy. */
	if (sp.n == 0)
		return "";
	if (sp.p >= st->line && sp.p + sp.n <= st->line + st->len &&
	    raw_copy != NULL) {
		size_t off = (size_t)(sp.p - st->line);

		if (raw_copy[off + sp.n] == '\0')
			return raw_copy + off;
	}
	return fl_arena_strndup(st->fr->arena, sp.p, sp.n);
}

static struct pend_event *
keep_event(struct stream_state *st, int32_t rule)
{
	const struct fl_parsed *p = st->parsed_line;
	struct fl_arena *a = st->fr->arena;
	struct pend_event *pe;
	char *raw;

	FL_GROW(st->ev, st->cap_ev, st->n_ev + 1);
	pe = &st->ev[st->n_ev++];
	memset(pe, 0, sizeof *pe);
	raw = fl_arena_strndup(a, st->line, st->len);
	pe->ev.raw = raw;
	pe->ev.stream = 0;
	pe->ev.host = st->line_host;
	pe->ev.line = st->lineno;
	pe->ev.offset = st->offset;
	pe->ev.program = span_copy(st, raw, p->program);
	pe->ev.pid = span_copy(st, raw, p->pid);
	pe->ev.message = span_copy(st, raw, p->message);
	pe->ev.facility = p->facility;
	pe->ev.severity = p->severity;
	pe->ev.format = p->format;
	pe->ev.rule = rule;
	pe->ev.dup_stream = UINT32_MAX;
	pe->ev.boot = (p->flags & FL_PF_BOOT) != 0;
	pe->t = st->line_t;
	return pe;
}

static void
on_hit(void *vst, const struct fl_hit *hit)
{
	struct stream_state *st = vst;
	struct pend_event *pe = keep_event(st, (int32_t)hit->rule);
	struct fl_field *fields;
	size_t i;

	st->hits_on_line++;
	if (hit->n_captures == 0)
		return;
	fields = fl_arena_alloc(st->fr->arena, hit->n_captures * sizeof *fields);
	for (i = 0; i < hit->n_captures; i++) {
		fields[i].name = fl_arena_strdup(st->fr->arena,
		    hit->captures[i].name);
		fields[i].value = fl_arena_strndup(st->fr->arena,
		    hit->captures[i].value.p, hit->captures[i].value.n);
	}
	pe->ev.fields = fields;
	pe->ev.n_fields = (uint32_t)hit->n_captures;
}

static void
stream_line(void *vst, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct stream_state *st = vst;
	const struct fl_scan_opts *o = st->w->ctx->o;
	struct fl_parsed p;
	struct fl_match_input mi;
	struct act_run *run;
	int ok;

	(void)flags;
	ok = fl_parse_line(st->parser, line, len, &p);
	if (ok) {
		st->parsed++;
		st->format_lines[p.format]++;
	} else {
		st->unparsed++;
	}
	if (p.host.n > 0)
		st->line_host = intern_host(st, p.host.p, p.host.n);
	else
		st->line_host = intern_host(st, st->default_host,
		    strlen(st->default_host));
	st->host_lines[st->line_host]++;

	if (ok && p.t.kind != FL_LT_NONE && p.t.kind != FL_LT_UPTIME &&
	    p.t.kind != FL_LT_PREINIT) {
		ptime_from_ltime(&st->line_t, &p.t, st->yi);
		st->last_t = st->line_t;
		st->have_last_t = 1;
	} else if (st->have_last_t) {
		/* No time of its own: it happened near its predecessor. */
		st->line_t = st->last_t;
		st->line_t.approx = 1;
	} else {
		memset(&st->line_t, 0, sizeof st->line_t);
		st->line_t.kind = FL_LT_NONE;
	}

	if (st->line_t.kind != FL_LT_NONE && !(p.flags & FL_PF_COMMENT)) {
		run = st->n_act ? &st->act[st->n_act - 1] : NULL;
		if (run != NULL && run->host == st->line_host &&
		    same_minute(&run->t, &st->line_t)) {
			run->lines++;
		} else {
			FL_GROW(st->act, st->cap_act, st->n_act + 1);
			run = &st->act[st->n_act++];
			run->host = st->line_host;
			run->lines = 1;
			run->t = st->line_t;
		}
	}

	st->line = line;
	st->len = len;
	st->lineno = lineno;
	st->offset = offset;
	st->parsed_line = &p;
	st->hits_on_line = 0;
	if (o->rules != NULL && st->w->matcher != NULL &&
	    !(p.flags & FL_PF_COMMENT)) {
		memset(&mi, 0, sizeof mi);
		mi.parsed = &p;
		mi.raw.p = line;
		mi.raw.n = len;
		mi.source.p = st->source;
		mi.source.n = strlen(st->source);
		mi.host.p = st->hosts[st->line_host];
		mi.host.n = strlen(st->hosts[st->line_host]);
		fl_matcher_run(st->w->matcher, &mi, on_hit, st);
	}
	if (o->keep_all && st->hits_on_line == 0)
		keep_event(st, -1);
	st->parsed_line = NULL;
}

static const struct fl_zone *
zone_for_host(const struct scan_ctx *ctx, const char *host,
    enum fl_zone_source *src)
{
	size_t i;

	for (i = 0; i < ctx->o->n_tz_hosts; i++)
		if (strcmp(ctx->o->tz_hosts[i].host, host) == 0) {
			*src = FL_ZONE_HOST_OPTION;
			return ctx->host_zones[i];
		}
	*src = ctx->o->tz != NULL ? FL_ZONE_OPTION : FL_ZONE_DEFAULT_UTC;
	return ctx->default_zone;
}

/* UTC µs of a time read from a line, now that the stream's years are
 * known; *not_before carries the previous instant (DST repeated hour). */
static int64_t
resolve_time(const struct ptime *pt, const struct fl_year_infer *yi,
    const struct fl_zone *z, int64_t *not_before, unsigned *tf)
{
	int64_t local, utc;
	int32_t year = pt->year;

	*tf = pt->approx ? FL_TF_APPROX : 0;
	switch (pt->kind) {
	case FL_LT_EPOCH:
		return pt->epoch_us;
	case FL_LT_OFFSET:
		return (fl_civil_to_sec(year, pt->mon, pt->day, pt->hour,
		    pt->min, pt->sec) - pt->offset) * FL_US_PER_SEC + pt->usec;
	case FL_LT_NO_YEAR:
		year = fl_year_infer_year(yi, pt->run);
		*tf |= FL_TF_YEAR_INFERRED;
		if (fl_year_infer_suspect(yi))
			*tf |= FL_TF_YEAR_SUSPECT;
		if (year == 0) {
			*tf |= FL_TF_UNKNOWN;
			return FL_TIME_UNKNOWN;
		}
		/* FALLTHROUGH */
	case FL_LT_LOCAL:
		local = fl_civil_to_sec(year, pt->mon, pt->day, pt->hour,
		    pt->min, pt->sec);
		if (pt->has_abbr_offset)
			return (local - pt->offset) * FL_US_PER_SEC + pt->usec;
		*tf |= FL_TF_ZONE_ASSUMED;
		utc = fl_zone_local_to_utc(z, local, *not_before, tf);
		*not_before = utc;
		return utc * FL_US_PER_SEC + pt->usec;
	default:
		*tf |= FL_TF_UNKNOWN;
		return FL_TIME_UNKNOWN;
	}
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
stream_end(void *vst, const struct fl_stream_info *info,
    const struct fl_stream_stats *stats)
{
	struct stream_state *st = vst;
	struct scan_ctx *ctx = st->w->ctx;
	struct file_result *fr = st->fr;
	struct fl_arena *a = fr->arena;
	struct stream_result *sr;
	struct fl_year_evidence yev;
	const struct fl_zone **zones;
	unsigned *assumed;
	enum fl_zone_source zsrc;
	int64_t hint, us;
	unsigned tf;
	size_t i, best;

	FL_GROW(fr->streams, fr->cap_streams, fr->n_streams + 1);
	sr = &fr->streams[fr->n_streams++];
	memset(sr, 0, sizeof *sr);

	memset(&yev, 0, sizeof yev);
	yev.forced_year = ctx->o->year;
	yev.mtime = info->mtime;
	yev.mtime_source = info->mtime_source;
	sr->rec.year_source = fl_year_infer_solve(st->yi, &yev);

	zones = fl_xcalloc(st->n_hosts + 1, sizeof *zones);
	assumed = fl_xcalloc(st->n_hosts + 1, sizeof *assumed);
	for (i = 0; i < st->n_hosts; i++)
		zones[i] = zone_for_host(ctx, st->hosts[i], &zsrc);

	sr->rec.first_us = sr->rec.last_us = FL_TIME_UNKNOWN;
	hint = INT64_MIN;
	for (i = 0; i < st->n_act; i++) {
		struct act_run *r = &st->act[i];
		struct minute_rec *m;

		us = resolve_time(&r->t, st->yi, zones[r->host], &hint, &tf);
		if (tf & FL_TF_ZONE_ASSUMED)
			assumed[r->host] = 1;
		if (us == FL_TIME_UNKNOWN)
			continue;
		if (!(tf & FL_TF_APPROX)) {
			if (sr->rec.first_us == FL_TIME_UNKNOWN ||
			    us < sr->rec.first_us)
				sr->rec.first_us = us;
			if (sr->rec.last_us == FL_TIME_UNKNOWN ||
			    us > sr->rec.last_us)
				sr->rec.last_us = us;
		}
		m = sr->n_act ? &sr->act[sr->n_act - 1] : NULL;
		if (m != NULL && m->host == r->host &&
		    m->minute == floor_div(us, 60 * FL_US_PER_SEC)) {
			m->lines += r->lines;
			continue;
		}
		sr->act = fl_xreallocarray(sr->act, sr->n_act + 1,
		    sizeof *sr->act);
		m = &sr->act[sr->n_act++];
		m->host = r->host;
		m->lines = r->lines;
		m->minute = floor_div(us, 60 * FL_US_PER_SEC);
	}

	hint = INT64_MIN;
	sr->events = fl_xcalloc(st->n_ev + 1, sizeof *sr->events);
	for (i = 0; i < st->n_ev; i++) {
		struct pend_event *pe = &st->ev[i];

		pe->ev.time_us = resolve_time(&pe->t, st->yi,
		    zones[pe->ev.host], &hint, &tf);
		pe->ev.raw_time_us = pe->ev.time_us;
		pe->ev.tflags = tf;
		if (tf & FL_TF_ZONE_ASSUMED)
			assumed[pe->ev.host] = 1;
		sr->events[sr->n_events++] = pe->ev;
	}

	sr->hosts = fl_arena_alloc(a, (st->n_hosts + 1) * sizeof *sr->hosts);
	memcpy(sr->hosts, st->hosts, st->n_hosts * sizeof *sr->hosts);
	sr->zone_assumed = assumed;
	sr->n_hosts = st->n_hosts;
	free(zones);

	sr->rec.member = fl_arena_strdup(a, info->member);
	sr->rec.name = fl_arena_strdup(a, info->name);
	sr->rec.mtime = info->mtime;
	sr->rec.mtime_source = info->mtime_source;
	sr->rec.bytes = stats->bytes;
	sr->rec.lines = stats->lines;
	sr->rec.parsed = st->parsed;
	sr->rec.unparsed = st->unparsed;
	sr->rec.long_lines = stats->long_lines;
	sr->rec.nul_lines = stats->nul_lines;
	sr->rec.bad_utf8_lines = stats->bad_utf8_lines;
	sr->rec.error = stats->error ? fl_arena_strdup(a, stats->error) : NULL;
	sr->rec.error_offset = stats->error_offset;
	sr->rec.limit_hit = stats->limit_hit;
	sr->rec.format = fl_parser_format(st->parser);
	best = 0;
	for (i = 1; i < st->n_hosts; i++)
		if (st->host_lines[i] > st->host_lines[best])
			best = i;
	sr->rec.host = st->n_hosts ? (uint32_t)best : UINT32_MAX;

	fl_parser_free(st->parser);
	fl_year_infer_free(st->yi);
	free(st->default_host);
	free(st->hosts);
	free(st->host_lines);
	free(st->ev);
	free(st->act);
	free(st);
}

static void *
worker_main(void *vw)
{
	struct worker *w = vw;
	struct scan_ctx *ctx = w->ctx;
	struct fl_stream_visitor vis;
	struct file_job job;
	struct fl_diag fdiag;
	struct fl_input_result ires;
	size_t i;

	if (ctx->o->rules != NULL)
		w->matcher = fl_matcher_new(ctx->o->rules);
	for (;;) {
		const struct fl_input_file *f;
		struct file_result *fr;

		i = atomic_fetch_add(&ctx->next, 1);
		if (i >= ctx->list->n)
			break;
		f = &ctx->list->v[i];
		fr = &ctx->results[i];
		fr->arena = fl_arena_new();
		fr->rec.path = fl_arena_strdup(fr->arena, f->path);
		fr->rec.kind = f->kind;
		fr->rec.note = f->note ? fl_arena_strdup(fr->arena, f->note) : NULL;
		if (f->kind != FL_INPUT_FILE)
			continue;
		job.w = w;
		job.fr = fr;
		job.file = f;
		vis.begin = stream_begin;
		vis.line = stream_line;
		vis.end = stream_end;
		vis.ctx = &job;
		fdiag.emit = file_diag_emit;
		fdiag.ctx = fr;
		memset(&ires, 0, sizeof ires);
		fl_input_read(f, &ctx->o->limits, &vis, &ires, &fdiag);
		memcpy(fr->rec.sha256, ires.sha256, sizeof fr->rec.sha256);
		fr->rec.bytes = ires.bytes;
		fr->rec.error = ires.error ? fl_arena_strdup(fr->arena, ires.error) :
		    NULL;
		fl_input_result_free(&ires);
		atomic_fetch_add(&ctx->files_done, 1);
		atomic_fetch_add(&ctx->bytes_done, f->size);
	}
	fl_matcher_free(w->matcher);
	w->matcher = NULL;
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_minutes(const void *va, const void *vb)
{
	const struct minute_rec *a = va, *b = vb;

	if (a->host != b->host)
		return a->host < b->host ? -1 : 1;
	return a->minute < b->minute ? -1 : a->minute > b->minute;
}

static int
host_wanted(const struct fl_scan_opts *o, const char *name)
{
	size_t i;

	if (o->only_hosts == NULL)
		return 1;
	for (i = 0; o->only_hosts[i] != NULL; i++)
		if (strcmp(o->only_hosts[i], name) == 0)
			return 1;
	return 0;
}

static int
time_wanted(const struct fl_scan_opts *o, int64_t us)
{
	if (us == FL_TIME_UNKNOWN)
		return o->since_us == FL_TIME_UNKNOWN &&
		    o->until_us == FL_TIME_UNKNOWN;
	if (o->since_us != FL_TIME_UNKNOWN && us < o->since_us)
		return 0;
	if (o->until_us != FL_TIME_UNKNOWN && us > o->until_us)
		return 0;
	return 1;
}

static struct fl_evidence *
merge_results(struct scan_ctx *ctx)
{
	const struct fl_scan_opts *o = ctx->o;
	struct fl_evidence *ev = fl_xcalloc(1, sizeof *ev);
	const char **names = NULL;
	size_t n_names = 0, cap_names = 0, n_ev = 0, n_min = 0, i, j, k;
	struct minute_rec *mins = NULL;
	unsigned *assumed;

	ev->arena = fl_arena_new();
	ev->n_inputs = ctx->list->n;
	ev->inputs = fl_xcalloc(ev->n_inputs + 1, sizeof *ev->inputs);
	for (i = 0; i < ctx->list->n; i++) {
		struct file_result *fr = &ctx->results[i];

		for (j = 0; j < fr->n_streams; j++) {
			struct stream_result *sr = &fr->streams[j];

			for (k = 0; k < sr->n_hosts; k++) {
				FL_GROW(names, cap_names, n_names + 1);
				names[n_names++] = sr->hosts[k];
			}
			n_ev += sr->n_events;
			n_min += sr->n_act;
		}
		ev->n_streams += fr->n_streams;
	}
	if (n_names > 0)
		qsort(names, n_names, sizeof *names, cmp_str);
	for (i = j = 0; i < n_names; i++)
		if (j == 0 || strcmp(names[j - 1], names[i]) != 0)
			names[j++] = names[i];
	n_names = j;
	ev->hosts = fl_xcalloc(n_names + 1, sizeof *ev->hosts);
	assumed = fl_xcalloc(n_names + 1, sizeof *assumed);
	ev->n_hosts = n_names;
	for (i = 0; i < n_names; i++) {
		ev->hosts[i].name = names[i];
		ev->hosts[i].first_us = ev->hosts[i].last_us = FL_TIME_UNKNOWN;
	}

	ev->streams = fl_xcalloc(ev->n_streams + 1, sizeof *ev->streams);
	ev->events = fl_xcalloc(n_ev + 1, sizeof *ev->events);
	mins = fl_xcalloc(n_min + 1, sizeof *mins);
	ev->n_streams = 0;
	n_min = 0;
	for (i = 0; i < ctx->list->n; i++) {
		struct file_result *fr = &ctx->results[i];
		struct fl_input_rec *in = &ev->inputs[i];

		*in = fr->rec;
		in->first_stream = (uint32_t)ev->n_streams;
		in->n_streams = (uint32_t)fr->n_streams;
		for (j = 0; j < fr->n_streams; j++) {
			struct stream_result *sr = &fr->streams[j];
			uint32_t sidx = (uint32_t)ev->n_streams++;
			uint32_t *map = fl_xcalloc(sr->n_hosts + 1, sizeof *map);

			for (k = 0; k < sr->n_hosts; k++) {
				const char *const *hit = bsearch(&sr->hosts[k],
				    names, n_names, sizeof *names, cmp_str);

				map[k] = (uint32_t)(hit - names);
				if (sr->zone_assumed[k])
					assumed[map[k]] = 1;
			}
			ev->streams[sidx] = sr->rec;
			ev->streams[sidx].input = (uint32_t)i;
			if (sr->rec.host != UINT32_MAX)
				ev->streams[sidx].host = map[sr->rec.host];
			ev->total_lines += sr->rec.lines;
			ev->total_parsed += sr->rec.parsed;
			ev->total_unparsed += sr->rec.unparsed;
			for (k = 0; k < sr->n_events; k++) {
				struct fl_event e = sr->events[k];

				e.stream = sidx;
				e.host = map[e.host];
				if (!host_wanted(o, names[e.host]) ||
				    !time_wanted(o, e.time_us))
					continue;
				ev->events[ev->n_events++] = e;
			}
			for (k = 0; k < sr->n_act; k++) {
				struct minute_rec m = sr->act[k];

				m.host = map[m.host];
				if (!host_wanted(o, names[m.host]) ||
				    !time_wanted(o, m.minute * 60 * FL_US_PER_SEC))
					continue;
				mins[n_min++] = m;
			}
			free(map);
			free(sr->events);
			free(sr->act);
			free(sr->zone_assumed);
		}
		free(fr->streams);
		fl_arena_adopt(ev->arena, fr->arena);
		fl_arena_free(fr->arena);
	}

	if (n_min > 0)
		qsort(mins, n_min, sizeof *mins, cmp_minutes);
	for (i = 0; i < n_min;) {
		struct fl_host_rec *h = &ev->hosts[mins[i].host];
		size_t start = i, nm = 0;

		for (j = i; j < n_min && mins[j].host == mins[i].host; j++)
			;
		h->minutes = fl_xcalloc(j - start + 1, sizeof *h->minutes);
		for (k = start; k < j; k++) {
			if (nm > 0 && h->minutes[nm - 1].minute == mins[k].minute) {
				h->minutes[nm - 1].lines += mins[k].lines;
			} else {
				h->minutes[nm].minute = mins[k].minute;
				h->minutes[nm].lines = mins[k].lines;
				nm++;
			}
			h->lines += mins[k].lines;
		}
		h->n_minutes = nm;
		h->first_us = h->minutes[0].minute * 60 * FL_US_PER_SEC;
		h->last_us = h->minutes[nm - 1].minute * 60 * FL_US_PER_SEC;
		i = j;
	}
	free(mins);

	for (i = 0; i < ev->n_hosts; i++) {
		struct fl_host_rec *h = &ev->hosts[i];
		enum fl_zone_source zsrc;
		const struct fl_zone *z = zone_for_host(ctx, h->name, &zsrc);

		h->zone = fl_zone_name(z);
		h->zone_source = assumed[i] ? zsrc : FL_ZONE_FROM_LINE;
		h->zone = fl_arena_strdup(ev->arena, h->zone);
	}
	free(assumed);

	if (o->only_hosts != NULL) {
		/* Keep only the wanted hosts' records (indexes stay valid). */
		for (i = 0; i < ev->n_hosts; i++)
			if (!host_wanted(o, ev->hosts[i].name))
				ev->hosts[i].lines = 0;
	}
	free(names);
	return ev;
}

static int
cmp_size_desc(const void *va, const void *vb)
{
	const struct fl_input_file *a = va, *b = vb;

	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return strcmp(a->path, b->path);
}

static int
cmp_path(const void *va, const void *vb)
{
	return strcmp(((const struct fl_input_file *)va)->path,
	    ((const struct fl_input_file *)vb)->path);
}

void
fl_scan_shard(struct fl_input_list *list, unsigned k, unsigned n)
{
	uint64_t *load = fl_xcalloc(n, sizeof *load);
	size_t i, kept = 0;
	unsigned s, best;

	if (list->n > 0)
		qsort(list->v, list->n, sizeof *list->v, cmp_size_desc);
	for (i = 0; i < list->n; i++) {
		for (best = 0, s = 1; s < n; s++)
			if (load[s] < load[best])
				best = s;
		/* Unreadable and skipped entries weigh one byte: they must
		 * still be reported, by exactly one share. */
		load[best] += list->v[i].size ? list->v[i].size : 1;
		if (best + 1 == k)
			list->v[kept++] = list->v[i];
		else {
			free(list->v[i].path);
			free(list->v[i].note);
		}
	}
	list->n = kept;
	if (kept > 0)
		qsort(list->v, list->n, sizeof *list->v, cmp_path);
	free(load);
}

static double
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
report_progress(struct scan_ctx *ctx, double start, int done)
{
	struct fl_scan_progress p;

	p.bytes_done = atomic_load(&ctx->bytes_done);
	p.bytes_total = ctx->bytes_total;
	p.files_done = atomic_load(&ctx->files_done);
	p.files_total = ctx->list->n;
	p.elapsed = monotonic_seconds() - start;
	p.done = done;
	ctx->o->progress(ctx->o->progress_ctx, &p);
}

/* Progress is a display for the user, never part of a report, so this is
 * the one place that looks at the clock. */
static void *
progress_main(void *vctx)
{
	struct scan_ctx *ctx = vctx;
	double start = monotonic_seconds();
	struct timespec until;

	pthread_mutex_lock(&ctx->progress_lock);
	while (!ctx->scan_finished) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ctx->progress_cond, &ctx->progress_lock,
		    &until);
		if (!ctx->scan_finished)
			report_progress(ctx, start, 0);
	}
	pthread_mutex_unlock(&ctx->progress_lock);
	report_progress(ctx, start, 1);
	return NULL;
}

static unsigned
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

enum fl_err
fl_scan_run(const struct fl_scan_opts *o, struct fl_zones *zones,
    struct fl_evidence **out, const struct fl_diag *diag)
{
	struct scan_ctx ctx;
	struct fl_input_list list = {0};
	struct worker *workers;
	pthread_t *tids, progress_tid;
	int progress_running = 0;
	unsigned nthreads, t;
	size_t i, d;
	char *err = NULL;

	*out = NULL;
	memset(&ctx, 0, sizeof ctx);
	ctx.o = o;
	ctx.zones = zones;
	ctx.default_zone = fl_zones_get(zones, o->tz ? o->tz : "UTC", &err);
	if (ctx.default_zone == NULL) {
		fl_diagf(diag, FL_DIAG_ERROR, o->tz, "unknown time zone: %s",
		    err ? err : "?");
		free(err);
		return FL_ERR_USAGE;
	}
	ctx.host_zones = fl_xcalloc(o->n_tz_hosts + 1, sizeof *ctx.host_zones);
	for (i = 0; i < o->n_tz_hosts; i++) {
		ctx.host_zones[i] = fl_zones_get(zones, o->tz_hosts[i].zone, &err);
		if (ctx.host_zones[i] == NULL) {
			fl_diagf(diag, FL_DIAG_ERROR, o->tz_hosts[i].zone,
			    "unknown time zone for host %s: %s",
			    o->tz_hosts[i].host, err ? err : "?");
			free(err);
			free(ctx.host_zones);
			return FL_ERR_USAGE;
		}
	}

	fl_input_collect(o->paths, o->n_paths, &list);
	if (o->shard_n > 0)
		fl_scan_shard(&list, o->shard_k, o->shard_n);
	ctx.list = &list;
	ctx.results = fl_xcalloc(list.n + 1, sizeof *ctx.results);
	atomic_init(&ctx.next, 0);
	atomic_init(&ctx.files_done, 0);
	atomic_init(&ctx.bytes_done, 0);
	for (i = 0; i < list.n; i++)
		ctx.bytes_total += list.v[i].size;
	pthread_mutex_init(&ctx.progress_lock, NULL);
	pthread_cond_init(&ctx.progress_cond, NULL);
	if (o->progress && pthread_create(&progress_tid, NULL, progress_main,
	    &ctx) == 0)
		progress_running = 1;

	nthreads = o->threads ? o->threads : default_threads();
	if (nthreads > list.n)
		nthreads = list.n ? (unsigned)list.n : 1;
	workers = fl_xcalloc(nthreads, sizeof *workers);
	tids = fl_xcalloc(nthreads, sizeof *tids);
	for (t = 0; t < nthreads; t++)
		workers[t].ctx = &ctx;
	if (nthreads == 1) {
		worker_main(&workers[0]);
	} else {
		for (t = 0; t < nthreads; t++)
			if (pthread_create(&tids[t], NULL, worker_main,
			    &workers[t]) != 0)
				break;
		/* Threads that could not start leave their work to the others;
		 * if none started, this thread does it all. */
		if (t == 0)
			worker_main(&workers[0]);
		while (t-- > 0)
			pthread_join(tids[t], NULL);
	}

	if (progress_running) {
		pthread_mutex_lock(&ctx.progress_lock);
		ctx.scan_finished = 1;
		pthread_cond_signal(&ctx.progress_cond);
		pthread_mutex_unlock(&ctx.progress_lock);
		pthread_join(progress_tid, NULL);
	}
	pthread_mutex_destroy(&ctx.progress_lock);
	pthread_cond_destroy(&ctx.progress_cond);

	/* Diagnostics in input order, whatever thread produced them. */
	for (i = 0; i < list.n; i++) {
		struct file_result *fr = &ctx.results[i];

		if (list.v[i].kind != FL_INPUT_FILE)
			fl_diagf(diag, list.v[i].kind == FL_INPUT_UNREADABLE ?
			    FL_DIAG_ERROR : FL_DIAG_NOTE, list.v[i].path, "%s",
			    list.v[i].note ? list.v[i].note : "not read");
		for (d = 0; d < fr->n_diags; d++) {
			fl_diagf(diag, fr->diags[d].level, fr->diags[d].where,
			    "%s", fr->diags[d].msg);
			free(fr->diags[d].where);
			free(fr->diags[d].msg);
		}
		free(fr->diags);
	}

	*out = merge_results(&ctx);
	if (o->rules != NULL)
		fl_ruleset_digest(o->rules, (*out)->rules_digest);
	free(ctx.results);
	free(ctx.host_zones);
	free(workers);
	free(tids);
	fl_input_list_free(&list);
	return FL_OK;
}
