/*
 * Fuzz target: the whole scan stage on one input file. The bytes become a
 * file (a memfd reached by its /proc path) scanned with the built-in rules
 * and every line kept; the evidence must account for every line (lines ==
 * parsed + unparsed per stream and in total), its events must point at
 * real streams and hosts in time order, and the JSON inventory must carry
 * no raw control byte. The evidence also goes through a partial result
 * (fl_part_write, fl_part_read) and must come back the same.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fl_evidence.h"
#include "fl_part.h"
#include "fl_rules.h"
#include "fl_scan.h"
#include "fl_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fl_ruleset *rules;
static struct fl_zones *zones;

static void
must(int cond)
{
	if (!cond)
		abort();
}

static void
quiet(void *ctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	(void)ctx;
	(void)level;
	(void)where;
	must(msg != NULL);
}

static void
inventory(const struct fl_evidence *ev, struct fl_buf *b)
{
	size_t i;

	fl_buf_reset(b);
	fl_evidence_inputs_json(ev, b, 0);
	for (i = 0; i < ev->n_events; i++)
		fl_buf_printf(b, "\n%lld %u %u %llu %d %s",
		    (long long)ev->events[i].time_us, ev->events[i].stream,
		    ev->events[i].host,
		    (unsigned long long)ev->events[i].line,
		    (int)ev->events[i].rule, ev->events[i].raw);
}

static void
check(const struct fl_evidence *ev)
{
	struct fl_buf b = {0};
	uint64_t lines = 0, parsed = 0, unparsed = 0;
	size_t i;

	for (i = 0; i < ev->n_streams; i++) {
		const struct fl_stream_rec *s = &ev->streams[i];

		must(s->lines == s->parsed + s->unparsed);
		must(s->input < ev->n_inputs);
		must(s->host == UINT32_MAX || s->host < ev->n_hosts);
		lines += s->lines;
		parsed += s->parsed;
		unparsed += s->unparsed;
	}
	must(lines == ev->total_lines && parsed == ev->total_parsed &&
	    unparsed == ev->total_unparsed);
	for (i = 0; i < ev->n_events; i++) {
		const struct fl_event *e = &ev->events[i];

		must(e->stream < ev->n_streams && e->host < ev->n_hosts);
		must(e->line >= 1 && e->line <= ev->streams[e->stream].lines);
		if (i > 0 && e->time_us != FL_TIME_UNKNOWN)
			must(ev->events[i - 1].time_us != FL_TIME_UNKNOWN &&
			    ev->events[i - 1].time_us <= e->time_us);
		fl_buf_reset(&b);
		fl_evidence_where(ev, e->stream, &b);
	}
	for (i = 0; i < ev->n_hosts; i++) {
		const struct fl_host_rec *h = &ev->hosts[i];

		must(h->name != NULL && h->zone != NULL);
		must(fl_evidence_host(ev, h->name) == (long)i);
	}
	fl_buf_reset(&b);
	fl_evidence_inputs_json(ev, &b, 0);
	for (i = 0; i < b.len; i++)
		must((unsigned char)b.data[i] >= 0x20 || b.data[i] == '\n');
	fl_buf_free(&b);
}

/* A file of the bytes, reached by path; returns its descriptor. */
static int
memfile(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("evidence", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_diag diag = {quiet, NULL};
	struct fl_scan_opts o;
	struct fl_evidence *ev = NULL, *back = NULL;
	struct fl_buf a = {0}, b = {0};
	const char *paths[1];
	char path[64], ppath[64], *fp = NULL, *err = NULL;
	int fd, pfd;

	if (rules == NULL) {
		rules = fl_ruleset_new();
		if (fl_ruleset_add_builtin(rules, &diag) != FL_OK ||
		    fl_ruleset_compile(rules, &diag) != FL_OK)
			abort();
		zones = fl_zones_new();
	}
	if ((fd = memfile(data, size, path, sizeof path)) < 0)
		return 0;
	paths[0] = path;
	fl_scan_opts_default(&o);
	o.paths = paths;
	o.n_paths = 1;
	o.rules = rules;
	o.keep_all = 1;
	o.threads = 1;
	o.tz = "Europe/Paris";
	o.limits.max_line = 1024;
	o.limits.max_depth = 3;
	o.limits.max_member_bytes = UINT64_C(2) << 20;
	o.limits.max_total_bytes = UINT64_C(4) << 20;
	o.limits.max_ratio = 20;
	if (fl_scan_run(&o, zones, &ev, &diag) != FL_OK)
		abort();

	/* Through a partial result and back. */
	pfd = memfd_create("part", MFD_CLOEXEC);
	must(pfd >= 0);
	snprintf(ppath, sizeof ppath, "/proc/self/fd/%d", pfd);
	must(fl_part_write(ev, "fuzz", ppath, &err) == FL_OK);
	free(err);
	err = NULL;
	must(fl_part_sniff(ppath));
	must(fl_part_read(ppath, &back, &fp, &err) == FL_OK);
	must(strcmp(fp, "fuzz") == 0);
	free(fp);
	free(err);
	close(pfd);

	ev = fl_evidence_merge(&ev, 1);
	fl_evidence_finish(ev);
	back = fl_evidence_merge(&back, 1);
	fl_evidence_finish(back);
	check(ev);
	inventory(ev, &a);
	inventory(back, &b);
	must(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	fl_buf_free(&a);
	fl_buf_free(&b);
	fl_evidence_free(ev);
	fl_evidence_free(back);
	close(fd);
	return 0;
}
