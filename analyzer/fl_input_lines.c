/*
 * The line splitter: memchr for newlines, lines that lie inside one fed
 * piece are handed out in place; only a line that spans pieces is gathered
 * in the carry buffer, which never grows beyond max_line + 1 bytes.
 */
#include "config.h"

#include "fl_input.h"

#include <stdlib.h>
#include <string.h>

struct fl_input_lines {
	size_t max_line;
	fl_input_line_fn *line;
	fl_input_block_fn *block;
	void *state;
	char *carry;          /* head of a line spanning pieces */
	size_t clen, csize;   /* bytes held, bytes allocated */
	size_t ccap;          /* max_line + 1: room for a trailing CR */
	int open;             /* a line has started and not ended */
	int over;             /* the open line outgrew the carry */
	uint64_t line_off;    /* offset of the open line */
	uint64_t pos;         /* bytes fed */
	uint64_t lines, long_lines, nul_lines, bad_utf8_lines;
};

struct fl_input_lines *
fl_input_lines_new(size_t max_line)
{
	struct fl_input_lines *lr = fl_xcalloc(1, sizeof *lr);

	/* One byte beyond max_line holds a CR that is stripped later. */
	if (max_line > SIZE_MAX - 2)
		max_line = SIZE_MAX - 2;
	lr->max_line = max_line;
	lr->ccap = max_line + 1;
	return lr;
}

void
fl_input_lines_free(struct fl_input_lines *lr)
{
	if (lr == NULL)
		return;
	free(lr->carry);
	free(lr);
}

void
fl_input_lines_begin(struct fl_input_lines *lr, fl_input_line_fn *line,
    void *state)
{
	lr->line = line;
	lr->state = state;
	lr->clen = 0;
	lr->open = lr->over = 0;
	lr->line_off = lr->pos = 0;
	lr->lines = lr->long_lines = lr->nul_lines = lr->bad_utf8_lines = 0;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* True when p[0..n) holds no NUL and no byte >= 0x80: such text needs no
 * per-line checks. Eight bytes at a time. */
static int
plain_ascii(const char *p, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= (w | ((w - ONES) & ~w)) & HIGHS;
	}
	for (; i < n; i++)
		acc |= (unsigned char)p[i] == 0 || (unsigned char)p[i] >= 0x80;
	return acc == 0;
}

/* Where to cut a line that is longer than max: at max, or earlier so that
 * a UTF-8 sequence straddling the cut is not split. s[max] exists. */
static size_t
utf8_cut(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = max, back = 0;

	if ((p[max] & 0xc0) != 0x80)
		return max;
	while (i > 0 && back < 3 && (p[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i > 0 && p[i - 1] >= 0xc0)
		return i - 1;
	return max;
}

static void
deliver(struct fl_input_lines *lr, const char *s, size_t len, int clean,
    int over, unsigned flags)
{
	if (!over && len > 0 && s[len - 1] == '\r')
		len--;
	if (over || len > lr->max_line) {
		len = utf8_cut(s, lr->max_line);
		flags |= FL_LINE_TRUNCATED;
		lr->long_lines++;
	}
	if (!clean && !plain_ascii(s, len)) {
		if (memchr(s, '\0', len) != NULL) {
			flags |= FL_LINE_NUL;
			lr->nul_lines++;
		}
		if (!fl_utf8_valid(s, len)) {
			flags |= FL_LINE_BAD_UTF8;
			lr->bad_utf8_lines++;
		}
	}
	lr->lines++;
	if (lr->line != NULL)
		lr->line(lr->state, s, len, lr->lines, lr->line_off, flags);
}

/* Adds a piece of the open line to the carry; what does not fit is
 * dropped (the line is already known to be too long). */
static void
carry_add(struct fl_input_lines *lr, const char *p, size_t n)
{
	size_t room;

	if (!lr->open) {
		lr->open = 1;
		lr->line_off = lr->pos;
	}
	if (lr->over)
		return;
	room = lr->ccap - lr->clen;
	if (n > room) {
		n = room;
		lr->over = 1;
	}
	if (lr->clen + n > lr->csize) {
		/* Grown by doubling up to the limit, so a large max_line
		 * costs memory only when lines are that long. */
		size_t cap = lr->csize ? lr->csize : 256;

		while (cap < lr->clen + n)
			cap = cap > lr->ccap / 2 ? lr->ccap : cap * 2;
		lr->carry = fl_xrealloc(lr->carry, cap);
		lr->csize = cap;
	}
	memcpy(lr->carry + lr->clen, p, n);
	lr->clen += n;
}

static void
carry_deliver(struct fl_input_lines *lr, unsigned flags)
{
	deliver(lr, lr->carry, lr->clen, 0, lr->over, flags);
	lr->clen = 0;
	lr->open = lr->over = 0;
}

void
fl_input_lines_on_block(struct fl_input_lines *lr, fl_input_block_fn *block)
{
	lr->block = block;
}

void
fl_input_lines_feed(struct fl_input_lines *lr, const void *data, size_t n)
{
	const char *p = data, *end = p + n, *nl;
	int clean = plain_ascii(p, n);

	if (lr->block != NULL && lr->line != NULL && n > 0)
		lr->block(lr->state, p, n);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			carry_add(lr, p, (size_t)(end - p));
			lr->pos += (uint64_t)(end - p);
			return;
		}
		if (lr->open) {
			carry_add(lr, p, (size_t)(nl - p));
			carry_deliver(lr, 0);
		} else {
			lr->line_off = lr->pos;
			deliver(lr, p, (size_t)(nl - p), clean, 0, 0);
		}
		lr->pos += (uint64_t)(nl + 1 - p);
		p = nl + 1;
	}
}

void
fl_input_lines_end(struct fl_input_lines *lr, struct fl_stream_stats *stats)
{
	if (lr->open)
		carry_deliver(lr, FL_LINE_NO_EOL);
	stats->bytes = lr->pos;
	stats->lines = lr->lines;
	stats->long_lines = lr->long_lines;
	stats->nul_lines = lr->nul_lines;
	stats->bad_utf8_lines = lr->bad_utf8_lines;
}
