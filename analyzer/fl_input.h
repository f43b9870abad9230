/*
 * fl_input: turns the paths a user gives into streams of lines with a chain
 * of custody. Files, directories (recursive, sorted by byte order), single
 * compressed files (gzip, bzip2, xz, zstd, lz4) and archives (tar in any of
 * those compressions, zip, 7z, cpio) nested to a bounded depth, all streamed
 * through libarchive: nothing is extracted, nothing is opened for writing,
 * member names are never used as paths.
 *
 * Ownership: fl_input_collect fills a struct fl_input_list that the caller
 * releases with fl_input_list_free. During fl_input_read the pointers in
 * struct fl_stream_info and struct fl_stream_stats are owned by the reader
 * and valid only until the visitor's end() returns: copy what you keep.
 * struct fl_input_result is filled by fl_input_read and released with
 * fl_input_result_free.
 *
 * Threads: fl_input_read may run concurrently on different files; each call
 * has its own state.
 */
#ifndef FL_INPUT_H
#define FL_INPUT_H

#include <stdint.h>
#include <stddef.h>

#include "fl_util.h"

/* Every limit is explicit, has a default, and is reported when hit. */
struct fl_limits {
	size_t max_line;           /* bytes; longer lines are truncated (the
	                            * rest of the line is skipped and counted) */
	unsigned max_depth;        /* nesting of archives/compressions */
	uint64_t max_member_bytes; /* decompressed bytes of one stream */
	uint64_t max_total_bytes;  /* decompressed bytes of one input file */
	uint64_t max_ratio;        /* decompressed/compressed bytes of a member
	                            * (judged per layer once it has produced
	                            * 1 MiB; the layer is then abandoned) */
};
#define FL_DEFAULT_MAX_LINE (64 * 1024)
#define FL_DEFAULT_MAX_DEPTH 4
#define FL_DEFAULT_MAX_MEMBER_BYTES (UINT64_C(16) << 30)
#define FL_DEFAULT_MAX_TOTAL_BYTES (UINT64_C(64) << 30)
#define FL_DEFAULT_MAX_RATIO 1000
void fl_limits_default(struct fl_limits *lim);

/* One path found by fl_input_collect. */
enum fl_input_kind {
	FL_INPUT_FILE,        /* a regular file to read */
	FL_INPUT_UNREADABLE,  /* missing or permission denied: error says why */
	FL_INPUT_SKIPPED      /* FIFO, device, socket, symlink loop, or a
	                       * file or directory already reached by another
	                       * path ("same file as ..."): note says */
};
struct fl_input_file {
	char *path;          /* as reached from the user's argument */
	enum fl_input_kind kind;
	uint64_t size;       /* bytes on disk (FL_INPUT_FILE) */
	int64_t mtime;       /* seconds since the epoch, file system mtime */
	char *note;          /* why unreadable or skipped; NULL for files */
};
struct fl_input_list {
	struct fl_input_file *v;
	size_t n;
};
/* Walks paths in the given order; directories are walked recursively,
 * depth first, each directory's names in byte order (strcmp); symlinks are
 * followed but loops are detected. Never opens anything for writing and
 * never blocks on a FIFO. Never fails as a whole: problems become
 * FL_INPUT_UNREADABLE / FL_INPUT_SKIPPED entries. */
void fl_input_collect(const char *const *paths, size_t npaths,
    struct fl_input_list *out);
void fl_input_list_free(struct fl_input_list *list);
/* open(2) of evidence, with O_NOATIME where the kernel allows it (the
 * owner, or CAP_FOWNER): reading leaves the access time as it was. */
int fl_input_open(const char *path, int flags);

/* Where the mtime of a stream came from (year evidence for the clock). */
enum fl_mtime_source {
	FL_MTIME_NONE,
	FL_MTIME_FILE,     /* file system mtime of the input file */
	FL_MTIME_ARCHIVE,  /* the archive member header (tar, zip, cpio, 7z) */
	FL_MTIME_GZIP      /* the gzip header's MTIME field */
};

/* One readable log stream: a leaf below an input file. */
struct fl_stream_info {
	const char *input_path;   /* the input file (fl_input_file.path) */
	const char *member;       /* chain below the input, "" for the file
	                           * itself: "var/log/syslog.2.gz" or, nested,
	                           * "logs.zip!srv.tar.gz!var/log/syslog" */
	const char *name;         /* base name of the innermost member or file
	                           * without compression suffix: "syslog.2" */
	const char *dir_hint;     /* directory part of the path+member chain,
	                           * e.g. "evidence/ipmi" or "srv-db-07.tar.gz!var/log";
	                           * used for host attribution */
	int64_t mtime;            /* seconds since epoch, INT64_MIN if unknown;
	                           * for gzip data the header's MTIME when set,
	                           * else the member header, else the file */
	enum fl_mtime_source mtime_source;
	unsigned depth;           /* archive/compression layers above the
	                           * stream: 0 for a plain file, 1 for a .gz or
	                           * a tar member, 2 for a .gz in a tarball */
	uint32_t index;           /* 0-based position of this stream in its
	                           * input file, in reading order */
};

/* Per-line flags passed to the visitor's line(). */
#define FL_LINE_TRUNCATED 0x1u  /* longer than max_line: only the head given
                                 * (cut back to a UTF-8 character boundary) */
#define FL_LINE_NUL       0x2u  /* held NUL bytes (given as is) */
#define FL_LINE_BAD_UTF8  0x4u  /* held invalid UTF-8 */
#define FL_LINE_NO_EOL    0x8u  /* last line of the stream had no newline */

struct fl_stream_stats {
	uint64_t bytes;           /* decompressed bytes delivered */
	uint64_t lines;
	uint64_t long_lines, nul_lines, bad_utf8_lines;
	const char *error;        /* NULL, or what stopped the stream */
	uint64_t error_offset;    /* decompressed byte offset of the damage,
	                           * UINT64_MAX when unknown */
	int limit_hit;            /* error was a limit (see fl_limits) */
};

struct fl_stream_visitor {
	/* Called at the start of each stream; returns the stream's state. */
	void *(*begin)(void *ctx, const struct fl_stream_info *info);
	/* One line without its newline and without a trailing CR. lineno is
	 * 1-based; offset is the line's first byte in the decompressed
	 * stream. line is not NUL-terminated and valid only during the call. */
	void (*line)(void *state, const char *line, size_t len,
	    uint64_t lineno, uint64_t offset, unsigned flags);
	/* Called once per begun stream, also after damage. */
	void (*end)(void *state, const struct fl_stream_info *info,
	    const struct fl_stream_stats *stats);
	void *ctx;
	/* Optional (NULL): the decompressed bytes about to be split into
	 * lines, before the first of them; lines that lie whole in the block
	 * point into it, so work over the whole block (a literal search)
	 * can serve them. Valid until the next block or the stream's end. */
	void (*block)(void *state, const char *data, size_t n);
};

/* What happened to one input file as a whole. */
struct fl_input_result {
	char sha256[65];    /* of the bytes on disk, as sha256sum prints it */
	uint64_t bytes;     /* bytes on disk */
	uint32_t streams;   /* number of streams begun */
	char *error;        /* NULL, or why the file (or part of it) could not
	                     * be read: "truncated gzip stream at byte 1234" */
	int damaged;        /* some stream stopped early or a limit was hit */
};

/* Reads one input file and feeds every stream in it to the visitor.
 * Returns FL_OK when everything was read, FL_ERR_IO when the file could not
 * be opened, FL_ERR_FORMAT or FL_ERR_LIMIT when something was damaged or
 * stopped (the rest was still read). Diagnostics go to diag. */
enum fl_err fl_input_read(const struct fl_input_file *file,
    const struct fl_limits *lim, const struct fl_stream_visitor *visitor,
    struct fl_input_result *out, const struct fl_diag *diag);
void fl_input_result_free(struct fl_input_result *res);

/* The line splitter under fl_input_read, usable on its own (data already in
 * memory, tests). Bytes go in through feed in pieces of any size; lines come
 * out through line() exactly as fl_input_read delivers them. One splitter
 * serves many streams in turn; it allocates once, never per line.
 * Ownership: fl_input_lines_new returns a splitter freed with
 * fl_input_lines_free. */
typedef void fl_input_line_fn(void *state, const char *line, size_t len,
    uint64_t lineno, uint64_t offset, unsigned flags);
struct fl_input_lines;
struct fl_input_lines *fl_input_lines_new(size_t max_line);
/* Starts a stream; line may be NULL to only count. */
void fl_input_lines_begin(struct fl_input_lines *lr, fl_input_line_fn *line,
    void *state);
/* Optional: block(state, data, n) is called on each piece fed, before its
 * lines (see fl_stream_visitor). Kept across streams. */
typedef void fl_input_block_fn(void *state, const char *data, size_t n);
void fl_input_lines_on_block(struct fl_input_lines *lr,
    fl_input_block_fn *block);
void fl_input_lines_feed(struct fl_input_lines *lr, const void *data,
    size_t n);
/* Ends the stream: delivers a last line without newline and fills bytes,
 * lines, long_lines, nul_lines and bad_utf8_lines of stats (the other
 * fields are left alone). */
void fl_input_lines_end(struct fl_input_lines *lr,
    struct fl_stream_stats *stats);
void fl_input_lines_free(struct fl_input_lines *lr);

#endif
