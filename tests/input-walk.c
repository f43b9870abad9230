/*
 * input-walk: prints what fl_input_collect and fl_input_read make of the
 * given paths, one tab-separated line per skipped path, per stream and per
 * input file; with --lines also every line. Used by the input_*.sh tests
 * and for measuring read speed.
 *
 *   input-walk [--lines] [--max-line N] [--max-depth N]
 *       [--max-member-bytes N] [--max-total-bytes N] [--max-ratio N] PATH...
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_input.h"

struct walk_ctx {
	int show_lines;
	struct fl_buf b;
};

static void
put_safe(struct fl_buf *b, const char *s)
{
	fl_buf_text_safe(b, s, strlen(s));
}

static void *
on_begin(void *ctx, const struct fl_stream_info *info)
{
	(void)info;
	return ctx;
}

static void
on_line(void *state, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct walk_ctx *w = state;

	if (!w->show_lines)
		return;
	fl_buf_reset(&w->b);
	fl_buf_printf(&w->b, "line\t%llu\t%llu\t%s%s%s%s\t",
	    (unsigned long long)lineno, (unsigned long long)offset,
	    flags & FL_LINE_TRUNCATED ? "T" : "",
	    flags & FL_LINE_NUL ? "N" : "",
	    flags & FL_LINE_BAD_UTF8 ? "U" : "",
	    flags & FL_LINE_NO_EOL ? "E" : "");
	fl_buf_text_safe(&w->b, line, len);
	puts(w->b.data);
}

static const char *const msrc_names[] = { "none", "file", "archive", "gzip" };

static void
on_end(void *state, const struct fl_stream_info *info,
    const struct fl_stream_stats *st)
{
	struct walk_ctx *w = state;
	char t[FL_TIME_STRLEN];

	fl_buf_reset(&w->b);
	fl_buf_adds(&w->b, "stream\t");
	put_safe(&w->b, info->input_path);
	fl_buf_addc(&w->b, '\t');
	put_safe(&w->b, info->member);
	fl_buf_adds(&w->b, "\tname=");
	put_safe(&w->b, info->name);
	fl_buf_adds(&w->b, "\tdir=");
	put_safe(&w->b, info->dir_hint);
	fl_format_time(t, info->mtime == INT64_MIN ? FL_TIME_UNKNOWN :
	    info->mtime * FL_US_PER_SEC, 0);
	fl_buf_printf(&w->b, "\tmtime=%s\tsrc=%s\tdepth=%u\tindex=%u"
	    "\tbytes=%llu\tlines=%llu\tlong=%llu\tnul=%llu\tbadutf8=%llu"
	    "\tlimit=%d\terror=", t, msrc_names[info->mtime_source],
	    info->depth, (unsigned)info->index,
	    (unsigned long long)st->bytes, (unsigned long long)st->lines,
	    (unsigned long long)st->long_lines,
	    (unsigned long long)st->nul_lines,
	    (unsigned long long)st->bad_utf8_lines, st->limit_hit);
	put_safe(&w->b, st->error ? st->error : "-");
	if (st->error_offset == UINT64_MAX)
		fl_buf_adds(&w->b, "\toffset=-");
	else
		fl_buf_printf(&w->b, "\toffset=%llu",
		    (unsigned long long)st->error_offset);
	puts(w->b.data);
}

static void
on_diag(void *ctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	static const char *const names[] = { "note", "warning", "error" };

	(void)ctx;
	fprintf(stderr, "input-walk: %s: %s: %s\n", names[level],
	    where ? where : "-", msg);
}

static int
number(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (*s < '0' || *s > '9')
		return -1;
	n = strtoull(s, &end, 10);
	if (*end != '\0')
		return -1;
	*v = n;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"lines", no_argument, NULL, 'l'},
		{"max-line", required_argument, NULL, 'L'},
		{"max-depth", required_argument, NULL, 'D'},
		{"max-member-bytes", required_argument, NULL, 'M'},
		{"max-total-bytes", required_argument, NULL, 'T'},
		{"max-ratio", required_argument, NULL, 'R'},
		{NULL, 0, NULL, 0}
	};
	struct walk_ctx w = {0};
	struct fl_limits lim;
	struct fl_stream_visitor vis = { on_begin, on_line, on_end, &w, NULL };
	struct fl_diag diag = { on_diag, NULL };
	struct fl_input_list list;
	struct fl_input_result res;
	struct fl_buf b = {0};
	uint64_t v;
	size_t i;
	int c, status = 0;
	enum fl_err err;

	fl_limits_default(&lim);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'l') {
			w.show_lines = 1;
			continue;
		}
		if (c == '?' || number(optarg, &v) != 0) {
			fprintf(stderr, "usage: input-walk [--lines] "
			    "[--max-line|--max-depth|--max-member-bytes|"
			    "--max-total-bytes|--max-ratio N] PATH...\n");
			return 2;
		}
		switch (c) {
		case 'L': lim.max_line = (size_t)v; break;
		case 'D': lim.max_depth = (unsigned)v; break;
		case 'M': lim.max_member_bytes = v; break;
		case 'T': lim.max_total_bytes = v; break;
		case 'R': lim.max_ratio = v; break;
		}
	}
	fl_input_collect((const char *const *)argv + optind,
	    (size_t)(argc - optind), &list);
	for (i = 0; i < list.n; i++) {
		const struct fl_input_file *f = &list.v[i];

		fl_buf_reset(&b);
		if (f->kind != FL_INPUT_FILE) {
			fl_buf_adds(&b, f->kind == FL_INPUT_SKIPPED ?
			    "skipped\t" : "unreadable\t");
			put_safe(&b, f->path);
			fl_buf_addc(&b, '\t');
			put_safe(&b, f->note);
			puts(b.data);
			status = 1;
			continue;
		}
		err = fl_input_read(f, &lim, &vis, &res, &diag);
		fl_buf_adds(&b, "input\t");
		put_safe(&b, f->path);
		fl_buf_printf(&b, "\tsha256=%s\tbytes=%llu\tstreams=%u"
		    "\tdamaged=%d\trc=%d\terror=", res.sha256,
		    (unsigned long long)res.bytes, (unsigned)res.streams,
		    res.damaged, (int)err);
		put_safe(&b, res.error ? res.error : "-");
		puts(b.data);
		if (err != FL_OK)
			status = 1;
		fl_input_result_free(&res);
	}
	fl_input_list_free(&list);
	fl_buf_free(&b);
	fl_buf_free(&w.b);
	return status;
}
