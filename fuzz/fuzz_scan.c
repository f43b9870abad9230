/*
 * Fuzz target: the whole scan stage on one input file. The bytes become a
 * file (a memfd reached by its /proc path) scanned with the built-in rules
 * and every line kept; the evidence must account for every line (lines ==
 * parsed + unparsed per stream and in total), its events must point at
 * real streams and hosts in time order, and the JSON inventory must carry
 * no raw control byte.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fl_evidence.h"
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_diag diag = {quiet, NULL};
	struct fl_scan_opts o;
	struct fl_evidence *ev = NULL;
	const char *paths[1];
	char path[64];
	int fd;

	if (rules == NULL) {
		rules = fl_ruleset_new();
		if (fl_ruleset_add_builtin(rules, &diag) != FL_OK ||
		    fl_ruleset_compile(rules, &diag) != FL_OK)
			abort();
		zones = fl_zones_new();
	}
	fd = memfd_create("evidence", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
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
	check(ev);
	fl_evidence_free(ev);
	close(fd);
	return 0;
}
