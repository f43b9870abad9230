/*
 * Fuzz target: the evidence reader. The bytes become a file (a memfd,
 * reached by its /proc path as a user's path would be) read by
 * fl_input_read with small limits; every stream's lines go through the
 * parser and the host attribution. The visitor checks the reader's
 * promises: streams begin and end in pairs, line numbers count up from 1,
 * offsets grow, no line is longer than max_line, the stats agree with the
 * lines delivered, and a stopped stream says why.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fl_host.h"
#include "fl_input.h"
#include "fl_parse.h"
#include "fl_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINE 512

struct vctx;

struct vstate {
	struct vctx *c;
	struct fl_parser *parser;
	uint64_t lines, next_off, truncated;
	int open;
};

struct vctx {
	unsigned begun, ended, diags;
	struct vstate *cur;
};

static void
must(int cond)
{
	if (!cond)
		abort();
}

static void *
v_begin(void *ctx, const struct fl_stream_info *info)
{
	struct vctx *c = ctx;
	struct vstate *s = fl_xcalloc(1, sizeof *s);
	char *host;

	must(c->cur == NULL);
	must(info->member != NULL && info->name != NULL &&
	    info->dir_hint != NULL && info->input_path != NULL);
	must(info->index == c->begun);
	c->begun++;
	host = fl_host_from_path(info);
	must(host != NULL && host[0] != '\0');
	free(host);
	s->c = c;
	s->parser = fl_parser_new(NULL, info);
	s->open = 1;
	c->cur = s;
	return s;
}

static void
v_line(void *state, const char *line, size_t len, uint64_t lineno,
    uint64_t offset, unsigned flags)
{
	struct vstate *s = state;
	struct fl_parsed o;
	char *copy;

	must(s->open);
	must(len <= MAX_LINE);
	must(lineno == s->lines + 1);
	must(offset >= s->next_off);
	s->lines++;
	s->next_off = offset + 1;
	if (flags & FL_LINE_TRUNCATED)
		s->truncated++;
	/* The line in a buffer of its own length: overreads are caught. */
	copy = fl_xmalloc(len ? len : 1);
	memcpy(copy, line, len);
	fl_parse_line(s->parser, copy, len, &o);
	free(copy);
}

static void
v_end(void *state, const struct fl_stream_info *info,
    const struct fl_stream_stats *st)
{
	struct vstate *s = state;

	(void)info;
	must(s->open);
	must(st->lines == s->lines);
	must(st->long_lines == s->truncated);
	must(s->lines == 0 || st->bytes >= s->next_off - 1);
	must(st->error != NULL || !st->limit_hit);
	must(s->c->cur == s);
	s->c->cur = NULL;
	s->c->ended++;
	fl_parser_format(s->parser);
	fl_parser_free(s->parser);
	free(s);
}

static void
v_diag(void *ctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	struct vctx *c = ctx;

	(void)level;
	must(msg != NULL && msg[0] != '\0');
	must(where == NULL || where[0] != '\0');
	c->diags++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_input_file file;
	struct fl_limits lim;
	struct fl_stream_visitor vis;
	struct fl_input_result res;
	struct vctx ctx;
	struct fl_diag diag;
	char path[64];
	int fd;

	fd = memfd_create("evidence", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	memset(&file, 0, sizeof file);
	file.path = path;
	file.kind = FL_INPUT_FILE;
	file.size = size;
	file.mtime = 1722676872;
	lim.max_line = MAX_LINE;
	lim.max_depth = 3;
	lim.max_member_bytes = UINT64_C(3) << 20;
	lim.max_total_bytes = UINT64_C(6) << 20;
	lim.max_ratio = 20;
	memset(&ctx, 0, sizeof ctx);
	vis.begin = v_begin;
	vis.line = v_line;
	vis.end = v_end;
	vis.ctx = &ctx;
	vis.block = NULL;
	diag.emit = v_diag;
	diag.ctx = &ctx;
	fl_input_read(&file, &lim, &vis, &res, &diag);
	must(res.bytes == size);
	must(res.streams == ctx.begun && ctx.ended == ctx.begun);
	must(ctx.cur == NULL);
	/* Damage is never silent. */
	must(!res.damaged || (res.error != NULL && ctx.diags > 0));
	must(res.sha256[64] == '\0' && strlen(res.sha256) == 64);
	fl_input_result_free(&res);
	close(fd);
	return 0;
}
