/*
 * fl_util: the small toolbox every module shares.
 *
 * Ownership: fl_x* allocators abort the process on out-of-memory (the only
 * place library code may stop the program); what they return is freed by the
 * caller with free(). A struct fl_buf owns its data; fl_buf_free releases it
 * and leaves an empty buffer. An fl_arena owns every block it handed out;
 * fl_arena_free releases them all at once. Nothing here keeps global state,
 * so every function is safe to call from several threads.
 */
#ifndef FL_UTIL_H
#define FL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Library functions return one of these; 0 is success. */
enum fl_err {
	FL_OK = 0,
	FL_ERR_NOMEM,
	FL_ERR_IO,      /* a file could not be opened or read */
	FL_ERR_FORMAT,  /* input is damaged or not what it claims to be */
	FL_ERR_LIMIT,   /* a configured limit was reached */
	FL_ERR_USAGE,   /* bad option or argument */
	FL_ERR_RULE,    /* a rule failed to load or compile */
	FL_ERR_INTERNAL
};
const char *fl_err_str(enum fl_err err);

/* Diagnostics go through one callback; library code never prints. */
enum fl_diag_level { FL_DIAG_NOTE, FL_DIAG_WARNING, FL_DIAG_ERROR };
struct fl_diag {
	/* where: "file", "file:line:col" or "input!member@offset"; may be NULL */
	void (*emit)(void *ctx, enum fl_diag_level level, const char *where,
	    const char *msg);
	void *ctx;
};
void fl_diagf(const struct fl_diag *diag, enum fl_diag_level level,
    const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void *fl_xmalloc(size_t size);
void *fl_xcalloc(size_t n, size_t size);
void *fl_xrealloc(void *p, size_t size);
/* Grows an array of n elements of size bytes each, checking overflow. */
void *fl_xreallocarray(void *p, size_t n, size_t size);
char *fl_xstrdup(const char *s);
char *fl_xstrndup(const char *s, size_t n);
char *fl_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Doubles *cap until it holds need elements, reallocating *v. */
#define FL_GROW(v, cap, need)                                              \
	do {                                                               \
		if ((need) > (cap)) {                                      \
			size_t fl_grow_cap = (cap) ? (cap) : 8;            \
			while (fl_grow_cap < (need))                       \
				fl_grow_cap *= 2;                          \
			(v) = fl_xreallocarray((v), fl_grow_cap, sizeof *(v)); \
			(cap) = fl_grow_cap;                               \
		}                                                          \
	} while (0)

/* Growable byte buffer; data is always NUL-terminated once non-empty. */
struct fl_buf {
	char *data;
	size_t len;
	size_t cap;
};
void fl_buf_reserve(struct fl_buf *b, size_t extra);
void fl_buf_add(struct fl_buf *b, const void *p, size_t n);
void fl_buf_adds(struct fl_buf *b, const char *s);
void fl_buf_addc(struct fl_buf *b, char c);
void fl_buf_printf(struct fl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void fl_buf_vprintf(struct fl_buf *b, const char *fmt, va_list ap);
void fl_buf_reset(struct fl_buf *b);
void fl_buf_free(struct fl_buf *b);
/* Takes the contents as a malloc'd string; the buffer is left empty. */
char *fl_buf_take(struct fl_buf *b);

/* Appends s as a quoted JSON string. Invalid UTF-8 bytes become \u00XX
 * escapes of the byte value so nothing is lost and the output stays valid. */
void fl_buf_json_str(struct fl_buf *b, const char *s, size_t n);
/* The same for a C string; NULL becomes JSON null. */
void fl_buf_json_strz(struct fl_buf *b, const char *s);
/* Appends s with control characters, DEL, invalid UTF-8 and code points
 * that disguise text (C1 controls, bidirectional overrides, U+FFFE/U+FFFF)
 * escaped as \xNN (and backslash as \\) so that log text can never drive
 * or deceive a terminal. */
void fl_buf_text_safe(struct fl_buf *b, const char *s, size_t n);
/* Appends s with <, >, &, " and ' escaped for HTML; control bytes and the
 * code points fl_buf_text_safe escapes as \xNN, so the result is also
 * well-formed XML. */
void fl_buf_html(struct fl_buf *b, const char *s, size_t n);

/* True when s[0..n) is valid UTF-8. */
int fl_utf8_valid(const char *s, size_t n);

/* Bump allocator for strings and records that live as long as a result. */
struct fl_arena;
struct fl_arena *fl_arena_new(void);
void *fl_arena_alloc(struct fl_arena *a, size_t size);
char *fl_arena_strndup(struct fl_arena *a, const char *s, size_t n);
char *fl_arena_strdup(struct fl_arena *a, const char *s);
/* Moves every block of src into dst (src is left empty, still to be freed);
 * strings allocated from src stay valid for dst's lifetime. */
void fl_arena_adopt(struct fl_arena *dst, struct fl_arena *src);
void fl_arena_free(struct fl_arena *a);

/* Stable merge sort whose comparison takes a context (C11's qsort has
 * none, qsort_r is not portable). */
void fl_msort(void *base, size_t n, size_t size,
    int (*cmp)(const void *a, const void *b, void *ctx), void *ctx);

/* The k-th smallest of v[0..n) (k < n), in linear time on average; v is
 * reordered: what is before v[k] is no larger, what is after no smaller. */
int64_t fl_select_i64(int64_t *v, size_t n, size_t k);

/* Time is UTC microseconds since the epoch; this value means "unknown". */
#define FL_TIME_UNKNOWN INT64_MIN
#define FL_US_PER_SEC INT64_C(1000000)

/* Days since 1970-01-01 of a proleptic Gregorian date (any year). */
int64_t fl_days_from_civil(int64_t y, unsigned m, unsigned d);
void fl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Seconds since the epoch of a UTC civil time; no range checks. */
int64_t fl_civil_to_sec(int64_t y, unsigned mon, unsigned day, unsigned h,
    unsigned mi, unsigned s);
int fl_is_leap(int64_t y);
unsigned fl_days_in_month(int64_t y, unsigned m);

/* Writes "2024-08-03T09:41:12Z", or with microseconds
 * "2024-08-03T09:41:12.123456Z" when with_us; "unknown" for FL_TIME_UNKNOWN.
 * out must hold at least FL_TIME_STRLEN bytes. */
#define FL_TIME_STRLEN 40
void fl_format_time(char *out, int64_t utc_us, int with_us);
/* Parses an ISO 8601 time given on the command line: "2024-08-03",
 * "2024-08-03T09:41", "2024-08-03 09:41:12", optional fraction and "Z" or
 * "+02:00". Without an offset the time is UTC. Returns 0 or -1. */
int fl_parse_time_arg(const char *s, int64_t *utc_us);
/* Parses a duration "90", "90s", "15m", "2h", "1d"; returns 0 or -1. */
int fl_parse_duration(const char *s, int64_t *us);

/* Lower-case hex SHA-256 digest of a buffer (65 bytes with the NUL). */
void fl_sha256_hex(const void *data, size_t n, char out[65]);

#endif
