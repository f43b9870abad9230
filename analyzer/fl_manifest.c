#include "config.h"

#include "fl_manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC FL_US_PER_SEC

static void
jtime(struct fl_buf *b, int64_t us)
{
	char t[FL_TIME_STRLEN];

	if (us == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "null");
		return;
	}
	fl_format_time(t, us, us % SEC != 0);
	fl_buf_printf(b, "\"%s\"", t);
}

/* The inventory as read now: digest and size, or why it could not be. */
static void
file_json(struct fl_buf *b, const char *path)
{
	struct fl_buf data = {0};
	char buf[65536], hex[65];
	FILE *f;
	size_t n;
	int err = 0;

	fl_buf_adds(b, "{\"path\": ");
	fl_buf_json_strz(b, path);
	if ((f = fopen(path, "rb")) == NULL) {
		err = errno;
	} else {
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fl_buf_add(&data, buf, n);
		if (ferror(f))
			err = errno ? errno : EIO;
		fclose(f);
	}
	if (err) {
		fl_buf_adds(b, ", \"sha256\": null, \"bytes\": null, \"error\": ");
		fl_buf_json_strz(b, strerror(err));
	} else {
		fl_sha256_hex(data.data ? data.data : "", data.len, hex);
		fl_buf_printf(b, ", \"sha256\": \"%s\", \"bytes\": %zu, "
		    "\"error\": null", hex, data.len);
	}
	fl_buf_addc(b, '}');
	fl_buf_free(&data);
}

static void
options_json(const struct fl_manifest *m, struct fl_buf *b)
{
	const struct fl_scan_opts *o = m->scan;
	size_t i;

	fl_buf_adds(b, "{\n    \"format\": ");
	fl_buf_json_strz(b, m->format);
	if (o == NULL) {
		fl_buf_adds(b, "\n  }");
		return;
	}
	fl_buf_adds(b, ",\n    \"tz\": ");
	fl_buf_json_strz(b, o->tz);
	fl_buf_adds(b, ",\n    \"tz_hosts\": {");
	for (i = 0; i < o->n_tz_hosts; i++) {
		if (i)
			fl_buf_adds(b, ", ");
		fl_buf_json_strz(b, o->tz_hosts[i].host);
		fl_buf_adds(b, ": ");
		fl_buf_json_strz(b, o->tz_hosts[i].zone);
	}
	fl_buf_adds(b, "},\n    \"year\": ");
	if (o->year)
		fl_buf_printf(b, "%d", (int)o->year);
	else
		fl_buf_adds(b, "null");
	fl_buf_adds(b, ",\n    \"since\": ");
	jtime(b, o->since_us);
	fl_buf_adds(b, ",\n    \"until\": ");
	jtime(b, o->until_us);
	fl_buf_adds(b, ",\n    \"hosts\": [");
	for (i = 0; o->only_hosts != NULL && o->only_hosts[i] != NULL; i++) {
		if (i)
			fl_buf_adds(b, ", ");
		fl_buf_json_strz(b, o->only_hosts[i]);
	}
	fl_buf_adds(b, "],\n    \"format_hint\": ");
	fl_buf_json_strz(b, o->parse.hint == FL_FMT_UNKNOWN ? NULL :
	    fl_format_name(o->parse.hint));
	fl_buf_adds(b, ",\n    \"shard\": ");
	if (o->shard_n)
		fl_buf_printf(b, "\"%u/%u\"", o->shard_k, o->shard_n);
	else
		fl_buf_adds(b, "null");
	fl_buf_printf(b, ",\n    \"every_line\": %s", o->keep_all ? "true" :
	    "false");
	fl_buf_printf(b, ",\n    \"limits\": {\"max_line\": %zu, \"max_depth\": "
	    "%u, \"max_member_bytes\": %" PRIu64 ", \"max_total_bytes\": %"
	    PRIu64 ", \"max_ratio\": %" PRIu64 "}\n  }", o->limits.max_line,
	    o->limits.max_depth, o->limits.max_member_bytes,
	    o->limits.max_total_bytes, o->limits.max_ratio);
}

static void
hosts_json(const struct fl_manifest *m, struct fl_buf *b)
{
	const struct fl_evidence *ev = m->ev;
	const struct fl_report *r = m->report;
	size_t i;

	fl_buf_addc(b, '[');
	for (i = 0; ev != NULL && i < ev->n_hosts; i++) {
		const struct fl_host_rec *h = &ev->hosts[i];
		const struct fl_report_host *rh = NULL;

		if (r != NULL && i < r->n_hosts &&
		    strcmp(r->hosts[i].name, h->name) == 0)
			rh = &r->hosts[i];
		fl_buf_adds(b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		fl_buf_json_strz(b, h->name);
		fl_buf_adds(b, ", \"zone\": ");
		fl_buf_json_strz(b, h->zone);
		fl_buf_adds(b, ", \"zone_source\": ");
		fl_buf_json_strz(b, fl_zone_source_name(h->zone_source));
		fl_buf_printf(b, ", \"name_from_path\": %s",
		    h->from_path ? "true" : "false");
		if (rh != NULL) {
			fl_buf_printf(b, ", \"zone_corrected\": %s, "
			    "\"clock_offset_s\": %.3f, \"bmc_clock_offset_s\": "
			    "%.3f", rh->zone_corrected ? "true" : "false",
			    (double)rh->clock_offset_us / SEC,
			    (double)rh->bmc_offset_us / SEC);
		}
		fl_buf_addc(b, '}');
	}
	if (ev != NULL && ev->n_hosts)
		fl_buf_adds(b, "\n  ");
	fl_buf_addc(b, ']');
}

void
fl_manifest_json(const struct fl_manifest *m, struct fl_buf *b)
{
	char hex[65];
	size_t i;

	fl_buf_adds(b, "{\n  \"schema\": \"faultline/manifest/v1\",\n"
	    "  \"tool\": {\"name\": \"faultline\", \"version\": ");
	fl_buf_json_strz(b, m->version);
	fl_buf_adds(b, ", \"rules_digest\": ");
	fl_buf_json_strz(b, m->ev != NULL && m->ev->rules_digest[0] ?
	    m->ev->rules_digest : NULL);
	fl_buf_adds(b, "},\n  \"command\": [");
	for (i = 0; i < m->argc; i++) {
		if (i)
			fl_buf_adds(b, ", ");
		fl_buf_json_strz(b, m->argv[i]);
	}
	fl_buf_adds(b, "],\n  \"options\": ");
	options_json(m, b);
	fl_buf_adds(b, ",\n  \"inventory\": ");
	if (m->inventory != NULL)
		file_json(b, m->inventory);
	else
		fl_buf_adds(b, "null");
	fl_buf_adds(b, ",\n  \"inputs\": ");
	if (m->ev != NULL)
		fl_evidence_inputs_json(m->ev, b, 1);
	else
		fl_buf_adds(b, "[]");
	fl_buf_adds(b, ",\n  \"hosts\": ");
	hosts_json(m, b);
	fl_sha256_hex(m->report_data ? m->report_data : "", m->report_len, hex);
	fl_buf_adds(b, ",\n  \"report\": {\"path\": ");
	fl_buf_json_strz(b, m->report_path);
	fl_buf_adds(b, ", \"format\": ");
	fl_buf_json_strz(b, m->format);
	fl_buf_printf(b, ", \"bytes\": %zu, \"sha256\": \"%s\"}\n}\n",
	    m->report_len, hex);
}
