#include "config.h"

#include "fl_scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
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
	uint8_t abbr_tf;          /* FL_TF_ABBR_* >> 8: how it was read */
	uint8_t boot_rel;         /* plus_us after a wall-clock kernel line */
	int64_t plus_us;          /* added once resolved (seconds since boot) */
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
	struct ptime t;           /* of the first line */
	int32_t lo_us, hi_us;     /* the earliest and latest line, from t */
};

struct minute_rec {
	uint32_t host;            /* stream-local until merged */
	struct fl_minute m;
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
	const char **field_names;  /* the capture names copied to arena */
	size_t n_field_names, cap_field_names;
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
	unsigned char *noise_rule;  /* per rule: its signal is background noise */
};

/* Noise folding: per stream, how many lines of one key were kept and which
 * kept event counts the rest. */
struct noise_slot {
	char *key;                /* NULL when free */
	uint32_t kept;
	size_t last;              /* index in the stream's pending events */
};

struct worker {
	struct scan_ctx *ctx;
	struct fl_matcher *matcher;
	uint64_t *re_errors;      /* per rule: lines where PCRE2 gave up */
	int piped;                /* a reader thread decodes ahead for it */
};

struct stream_state {
	struct worker *w;
	struct file_result *fr;
	struct fl_parser *parser;
	struct fl_year_infer *yi;
	char *default_host;
	const char *source;       /* stream name, for rules on `source` */
	size_t source_len;
	char **hosts;
	size_t n_hosts, cap_hosts;
	uint64_t *host_lines;
	size_t *host_len;
	uint32_t *host_slots;     /* hash of hosts: index + 1, 0 when free */
	size_t cap_slots;         /* power of two, at least 2 * n_hosts */
	struct pend_event *ev;
	size_t n_ev, cap_ev;
	struct act_run *act;
	size_t n_act, cap_act;
	struct ptime last_t;
	int have_last_t;
	/* a kernel line with both a wall time and "[seconds since boot]" dates
	 * the stream's later dmesg lines of the same boot */
	struct ptime boot_anchor;
	int64_t boot_anchor_uptime;
	int have_boot_anchor;
	struct noise_slot *noise;
	size_t n_noise, cap_noise;  /* open addressing, cap a power of two */
	uint64_t parsed, unparsed;
	uint64_t format_lines[FL_FMT_COUNT];
	/* the line being matched, for the hit callback */
	const char *line;
	size_t len;
	int line_nul;             /* the line holds a NUL byte */
	uint64_t lineno, offset;
	const struct fl_parsed *parsed_line;
	uint32_t line_host;
	struct ptime line_t;
	size_t hits_on_line;
	/* host-less lines read before any line named a host */
	uint64_t pending_lines;
};

/* line_host of host-less lines while no line of the stream has named a
 * host: they go to the first host named, or to default_host at the end. */
#define HOST_PENDING UINT32_MAX

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

/* Zone abbreviations seen in apcupsd and ipmitool output, in their most
 * common meaning; ambiguous: other zones use the name too (CST and CDT in
 * China and Cuba, PST in the Philippines, BST in Bangladesh). */
static int
abbr_offset(const char *p, size_t n, int32_t *off, int *ambiguous)
{
	static const struct {
		const char *name;
		int32_t off;
		int ambiguous;
	} tab[] = {
		{"UTC", 0, 0}, {"GMT", 0, 0}, {"Z", 0, 0}, {"WET", 0, 0},
		{"WEST", 3600, 0}, {"BST", 3600, 1}, {"CET", 3600, 0},
		{"CEST", 7200, 0}, {"EET", 7200, 0}, {"EEST", 10800, 0},
		{"EST", -18000, 0}, {"EDT", -14400, 0}, {"CST", -21600, 1},
		{"CDT", -18000, 1}, {"MST", -25200, 0}, {"MDT", -21600, 0},
		{"PST", -28800, 1}, {"PDT", -25200, 0},
	};
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strlen(tab[i].name) == n && memcmp(tab[i].name, p, n) == 0) {
			*off = tab[i].off;
			*ambiguous = tab[i].ambiguous;
			return 1;
		}
	return 0;
}

static size_t
host_hash(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	return (size_t)(h ^ (h >> 32));
}

/* The slot of host p[0..n) in the hash, or the free slot where it goes. */
static size_t
host_slot(const struct stream_state *st, const char *p, size_t n)
{
	size_t i = host_hash(p, n) & (st->cap_slots - 1);
	uint32_t k;

	while ((k = st->host_slots[i]) != 0) {
		const char *h = st->hosts[k - 1];

		if (st->host_len[k - 1] == n && memcmp(h, p, n) == 0)
			break;
		i = (i + 1) & (st->cap_slots - 1);
	}
	return i;
}

static uint32_t
intern_host(struct stream_state *st, const char *p, size_t n)
{
	const char *nul = memchr(p, '\0', n);
	size_t i, slot;

	/* Names are C strings: a NUL ends one. */
	if (nul != NULL)
		n = (size_t)(nul - p);
	/* Lines of one stream nearly always name the host of the line
	 * before; a hash keeps a stream naming many hosts linear. */
	if (st->line_host < st->n_hosts && st->host_len[st->line_host] == n &&
	    memcmp(st->hosts[st->line_host], p, n) == 0)
		return st->line_host;
	if (2 * (st->n_hosts + 1) > st->cap_slots) {
		free(st->host_slots);
		st->cap_slots = st->cap_slots ? 2 * st->cap_slots : 16;
		st->host_slots = fl_xcalloc(st->cap_slots,
		    sizeof *st->host_slots);
		for (i = 0; i < st->n_hosts; i++)
			st->host_slots[host_slot(st, st->hosts[i],
			    st->host_len[i])] = (uint32_t)i + 1;
	}
	slot = host_slot(st, p, n);
	if (st->host_slots[slot] != 0)
		return st->host_slots[slot] - 1;
	if (st->n_hosts == st->cap_hosts) {
		FL_GROW(st->hosts, st->cap_hosts, st->n_hosts + 1);
		st->host_lines = fl_xreallocarray(st->host_lines,
		    st->cap_hosts, sizeof *st->host_lines);
		st->host_len = fl_xreallocarray(st->host_len,
		    st->cap_hosts, sizeof *st->host_len);
	}
	st->hosts[st->n_hosts] = fl_arena_strndup(st->fr->arena, p, n);
	st->host_lines[st->n_hosts] = 0;
	st->host_len[st->n_hosts] = n;
	st->host_slots[slot] = (uint32_t)st->n_hosts + 1;
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
	st->line_host = HOST_PENDING;
	st->source = fl_arena_strdup(job->fr->arena, info->name);
	st->source_len = strlen(st->source);
	return st;
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

/* A zone abbreviation written in a line is read as the zone configured for
 * the line's host when that zone went by it then (CST under Asia/Shanghai
 * is China's), else in its common meaning; an ambiguous one so read is not
 * trusted, and an unknown one leaves the line to the configured zone. */
static void
read_abbr(struct ptime *pt, const struct fl_ltime *t, const struct fl_zone *z)
{
	int32_t zoff, off;
	int ambiguous = 0;
	int known = abbr_offset(t->zone_abbr, t->zone_abbr_len, &off,
	    &ambiguous);

	if (fl_zone_abbr_offset(z, fl_civil_to_sec(t->year, t->mon, t->day,
	    t->hour, t->min, t->sec), t->zone_abbr, t->zone_abbr_len, &zoff)) {
		pt->has_abbr_offset = 1;
		if (known && off != zoff)
			pt->abbr_tf = FL_TF_ABBR_BY_ZONE >> 8;
		pt->offset = zoff;
	} else if (known) {
		pt->has_abbr_offset = 1;
		if (ambiguous)
			pt->abbr_tf = FL_TF_ABBR_AMBIGUOUS >> 8;
		pt->offset = off;
	} else {
		pt->abbr_tf = FL_TF_ABBR_UNKNOWN >> 8;
	}
}

static void
ptime_from_ltime(struct ptime *pt, const struct fl_ltime *t,
    struct fl_year_infer *yi, const struct fl_zone *z)
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
		if (t->zone_abbr != NULL)
			read_abbr(pt, t, z);
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
	if (a->kind != b->kind || a->approx != b->approx ||
	    a->plus_us / (60 * FL_US_PER_SEC) != b->plus_us / (60 * FL_US_PER_SEC))
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
		if (a->year != b->year || a->offset != b->offset ||
		    a->has_abbr_offset != b->has_abbr_offset ||
		    a->abbr_tf != b->abbr_tf)
			return 0;
		break;
	default:
		return 1;
	}
	return a->mon == b->mon && a->day == b->day && a->hour == b->hour &&
	    a->min == b->min;
}

/* Kept text is a C string: a NUL byte in it is kept as U+2400 SYMBOL FOR
 * NULL, so that nothing after it is lost. */
#define NUL_SYMBOL "\xe2\x90\x80"

static char *
text_copy(struct fl_arena *a, const char *p, size_t n)
{
	size_t i, nuls = 0;
	char *r, *q;

	if (n == 0 || memchr(p, '\0', n) == NULL)
		return fl_arena_strndup(a, p, n);
	for (i = 0; i < n; i++)
		nuls += p[i] == '\0';
	r = q = fl_arena_alloc(a, n + 2 * nuls + 1);
	for (i = 0; i < n; i++) {
		if (p[i] == '\0') {
			memcpy(q, NUL_SYMBOL, 3);
			q += 3;
		} else {
			*q++ = p[i];
		}
	}
	*q = '\0';
	return r;
}

/* How far b lies after a, two times of one minute run, in µs. */
static int32_t
run_delta(const struct ptime *a, const struct ptime *b)
{
	int64_t d = b->plus_us - a->plus_us;

	if (a->kind == FL_LT_EPOCH)
		d += b->epoch_us - a->epoch_us;
	else
		d += ((int64_t)b->sec - a->sec) * FL_US_PER_SEC +
		    b->usec - a->usec;
	return (int32_t)d;
}

static const char *
span_copy(struct stream_state *st, const char *raw_copy, struct fl_span sp)
{
	/* A span that ends the line is shared with the kept raw copy, which
	 * is byte for byte the line when the line holds no NUL. */
	if (sp.n == 0)
		return "";
	if (sp.p >= st->line && sp.p + sp.n <= st->line + st->len &&
	    raw_copy != NULL && !st->line_nul) {
		size_t off = (size_t)(sp.p - st->line);

		if (raw_copy[off + sp.n] == '\0')
			return raw_copy + off;
	}
	return text_copy(st->fr->arena, sp.p, sp.n);
}

static struct pend_event *
keep_event(struct stream_state *st, int32_t rule, enum fl_noise noise)
{
	const struct fl_parsed *p = st->parsed_line;
	struct fl_arena *a = st->fr->arena;
	struct pend_event *pe;
	char *raw = NULL;

	FL_GROW(st->ev, st->cap_ev, st->n_ev + 1);
	pe = &st->ev[st->n_ev++];
	memset(pe, 0, sizeof *pe);
	if (noise != FL_NOISE_COUNTED)
		raw = text_copy(a, st->line, st->len);
	pe->ev.raw = raw ? raw : "";
	pe->ev.stream = 0;
	pe->ev.host = st->line_host;
	pe->ev.line = st->lineno;
	pe->ev.offset = st->offset;
	pe->ev.program = span_copy(st, raw, p->program);
	pe->ev.pid = raw ? span_copy(st, raw, p->pid) : "";
	pe->ev.message = raw ? span_copy(st, raw, p->message) : "";
	pe->ev.facility = p->facility;
	pe->ev.severity = p->severity;
	pe->ev.format = p->format;
	pe->ev.rule = rule;
	pe->ev.dup_stream = UINT32_MAX;
	pe->ev.boot = (p->flags & FL_PF_BOOT) != 0;
	pe->ev.repeat = 1;
	pe->ev.noise = noise;
	pe->t = st->line_t;
	return pe;
}

static size_t
noise_hash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return (size_t)(h ^ (h >> 32));
}

static struct noise_slot *
noise_lookup(struct stream_state *st, const char *key)
{
	size_t i, mask;

	if (2 * (st->n_noise + 1) > st->cap_noise) {
		struct noise_slot *old = st->noise;
		size_t old_cap = st->cap_noise;

		st->cap_noise = old_cap ? 2 * old_cap : 64;
		st->noise = fl_xcalloc(st->cap_noise, sizeof *st->noise);
		for (i = 0; i < old_cap; i++)
			if (old[i].key != NULL)
				*noise_lookup(st, old[i].key) = old[i];
		free(old);
	}
	mask = st->cap_noise - 1;
	for (i = noise_hash(key) & mask; st->noise[i].key != NULL &&
	    strcmp(st->noise[i].key, key) != 0; i = (i + 1) & mask)
		;
	return &st->noise[i];
}

/* Appends v in decimal and a separator: the noise keys are built for
 * every noise line, where snprintf would cost more than the lookup. */
static char *
key_num(char *p, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = d[--n];
	*p++ = '|';
	return p;
}

/* Background noise beyond FL_NOISE_KEEP lines of one rule, host, source
 * address and hour is counted on the last kept event instead of stored:
 * memory follows the sources and hours, not the number of attempts. Of the
 * lines kept, only the first of each host and source address keeps its
 * text. Returns how the line is kept, or -1 when it was folded. */
static int
fold_noise(struct stream_state *st, const struct fl_hit *hit)
{
	const struct ptime *t = &st->line_t;
	struct fl_span src = {"", 0};
	struct noise_slot *slot;
	char key[320], *p, *host_end;
	size_t i;

	if (st->w->ctx->o->keep_all || !st->w->ctx->noise_rule[hit->rule])
		return FL_NOISE_NO;
	for (i = 0; i < hit->n_captures; i++)
		if (strcmp(hit->captures[i].name, "src_ip") == 0)
			src = hit->captures[i].value;
	/* host and source, then rule and the hour as read (years and zones
	 * are resolved later); a NUL in the source ends it, as in a C
	 * string */
	p = key_num(key, st->line_host);
	for (i = 0; i < src.n && i < 64 && src.p[i] != '\0'; i++)
		*p++ = src.p[i];
	*p++ = '|';
	host_end = p;
	p = key_num(p, hit->rule);
	p = key_num(p, t->kind);
	p = key_num(p, t->approx);
	p = key_num(p, t->run);
	p = key_num(p, (uint64_t)(int64_t)t->year);
	p = key_num(p, t->mon);
	p = key_num(p, t->day);
	p = key_num(p, t->hour);
	p = key_num(p, (uint64_t)(t->epoch_us / (3600 * FL_US_PER_SEC)));
	*p = '\0';
	slot = noise_lookup(st, key);
	if (slot->key == NULL) {
		slot->key = fl_xstrdup(key);
		st->n_noise++;
	}
	if (slot->kept >= FL_NOISE_KEEP) {
		st->ev[slot->last].ev.repeat++;
		return -1;
	}
	slot->kept++;
	slot->last = st->n_ev;  /* the event about to be kept */
	/* host and source */
	*host_end = '\0';
	slot = noise_lookup(st, key);
	if (slot->key != NULL)
		return FL_NOISE_COUNTED;
	slot->key = fl_xstrdup(key);
	st->n_noise++;
	return FL_NOISE_LINE;
}

/* A capture's name, copied once per file: every event of a rule carries
 * the same few names. */
static const char *
field_name(struct file_result *fr, const char *name)
{
	size_t i;

	for (i = 0; i < fr->n_field_names; i++)
		if (strcmp(fr->field_names[i], name) == 0)
			return fr->field_names[i];
	FL_GROW(fr->field_names, fr->cap_field_names, fr->n_field_names + 1);
	fr->field_names[fr->n_field_names] = fl_arena_strdup(fr->arena, name);
	return fr->field_names[fr->n_field_names++];
}

/* What a counted noise event keeps of its captures: what the analysis
 * reads of failed logins, and what correlations group by. */
static int
counted_keeps(const struct stream_state *st, uint32_t rule, const char *name)
{
	return strcmp(name, "src_ip") == 0 || strcmp(name, "user") == 0 ||
	    fl_ruleset_field_correlated(st->w->ctx->o->rules, rule, name);
}

static void
on_hit(void *vst, const struct fl_hit *hit)
{
	struct stream_state *st = vst;
	struct pend_event *pe;
	struct fl_field *fields;
	size_t i, n;
	int noise;

	st->hits_on_line++;
	if ((noise = fold_noise(st, hit)) < 0)
		return;
	pe = keep_event(st, (int32_t)hit->rule, (enum fl_noise)noise);
	if (hit->n_captures == 0)
		return;
	fields = fl_arena_alloc(st->fr->arena, hit->n_captures * sizeof *fields);
	for (i = n = 0; i < hit->n_captures; i++) {
		if (noise == FL_NOISE_COUNTED &&
		    !counted_keeps(st, hit->rule, hit->captures[i].name))
			continue;
		fields[n].name = field_name(st->fr, hit->captures[i].name);
		fields[n++].value = text_copy(st->fr->arena,
		    hit->captures[i].value.p, hit->captures[i].value.n);
	}
	pe->ev.fields = fields;
	pe->ev.n_fields = (uint32_t)n;
}

/* "[   37.749084] ..." at the start of a kernel message: microseconds since
 * boot. */
static int
kernel_uptime(struct fl_span m, int64_t *us)
{
	size_t i = 1;
	int64_t sec = 0, frac = 0, scale = 100000;

	if (m.n < 4 || m.p[0] != '[')
		return 0;
	while (i < m.n && m.p[i] == ' ')
		i++;
	if (i >= m.n || m.p[i] < '0' || m.p[i] > '9')
		return 0;
	for (; i < m.n && m.p[i] >= '0' && m.p[i] <= '9'; i++) {
		if (sec > INT64_MAX / 10 / FL_US_PER_SEC)
			return 0;
		sec = sec * 10 + (m.p[i] - '0');
	}
	if (i >= m.n || m.p[i] != '.')
		return 0;
	for (i++; i < m.n && m.p[i] >= '0' && m.p[i] <= '9'; i++) {
		frac += (m.p[i] - '0') * scale;
		scale /= 10;
	}
	if (i >= m.n || m.p[i] != ']')
		return 0;
	*us = sec * FL_US_PER_SEC + frac;
	return 1;
}

/* The matcher searches literals over a whole block at once, cheaper than
 * line by line. */
static void
stream_block(void *vst, const char *data, size_t n)
{
	struct stream_state *st = vst;

	/* As in stream_line, st comes from stream_begin: never NULL. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	if (st->w->matcher != NULL)
		fl_matcher_prescan(st->w->matcher, data, n);
}

/* Gives the host-less lines read so far to host h. */
static void
settle_pending(struct stream_state *st, uint32_t h)
{
	size_t i;

	if (st->pending_lines == 0)
		return;
	for (i = 0; i < st->n_act; i++)
		if (st->act[i].host == HOST_PENDING)
			st->act[i].host = h;
	for (i = 0; i < st->n_ev; i++)
		if (st->ev[i].ev.host == HOST_PENDING)
			st->ev[i].ev.host = h;
	st->host_lines[h] += st->pending_lines;
	st->pending_lines = 0;
}

static void
stream_line(void *vst, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct stream_state *st = vst;
	/* The reader hands back what stream_begin returned: never NULL. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	const struct fl_scan_opts *o = st->w->ctx->o;
	struct fl_parsed p;
	struct fl_match_input mi;
	struct act_run *run;
	int ok;

	/* NUL bytes before a line's text (blocks a file system allocated but
	 * never wrote, before a power loss) are not part of it: the text is
	 * parsed and kept without them, and the line number and offset
	 * still lead to the NULs. */
	if ((flags & FL_LINE_NUL) && line[0] == '\0') {
		size_t k = 1;

		while (k < len && line[k] == '\0')
			k++;
		if (k < len) {
			line += k;
			len -= k;
		}
	}
	/* So is a UTF-8 byte order mark at the start of a stream. */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	st->line_nul = (flags & FL_LINE_NUL) && memchr(line, '\0', len);
	ok = fl_parse_line(st->parser, line, len, &p);
	if (ok) {
		st->parsed++;
		st->format_lines[p.format]++;
	} else {
		st->unparsed++;
	}
	/* A line naming no host (a continuation, a boot separator, damage)
	 * belongs to the host of the line before it. */
	if (p.host.n > 0) {
		st->line_host = intern_host(st, p.host.p, p.host.n);
		settle_pending(st, st->line_host);
	}
	if (st->line_host == HOST_PENDING)
		st->pending_lines++;
	else
		st->host_lines[st->line_host]++;

	if (ok && p.t.kind != FL_LT_NONE && p.t.kind != FL_LT_UPTIME &&
	    p.t.kind != FL_LT_PREINIT) {
		const struct fl_zone *z = NULL;
		enum fl_zone_source zsrc;
		int64_t up;

		if (p.t.zone_abbr != NULL)
			z = zone_for_host(st->w->ctx, st->line_host ==
			    HOST_PENDING ? st->default_host :
			    st->hosts[st->line_host], &zsrc);
		ptime_from_ltime(&st->line_t, &p.t, st->yi, z);
		st->last_t = st->line_t;
		st->have_last_t = 1;
		if (kernel_uptime(p.message, &up)) {
			st->boot_anchor = st->line_t;
			st->boot_anchor_uptime = up;
			st->have_boot_anchor = 1;
		}
	} else if (ok && p.t.kind == FL_LT_UPTIME && st->have_boot_anchor &&
	    p.t.epoch_us >= st->boot_anchor_uptime) {
		st->line_t = st->boot_anchor;
		st->line_t.boot_rel = 1;
		st->line_t.plus_us = p.t.epoch_us - st->boot_anchor_uptime;
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
			int32_t d = run_delta(&run->t, &st->line_t);

			run->lines++;
			if (d < run->lo_us)
				run->lo_us = d;
			if (d > run->hi_us)
				run->hi_us = d;
		} else {
			FL_GROW(st->act, st->cap_act, st->n_act + 1);
			run = &st->act[st->n_act++];
			/* FL_GROW allocated act: cap_act was below n_act + 1.
			 * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
			run->host = st->line_host;
			run->lines = 1;
			run->t = st->line_t;
			run->lo_us = run->hi_us = 0;
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
		mi.source.n = st->source_len;
		if (st->line_host == HOST_PENDING) {
			mi.host.p = st->default_host;
			mi.host.n = strlen(st->default_host);
		} else {
			mi.host.p = st->hosts[st->line_host];
			mi.host.n = st->host_len[st->line_host];
		}
		fl_matcher_run(st->w->matcher, &mi, on_hit, st);
	}
	if (o->keep_all && st->hits_on_line == 0)
		keep_event(st, -1, FL_NOISE_NO);
	st->parsed_line = NULL;
}

/* UTC µs of a time read from a line, now that the stream's years are
 * known; *not_before carries the previous instant (DST repeated hour). */
static int64_t
resolve_clock(const struct ptime *pt, const struct fl_year_infer *yi,
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
		*tf |= (unsigned)pt->abbr_tf << 8;
		if (pt->abbr_tf & (FL_TF_ABBR_AMBIGUOUS >> 8))
			*tf |= FL_TF_ZONE_ASSUMED;
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
resolve_time(const struct ptime *pt, const struct fl_year_infer *yi,
    const struct fl_zone *z, int64_t *not_before, unsigned *tf)
{
	int64_t us = resolve_clock(pt, yi, z, not_before, tf);

	if (pt->boot_rel && us != FL_TIME_UNKNOWN) {
		*tf |= FL_TF_BOOT_RELATIVE;
		us += pt->plus_us;
	}
	return us;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* One record per host and minute, and the array no larger than that: a
 * minute's lines can come in several runs (sources interleaved in one
 * file, a clock stepping back), and every stream's records are held until
 * the merge. */
static void
compact_minutes(struct stream_result *sr)
{
	size_t cap = 16, mask, i, k, n = 0;
	uint32_t *slot;                 /* record index + 1; 0: free */

	if (sr->n_act < 2 || sr->n_act >= UINT32_MAX / 2)
		return;
	while (cap < 2 * sr->n_act)
		cap *= 2;
	mask = cap - 1;
	slot = fl_xcalloc(cap, sizeof *slot);
	for (i = 0; i < sr->n_act; i++) {
		const struct minute_rec m = sr->act[i];
		uint64_t h = ((uint64_t)m.m.minute ^ (uint64_t)m.host << 40) *
		    UINT64_C(0x9e3779b97f4a7c15);

		for (k = (size_t)(h >> 32) & mask; slot[k] != 0;
		    k = (k + 1) & mask) {
			const struct minute_rec *o = &sr->act[slot[k] - 1];

			if (o->host == m.host && o->m.minute == m.m.minute)
				break;
		}
		if (slot[k] != 0) {
			fl_minute_add(&sr->act[slot[k] - 1].m, m.m.lines, m.m.last);
			continue;
		}
		sr->act[n] = m;
		slot[k] = (uint32_t)++n;
	}
	free(slot);
	sr->n_act = n;
	sr->act = fl_xreallocarray(sr->act, n + 1, sizeof *sr->act);
}

static void
stream_end(void *vst, const struct fl_stream_info *info,
    const struct fl_stream_stats *stats)
{
	struct stream_state *st = vst;
	/* As in stream_line, st comes from stream_begin. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
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
	size_t i, best, cap_act = 0;

	/* No line named a host: the stream speaks for the one its path names. */
	if (st->pending_lines > 0)
		settle_pending(st, intern_host(st, st->default_host,
		    strlen(st->default_host)));

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
		int64_t minute, last;

		us = resolve_time(&r->t, st->yi, zones[r->host], &hint, &tf);
		if (tf & FL_TF_ZONE_ASSUMED)
			assumed[r->host] = 1;
		if (us == FL_TIME_UNKNOWN)
			continue;
		if (!(tf & FL_TF_APPROX)) {
			if (sr->rec.first_us == FL_TIME_UNKNOWN ||
			    us + r->lo_us < sr->rec.first_us)
				sr->rec.first_us = us + r->lo_us;
			if (sr->rec.last_us == FL_TIME_UNKNOWN ||
			    us + r->hi_us > sr->rec.last_us)
				sr->rec.last_us = us + r->hi_us;
		}
		minute = floor_div(us, 60 * FL_US_PER_SEC);
		if (!fl_minute_in_span(minute))
			continue;
		/* the run's lines share a minute of their own clock: its last
		 * second, clamped to the UTC minute of its first line */
		last = (us + r->hi_us - fl_minute_us(minute)) / FL_US_PER_SEC;
		last = last < 0 ? 0 : last > 59 ? 59 : last;
		m = sr->n_act ? &sr->act[sr->n_act - 1] : NULL;
		if (m == NULL || m->host != r->host || m->m.minute != minute) {
			FL_GROW(sr->act, cap_act, sr->n_act + 1);
			m = &sr->act[sr->n_act++];
			memset(m, 0, sizeof *m);
			m->host = r->host;
			m->m.minute = (int32_t)minute;
		}
		fl_minute_add(&m->m, r->lines, (unsigned)last);
	}

	compact_minutes(sr);

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
	if (st->n_hosts > 0)
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
	free(st->host_len);
	free(st->host_slots);
	for (i = 0; i < st->cap_noise; i++)
		free(st->noise[i].key);
	free(st->noise);
	free(st->ev);
	free(st->act);
	free(st);
}

/* --- reading ahead ---------------------------------------------------------
 * A worker that has a spare thread lets a reader thread run fl_input_read
 * (decompression and line splitting) while it parses and matches: lines
 * travel in chunks through a bounded queue, stream starts and ends travel
 * as messages in the same order, so the worker sees exactly the calls
 * fl_input_read would have made, and the evidence is the same. */
#define CHUNK_SIZE (256 * 1024)
#define QUEUE_LEN 8                 /* chunks in flight per reader */
#define PAD8(n) (((size_t)(n) + 7) & ~(size_t)7)

enum msg_kind { MSG_BEGIN, MSG_LINES, MSG_END, MSG_DONE };

struct line_rec {                   /* followed by len bytes, padded */
	uint64_t lineno, offset;
	uint32_t len, flags;
};

struct msg {
	enum msg_kind kind;
	struct fl_stream_info info;     /* BEGIN, END: strings owned */
	struct fl_stream_stats stats;   /* END: error owned */
	char *data;                     /* LINES: records */
	size_t len, cap;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_get;
	struct msg q[QUEUE_LEN];
	size_t head, count;
	struct msg cur;                 /* the chunk being filled */
	char *spare[QUEUE_LEN + 2];     /* emptied chunk buffers for reuse */
	size_t n_spare;
	/* for the reader thread */
	const struct fl_input_file *file;
	const struct fl_limits *lim;
	const struct fl_diag *diag;
	struct fl_input_result *res;
};

static void
pipe_put(struct pipe *pp, struct msg *m)
{
	pthread_mutex_lock(&pp->mu);
	while (pp->count == QUEUE_LEN)
		pthread_cond_wait(&pp->can_put, &pp->mu);
	pp->q[(pp->head + pp->count) % QUEUE_LEN] = *m;
	pp->count++;
	pthread_cond_signal(&pp->can_get);
	pthread_mutex_unlock(&pp->mu);
	memset(m, 0, sizeof *m);
}

static void
pipe_get(struct pipe *pp, struct msg *m)
{
	pthread_mutex_lock(&pp->mu);
	while (pp->count == 0)
		pthread_cond_wait(&pp->can_get, &pp->mu);
	*m = pp->q[pp->head];
	pp->head = (pp->head + 1) % QUEUE_LEN;
	pp->count--;
	pthread_cond_signal(&pp->can_put);
	pthread_mutex_unlock(&pp->mu);
}

/* Gives a chunk buffer back for the reader to fill again. */
static void
pipe_recycle(struct pipe *pp, char *data)
{
	pthread_mutex_lock(&pp->mu);
	if (pp->n_spare < sizeof pp->spare / sizeof pp->spare[0])
		pp->spare[pp->n_spare++] = data;
	else
		free(data);
	pthread_mutex_unlock(&pp->mu);
}

static void
pipe_flush(struct pipe *pp)
{
	if (pp->cur.len > 0) {
		pp->cur.kind = MSG_LINES;
		pipe_put(pp, &pp->cur);
	}
}

static void
info_copy(struct fl_stream_info *dst, const struct fl_stream_info *src)
{
	*dst = *src;
	dst->input_path = fl_xstrdup(src->input_path);
	dst->member = fl_xstrdup(src->member);
	dst->name = fl_xstrdup(src->name);
	dst->dir_hint = fl_xstrdup(src->dir_hint);
}

static void
info_free(struct fl_stream_info *info)
{
	free((char *)info->input_path);
	free((char *)info->member);
	free((char *)info->name);
	free((char *)info->dir_hint);
}

static void *
pq_begin(void *ctx, const struct fl_stream_info *info)
{
	struct pipe *pp = ctx;
	struct msg m;

	pipe_flush(pp);
	memset(&m, 0, sizeof m);
	m.kind = MSG_BEGIN;
	info_copy(&m.info, info);
	pipe_put(pp, &m);
	return pp;
}

static void
pq_line(void *state, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct pipe *pp = state;
	struct msg *c = &pp->cur;
	size_t need = sizeof(struct line_rec) +
	    PAD8(len);
	struct line_rec r;

	if (c->len + need > c->cap && c->len > 0)
		pipe_flush(pp);
	if (c->data == NULL) {
		pthread_mutex_lock(&pp->mu);
		if (pp->n_spare > 0)
			c->data = pp->spare[--pp->n_spare];
		pthread_mutex_unlock(&pp->mu);
		c->cap = CHUNK_SIZE;
		if (c->data == NULL)
			c->data = fl_xmalloc(c->cap);
	}
	if (need > c->cap) {
		/* A line longer than a chunk travels in a chunk of its own
		 * size, which is not recycled. */
		c->data = fl_xrealloc(c->data, need);
		c->cap = need;
	}
	r.lineno = lineno;
	r.offset = offset;
	r.len = (uint32_t)len;
	r.flags = flags;
	memcpy(c->data + c->len, &r, sizeof r);
	memcpy(c->data + c->len + sizeof r, line, len);
	c->len += need;
}

static void
pq_end(void *state, const struct fl_stream_info *info,
    const struct fl_stream_stats *stats)
{
	struct pipe *pp = state;
	struct msg m;

	pipe_flush(pp);
	memset(&m, 0, sizeof m);
	m.kind = MSG_END;
	info_copy(&m.info, info);
	m.stats = *stats;
	if (stats->error != NULL)
		m.stats.error = fl_xstrdup(stats->error);
	pipe_put(pp, &m);
}

static void *
reader_main(void *vp)
{
	struct pipe *pp = vp;
	struct fl_stream_visitor vis;
	struct msg m;

	vis.begin = pq_begin;
	vis.line = pq_line;
	vis.end = pq_end;
	vis.ctx = pp;
	vis.block = NULL;  /* the consumer's matcher reads the queued lines */
	fl_input_read(pp->file, pp->lim, &vis, pp->res, pp->diag);
	free(pp->cur.data);
	memset(&m, 0, sizeof m);
	m.kind = MSG_DONE;
	pipe_put(pp, &m);
	return NULL;
}

/* Reads one file with a reader thread ahead of this one; 0, or -1 when the
 * thread could not be started (then nothing was read). */
static int
read_piped(const struct fl_input_file *f, const struct fl_limits *lim,
    const struct fl_stream_visitor *vis, struct fl_input_result *res,
    const struct fl_diag *diag)
{
	struct pipe pp;
	pthread_t tid;
	struct msg m;
	void *state = NULL;
	size_t i;

	memset(&pp, 0, sizeof pp);
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.can_put, NULL);
	pthread_cond_init(&pp.can_get, NULL);
	pp.file = f;
	pp.lim = lim;
	pp.diag = diag;
	pp.res = res;
	if (pthread_create(&tid, NULL, reader_main, &pp) != 0) {
		pthread_mutex_destroy(&pp.mu);
		pthread_cond_destroy(&pp.can_put);
		pthread_cond_destroy(&pp.can_get);
		return -1;
	}
	for (;;) {
		pipe_get(&pp, &m);
		if (m.kind == MSG_DONE)
			break;
		switch (m.kind) {
		case MSG_BEGIN:
			state = vis->begin(vis->ctx, &m.info);
			info_free(&m.info);
			break;
		case MSG_LINES:
			if (vis->block != NULL && m.len > 0)
				vis->block(state, m.data, m.len);
			for (i = 0; i < m.len;) {
				struct line_rec r;

				memcpy(&r, m.data + i, sizeof r);
				vis->line(state, m.data + i + sizeof r, r.len,
				    r.lineno, r.offset, r.flags);
				i += sizeof r + PAD8(r.len);
			}
			if (m.cap == CHUNK_SIZE)
				pipe_recycle(&pp, m.data);
			else
				free(m.data);
			break;
		default:
			vis->end(state, &m.info, &m.stats);
			info_free(&m.info);
			free((char *)m.stats.error);
			state = NULL;
			break;
		}
	}
	pthread_join(tid, NULL);
	for (i = 0; i < pp.n_spare; i++)
		free(pp.spare[i]);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.can_put);
	pthread_cond_destroy(&pp.can_get);
	return 0;
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

	if (ctx->o->rules != NULL && fl_ruleset_count(ctx->o->rules) > 0)
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
		vis.block = stream_block;
		fdiag.emit = file_diag_emit;
		fdiag.ctx = fr;
		memset(&ires, 0, sizeof ires);
		if (!w->piped || read_piped(f, &ctx->o->limits, &vis, &ires,
		    &fdiag) != 0)
			fl_input_read(f, &ctx->o->limits, &vis, &ires, &fdiag);
		memcpy(fr->rec.sha256, ires.sha256, sizeof fr->rec.sha256);
		fr->rec.bytes = ires.bytes;
		fr->rec.error = ires.error ? fl_arena_strdup(fr->arena, ires.error) :
		    NULL;
		fl_input_result_free(&ires);
		atomic_fetch_add(&ctx->files_done, 1);
		atomic_fetch_add(&ctx->bytes_done, f->size);
	}
	if (w->matcher != NULL) {
		size_t n = fl_ruleset_count(ctx->o->rules);

		w->re_errors = fl_xcalloc(n + 1, sizeof *w->re_errors);
		for (i = 0; i < n; i++)
			w->re_errors[i] = fl_matcher_errors(w->matcher, i);
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
	return a->m.minute < b->m.minute ? -1 : a->m.minute > b->m.minute;
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

/* Each host's activity per minute, from the records gathered for it from
 * all streams (which the merge frees as it goes): sorted and summed per
 * host, one host at a time, so that the records are held about once
 * rather than in a global array, its sort buffer and the result. Takes
 * the per-host arrays. */
static void
host_minutes(struct fl_evidence *ev, struct minute_rec **hm, size_t *hn)
{
	size_t h, i, nm;

	for (h = 0; h < ev->n_hosts; h++) {
		struct fl_host_rec *hr = &ev->hosts[h];
		const struct minute_rec *r = hm[h];

		if (hn[h] == 0)
			continue;
		/* one stream of a host in time order is sorted already */
		for (i = 1; i < hn[h] && r[i - 1].m.minute <= r[i].m.minute; i++)
			;
		if (i < hn[h])
			qsort(hm[h], hn[h], sizeof *hm[h], cmp_minutes);
		for (i = 0, nm = 0; i < hn[h]; i++)
			nm += i == 0 || r[i].m.minute != r[i - 1].m.minute;
		hr->minutes = fl_xcalloc(nm + 1, sizeof *hr->minutes);
		for (i = 0, nm = 0; i < hn[h]; i++) {
			if (nm == 0 || hr->minutes[nm - 1].minute != r[i].m.minute)
				hr->minutes[nm++].minute = r[i].m.minute;
			fl_minute_add(&hr->minutes[nm - 1], r[i].m.lines,
			    r[i].m.last);
			hr->lines += r[i].m.lines;
		}
		hr->n_minutes = nm;
		fl_minutes_keep_edges(hr->minutes, nm);
		hr->first_us = fl_minute_us(hr->minutes[0].minute);
		hr->last_us = fl_minute_last_us(&hr->minutes[nm - 1]);
		free(hm[h]);
		hm[h] = NULL;
	}
}

static struct fl_evidence *
merge_results(struct scan_ctx *ctx)
{
	const struct fl_scan_opts *o = ctx->o;
	struct fl_evidence *ev = fl_xcalloc(1, sizeof *ev);
	const char **names = NULL;
	size_t n_names = 0, cap_names = 0, n_ev = 0, i, j, k;
	struct minute_rec **hm;      /* per host: its activity records */
	size_t *hn, *hcap;
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
	hm = fl_xcalloc(n_names + 1, sizeof *hm);
	hn = fl_xcalloc(n_names + 1, sizeof *hn);
	hcap = fl_xcalloc(n_names + 1, sizeof *hcap);
	ev->n_streams = 0;
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
				/* A stream with events has hosts: names is set.
				 * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
				if (!host_wanted(o, names[e.host]) ||
				    !time_wanted(o, e.time_us))
					continue;
				ev->events[ev->n_events++] = e;
			}
			for (k = 0; k < sr->n_act; k++) {
				struct minute_rec m = sr->act[k];

				m.host = map[m.host];
				/* A stream with activity has hosts: names is set.
				 * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
				if (!host_wanted(o, names[m.host]) ||
				    !time_wanted(o, fl_minute_us(m.m.minute)))
					continue;
				FL_GROW(hm[m.host], hcap[m.host], hn[m.host] + 1);
				hm[m.host][hn[m.host]++] = m;
			}
			free(map);
			free(sr->events);
			free(sr->act);
			free(sr->zone_assumed);
		}
		free(fr->streams);
		free(fr->field_names);
		fl_arena_adopt(ev->arena, fr->arena);
		fl_arena_free(fr->arena);
	}

	host_minutes(ev, hm, hn);
	free(hm);
	free(hn);
	free(hcap);

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

int
fl_scan_is_inventory(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	return strcmp(base, "inventory") == 0 ||
	    (n > 10 && strcmp(base + n - 10, ".inventory") == 0);
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
	unsigned nthreads, spare, t;
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

	if (o->rules != NULL) {
		size_t nr = fl_ruleset_count(o->rules);

		ctx.noise_rule = fl_xcalloc(nr + 1, 1);
		for (i = 0; i < nr; i++) {
			const char *sig = fl_ruleset_rule(o->rules, i)->signal;

			ctx.noise_rule[i] = sig != NULL &&
			    (strcmp(sig, "auth_fail") == 0 ||
			    strcmp(sig, "auth_invalid_user") == 0 ||
			    strcmp(sig, "scan_noise") == 0);
		}
	}
	fl_input_collect(o->paths, o->n_paths, &list);
	for (i = 0; i < list.n; i++)
		if (list.v[i].kind == FL_INPUT_FILE &&
		    fl_scan_is_inventory(list.v[i].path)) {
			list.v[i].kind = FL_INPUT_SKIPPED;
			list.v[i].note = fl_xstrdup("a site inventory, not a log "
			    "(analyze reads it as --inventory)");
		}
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
	/* Threads beyond one per file read ahead for the workers. */
	spare = 0;
	if (nthreads > list.n) {
		spare = list.n ? nthreads - (unsigned)list.n : 0;
		nthreads = list.n ? (unsigned)list.n : 1;
	}
	workers = fl_xcalloc(nthreads, sizeof *workers);
	tids = fl_xcalloc(nthreads, sizeof *tids);
	for (t = 0; t < nthreads; t++) {
		workers[t].ctx = &ctx;
		workers[t].piped = t < spare;
	}
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

	/* A rule whose pattern exceeded the PCRE2 limits missed those lines:
	 * said once per rule, in rule order. */
	for (i = 0; o->rules != NULL && i < fl_ruleset_count(o->rules); i++) {
		const struct fl_rule_info *ri = fl_ruleset_rule(o->rules, i);
		uint64_t lines = 0;

		for (t = 0; t < nthreads; t++)
			lines += workers[t].re_errors ? workers[t].re_errors[i] : 0;
		if (lines > 0)
			fl_diagf(diag, FL_DIAG_WARNING, ri->file, "rule %s: the "
			    "regular expression hit the PCRE2 match limit on "
			    "%llu lines, counted there as no match", ri->id,
			    (unsigned long long)lines);
	}
	for (t = 0; t < nthreads; t++)
		free(workers[t].re_errors);

	*out = merge_results(&ctx);
	if (o->rules != NULL)
		fl_ruleset_digest(o->rules, (*out)->rules_digest);
	free(ctx.results);
	free(ctx.noise_rule);
	free(ctx.host_zones);
	free(workers);
	free(tids);
	fl_input_list_free(&list);
	return FL_OK;
}
