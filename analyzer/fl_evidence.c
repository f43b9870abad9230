#include "config.h"

#include "fl_evidence.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void
fl_evidence_free(struct fl_evidence *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n_hosts; i++)
		free(ev->hosts[i].minutes);
	free(ev->hosts);
	free(ev->inputs);
	free(ev->streams);
	free(ev->events);
	fl_arena_free(ev->arena);
	free(ev);
}

static int
cmp_events(const void *va, const void *vb, void *vctx)
{
	const struct fl_event *a = va, *b = vb;
	const struct fl_evidence *ev = vctx;
	int c;

	if (a->time_us != b->time_us) {
		if (a->time_us == FL_TIME_UNKNOWN)
			return 1;
		if (b->time_us == FL_TIME_UNKNOWN)
			return -1;
		return a->time_us < b->time_us ? -1 : 1;
	}
	if (a->host != b->host &&
	    (c = strcmp(ev->hosts[a->host].name, ev->hosts[b->host].name)) != 0)
		return c;
	if (a->stream != b->stream)
		return a->stream < b->stream ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static const char *
src_field(const struct fl_event *e)
{
	uint32_t i;

	for (i = 0; i < e->n_fields; i++)
		if (strcmp(e->fields[i].name, "src_ip") == 0)
			return e->fields[i].value;
	return "";
}

/* What makes two lines the same: their message, or for background noise,
 * whose text may not be kept, the source address (noise is a property of
 * the rule, so equal rules agree on which applies). */
static int
cmp_line_content(const struct fl_event *a, const struct fl_event *b)
{
	int c;

	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if (a->noise != FL_NOISE_NO || b->noise != FL_NOISE_NO) {
		if (a->noise == FL_NOISE_NO || b->noise == FL_NOISE_NO)
			return a->noise == FL_NOISE_NO ? -1 : 1;
		c = strcmp(src_field(a), src_field(b));
	} else {
		c = strcmp(a->message, b->message);
	}
	return c != 0 ? c : strcmp(a->program, b->program);
}

static int
same_line_content(const struct fl_event *a, const struct fl_event *b)
{
	return cmp_line_content(a, b) == 0;
}

/* Orders a group's events by content, then by position. */
static int
cmp_content(const void *va, const void *vb, void *vctx)
{
	const struct fl_event *v = vctx;
	const struct fl_event *a = &v[*(const size_t *)va];
	const struct fl_event *b = &v[*(const size_t *)vb];
	int c;

	if ((c = cmp_line_content(a, b)) != 0)
		return c;
	return *(const size_t *)va < *(const size_t *)vb ? -1 : 1;
}

/* The same line seen in two streams (overlapping rotations, syslog and the
 * journal): keep the first, remember the second provenance. Within one
 * instant and host each event takes the first later event of the same
 * content from another stream not taken yet. Events of an instant and host
 * are ordered by stream, so among equal contents that is the first one not
 * taken past the event's own stream: one pointer per content class keeps
 * the work linear however many lines share an instant. */
static size_t
merge_duplicates(struct fl_event *v, size_t n)
{
	size_t i, j, g, out = 0, *idx;
	unsigned char *gone = fl_xcalloc(n + 1, 1);

	idx = fl_xreallocarray(NULL, n + 1, sizeof *idx);
	for (g = 0; g < n; g = j) {
		for (j = g + 1; j < n && v[j].time_us == v[g].time_us &&
		    v[j].host == v[g].host; j++)
			;
		if (j - g < 2 || v[g].time_us == FL_TIME_UNKNOWN)
			continue;
		for (i = g; i < j; i++)
			idx[i - g] = i;
		fl_msort(idx, j - g, sizeof *idx, cmp_content, v);
		for (i = 0; i < j - g;) {
			size_t end = i + 1, c, p;

			while (end < j - g &&
			    same_line_content(&v[idx[i]], &v[idx[end]]))
				end++;
			/* idx[i..end) is one content class, in position order. */
			for (c = i, p = i; c < end; c++) {
				struct fl_event *e = &v[idx[c]];

				if (gone[idx[c]])
					continue;
				if (p <= c)
					p = c + 1;
				while (p < end && (gone[idx[p]] ||
				    v[idx[p]].stream == e->stream))
					p++;
				if (p == end)
					break;
				e->dup_stream = v[idx[p]].stream;
				e->dup_line = v[idx[p]].line;
				gone[idx[p]] = 1;
			}
			i = end;
		}
	}
	for (i = 0; i < n; i++)
		if (!gone[i])
			v[out++] = v[i];
	free(idx);
	free(gone);
	return out;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_minute(const void *va, const void *vb)
{
	const struct fl_minute *a = va, *b = vb;

	return a->minute < b->minute ? -1 : a->minute > b->minute;
}

struct fl_evidence *
fl_evidence_merge(struct fl_evidence **pieces, size_t n)
{
	struct fl_evidence *ev = fl_xcalloc(1, sizeof *ev);
	const char **names = NULL;
	size_t n_names = 0, i, j, k, si = 0, ii = 0, ei = 0;
	uint32_t **maps;

	ev->arena = fl_arena_new();
	for (i = 0; i < n; i++) {
		ev->n_inputs += pieces[i]->n_inputs;
		ev->n_streams += pieces[i]->n_streams;
		ev->n_events += pieces[i]->n_events;
		n_names += pieces[i]->n_hosts;
		ev->total_lines += pieces[i]->total_lines;
		ev->total_parsed += pieces[i]->total_parsed;
		ev->total_unparsed += pieces[i]->total_unparsed;
		if (ev->rules_digest[0] == '\0')
			memcpy(ev->rules_digest, pieces[i]->rules_digest,
			    sizeof ev->rules_digest);
	}
	names = fl_xcalloc(n_names + 1, sizeof *names);
	n_names = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < pieces[i]->n_hosts; j++)
			names[n_names++] = pieces[i]->hosts[j].name;
	if (n_names > 0)
		qsort(names, n_names, sizeof *names, cmp_name);
	for (i = j = 0; i < n_names; i++)
		if (j == 0 || strcmp(names[j - 1], names[i]) != 0)
			names[j++] = names[i];
	n_names = j;

	ev->hosts = fl_xcalloc(n_names + 1, sizeof *ev->hosts);
	ev->n_hosts = n_names;
	ev->inputs = fl_xcalloc(ev->n_inputs + 1, sizeof *ev->inputs);
	ev->streams = fl_xcalloc(ev->n_streams + 1, sizeof *ev->streams);
	/* The first piece's events grow in place and each piece's large
	 * arrays go as soon as they are taken: at no point are all the events
	 * or all the minutes held twice. */
	ev->events = fl_xreallocarray(n > 0 ? pieces[0]->events : NULL,
	    ev->n_events + 1, sizeof *ev->events);
	if (n > 0)
		pieces[0]->events = NULL;
	maps = fl_xcalloc(n + 1, sizeof *maps);
	for (i = 0; i < n_names; i++) {
		ev->hosts[i].name = names[i];
		ev->hosts[i].first_us = ev->hosts[i].last_us = FL_TIME_UNKNOWN;
		ev->hosts[i].zone_source = FL_ZONE_FROM_LINE;
	}
	for (i = 0; i < n; i++) {
		struct fl_evidence *p = pieces[i];

		maps[i] = fl_xcalloc(p->n_hosts + 1, sizeof **maps);
		for (j = 0; j < p->n_hosts; j++) {
			const struct fl_host_rec *src = &p->hosts[j];
			const char *const *hit = bsearch(&src->name, names,
			    n_names, sizeof *names, cmp_name);
			struct fl_host_rec *h;
			size_t nm;

			maps[i][j] = (uint32_t)(hit - names);
			h = &ev->hosts[maps[i][j]];
			/* A zone assumed in any piece was assumed for the host. */
			if (h->zone == NULL || src->zone_source != FL_ZONE_FROM_LINE) {
				h->zone = src->zone;
				if (src->zone_source != FL_ZONE_FROM_LINE)
					h->zone_source = src->zone_source;
			}
			h->from_path |= src->from_path;
			if (h->minutes == NULL) {
				h->minutes = src->minutes;
				h->n_minutes = src->n_minutes;
				p->hosts[j].minutes = NULL;
				continue;
			}
			nm = h->n_minutes + src->n_minutes;
			h->minutes = fl_xreallocarray(h->minutes, nm + 1,
			    sizeof *h->minutes);
			if (src->n_minutes)
				memcpy(h->minutes + h->n_minutes, src->minutes,
				    src->n_minutes * sizeof *src->minutes);
			h->n_minutes = nm;
			free(p->hosts[j].minutes);
			p->hosts[j].minutes = NULL;
		}
		for (j = 0; j < p->n_inputs; j++) {
			ev->inputs[ii] = p->inputs[j];
			ev->inputs[ii].first_stream += (uint32_t)si;
			ii++;
		}
		for (j = 0; j < p->n_streams; j++) {
			struct fl_stream_rec *s = &ev->streams[si + j];

			*s = p->streams[j];
			s->input += (uint32_t)(ii - p->n_inputs);
			if (s->host != UINT32_MAX)
				s->host = maps[i][s->host];
		}
		for (k = 0; k < p->n_events; k++) {
			struct fl_event *e = &ev->events[ei++];

			if (i > 0)
				*e = p->events[k];
			e->stream += (uint32_t)si;
			e->host = maps[i][e->host];
			if (e->dup_stream != UINT32_MAX)
				e->dup_stream += (uint32_t)si;
		}
		si += p->n_streams;
		free(p->events);
		p->events = NULL;
		fl_arena_adopt(ev->arena, p->arena);
	}

	/* Minutes: sorted, one record per minute, then the host's totals. */
	for (i = 0; i < n_names; i++) {
		struct fl_host_rec *h = &ev->hosts[i];
		size_t out = 0;

		if (h->n_minutes == 0)
			continue;
		/* a host's minutes from one piece come sorted */
		for (j = 1; j < h->n_minutes &&
		    h->minutes[j - 1].minute <= h->minutes[j].minute; j++)
			;
		if (j < h->n_minutes)
			qsort(h->minutes, h->n_minutes, sizeof *h->minutes,
			    cmp_minute);
		h->lines = 0;
		for (j = 0; j < h->n_minutes; j++) {
			struct fl_minute m = h->minutes[j];

			if (out > 0 && h->minutes[out - 1].minute == m.minute)
				fl_minute_add(&h->minutes[out - 1], m.lines, m.last);
			else
				h->minutes[out++] = m;
			h->lines += m.lines;
		}
		h->n_minutes = out;
		fl_minutes_keep_edges(h->minutes, out);
		h->first_us = fl_minute_us(h->minutes[0].minute);
		h->last_us = fl_minute_last_us(&h->minutes[out - 1]);
	}
	for (i = 0; i < n; i++) {
		free(maps[i]);
		/* Their strings now live in ev's arena. */
		fl_evidence_free(pieces[i]);
	}
	free(maps);
	free(names);
	return ev;
}

static int
cmp_input_order(const void *va, const void *vb, const struct fl_evidence *ev)
{
	uint32_t a = *(const uint32_t *)va, b = *(const uint32_t *)vb;
	int c = strcmp(ev->inputs[a].path, ev->inputs[b].path);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

static int
cmp_event_index(const void *va, const void *vb, void *vctx)
{
	const struct fl_evidence *ev = vctx;

	return cmp_events(&ev->events[*(const size_t *)va],
	    &ev->events[*(const size_t *)vb], vctx);
}

/* Sorts the events through an index, then moves each record once along
 * its cycle: sorting the large records themselves would hold a second copy
 * of them all. The merge sort is stable, as before. */
static void
sort_events(struct fl_evidence *ev)
{
	size_t n = ev->n_events, i, j, k, *idx;
	struct fl_event t;

	if (n < 2)
		return;
	idx = fl_xreallocarray(NULL, n, sizeof *idx);
	for (i = 0; i < n; i++)
		idx[i] = i;
	fl_msort(idx, n, sizeof *idx, cmp_event_index, ev);
	/* idx[i] is the record that belongs at i */
	for (i = 0; i < n; i++) {
		if (idx[i] == i)
			continue;
		t = ev->events[i];
		for (j = i; (k = idx[j]) != i; j = k) {
			ev->events[j] = ev->events[k];
			idx[j] = j;
		}
		ev->events[j] = t;
		idx[j] = j;
	}
	free(idx);
}

void
fl_evidence_finish(struct fl_evidence *ev)
{
	uint32_t *order, *stream_map;
	struct fl_input_rec *inputs;
	struct fl_stream_rec *streams;
	size_t i, j, ns = 0;

	/* Insertion sort by path keeps equal paths in their order; there are
	 * few inputs compared with events. */
	order = fl_xcalloc(ev->n_inputs + 1, sizeof *order);
	for (i = 0; i < ev->n_inputs; i++) {
		order[i] = (uint32_t)i;
		for (j = i; j > 0 && cmp_input_order(&order[j - 1], &order[j],
		    ev) > 0; j--) {
			uint32_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	}
	inputs = fl_xcalloc(ev->n_inputs + 1, sizeof *inputs);
	streams = fl_xcalloc(ev->n_streams + 1, sizeof *streams);
	stream_map = fl_xcalloc(ev->n_streams + 1, sizeof *stream_map);
	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *in = &ev->inputs[order[i]];

		inputs[i] = *in;
		inputs[i].first_stream = (uint32_t)ns;
		for (j = 0; j < in->n_streams; j++) {
			stream_map[in->first_stream + j] = (uint32_t)ns;
			streams[ns] = ev->streams[in->first_stream + j];
			streams[ns].input = (uint32_t)i;
			ns++;
		}
	}
	for (i = 0; i < ev->n_events; i++) {
		ev->events[i].stream = stream_map[ev->events[i].stream];
		if (ev->events[i].dup_stream != UINT32_MAX)
			ev->events[i].dup_stream =
			    stream_map[ev->events[i].dup_stream];
	}
	free(ev->inputs);
	free(ev->streams);
	ev->inputs = inputs;
	ev->streams = streams;
	free(order);
	free(stream_map);

	sort_events(ev);
	ev->n_events = merge_duplicates(ev->events, ev->n_events);
}

long
fl_evidence_host(const struct fl_evidence *ev, const char *name)
{
	size_t lo = 0, hi = ev->n_hosts;

	/* hosts are sorted by name */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ev->hosts[mid].name, name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void
fl_evidence_where(const struct fl_evidence *ev, uint32_t stream,
    struct fl_buf *out)
{
	const struct fl_stream_rec *s = &ev->streams[stream];

	fl_buf_adds(out, ev->inputs[s->input].path);
	if (s->member[0] != '\0') {
		fl_buf_addc(out, '!');
		fl_buf_adds(out, s->member);
	}
}

const char *
fl_zone_source_name(enum fl_zone_source src)
{
	switch (src) {
	case FL_ZONE_FROM_LINE: return "line";
	case FL_ZONE_HOST_OPTION: return "tz-host";
	case FL_ZONE_OPTION: return "tz";
	case FL_ZONE_DEFAULT_UTC: return "default-utc";
	}
	return "?";
}

const char *
fl_mtime_source_name(enum fl_mtime_source src)
{
	switch (src) {
	case FL_MTIME_NONE: return "none";
	case FL_MTIME_FILE: return "file";
	case FL_MTIME_ARCHIVE: return "archive";
	case FL_MTIME_GZIP: return "gzip";
	}
	return "?";
}

static void
indent_to(struct fl_buf *b, int n)
{
	fl_buf_addc(b, '\n');
	while (n-- > 0)
		fl_buf_add(b, "  ", 2);
}

static void
json_time(struct fl_buf *b, int64_t us)
{
	char t[FL_TIME_STRLEN];

	if (us == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "null");
		return;
	}
	fl_format_time(t, us, 1);
	fl_buf_printf(b, "\"%s\"", t);
}

static void
member_json(const struct fl_evidence *ev, const struct fl_stream_rec *s,
    struct fl_buf *b, int in)
{
	fl_buf_addc(b, '{');
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"path\": ");
	fl_buf_json_strz(b, s->member);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"format\": \"%s\",", fl_format_name(s->format));
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"host\": ");
	fl_buf_json_strz(b, s->host != UINT32_MAX ? ev->hosts[s->host].name : NULL);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"mtime\": ");
	json_time(b, s->mtime == INT64_MIN ? FL_TIME_UNKNOWN :
	    s->mtime * FL_US_PER_SEC);
	fl_buf_printf(b, ",");
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"mtime_source\": \"%s\",",
	    fl_mtime_source_name(s->mtime_source));
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"bytes\": %" PRIu64 ",", s->bytes);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"lines\": %" PRIu64 ",", s->lines);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"parsed\": %" PRIu64 ",", s->parsed);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"unparsed\": %" PRIu64 ",", s->unparsed);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"long_lines\": %" PRIu64 ",", s->long_lines);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"nul_lines\": %" PRIu64 ",", s->nul_lines);
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"invalid_utf8_lines\": %" PRIu64 ",",
	    s->bad_utf8_lines);
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"first\": ");
	json_time(b, s->first_us);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"last\": ");
	json_time(b, s->last_us);
	fl_buf_adds(b, ",");
	indent_to(b, in + 1);
	fl_buf_printf(b, "\"year_source\": \"%s\",",
	    fl_year_source_name(s->year_source));
	indent_to(b, in + 1);
	fl_buf_adds(b, "\"errors\": [");
	if (s->error != NULL) {
		indent_to(b, in + 2);
		fl_buf_adds(b, "{\"message\": ");
		fl_buf_json_strz(b, s->error);
		fl_buf_adds(b, ", \"offset\": ");
		if (s->error_offset == UINT64_MAX)
			fl_buf_adds(b, "null");
		else
			fl_buf_printf(b, "%" PRIu64, s->error_offset);
		fl_buf_printf(b, ", \"limit\": %s}", s->limit_hit ? "true" :
		    "false");
		indent_to(b, in + 1);
	}
	fl_buf_adds(b, "]");
	indent_to(b, in);
	fl_buf_addc(b, '}');
}

void
fl_evidence_inputs_json(const struct fl_evidence *ev, struct fl_buf *b,
    int in)
{
	size_t i, j;

	fl_buf_addc(b, '[');
	for (i = 0; i < ev->n_inputs; i++) {
		const struct fl_input_rec *r = &ev->inputs[i];

		indent_to(b, in + 1);
		fl_buf_addc(b, '{');
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"path\": ");
		fl_buf_json_strz(b, r->path);
		fl_buf_adds(b, ",");
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"sha256\": ");
		fl_buf_json_strz(b, r->sha256[0] ? r->sha256 : NULL);
		fl_buf_adds(b, ",");
		indent_to(b, in + 2);
		fl_buf_printf(b, "\"bytes\": %" PRIu64 ",", r->bytes);
		indent_to(b, in + 2);
		fl_buf_printf(b, "\"status\": \"%s\",",
		    r->kind == FL_INPUT_UNREADABLE ? "unreadable" :
		    r->kind == FL_INPUT_SKIPPED ? "skipped" :
		    r->error ? "damaged" : "ok");
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"error\": ");
		fl_buf_json_strz(b, r->note ? r->note : r->error);
		fl_buf_adds(b, ",");
		indent_to(b, in + 2);
		fl_buf_adds(b, "\"members\": [");
		for (j = 0; j < r->n_streams; j++) {
			indent_to(b, in + 3);
			member_json(ev, &ev->streams[r->first_stream + j], b,
			    in + 3);
			if (j + 1 < r->n_streams)
				fl_buf_addc(b, ',');
		}
		if (r->n_streams)
			indent_to(b, in + 2);
		fl_buf_adds(b, "]");
		indent_to(b, in + 1);
		fl_buf_addc(b, '}');
		if (i + 1 < ev->n_inputs)
			fl_buf_addc(b, ',');
	}
	if (ev->n_inputs)
		indent_to(b, in);
	fl_buf_addc(b, ']');
}
