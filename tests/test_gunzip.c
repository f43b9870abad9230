/* The gzip layer of fl_input_read as configured (ISA-L when configure found
 * it) against the same reader built with zlib alone (fl_input_read_zlib,
 * from tests/libzlibinput.a): whole, concatenated, padded, truncated at
 * many points and corrupted at many places, what is delivered and why it
 * stopped must be the same. The zlib reader is also checked on its own
 * against the original text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <zlib.h>

#include "fl_input.h"
#include "tap.h"

struct got {
	struct fl_buf text;       /* lines with their newlines */
	char *error;
	uint64_t bytes, lines;
	int64_t mtime;
	int mtime_gzip;
};

static void *
v_begin(void *ctx, const struct fl_stream_info *info)
{
	struct got *g = ctx;

	g->mtime = info->mtime;
	g->mtime_gzip = info->mtime_source == FL_MTIME_GZIP;
	return g;
}

static void
v_line(void *state, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct got *g = state;

	(void)lineno;
	(void)offset;
	fl_buf_add(&g->text, line, len);
	if (!(flags & FL_LINE_NO_EOL))
		fl_buf_addc(&g->text, '\n');
}

static void
v_end(void *state, const struct fl_stream_info *info,
    const struct fl_stream_stats *st)
{
	struct got *g = state;

	(void)info;
	g->bytes = st->bytes;
	g->lines = st->lines;
	free(g->error);
	g->error = st->error ? fl_xstrdup(st->error) : NULL;
}

static char tmpl[] = "/tmp/fl-gunzip-XXXXXX";

enum fl_err fl_input_read_zlib(const struct fl_input_file *file,
    const struct fl_limits *lim, const struct fl_stream_visitor *visitor,
    struct fl_input_result *out, const struct fl_diag *diag);
void fl_input_result_free_zlib(struct fl_input_result *res);

/* Reads data as a file through fl_input_read, or the zlib-only one. */
static void
read_as_file(const unsigned char *data, size_t n, struct got *g, int zlib)
{
	struct fl_stream_visitor vis = { v_begin, v_line, v_end, NULL, NULL };
	struct fl_input_file f;
	struct fl_input_result res;
	struct fl_limits lim;
	FILE *fp = fopen(tmpl, "wb");

	struct utimbuf fixed = {1700000000, 1700000000};

	if (fp == NULL || fwrite(data, 1, n, fp) != n || fclose(fp) != 0)
		abort();
	/* both readers must see the same file mtime, whatever the clock did */
	if (utime(tmpl, &fixed) != 0)
		abort();
	memset(g, 0, sizeof *g);
	fl_buf_add(&g->text, "", 0);
	vis.ctx = g;
	memset(&f, 0, sizeof f);
	f.path = tmpl;
	f.kind = FL_INPUT_FILE;
	f.size = n;
	fl_limits_default(&lim);
	if (zlib) {
		fl_input_read_zlib(&f, &lim, &vis, &res, NULL);
		fl_input_result_free_zlib(&res);
	} else {
		fl_input_read(&f, &lim, &vis, &res, NULL);
		fl_input_result_free(&res);
	}
}

static void
gz(struct fl_buf *b, const char *text, size_t n, uint32_t mtime, int level)
{
	z_stream z;
	gz_header h;
	unsigned char buf[65536];
	int r;

	memset(&z, 0, sizeof z);
	memset(&h, 0, sizeof h);
	h.time = mtime;
	h.name = (Bytef *)"syslog.2";
	h.hcrc = 1;
	deflateInit2(&z, level, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY);
	deflateSetHeader(&z, &h);
	z.next_in = (unsigned char *)(uintptr_t)text;
	z.avail_in = (uInt)n;
	do {
		z.next_out = buf;
		z.avail_out = sizeof buf;
		r = deflate(&z, Z_FINISH);
		fl_buf_add(b, buf, sizeof buf - z.avail_out);
	} while (r == Z_OK);
	deflateEnd(&z);
}

static void
got_free(struct got *g)
{
	free(g->error);
	fl_buf_free(&g->text);
}

/* Compares the two readers on one input. */
static int
same_as_zlib(const unsigned char *data, size_t n, const char *what)
{
	struct got a, b;
	int same;

	read_as_file(data, n, &a, 0);
	read_as_file(data, n, &b, 1);
	same = a.text.len == b.text.len &&
	    memcmp(a.text.data, b.text.data, a.text.len) == 0 &&
	    a.bytes == b.bytes && a.lines == b.lines && a.mtime == b.mtime &&
	    ((a.error == NULL && b.error == NULL) || (a.error != NULL &&
	    b.error != NULL && strcmp(a.error, b.error) == 0));
	if (!same)
		printf("# %s: got %zu bytes (%s), zlib %zu (%s)\n", what,
		    a.text.len, a.error ? a.error : "clean", b.text.len,
		    b.error ? b.error : "clean");
	got_free(&a);
	got_free(&b);
	return same;
}

static char *
make_text(size_t lines, size_t *n)
{
	struct fl_buf b = {0};
	uint32_t x = 12345;
	size_t i, k;

	for (i = 0; i < lines; i++) {
		fl_buf_printf(&b, "Mar  %zu 10:%02zu:%02zu web-01 app[%u]: request "
		    "%zu ", 1 + i % 9, i / 60 % 60, i % 60, 300 + (unsigned)(i % 7),
		    i);
		/* some incompressible noise, so blocks are many and varied */
		for (k = 0; k < i % 40; k++) {
			x = x * 1103515245 + 12345;
			fl_buf_addc(&b, "abcdefghijklmnopqrstuvwxyz0123456789"[(x >> 16) % 36]);
		}
		fl_buf_addc(&b, '\n');
	}
	*n = b.len;
	fl_buf_add(&b, "", 0);
	return fl_buf_take(&b);
}

int
main(void)
{
	struct fl_buf one = {0}, two = {0};
	struct got g;
	size_t n, i, cuts = 0, bad = 0, flips = 0, wrong = 0;
	char *text = make_text(30000, &n);
	int fd = mkstemp(tmpl);

	if (fd < 0)
		return 1;
	close(fd);

	gz(&one, text, n, 1700000000, 6);
	for (i = 0; i < 2; i++) {
		const char *who = i ? "zlib" : "as configured";

		read_as_file((unsigned char *)one.data, one.len, &g, (int)i);
		ok(g.text.len == n && memcmp(g.text.data, text, n) == 0 &&
		    g.error == NULL, "%s: a whole member comes out whole", who);
		is_int(g.lines, 30000, "%s: every line", who);
		ok(g.mtime == 1700000000 && g.mtime_gzip,
		    "%s: MTIME from the gzip header", who);
		got_free(&g);
	}
#ifndef HAVE_ISAL
	ok(1, "# SKIP built without ISA-L: one decoder only");
	unlink(tmpl);
	free(text);
	fl_buf_free(&one);
	return tap_done();
#endif

	/* two members and a stored (level 0) one, then padding */
	fl_buf_add(&two, one.data, one.len);
	gz(&two, text, n / 3, 0, 0);
	gz(&two, "", 0, 0, 9);
	gz(&two, text, n / 2, 0, 1);
	ok(same_as_zlib((unsigned char *)two.data, two.len, "concatenated"),
	    "concatenated members, stored and empty ones included");
	fl_buf_add(&two, "\0\0\0\0garbage", 11);
	ok(same_as_zlib((unsigned char *)two.data, two.len, "padded"),
	    "zeros and other bytes after the members end the stream alike");

	/* truncations: the header, every block boundary region, the trailer */
	for (i = 1; i < two.len; i += 1 + i / 7 + (i % 13) * 97) {
		cuts++;
		if (!same_as_zlib((unsigned char *)two.data, i, "truncated"))
			bad++;
	}
	for (i = one.len - 12; i < one.len + 30; i++) {
		cuts++;
		if (!same_as_zlib((unsigned char *)two.data, i, "trailer"))
			bad++;
	}
	is_int(bad, 0, "%zu truncations deliver what zlib delivers", cuts);

	/* corruption anywhere: header, data, CRC, length */
	for (i = 0; i < one.len; i += 1 + i / 25 + (i % 11) * 37) {
		unsigned char save = (unsigned char)one.data[i];

		flips++;
		one.data[i] = (char)(save ^ (1u << (i % 8)));
		if (!same_as_zlib((unsigned char *)one.data, one.len, "flipped"))
			wrong++;
		one.data[i] = (char)save;
	}
	is_int(wrong, 0, "%zu corruptions deliver what zlib delivers", flips);

	unlink(tmpl);
	free(text);
	fl_buf_free(&one);
	fl_buf_free(&two);
	return tap_done();
}
