/* Unit tests for fl_input: the line splitter fed from memory in pieces of
 * every size, and fl_input_read / fl_input_collect on temporary files. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fl_input.h"
#include "tap.h"

/* Every delivered line, as "lineno@offset/flags:text\n", for comparing. */
static void
record_line(void *state, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct fl_buf *b = state;

	fl_buf_printf(b, "%llu@%llu/%u:", (unsigned long long)lineno,
	    (unsigned long long)offset, flags);
	fl_buf_text_safe(b, line, len);
	fl_buf_addc(b, '\n');
}

/* Splits data fed in pieces of `piece` bytes; returns the record. */
static char *
split(const char *data, size_t n, size_t max_line, size_t piece,
    struct fl_stream_stats *st)
{
	struct fl_input_lines *lr = fl_input_lines_new(max_line);
	struct fl_buf b = {0};
	size_t i, k;

	fl_buf_add(&b, "", 0);
	fl_input_lines_begin(lr, record_line, &b);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		fl_input_lines_feed(lr, data + i, k);
	}
	memset(st, 0, sizeof *st);
	fl_input_lines_end(lr, st);
	fl_input_lines_free(lr);
	return fl_buf_take(&b);
}

/* The record must not depend on how the data was cut into pieces. */
static char *
split_all(const char *data, size_t n, size_t max_line,
    struct fl_stream_stats *st, const char *what)
{
	static const size_t pieces[] = { 1, 2, 3, 7, 64, 4096 };
	struct fl_stream_stats st2;
	char *want = split(data, n, max_line, n ? n : 1, st), *got;
	size_t i;
	int same = 1;

	for (i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		got = split(data, n, max_line, pieces[i], &st2);
		if (strcmp(got, want) != 0 || st2.lines != st->lines ||
		    st2.bytes != st->bytes || st2.long_lines != st->long_lines ||
		    st2.nul_lines != st->nul_lines ||
		    st2.bad_utf8_lines != st->bad_utf8_lines)
			same = 0;
		free(got);
	}
	ok(same, "%s: same lines whatever the piece size", what);
	return want;
}

static void
test_lines(void)
{
	struct fl_stream_stats st;
	char *r, *big;

	r = split_all("a\r\nbb\r\n\r\nc\n", 11, 100, &st, "CRLF");
	is_str(r, "1@0/0:a\n2@3/0:bb\n3@7/0:\n4@9/0:c\n",
	    "CR before LF is stripped, offsets count it");
	is_int(st.lines, 4, "CRLF: 4 lines");
	is_int(st.bytes, 11, "CRLF: all bytes counted");
	free(r);

	r = split_all("one\ntwo", 7, 100, &st, "no final newline");
	is_str(r, "1@0/0:one\n2@4/8:two\n", "last line delivered with NO_EOL");
	is_int(st.lines, 2, "no final newline: 2 lines");
	free(r);

	r = split_all("x\0y\nz\n", 6, 100, &st, "NUL");
	is_str(r, "1@0/2:x\\x00y\n2@4/0:z\n", "NUL kept in the line, flagged");
	is_int(st.nul_lines, 1, "one line with NUL");
	free(r);

	r = split_all("caf\xc3\xa9\nbad \xff\xfe\n\xed\xa0\x80\n", 17, 100, &st,
	    "UTF-8");
	is_str(r, "1@0/0:caf\xc3\xa9\n2@6/4:bad \\xff\\xfe\n"
	    "3@13/4:\\xed\\xa0\\x80\n",
	    "valid UTF-8 passes, invalid bytes and surrogates are flagged");
	is_int(st.bad_utf8_lines, 2, "two lines with invalid UTF-8");
	free(r);

	r = split_all("", 0, 100, &st, "empty");
	is_str(r, "", "empty input: no lines");
	is_int(st.lines, 0, "empty input: zero lines");
	is_int(st.bytes, 0, "empty input: zero bytes");
	free(r);

	r = split_all("\n\n", 2, 100, &st, "blank lines");
	is_str(r, "1@0/0:\n2@1/0:\n", "blank lines are lines");
	free(r);

	/* A 1 MiB line under a 1000-byte limit, then a short one. */
	big = fl_xmalloc((1 << 20) + 8);
	memset(big, 'a', 1 << 20);
	memcpy(big + (1 << 20), "\nshort\n", 7);
	r = split_all(big, (1 << 20) + 7, 1000, &st, "1 MiB line");
	ok(strncmp(r, "1@0/1:aaaa", 10) == 0 &&
	    strlen(r) == 6 + 1000 + 1 + strlen("2@1048577/0:short\n"),
	    "long line: head of max_line bytes, flagged truncated");
	ok(strstr(r, "\n2@1048577/0:short\n") != NULL,
	    "the line after it keeps its number and offset");
	is_int(st.long_lines, 1, "one long line counted");
	is_int(st.bytes, (1 << 20) + 7, "skipped bytes still counted");
	free(r);

	/* Without a newline at all, the head still comes out at the end. */
	r = split_all(big, 5000, 1000, &st, "long last line");
	ok(strncmp(r, "1@0/9:", 6) == 0 && strlen(r) == 6 + 1000 + 1,
	    "long unterminated line: truncated and NO_EOL");
	free(r);
	free(big);

	/* Exactly max_line bytes plus CR is not too long. */
	r = split_all("abcd\r\nabcde\n", 12, 4, &st, "boundary");
	is_str(r, "1@0/0:abcd\n2@6/1:abcd\n",
	    "max_line bytes before CRLF fit; one more is truncated");
	free(r);

	/* Truncation never splits a UTF-8 character. */
	r = split_all("ab\xc3\xa9z\n", 6, 3, &st, "UTF-8 cut");
	is_str(r, "1@0/1:ab\n", "cut moved back to a character boundary");
	is_int(st.bad_utf8_lines, 0, "a clean cut is not invalid UTF-8");
	free(r);
}

/* --- fl_input_read on temporary files --------------------------------- */

struct collect {
	struct fl_buf lines;
	struct fl_buf streams;
	unsigned ended;
};

static void *
c_begin(void *ctx, const struct fl_stream_info *info)
{
	struct collect *c = ctx;

	fl_buf_printf(&c->streams, "begin %s|%s|%u;", info->member,
	    info->name, info->depth);
	return c;
}

static void
c_line(void *state, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	record_line(&((struct collect *)state)->lines, line, len, lineno,
	    offset, flags);
}

static void
c_end(void *state, const struct fl_stream_info *info,
    const struct fl_stream_stats *st)
{
	struct collect *c = state;

	(void)info;
	c->ended++;
	fl_buf_printf(&c->streams, "end %llu/%llu/%s/%d;",
	    (unsigned long long)st->lines, (unsigned long long)st->bytes,
	    st->error ? st->error : "-", st->limit_hit);
}

static char tmpdir[256];

static char *
tmp_file(const char *name, const void *data, size_t n)
{
	char *path = fl_xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
	return path;
}

static void
drop(char *path)
{
	unlink(path);
	free(path);
}

/* gzip of data, with MTIME set in the header. */
static char *
gzip_mem(const char *data, size_t n, unsigned long mtime, size_t *outlen)
{
	z_stream z;
	gz_header h;
	size_t cap;
	char *out;

	memset(&z, 0, sizeof z);
	memset(&h, 0, sizeof h);
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY)
	    != Z_OK)
		exit(99);
	cap = deflateBound(&z, n) + 64;
	out = fl_xmalloc(cap);
	h.time = mtime;
	deflateSetHeader(&z, &h);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)n;
	z.next_out = (unsigned char *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		exit(99);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static enum fl_err
read_path(const char *path, const struct fl_limits *lim, struct collect *c,
    struct fl_input_result *res)
{
	struct fl_stream_visitor vis = { c_begin, c_line, c_end, c, NULL };
	struct fl_input_list list;
	enum fl_err err;

	fl_buf_reset(&c->lines);
	fl_buf_reset(&c->streams);
	fl_buf_add(&c->lines, "", 0);
	fl_buf_add(&c->streams, "", 0);
	c->ended = 0;
	fl_input_collect(&path, 1, &list);
	if (list.n != 1)
		exit(99);
	err = fl_input_read(&list.v[0], lim, &vis, res, NULL);
	fl_input_list_free(&list);
	return err;
}

static void
test_read(void)
{
	static const char text[] = "Aug  3 09:41:12 srv sshd[1]: one\r\n"
	    "Aug  3 09:41:13 srv sshd[1]: two\n";
	struct fl_limits lim;
	struct fl_input_result res;
	struct fl_input_list list;
	struct collect c = {{0}, {0}, 0};
	char hex[65], *path, *gz, *zeros, *want;
	const char *p;
	size_t gzlen;

	fl_limits_default(&lim);

	path = tmp_file("plain.log", text, sizeof text - 1);
	is_int(read_path(path, &lim, &c, &res), FL_OK, "plain file reads");
	fl_sha256_hex(text, sizeof text - 1, hex);
	is_str(res.sha256, hex, "SHA-256 of the file");
	is_int(res.bytes, sizeof text - 1, "bytes on disk");
	want = fl_xasprintf("begin |plain.log|0;end 2/%zu/-/0;",
	    sizeof text - 1);
	is_str(c.streams.data, want, "one stream, two lines, all bytes");
	free(want);
	ok(strstr(c.lines.data, "1@0/0:Aug  3 09:41:12 srv sshd[1]: one\n") !=
	    NULL, "CRLF stripped in a file too");
	fl_input_result_free(&res);
	drop(path);

	gz = gzip_mem(text, sizeof text - 1, 1722678072, &gzlen);
	path = tmp_file("syslog.2.gz", gz, gzlen);
	is_int(read_path(path, &lim, &c, &res), FL_OK, "gzip file reads");
	fl_sha256_hex(gz, gzlen, hex);
	is_str(res.sha256, hex, "SHA-256 of the compressed bytes");
	want = fl_xasprintf("begin |syslog.2|1;end 2/%zu/-/0;",
	    sizeof text - 1);
	is_str(c.streams.data, want,
	    "name keeps the rotation number, drops .gz; depth 1");
	free(want);
	fl_input_result_free(&res);
	drop(path);

	/* Cut inside the deflate data: what came before is kept. */
	path = tmp_file("cut.gz", gz, gzlen - 12);
	is_int(read_path(path, &lim, &c, &res), FL_ERR_FORMAT,
	    "truncated gzip is damage");
	ok(res.damaged && res.error != NULL, "result says damaged");
	ok(strstr(c.streams.data, "/truncated gzip data/0;") != NULL,
	    "stream error names the truncation");
	is_int(c.ended, 1, "end() called once, also after damage");
	fl_input_result_free(&res);
	drop(path);
	free(gz);

	path = tmp_file("empty.log", "", 0);
	is_int(read_path(path, &lim, &c, &res), FL_OK, "empty file is fine");
	is_str(c.streams.data, "begin |empty.log|0;end 0/0/-/0;",
	    "empty file: one stream, no lines");
	fl_input_result_free(&res);
	drop(path);

	/* 4 MiB of zeros deflate about 1000:1; a limit of 10:1 stops it. */
	zeros = fl_xcalloc(4 << 20, 1);
	gz = gzip_mem(zeros, 4 << 20, 0, &gzlen);
	path = tmp_file("zeros.gz", gz, gzlen);
	lim.max_ratio = 10;
	is_int(read_path(path, &lim, &c, &res), FL_ERR_LIMIT, "ratio limit");
	ok(strstr(c.streams.data, "compression ratio above 10:1 (limit "
	    "--max-ratio)/1;") != NULL, "limit named, limit_hit set");
	fl_sha256_hex(gz, gzlen, hex);
	is_str(res.sha256, hex, "SHA-256 covers the file after a stop");
	fl_input_result_free(&res);
	drop(path);
	free(gz);
	fl_limits_default(&lim);

	/* NUL-filled data stays a stream, not an empty tar archive. */
	path = tmp_file("nul.log", zeros, 4096);
	is_int(read_path(path, &lim, &c, &res), FL_OK, "NUL file reads");
	is_str(c.streams.data, "begin |nul.log|0;end 1/4096/-/0;",
	    "NUL-filled file: one line of NULs");
	fl_input_result_free(&res);
	drop(path);
	free(zeros);

	lim.max_member_bytes = 40;
	path = tmp_file("member.log", text, sizeof text - 1);
	is_int(read_path(path, &lim, &c, &res), FL_ERR_LIMIT, "member limit");
	ok(strstr(c.streams.data, "end 2/40/stream larger than 40 bytes "
	    "(limit --max-member-bytes)/1;") != NULL,
	    "member limit: the first 40 bytes are read");
	fl_input_result_free(&res);
	fl_limits_default(&lim);

	/* A file that disappears between collecting and reading. */
	p = path;
	fl_input_collect(&p, 1, &list);
	unlink(path);
	is_int(fl_input_read(&list.v[0], &lim, NULL, &res, NULL), FL_ERR_IO,
	    "vanished file is an I/O error");
	ok(res.error && strstr(res.error, "cannot open") != NULL,
	    "error says it could not be opened");
	fl_input_result_free(&res);
	fl_input_list_free(&list);
	free(path);

	/* Without a visitor the file is still hashed and counted. */
	path = tmp_file("novis.log", text, sizeof text - 1);
	p = path;
	fl_input_collect(&p, 1, &list);
	is_int(fl_input_read(&list.v[0], &lim, NULL, &res, NULL), FL_OK,
	    "no visitor");
	is_int(res.streams, 1, "one stream counted");
	fl_input_result_free(&res);
	fl_input_list_free(&list);
	drop(path);

	fl_buf_free(&c.lines);
	fl_buf_free(&c.streams);
}

static void
test_collect(void)
{
	struct fl_input_list list;
	char *dir = fl_xasprintf("%s/d", tmpdir);
	char *paths[4];
	const char *args[2];
	size_t i;
	FILE *f;

	if (mkdir(dir, 0755) != 0)
		exit(99);
	paths[0] = fl_xasprintf("%s/b.log", dir);
	paths[1] = fl_xasprintf("%s/a.log", dir);
	paths[2] = fl_xasprintf("%s/B.log", dir);
	paths[3] = fl_xasprintf("%s/loop", dir);
	for (i = 0; i < 3; i++) {
		if ((f = fopen(paths[i], "w")) == NULL)
			exit(99);
		fclose(f);
	}
	if (symlink(".", paths[3]) != 0)
		exit(99);
	args[0] = dir;
	args[1] = "/nonexistent/faultline";
	fl_input_collect(args, 2, &list);
	is_int(list.n, 5, "three files, the loop and the missing path");
	ok(list.n == 5 && strcmp(list.v[0].path, paths[2]) == 0 &&
	    strcmp(list.v[1].path, paths[1]) == 0 &&
	    strcmp(list.v[2].path, paths[0]) == 0,
	    "directory walked in byte order (B < a < b)");
	ok(list.n == 5 && list.v[3].kind == FL_INPUT_SKIPPED &&
	    strstr(list.v[3].note, "loop") != NULL, "symlink loop skipped");
	ok(list.n == 5 && list.v[4].kind == FL_INPUT_UNREADABLE &&
	    strstr(list.v[4].note, "No such file") != NULL,
	    "missing path unreadable, with the reason");
	fl_input_list_free(&list);
	for (i = 0; i < 4; i++)
		drop(paths[i]);
	rmdir(dir);
	free(dir);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/fl-test-input.XXXXXX",
	    t && *t ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_lines();
	test_read();
	test_collect();
	if (rmdir(tmpdir) != 0)
		printf("# could not remove %s: %s\n", tmpdir, strerror(errno));
	return tap_done();
}
