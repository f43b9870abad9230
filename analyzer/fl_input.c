/*
 * The evidence reader: one input file → streams of lines, through libarchive.
 *
 * Every layer (the file itself, an archive member holding a compressed file
 * or another archive) is a struct level: a decoder for its compression
 * (zlib for gzip, a libarchive filter for the others) under a struct
 * archive that unpacks tar, zip, 7-Zip or cpio, or hands the data on as is
 * (libarchive's raw format). A nested level reads its parent's entry data
 * through archive_read_open callbacks, block by block, without copying.
 * The top level hashes the bytes it reads from disk, so the SHA-256 costs
 * no second pass.
 *
 * Read callbacks never return an error to libarchive: a failing source
 * ends the data there (libarchive then sees a short archive or stream), the
 * reason is recorded on the level where it happened, and whoever sees the
 * early end asks root_failure() why. That keeps every byte before the
 * damage and names the first cause rather than its echoes.
 */
#include "config.h"

#include "fl_input.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#if defined(HAVE_ISAL) && !defined(FL_NO_ISAL)
#define FL_USE_ISAL 1
#include <isa-l/igzip_lib.h>
#endif

#define IOBUF_SIZE (128 * 1024)
/* The compression ratio is judged once a level has produced this much:
 * small outputs say nothing about a bomb. */
#define RATIO_FLOOR (UINT64_C(1) << 20)
/* 7-Zip needs seeking, which a nested stream cannot do: such a member is
 * read into memory first, up to this size. */
#define SEEK_BUFFER_MAX (UINT64_C(256) << 20)
/* A damaged zip or 7-Zip file is reopened past the bad entry at most this
 * many times (each reopen skips the entries before it again). */
#define MAX_REOPEN 16

void
fl_limits_default(struct fl_limits *lim)
{
	lim->max_line = FL_DEFAULT_MAX_LINE;
	lim->max_depth = FL_DEFAULT_MAX_DEPTH;
	lim->max_member_bytes = FL_DEFAULT_MAX_MEMBER_BYTES;
	lim->max_total_bytes = FL_DEFAULT_MAX_TOTAL_BYTES;
	lim->max_ratio = FL_DEFAULT_MAX_RATIO;
}

struct reader {
	const struct fl_input_file *file;
	const struct fl_limits *lim;
	const struct fl_stream_visitor *vis;
	const struct fl_diag *diag;
	struct fl_input_result *out;
	struct fl_input_lines *lines;
	int fd;
	int seekable;         /* zip or 7-Zip on disk: libarchive may seek */
	unsigned reopens;
	char *iobuf;
	uint64_t pos;         /* offset of the next read() */
	uint64_t hashed;      /* bytes [0, hashed) are in the digest */
	EVP_MD_CTX *md;
	int io_error;
	uint64_t total;       /* decompressed bytes of all streams */
	int stop;             /* the total limit was hit: read nothing more */
	int format_error, limit_error;
	unsigned problems;
	struct fl_buf chain;  /* member chain of the entry being read */
	size_t comp_start;    /* where its innermost component starts */
	struct fl_buf name, dir, where;
};

/* Why reading stopped somewhere. */
struct failure {
	char *msg;            /* NULL: nothing failed */
	int limit;            /* a configured limit, not damage */
	int reported;         /* already counted as a problem */
};

struct gunzip;

struct level {
	struct reader *rd;
	struct level *parent;
	struct archive *a;
	unsigned depth;       /* archive/compression layers down to here */
	uint64_t gz_in;       /* compressed bytes zlib consumed */
	uint64_t out;         /* entry data given out */
	const void *first;    /* a nested level's first block, prefetched */
	size_t nfirst;
	const char *mem;      /* a nested level held in memory (7-Zip) */
	size_t memlen, mempos;
	struct failure fail;  /* the current entry; cleared at each header */
	struct failure broken; /* the level's own data source; kept */
	int starved;          /* the source ended early, not cleanly */
	int dead;             /* no further entries can be read */
	size_t chain_len;     /* rd->chain length for this level's entries */
	int64_t mtime;        /* inherited by what this level holds */
	enum fl_mtime_source msrc;
	unsigned char magic[6]; /* first raw bytes: which decoder */
	size_t nmagic;
	struct gunzip *gz;    /* gzip decoded below libarchive */
	struct archive *dec;  /* other compressions: a libarchive filter */
	int dec_dead;         /* that filter could not even start */
	int dec_empty;        /* that filter decoded to nothing */
	uint64_t dec_in;      /* raw bytes handed to that filter */
	const void *dfirst;   /* first decoded block, seen before unpacking */
	size_t ndfirst;
	int have_dfirst;
	int nested;           /* the decoded data is compressed again */
	unsigned outer_layers; /* compressions peeled by enclosing levels
	                        * of the same member */
};

static void
fail_set(struct failure *f, int limit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail_set(struct failure *f, int limit, const char *fmt, ...)
{
	struct fl_buf b = {0};
	va_list ap;

	if (f->msg != NULL)
		return;
	va_start(ap, fmt);
	fl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	f->msg = fl_buf_take(&b);
	f->limit = limit;
	f->reported = 0;
}

static void
fail_clear(struct failure *f)
{
	free(f->msg);
	memset(f, 0, sizeof *f);
}

static const char *
arch_error(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL && *s ? s : "unreadable or damaged data";
}

/* The outermost failure recorded on L or its ancestors: the root cause. */
static struct failure *
root_failure(struct level *L, struct level **owner)
{
	struct failure *found = NULL;

	for (; L != NULL; L = L->parent) {
		if (L->broken.msg != NULL || L->fail.msg != NULL) {
			found = L->broken.msg ? &L->broken : &L->fail;
			if (owner != NULL)
				*owner = L;
		}
	}
	return found;
}

/* Compressed bytes L has consumed so far: what its decoder (or, for zip
 * and 7-Zip entries, libarchive) actually used, not what read-ahead
 * fetched, so that a small bomb shows its ratio from the first MiB. */
static uint64_t
consumed(struct level *L)
{
	la_int64_t n;

	if (L->gz != NULL)
		return L->gz_in;
	n = archive_filter_bytes(L->dec != NULL ? L->dec : L->a, -1);
	return n > 0 ? (uint64_t)n : 0;
}

/* Checks the decompressed/compressed ratio of L; on excess the level is
 * abandoned, since reading past the rest of its data would mean inflating
 * it. Returns 1 when the limit was hit. */
static int
ratio_exceeded(struct level *L)
{
	uint64_t max = L->rd->lim->max_ratio;
	uint64_t in;

	if (L->out <= RATIO_FLOOR)
		return 0;
	in = consumed(L);
	if (in == 0)
		in = 1;

	if (in > UINT64_MAX / (max ? max : 1) || L->out <= in * max)
		return 0;
	fail_set(&L->fail, 1, "compression ratio above %llu:1 "
	    "(limit --max-ratio)", (unsigned long long)max);
	L->dead = 1;
	return 1;
}

/* --- sources ------------------------------------------------------------ */

static int
hash_gap(struct reader *rd, uint64_t upto)
{
	ssize_t n;

	while (rd->hashed < upto) {
		size_t want = IOBUF_SIZE;

		if (upto - rd->hashed < want)
			want = (size_t)(upto - rd->hashed);
		n = pread(rd->fd, rd->iobuf, want, (off_t)rd->hashed);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rd->io_error = errno;
			return -1;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(rd->md, rd->iobuf, (size_t)n);
		rd->hashed += (uint64_t)n;
	}
	return 0;
}

/* Raw bytes of the file, hashed on the way. */
static ssize_t
src_top(struct level *L, const void **buf)
{
	struct reader *rd = L->rd;
	ssize_t n;

	/* After a forward seek, hash what was jumped over first. */
	if (rd->hashed < rd->pos && hash_gap(rd, rd->pos) != 0)
		n = -1;
	else
		do
			n = read(rd->fd, rd->iobuf, IOBUF_SIZE);
		while (n < 0 && errno == EINTR);
	if (n < 0) {
		rd->io_error = errno;
		fail_set(&L->broken, 0, "read error: %s", strerror(errno));
		return -1;
	}
	if (rd->pos + (uint64_t)n > rd->hashed && rd->pos <= rd->hashed) {
		uint64_t skip = rd->hashed - rd->pos;

		EVP_DigestUpdate(rd->md, rd->iobuf + skip, (size_t)n - skip);
		rd->hashed = rd->pos + (uint64_t)n;
	}
	rd->pos += (uint64_t)n;
	*buf = rd->iobuf;
	return n;
}

static la_int64_t
top_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct level *L = ud;
	off_t r = lseek(L->rd->fd, (off_t)off, whence);

	if (r < 0) {
		archive_set_error(a, errno, "seek error");
		return ARCHIVE_FATAL;
	}
	L->rd->pos = (uint64_t)r;
	return r;
}

static la_int64_t
mem_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct level *L = ud;
	la_int64_t base = whence == SEEK_SET ? 0 :
	    whence == SEEK_CUR ? (la_int64_t)L->mempos : (la_int64_t)L->memlen;

	(void)a;
	if (off < -base || base + off > (la_int64_t)L->memlen)
		return ARCHIVE_FATAL;
	L->mempos = (size_t)(base + off);
	return base + off;
}

/* Raw bytes of the parent's current entry, block by block, uncopied. */
static ssize_t
src_child(struct level *L, const void **buf)
{
	struct level *P = L->parent;
	const void *b;
	size_t n;
	la_int64_t off;
	int r;

	if (L->mem != NULL) {
		n = L->memlen - L->mempos;
		*buf = L->mem + L->mempos;
		L->mempos = L->memlen;
		return (ssize_t)n;
	}
	if (L->first != NULL) {
		*buf = L->first;
		n = L->nfirst;
		L->first = NULL;
		return (ssize_t)n;
	}
	if (P->fail.msg != NULL || P->dead)
		return -1;
	for (;;) {
		r = archive_read_data_block(P->a, &b, &n, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) {
			if (r == ARCHIVE_FATAL)
				P->dead = 1;
			fail_set(&P->fail, 0, "%s", arch_error(P->a));
			return -1;
		}
		if (n > 0)
			break;
	}
	P->out += n;
	if (ratio_exceeded(P))
		return -1;
	*buf = b;
	return (ssize_t)n;
}

static ssize_t
src_read(struct level *L, const void **buf)
{
	return L->parent != NULL ? src_child(L, buf) : src_top(L, buf);
}

/* gzip is decoded here with zlib rather than by libarchive's filter: that
 * one hands out data only in whole 64 KiB blocks and drops the last one at
 * a truncation, and the lines just before damage are the ones that matter.
 * Counting the compressed bytes zlib consumed also makes the ratio exact.
 *
 * Where ISA-L is available it decodes a gzip layer read straight from the
 * file on disk, at two to four times zlib's speed. At damage ISA-L can hold
 * back the last few bytes zlib would still deliver, and its reasons are
 * worded differently; so when an ISA-L member ends in any other way than
 * cleanly, the member is read again from the file and zlib takes over
 * exactly where ISA-L's output stood: what is delivered, and every message,
 * is zlib's. A gzip member nested in an archive cannot be read again and is
 * always decoded by zlib. */
#define GZ_OUT_SIZE (128 * 1024)

struct gunzip {
	z_stream z;
	gz_header head;       /* of the first member: MTIME */
	unsigned char *out;
	int between;          /* a member ended; another may follow */
	int src_eof, ended;
	int src_failed;       /* the source returned an error */
#ifdef FL_USE_ISAL
	struct inflate_state *is; /* ISA-L decodes; NULL once zlib does */
	int is_head;          /* the current member's header has been read */
	uint64_t member_in;   /* file offset where the current member starts */
	uint64_t member_out;  /* bytes the member has given out */
	unsigned char *rp;    /* zlib replaying [rp_off, rp_end) of the file */
	uint64_t rp_off, rp_end;
#endif
};

static void
gz_zlib_init(struct gunzip *g)
{
	/* 16 + 15: gzip wrapper only; header CRC and trailer are checked. */
	if (inflateInit2(&g->z, 16 + 15) != Z_OK)
		abort();
	inflateGetHeader(&g->z, &g->head);
}

static void
gz_start(struct level *L)
{
	struct gunzip *g = fl_xcalloc(1, sizeof *g);

	g->out = fl_xmalloc(GZ_OUT_SIZE);
	L->gz = g;
#ifdef FL_USE_ISAL
	if (L->parent == NULL) {
		g->is = fl_xmalloc(sizeof *g->is);
		isal_inflate_init(g->is);
		return;
	}
#endif
	gz_zlib_init(g);
}

static void
gz_end(struct level *L)
{
	struct gunzip *g = L->gz;

	if (g == NULL)
		return;
#ifdef FL_USE_ISAL
	if (g->is != NULL)
		free(g->is);
	else
		inflateEnd(&g->z);
	free(g->rp);
#else
	inflateEnd(&g->z);
#endif
	free(g->out);
	free(g);
	L->gz = NULL;
}

/* The next compressed bytes: the source, or while zlib replays a member
 * that ISA-L gave up on, the file again. n < 0: the source failed. */
static ssize_t
gz_src(struct level *L, const void **p)
{
	struct gunzip *g = L->gz;
	ssize_t n;

#ifdef FL_USE_ISAL
	if (g->rp_off < g->rp_end) {
		size_t want = IOBUF_SIZE;

		if (g->rp_end - g->rp_off < want)
			want = (size_t)(g->rp_end - g->rp_off);
		do
			n = pread(L->rd->fd, g->rp, want, (off_t)g->rp_off);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			/* The file changed under us: the bytes are gone. */
			g->rp_off = g->rp_end;
			fail_set(&L->broken, 0, "read error: %s", n < 0 ?
			    strerror(errno) : "file shrank while read");
			return -1;
		}
		g->rp_off += (uint64_t)n;
		*p = g->rp;
		return n;
	}
#endif
	if (g->src_failed)
		return -1;
	n = src_read(L, p);
	if (n < 0)
		g->src_failed = 1;
	return n;
}

static void problem(struct reader *rd, const char *member, uint64_t offset,
    const char *msg, int limit, const char *detail);

/* Bytes after the last gzip member, p[0..n) and the rest of the source:
 * zeros (padding to a block) end the data quietly, as with gzip -d;
 * anything else is evidence that was not read, and is reported as such,
 * at its offset in the compressed data. */
static void
gz_trailer(struct level *L, const unsigned char *p, size_t n)
{
	struct gunzip *g = L->gz;
	struct reader *rd = L->rd;
	uint64_t at = L->gz_in, count = 0;
	int data = 0;
	const void *q;
	ssize_t r;
	size_t i, len;
	char *member, msg[120];

	for (;;) {
		for (i = 0; i < n && !data; i++)
			data = p[i] != 0;
		count += n;
		if (g->src_eof)
			break;
		r = gz_src(L, &q);
		if (r <= 0)
			break;
		p = q;
		n = (size_t)r;
	}
	if (!data)
		return;
	/* the archive's own name, without the trailing '!' */
	len = L->chain_len;
	if (len > 0 && rd->chain.data[len - 1] == '!')
		len--;
	member = fl_xstrndup(rd->chain.data ? rd->chain.data : "", len);
	snprintf(msg, sizeof msg, "%llu bytes after the end of the gzip data "
	    "are not gzip: not read", (unsigned long long)count);
	problem(rd, member, at, msg, 0, NULL);
	free(member);
}

/* Fills g->out from byte have on. */
static ssize_t
gz_read_zlib(struct level *L, const void **buf, size_t have)
{
	struct gunzip *g = L->gz;
	z_stream *z = &g->z;
	const void *p;
	ssize_t n;
	int r;

	z->next_out = g->out + have;
	z->avail_out = (uInt)(GZ_OUT_SIZE - have);
	while (z->avail_out > 0 && !g->ended) {
		if (z->avail_in == 0 && !g->src_eof) {
			n = gz_src(L, &p);
			if (n < 0) {
				L->starved = 1;
				g->ended = 1;
				break;
			}
			g->src_eof = n == 0;
			z->next_in = (unsigned char *)(uintptr_t)p;
			z->avail_in = (uInt)n;
			continue;
		}
		if (g->between) {
			/* Concatenated members go on; other trailing bytes
			 * (padding) end the stream, as with gzip -d. */
			if (z->avail_in == 0 || z->next_in[0] != 0x1f ||
			    (z->avail_in > 1 && z->next_in[1] != 0x8b)) {
				gz_trailer(L, z->next_in, z->avail_in);
				g->ended = 1;
				break;
			}
			inflateReset(z);
			g->between = 0;
		}
		if (z->avail_in == 0) {
			fail_set(&L->broken, 0, "truncated gzip data");
			L->starved = 1;
			g->ended = 1;
			break;
		}
		n = (ssize_t)z->avail_in;
		r = inflate(z, Z_NO_FLUSH);
		L->gz_in += (uint64_t)n - z->avail_in;
		if (r == Z_STREAM_END) {
			g->between = 1;
		} else if (r != Z_OK && r != Z_BUF_ERROR) {
			fail_set(&L->broken, 0, "gzip data error: %s",
			    z->msg ? z->msg : "damaged data");
			L->starved = 1;
			g->ended = 1;
		}
	}
	*buf = g->out;
	return (ssize_t)(GZ_OUT_SIZE - z->avail_out);
}

#ifdef FL_USE_ISAL
/* ISA-L stopped short of a clean end: zlib reads the member again from the
 * file, its output up to what ISA-L has already produced of the member is
 * dropped, and zlib goes on from there with the rest of the file. */
static void
gz_to_zlib(struct level *L)
{
	struct gunzip *g = L->gz;
	uint64_t skip = g->member_out;
	unsigned char *scratch = fl_xmalloc(GZ_OUT_SIZE);
	const void *p;
	ssize_t n;
	int r;

	free(g->is);
	g->is = NULL;
	memset(&g->z, 0, sizeof g->z);
	gz_zlib_init(g);
	if (g->member_in != 0) {
		/* Only the first member's header is kept, as zlib does. */
		inflateReset(&g->z);
	}
	g->rp = fl_xmalloc(IOBUF_SIZE);
	g->rp_off = g->member_in;
	g->rp_end = L->rd->pos;
	L->gz_in = g->member_in;
	g->between = 0;
	g->src_eof = 0;
	while (skip > 0) {
		z_stream *z = &g->z;
		uInt want = skip < GZ_OUT_SIZE ? (uInt)skip : GZ_OUT_SIZE;

		if (z->avail_in == 0) {
			n = gz_src(L, &p);
			if (n <= 0) {
				g->src_eof = n == 0;
				break;
			}
			z->next_in = (unsigned char *)(uintptr_t)p;
			z->avail_in = (uInt)n;
		}
		z->next_out = scratch;
		z->avail_out = want;
		n = (ssize_t)z->avail_in;
		r = inflate(z, Z_NO_FLUSH);
		L->gz_in += (uint64_t)n - z->avail_in;
		skip -= want - z->avail_out;
		if (r == Z_STREAM_END)
			g->between = 1;
		if (r != Z_OK && r != Z_BUF_ERROR)
			break;
	}
	free(scratch);
}

static ssize_t
gz_read_isal(struct level *L, const void **buf)
{
	struct gunzip *g = L->gz;
	struct inflate_state *s = g->is;
	struct isal_gzip_header hdr;
	const void *p;
	uint32_t before, room;
	size_t mstart = 0;    /* where the current member began in g->out */
	ssize_t n;
	int r;

	s->next_out = g->out;
	s->avail_out = GZ_OUT_SIZE;
	while (s->avail_out > 0 && !g->ended) {
		if (s->avail_in == 0 && !g->src_eof) {
			n = gz_src(L, &p);
			if (n < 0)
				goto fallback;
			g->src_eof = n == 0;
			s->next_in = (uint8_t *)(uintptr_t)p;
			s->avail_in = (uint32_t)n;
			continue;
		}
		if (g->between) {
			if (s->avail_in == 0 || s->next_in[0] != 0x1f ||
			    (s->avail_in > 1 && s->next_in[1] != 0x8b)) {
				gz_trailer(L, s->next_in, s->avail_in);
				g->ended = 1;
				break;
			}
			/* isal_inflate_reset keeps the output pointers. */
			isal_inflate_reset(s);
			g->is_head = 0;
			g->member_in = L->gz_in;
			g->member_out = 0;
			g->between = 0;
			mstart = GZ_OUT_SIZE - s->avail_out;
		}
		if (s->avail_in == 0)
			goto fallback;
		before = s->avail_in;
		if (!g->is_head) {
			isal_gzip_header_init(&hdr);
			r = isal_read_gzip_header(s, &hdr);
			L->gz_in += before - s->avail_in;
			if (r == ISAL_END_INPUT)
				continue;
			if (r != ISAL_DECOMP_OK)
				goto fallback;
			g->is_head = 1;
			if (g->member_in == 0) {
				g->head.time = hdr.time;
				g->head.done = 1;
			}
			s->crc_flag = ISAL_GZIP_NO_HDR_VER;
			continue;
		}
		room = s->avail_out;
		r = isal_inflate(s);
		L->gz_in += before - s->avail_in;
		g->member_out += room - s->avail_out;
		if (r != ISAL_DECOMP_OK)
			goto fallback;
		if (s->block_state == ISAL_BLOCK_FINISH)
			g->between = 1;
	}
	*buf = g->out;
	return (ssize_t)(GZ_OUT_SIZE - s->avail_out);
fallback:
	/* ISA-L may write a damaged match out before it reports the damage:
	 * what this call produced of the member is dropped and zlib decodes
	 * it again; earlier members' output stays, zlib appends to it. */
	g->member_out -= GZ_OUT_SIZE - s->avail_out - mstart;
	gz_to_zlib(L);
	return gz_read_zlib(L, buf, mstart);
}
#endif

static ssize_t
gz_read(struct level *L, const void **buf)
{
#ifdef FL_USE_ISAL
	if (L->gz->is != NULL)
		return gz_read_isal(L, buf);
#endif
	return gz_read_zlib(L, buf, 0);
}

/* Decoded bytes from a libarchive filter other than gzip (bzip2, xz, zstd,
 * lz4 ...); the filter reads the level's source through this. */
static la_ssize_t
dec_src_read(struct archive *a, void *ud, const void **buf)
{
	struct level *L = ud;
	ssize_t n;

	(void)a;
	n = src_read(L, buf);
	if (n < 0) {
		L->starved = 1;
		return 0;
	}
	L->dec_in += (uint64_t)n;
	return n;
}

/* A filter that decoded nothing read a whole, empty stream only if it used
 * every byte of its source: else what follows would be lost unseen. */
static int
decoded_all(struct level *L, struct archive *a)
{
	la_int64_t used = archive_filter_bytes(a, -1);
	const void *p;

	return used >= 0 && (uint64_t)used == L->dec_in && src_read(L, &p) <= 0;
}

static ssize_t
dec_read(struct level *L, const void **buf)
{
	size_t n;
	la_int64_t off;
	int r;

	if (L->dec_empty)
		return 0;
	do
		r = archive_read_data_block(L->dec, buf, &n, &off);
	while (r == ARCHIVE_OK && n == 0);
	if (r == ARCHIVE_OK)
		return (ssize_t)n;
	if (r != ARCHIVE_EOF) {
		fail_set(&L->broken, 0, "%s", arch_error(L->dec));
		L->starved = 1;
	}
	return 0;
}

/* The level's data after decompression; 0 at the end, also an early one
 * (then L->starved is set and the reason recorded). */
static ssize_t
decoded_read(struct level *L, const void **buf)
{
	ssize_t n;

	if (L->gz != NULL)
		return gz_read(L, buf);
	if (L->dec != NULL)
		return dec_read(L, buf);
	n = src_read(L, buf);
	if (n < 0) {
		L->starved = 1;
		return 0;
	}
	return n;
}

/* The read callback of the unpacking archive of every level. */
static la_ssize_t
level_read(struct archive *a, void *ud, const void **buf)
{
	struct level *L = ud;

	(void)a;
	if (L->have_dfirst) {
		L->have_dfirst = 0;
		*buf = L->dfirst;
		return (la_ssize_t)L->ndfirst;
	}
	return decoded_read(L, buf);
}

static const struct {
	const char *name;
	size_t n;
	const char *magic;
} magics[] = {
	{ "gzip", 3, "\x1f\x8b\x08" },
	{ "bzip2", 3, "BZh" },
	{ "xz", 6, "\xfd" "7zXZ\0" },
	{ "zstd", 4, "\x28\xb5\x2f\xfd" },
	{ "lz4", 4, "\x04\x22\x4d\x18" },
	{ "lz4", 4, "\x02\x21\x4c\x18" },   /* legacy frames */
	{ "lzip", 4, "LZIP" },
	{ "compress", 2, "\x1f\x9d" },
};

/* The compression that data starts with, or NULL. */
static const char *
compression_named(const void *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (n >= magics[i].n &&
		    memcmp(p, magics[i].magic, magics[i].n) == 0)
			return magics[i].name;
	return NULL;
}

static unsigned filters(struct archive *a);

/* Opens a level: a decoder for its compression (zlib for gzip, a libarchive
 * filter for the others), then the archive that unpacks the decoded data.
 * Decoding first lets the start of the data be seen: libarchive takes
 * anything that begins with a 512-byte block of NULs for an empty tar, and
 * a log overwritten with NULs (as after a power loss) must stay a stream.
 * Returns 0, or -1 when the unpacking archive could not be opened. */
static int
level_start(struct level *L, int seekable)
{
	const char *comp = compression_named(L->magic, L->nmagic);
	struct archive *a;
	struct archive_entry *e;
	const void *b = NULL;
	const char *why = NULL;
	ssize_t n, i;
	int nul, r;

	if (comp != NULL && strcmp(comp, "gzip") == 0) {
		gz_start(L);
	} else if (comp != NULL) {
		a = archive_read_new();
		if (a == NULL)
			abort();
		L->dec = a;
		archive_read_support_filter_all(a);
		archive_read_support_format_raw(a);
		archive_read_support_format_empty(a);
		archive_read_set_callback_data(a, L);
		archive_read_set_read_callback(a, dec_src_read);
		/* A filter that refuses the data leaves libarchive passing it
		 * through undecoded: the magic would then be seen again one
		 * level down, and again, without end. */
		r = archive_read_open1(a) == ARCHIVE_OK ?
		    archive_read_next_header(a, &e) : ARCHIVE_FATAL;
		if (r == ARCHIVE_EOF && !decoded_all(L, a)) {
			why = "it decodes to nothing, yet more data follows";
			r = ARCHIVE_FATAL;
		}
		/* Decoded to nothing (an empty compressed file): libarchive
		 * has then no entry whose data could be asked for. */
		L->dec_empty = r == ARCHIVE_EOF;
		if (r == ARCHIVE_FATAL || filters(a) == 0) {
			fail_set(&L->broken, 0, "damaged or truncated %s data "
			    "(%s)", comp, why ? why : arch_error(a));
			L->starved = 1;
			archive_read_free(a);
			L->dec = NULL;
			L->dec_dead = 1;
		}
	}
	n = L->dec_dead ? 0 : decoded_read(L, &b);
	nul = n > 0;
	for (i = 0; i < n && i < 512 && nul; i++)
		nul = ((const char *)b)[i] == '\0';
	L->have_dfirst = 1;
	L->dfirst = b;
	L->ndfirst = (size_t)n;
	/* Compressed twice (a .gz.gz): a nested level peels the next layer,
	 * so that its start is seen too. */
	L->nested = comp != NULL && compression_named(b, (size_t)n) != NULL;

	a = archive_read_new();
	if (a == NULL)
		abort();
	L->a = a;
	if (!L->nested) {
		archive_read_support_filter_all(a);
		/* Not format_all: mtree and others take text for archives. */
		if (!nul)
			archive_read_support_format_tar(a);
		archive_read_support_format_zip(a);
		archive_read_support_format_7zip(a);
		archive_read_support_format_cpio(a);
	}
	archive_read_support_format_empty(a);
	archive_read_support_format_raw(a);
	archive_read_set_callback_data(a, L);
	archive_read_set_read_callback(a, level_read);
	if (seekable)
		archive_read_set_seek_callback(a,
		    L->parent == NULL ? top_seek : mem_seek);
	return archive_read_open1(a) == ARCHIVE_OK ? 0 : -1;
}

static void
level_close(struct level *L)
{
	archive_read_free(L->a);
	archive_read_free(L->dec);
	L->a = L->dec = NULL;
	gz_end(L);
	fail_clear(&L->fail);
	fail_clear(&L->broken);
}

/* Compression layers of a level, for stripping name suffixes. */
static unsigned
filters(struct archive *a)
{
	int n = a != NULL ? archive_filter_count(a) : 0;

	return n > 1 ? (unsigned)n - 1 : 0;
}

static unsigned
layers(struct level *L)
{
	return filters(L->a) + filters(L->dec) + (L->gz != NULL) +
	    (unsigned)L->dec_dead;
}

/* Suffixes to strip from the name of a stream read at L. */
static unsigned
name_layers(struct level *L)
{
	return layers(L) + L->outer_layers;
}

/* --- names -------------------------------------------------------------- */

static const char *const comp_suffixes[] = {
	".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".Z", ".lz", ".bz",
	".zstd", NULL
};

/* Strips one compression suffix from name[0..*len). */
static void
strip_suffix(const char *name, size_t *len)
{
	size_t i, k;

	for (i = 0; comp_suffixes[i] != NULL; i++) {
		k = strlen(comp_suffixes[i]);
		if (*len > k && memcmp(name + *len - k, comp_suffixes[i], k) == 0) {
			*len -= k;
			return;
		}
	}
}

/* Member names are kept as written; for the directory hint leading "./"
 * and "/" are dropped. */
static const char *
skip_dot_slash(const char *s)
{
	for (;;) {
		if (s[0] == '.' && s[1] == '/')
			s += 2;
		else if (s[0] == '/')
			s++;
		else
			return s;
	}
}

static void
build_names(struct reader *rd, unsigned nstrip)
{
	const char *path = rd->file->path, *comp, *slash, *base;
	size_t len;

	fl_buf_reset(&rd->name);
	fl_buf_reset(&rd->dir);
	fl_buf_add(&rd->name, "", 0);
	fl_buf_add(&rd->dir, "", 0);
	if (rd->chain.len == 0) {
		slash = strrchr(path, '/');
		base = slash ? slash + 1 : path;
		if (slash == path)
			fl_buf_adds(&rd->dir, "/");
		else if (slash != NULL)
			fl_buf_add(&rd->dir, path, (size_t)(slash - path));
	} else {
		comp = rd->chain.data + rd->comp_start;
		slash = strrchr(comp, '/');
		base = slash ? slash + 1 : comp;
		fl_buf_adds(&rd->dir, path);
		fl_buf_addc(&rd->dir, '!');
		fl_buf_add(&rd->dir, rd->chain.data, rd->comp_start);
		comp = skip_dot_slash(comp);
		slash = strrchr(comp, '/');
		if (slash != NULL && slash > comp)
			fl_buf_add(&rd->dir, comp, (size_t)(slash - comp));
		else
			rd->dir.data[--rd->dir.len] = '\0';  /* the '!' */
	}
	len = strlen(base);
	while (nstrip-- > 0)
		strip_suffix(base, &len);
	fl_buf_add(&rd->name, base, len);
}

/* --- problems and streams ------------------------------------------------ */

/* Records a problem: counted, kept in the result, sent to diag. */
static void
problem(struct reader *rd, const char *member, uint64_t offset,
    const char *msg, int limit, const char *detail)
{
	struct fl_input_result *out = rd->out;

	rd->problems++;
	if (limit)
		rd->limit_error = 1;
	else
		rd->format_error = 1;
	fl_buf_reset(&rd->where);
	fl_buf_adds(&rd->where, rd->file->path);
	if (member != NULL && *member) {
		fl_buf_addc(&rd->where, '!');
		fl_buf_adds(&rd->where, member);
	}
	if (offset != UINT64_MAX)
		fl_buf_printf(&rd->where, "@%llu", (unsigned long long)offset);
	if (out->error == NULL) {
		struct fl_buf b = {0};

		if (member != NULL && *member)
			fl_buf_printf(&b, "%s: ", member);
		fl_buf_adds(&b, msg);
		if (offset != UINT64_MAX)
			fl_buf_printf(&b, " at byte %llu",
			    (unsigned long long)offset);
		out->error = fl_buf_take(&b);
	}
	fl_diagf(rd->diag, limit ? FL_DIAG_WARNING : FL_DIAG_ERROR,
	    rd->where.data, "%s%s", msg, detail ? detail : "");
}

struct stream {
	struct fl_stream_info info;
	struct fl_stream_stats st;
	void *state;
};

static void
stream_begin(struct reader *rd, struct stream *s, unsigned depth,
    int64_t mtime, enum fl_mtime_source msrc, unsigned nstrip)
{
	fl_buf_add(&rd->chain, "", 0);
	build_names(rd, nstrip);
	memset(s, 0, sizeof *s);
	s->info.input_path = rd->file->path;
	s->info.member = rd->chain.data;
	s->info.name = rd->name.data;
	s->info.dir_hint = rd->dir.data;
	s->info.mtime = mtime;
	s->info.mtime_source = msrc;
	s->info.depth = depth;
	s->info.index = rd->out->streams++;
	s->st.error_offset = UINT64_MAX;
	if (rd->vis != NULL && rd->vis->begin != NULL)
		s->state = rd->vis->begin(rd->vis->ctx, &s->info);
	fl_input_lines_begin(rd->lines,
	    rd->vis != NULL ? rd->vis->line : NULL, s->state);
	fl_input_lines_on_block(rd->lines,
	    rd->vis != NULL ? rd->vis->block : NULL);
}

/* Ends a stream; f, when given, says why it stopped early. */
static void
stream_end(struct reader *rd, struct stream *s, struct failure *f)
{
	fl_input_lines_end(rd->lines, &s->st);
	if (f != NULL) {
		char detail[80];

		s->st.error = f->msg;
		s->st.error_offset = s->st.bytes;
		s->st.limit_hit = f->limit;
		snprintf(detail, sizeof detail,
		    "; stream stopped, %llu lines before it kept",
		    (unsigned long long)s->st.lines);
		problem(rd, s->info.member, s->st.bytes, f->msg, f->limit,
		    detail);
		f->reported = 1;
	}
	if (rd->vis != NULL && rd->vis->end != NULL)
		rd->vis->end(s->state, &s->info, &s->st);
}

/* A stream with nothing readable in it: an empty member, or one that
 * could not be read at all (f says why). */
static void
stream_bare(struct reader *rd, struct level *L, struct failure *f,
    unsigned nstrip)
{
	struct stream s;

	stream_begin(rd, &s, L->depth, L->mtime, L->msrc, nstrip);
	stream_end(rd, &s, f);
}

/* Why L stopped early: the root cause, else libarchive's message. */
static struct failure *
failure_of(struct level *L)
{
	struct failure *f = root_failure(L, NULL);

	if (f == NULL) {
		fail_set(&L->fail, 0, "%s", arch_error(L->a));
		f = &L->fail;
	}
	return f;
}

/* The unpacking archive of L could not be opened. */
static void
open_failed(struct reader *rd, struct level *L)
{
	unsigned n = layers(L);

	L->depth += n > 0;
	stream_bare(rd, L, failure_of(L), n + L->outer_layers);
	L->depth -= n > 0;
}

/* A level-wide problem that belongs to no stream: a bad header, or data
 * that ended between members. Reported once, where it happened. */
static void
level_problem(struct level *L, const char *detail)
{
	struct reader *rd = L->rd;
	struct level *owner = L;
	struct failure *f = root_failure(L, &owner);
	la_int64_t off;
	size_t len;
	char *member;

	/* A failure below (decompression) is where it stopped; a bad header
	 * of this archive is where that header began, when libarchive still
	 * says (not after a fatal error). */
	off = owner->a != NULL ? archive_filter_bytes(owner->a, 0) : -1;
	if (f == NULL) {
		fail_set(&L->fail, 0, "%s", arch_error(L->a));
		f = &L->fail;
		owner = L;
		off = archive_read_header_position(L->a);
		if (off < 0)
			off = archive_filter_bytes(L->a, 0);
	}
	if (f->reported)
		return;
	f->reported = 1;
	/* Name the archive itself, without the trailing '!'. */
	len = owner->chain_len;
	if (len > 0 && rd->chain.data[len - 1] == '!')
		len--;
	member = fl_xstrndup(rd->chain.data ? rd->chain.data : "", len);
	problem(rd, member, off >= 0 ? (uint64_t)off : UINT64_MAX,
	    f->msg, f->limit, detail);
	free(member);
}

/* --- reading ------------------------------------------------------------ */

/* Mtimes of years 1 to 9999: a calendar (and a microsecond clock) can hold
 * them. A crafted header can carry any 64-bit value. */
static int
mtime_ok(int64_t t)
{
	return t >= INT64_C(-62135596800) && t <= INT64_C(253402300799);
}

/* True when entry e has an mtime usable as evidence; one out of range is
 * noted and ignored. */
static int
entry_has_mtime(struct level *L, struct archive_entry *e)
{
	struct reader *rd = L->rd;

	if (!archive_entry_mtime_is_set(e))
		return 0;
	if (mtime_ok(archive_entry_mtime(e)))
		return 1;
	fl_buf_reset(&rd->where);
	fl_buf_adds(&rd->where, rd->file->path);
	if (rd->chain.len > 0) {
		fl_buf_addc(&rd->where, '!');
		fl_buf_add(&rd->where, rd->chain.data, rd->chain.len);
	}
	fl_diagf(rd->diag, FL_DIAG_NOTE, rd->where.data, "mtime %lld out of "
	    "range, ignored", (long long)archive_entry_mtime(e));
	return 0;
}

/* The mtime of what entry e of L holds: the member header's; for the
 * data of a compressed file the gzip header's MTIME when there is one;
 * else what L inherited. A zero (or earlier) mtime is one nobody set
 * (tar --mtime=@0, Python's tarfile, gzip -n), not a date. */
static void
entry_mtime(struct level *L, struct archive_entry *e, int64_t *mtime,
    enum fl_mtime_source *msrc)
{
	*mtime = L->mtime;
	*msrc = L->msrc;
	if (archive_format(L->a) != ARCHIVE_FORMAT_RAW) {
		if (entry_has_mtime(L, e) && archive_entry_mtime(e) > 0) {
			*mtime = archive_entry_mtime(e);
			*msrc = FL_MTIME_ARCHIVE;
		}
	} else if (L->gz != NULL && L->gz->head.done == 1 &&
	    L->gz->head.time != 0) {
		*mtime = (int64_t)L->gz->head.time;
		*msrc = FL_MTIME_GZIP;
	} else if (entry_has_mtime(L, e) && archive_entry_mtime(e) > 0) {
		/* libarchive's gzip filter puts MTIME on the raw entry. */
		*mtime = archive_entry_mtime(e);
		*msrc = FL_MTIME_GZIP;
	}
}

/* Reads the single entry of a raw level: a plain or decompressed stream. */
static void
read_leaf(struct level *L, struct archive_entry *e)
{
	struct reader *rd = L->rd;
	const struct fl_limits *lim = rd->lim;
	struct stream s;
	struct failure *f = NULL;
	int64_t mtime;
	enum fl_mtime_source msrc;
	const void *b;
	size_t n;
	la_int64_t off;
	uint64_t sbytes = 0, room;
	int r;

	entry_mtime(L, e, &mtime, &msrc);
	stream_begin(rd, &s, L->depth, mtime, msrc, name_layers(L));
	for (;;) {
		r = archive_read_data_block(L->a, &b, &n, &off);
		if (r == ARCHIVE_EOF) {
			if (L->starved)
				f = failure_of(L);
			break;
		}
		if (r != ARCHIVE_OK) {
			f = failure_of(L);
			break;
		}
		room = lim->max_member_bytes - sbytes;
		if (lim->max_total_bytes - rd->total < room)
			room = lim->max_total_bytes - rd->total;
		if (n > room) {
			fl_input_lines_feed(rd->lines, b, (size_t)room);
			rd->total += room;
			if (room == lim->max_member_bytes - sbytes) {
				fail_set(&L->fail, 1, "stream larger than %llu "
				    "bytes (limit --max-member-bytes)",
				    (unsigned long long)lim->max_member_bytes);
			} else {
				fail_set(&L->fail, 1, "input larger than %llu "
				    "bytes decompressed (limit "
				    "--max-total-bytes)",
				    (unsigned long long)lim->max_total_bytes);
				rd->stop = 1;
			}
			f = &L->fail;
			break;
		}
		fl_input_lines_feed(rd->lines, b, n);
		sbytes += n;
		rd->total += n;
		L->out += n;
		if (ratio_exceeded(L)) {
			f = &L->fail;
			break;
		}
	}
	stream_end(rd, &s, f);
}

static void read_level(struct level *L);

/* Gathers the rest of L's entry after the first block into mem, so that
 * 7-Zip can seek in it. Returns 0, or -1 with the reason on L->fail. */
static int
gather(struct level *L, struct fl_buf *mem)
{
	uint64_t cap = L->rd->lim->max_member_bytes < SEEK_BUFFER_MAX ?
	    L->rd->lim->max_member_bytes : SEEK_BUFFER_MAX;
	const void *b;
	size_t n;
	la_int64_t off;
	int r;

	for (;;) {
		r = archive_read_data_block(L->a, &b, &n, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK) {
			if (r == ARCHIVE_FATAL)
				L->dead = 1;
			fail_set(&L->fail, 0, "%s", arch_error(L->a));
			return -1;
		}
		L->out += n;
		if (ratio_exceeded(L))
			return -1;
		if (mem->len + n > cap) {
			fail_set(&L->fail, 1, "7-Zip archive inside an archive "
			    "larger than %llu bytes: it must be held in memory "
			    "to be read", (unsigned long long)cap);
			return -1;
		}
		fl_buf_add(mem, b, n);
	}
}

/* Reads one member of an archive: opens a nested level over its data. */
static void
read_member(struct level *L, struct archive_entry *e)
{
	struct reader *rd = L->rd;
	struct level C;
	struct fl_buf mem = {0};
	const void *b;
	size_t n;
	la_int64_t off;
	int r;

	memset(&C, 0, sizeof C);
	C.rd = rd;
	C.parent = L;
	C.chain_len = rd->chain.len;
	C.depth = L->depth;
	entry_mtime(L, e, &C.mtime, &C.msrc);
	if (archive_format(L->a) == ARCHIVE_FORMAT_RAW)
		C.outer_layers = name_layers(L);
	do
		r = archive_read_data_block(L->a, &b, &n, &off);
	while (r == ARCHIVE_OK && n == 0);
	if (r == ARCHIVE_EOF) {
		stream_bare(rd, &C, L->starved ? failure_of(L) : NULL, 0);
		return;
	}
	if (r != ARCHIVE_OK) {
		if (r == ARCHIVE_FATAL)
			L->dead = 1;
		stream_bare(rd, &C, failure_of(L), 0);
		return;
	}
	L->out += n;
	if (ratio_exceeded(L)) {
		stream_bare(rd, &C, &L->fail, 0);
		return;
	}
	C.first = b;
	C.nfirst = n;
	C.nmagic = n < sizeof C.magic ? n : sizeof C.magic;
	memcpy(C.magic, b, C.nmagic);
	if (n >= 6 && memcmp(b, "7z\xbc\xaf\x27\x1c", 6) == 0) {
		fl_buf_add(&mem, b, n);
		C.first = NULL;
		if (gather(L, &mem) != 0) {
			stream_bare(rd, &C, root_failure(L, NULL), 0);
			fl_buf_free(&mem);
			return;
		}
		C.mem = mem.data;
		C.memlen = mem.len;
	}
	if (level_start(&C, C.mem != NULL) != 0)
		open_failed(rd, &C);
	else
		read_level(&C);
	level_close(&C);
	fl_buf_free(&mem);
}

static const char *
entry_path(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);

	if (p == NULL)
		p = archive_entry_pathname_utf8(e);
	return p != NULL ? p : "?";
}

/* After a damaged entry has made libarchive give up on a zip or 7-Zip file
 * on disk, or a zip entry was stopped by the ratio limit, opens the file
 * again and skips the entries already seen: in a zip that costs a seek
 * each. (Skipping within a solid 7-Zip block means decompressing, so a
 * 7-Zip file stays abandoned after a limit.) */
static int
reopen(struct level *L, unsigned long entries)
{
	struct reader *rd = L->rd;
	struct archive_entry *e;
	unsigned long i;
	int r, zip = (archive_format(L->a) & ARCHIVE_FORMAT_BASE_MASK) ==
	    ARCHIVE_FORMAT_ZIP;

	if (L->parent != NULL || !rd->seekable || (L->fail.limit && !zip) ||
	    L->broken.msg != NULL || entries == 0 || rd->reopens >= MAX_REOPEN)
		return 0;
	rd->reopens++;
	L->out = 0;
	archive_read_free(L->a);
	L->a = NULL;
	if (lseek(rd->fd, 0, SEEK_SET) != 0)
		return 0;
	rd->pos = 0;
	if (level_start(L, 1) != 0)
		return 0;
	for (i = 0; i < entries; i++) {
		r = archive_read_next_header(L->a, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return 0;
	}
	L->dead = 0;
	return 1;
}

static void
read_level(struct level *L)
{
	struct reader *rd = L->rd;
	struct archive_entry *e;
	int r, fmt, first = 1, resync = 0;
	unsigned long entries = 0;
	unsigned failures = 0;

	for (;;) {
		if (L->dead && !reopen(L, entries))
			break;
		if (rd->stop)
			break;
		fail_clear(&L->fail);
		r = archive_read_next_header(L->a, &e);
		fmt = archive_format(L->a);
		if (first && r != ARCHIVE_FATAL) {
			first = 0;
			/* A layer counts when it decompresses or unpacks. */
			if (layers(L) > 0 || (fmt != ARCHIVE_FORMAT_RAW &&
			    fmt != ARCHIVE_FORMAT_EMPTY))
				L->depth++;
			if (L->depth > rd->lim->max_depth) {
				fail_set(&L->fail, 1, "nested deeper than %u "
				    "levels (limit --max-depth)",
				    rd->lim->max_depth);
				L->depth--;
				stream_bare(rd, L, &L->fail, 0);
				break;
			}
			if (fmt == ARCHIVE_FORMAT_EMPTY) {
				stream_bare(rd, L, L->starved ?
				    failure_of(L) : NULL, name_layers(L));
				break;
			}
			if (fmt != ARCHIVE_FORMAT_RAW) {
				if (rd->chain.len > 0)
					fl_buf_addc(&rd->chain, '!');
				L->chain_len = rd->chain.len;
			}
		}
		if (r == ARCHIVE_EOF) {
			if (L->starved)
				level_problem(L, "; rest of the archive not read");
			break;
		}
		if (r == ARCHIVE_WARN) {
			/* Such as a name not convertible to the locale: the
			 * entry is read all the same. */
			fl_buf_reset(&rd->where);
			fl_buf_printf(&rd->where, "%s!", rd->file->path);
			fl_buf_add(&rd->where, rd->chain.data, L->chain_len);
			fl_buf_adds(&rd->where, entry_path(e));
			fl_diagf(rd->diag, FL_DIAG_NOTE, rd->where.data, "%s",
			    arch_error(L->a));
		} else if (r == ARCHIVE_RETRY) {
			/* A damaged header: libarchive looks for the next one,
			 * a block at a time. One problem for the whole run. */
			if (!resync)
				level_problem(L, "; looking for the next member");
			resync = 1;
			continue;
		} else if (r != ARCHIVE_OK) {
			level_problem(L, r == ARCHIVE_FATAL ?
			    "; rest of the archive not read" : "; member skipped");
			if (r == ARCHIVE_FATAL || ++failures >= 100)
				break;
			continue;
		}
		resync = 0;
		failures = 0;
		entries++;
		if (fmt == ARCHIVE_FORMAT_RAW) {
			if (L->nested)
				read_member(L, e);
			else
				read_leaf(L, e);
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG ||
		    archive_entry_hardlink(e) != NULL)
			continue;
		rd->chain.len = L->chain_len;
		fl_buf_adds(&rd->chain, entry_path(e));
		rd->comp_start = L->chain_len;
		read_member(L, e);
	}
}

/* --- one input file ----------------------------------------------------- */

static void
hex_digest(EVP_MD_CTX *md, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_DigestFinal_ex(md, d, &n);
	for (i = 0; i < n && i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

enum fl_err
fl_input_read(const struct fl_input_file *file, const struct fl_limits *lim,
    const struct fl_stream_visitor *visitor, struct fl_input_result *out,
    const struct fl_diag *diag)
{
	struct reader rd;
	struct level top;
	struct stat st;
	int flags;
	ssize_t m;

	memset(out, 0, sizeof *out);
	memset(&rd, 0, sizeof rd);
	rd.file = file;
	rd.lim = lim;
	rd.vis = visitor;
	rd.diag = diag;
	rd.out = out;
	if (file->kind != FL_INPUT_FILE) {
		out->error = fl_xstrdup(file->note ? file->note : "not a file");
		out->damaged = 1;
		return FL_ERR_IO;
	}
	rd.fd = fl_input_open(file->path,
	    O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (rd.fd < 0 || fstat(rd.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		out->error = rd.fd >= 0 ? fl_xstrdup("not a regular file") :
		    fl_xasprintf("cannot open: %s", strerror(errno));
		out->damaged = 1;
		fl_diagf(diag, FL_DIAG_ERROR, file->path, "%s", out->error);
		if (rd.fd >= 0)
			close(rd.fd);
		return FL_ERR_IO;
	}
	/* O_NONBLOCK only kept the open from hanging on a FIFO. */
	flags = fcntl(rd.fd, F_GETFL);
	if (flags >= 0)
		fcntl(rd.fd, F_SETFL, flags & ~O_NONBLOCK);
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(rd.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	rd.iobuf = fl_xmalloc(IOBUF_SIZE);
	rd.md = EVP_MD_CTX_new();
	if (rd.md == NULL || !EVP_DigestInit_ex(rd.md, EVP_sha256(), NULL))
		abort();
	rd.lines = fl_input_lines_new(lim->max_line);

	memset(&top, 0, sizeof top);
	top.rd = &rd;
	top.mtime = mtime_ok((int64_t)st.st_mtime) ? (int64_t)st.st_mtime :
	    INT64_MIN;
	top.msrc = top.mtime != INT64_MIN ? FL_MTIME_FILE : FL_MTIME_NONE;
	m = pread(rd.fd, top.magic, sizeof top.magic, 0);
	top.nmagic = m > 0 ? (size_t)m : 0;
	/* Zip and 7-Zip read their directory at the end: let them seek. */
	if (m >= 2 && top.magic[0] == 'P' && top.magic[1] == 'K')
		rd.seekable = 1;
	if (m == 6 && memcmp(top.magic, "7z\xbc\xaf\x27\x1c", 6) == 0)
		rd.seekable = 1;
	if (level_start(&top, rd.seekable) != 0)
		open_failed(&rd, &top);
	else
		read_level(&top);
	level_close(&top);
	/* Hash what libarchive did not read, so the digest covers the file. */
	if (!rd.io_error && hash_gap(&rd, UINT64_MAX) != 0) {
		char msg[200];

		snprintf(msg, sizeof msg, "read error: %s",
		    strerror(rd.io_error));
		problem(&rd, NULL, UINT64_MAX, msg, 0, NULL);
	}
	hex_digest(rd.md, out->sha256);
	out->bytes = rd.hashed;
	close(rd.fd);
	if (rd.problems > 1) {
		char *s = fl_xasprintf("%s (and %u more)", out->error,
		    rd.problems - 1);

		free(out->error);
		out->error = s;
	}
	out->damaged = rd.problems > 0;
	fl_input_lines_free(rd.lines);
	free(rd.iobuf);
	EVP_MD_CTX_free(rd.md);
	fl_buf_free(&rd.chain);
	fl_buf_free(&rd.name);
	fl_buf_free(&rd.dir);
	fl_buf_free(&rd.where);
	if (rd.io_error)
		return FL_ERR_IO;
	if (rd.format_error)
		return FL_ERR_FORMAT;
	if (rd.limit_error)
		return FL_ERR_LIMIT;
	return FL_OK;
}

void
fl_input_result_free(struct fl_input_result *res)
{
	if (res == NULL)
		return;
	free(res->error);
	res->error = NULL;
}
