/*
 * parse-dump: a check program for fl_parse. Reads the files given as
 * arguments line by line and prints, per line, what the parser made of it,
 * then per file the accounting: lines, parsed, unparsed, parse rate.
 *
 *   parse-dump [-q] [-f FORMAT] [-b REPEAT] FILE...
 *     -q         only the per-file summary
 *     -f FORMAT  format hint (as --format-hint)
 *     -b REPEAT  benchmark: parse the lines REPEAT times without printing
 *                and report lines per second on stderr
 *
 * Each line is handed to the parser in a buffer of exactly its length (no
 * NUL after it), so that a sanitizer build catches any read past the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fl_parse.h"
#include "fl_util.h"

static void
put_span(struct fl_buf *b, const char *key, struct fl_span s)
{
	if (s.n == 0)
		return;
	fl_buf_printf(b, "\t%s=", key);
	fl_buf_text_safe(b, s.p, s.n);
}

static void
put_time(struct fl_buf *b, const struct fl_ltime *t)
{
	char frac[16] = "";

	if (t->has_usec)
		snprintf(frac, sizeof frac, ".%06d", (int)t->usec);
	switch (t->kind) {
	case FL_LT_NONE:
		fl_buf_adds(b, "\t-");
		break;
	case FL_LT_NO_YEAR:
		fl_buf_printf(b, "\tnoyear --%02u-%02u %02u:%02u:%02u%s",
		    t->mon, t->day, t->hour, t->min, t->sec, frac);
		break;
	case FL_LT_LOCAL:
	case FL_LT_OFFSET:
		fl_buf_printf(b, "\t%s %04d-%02u-%02u %02u:%02u:%02u%s",
		    t->kind == FL_LT_LOCAL ? "local" : "offset", (int)t->year,
		    t->mon, t->day, t->hour, t->min, t->sec, frac);
		if (t->kind == FL_LT_OFFSET) {
			int32_t o = t->utc_offset < 0 ? -t->utc_offset :
			    t->utc_offset;

			fl_buf_printf(b, " %c%02d:%02d",
			    t->utc_offset < 0 ? '-' : '+', (int)(o / 3600),
			    (int)(o % 3600 / 60));
		}
		if (t->zone_abbr) {
			fl_buf_adds(b, " zone=");
			fl_buf_text_safe(b, t->zone_abbr, t->zone_abbr_len);
		}
		break;
	case FL_LT_EPOCH: {
		char ts[FL_TIME_STRLEN];

		fl_format_time(ts, t->epoch_us, t->has_usec);
		fl_buf_printf(b, "\tepoch %s", ts);
		break;
	}
	case FL_LT_UPTIME:
	case FL_LT_PREINIT:
		fl_buf_printf(b, "\t%s %lld.%06lld",
		    t->kind == FL_LT_UPTIME ? "uptime" : "preinit",
		    (long long)(t->epoch_us / 1000000),
		    (long long)(t->epoch_us % 1000000));
		break;
	}
}

static void
dump(struct fl_buf *b, uint64_t lineno, const struct fl_parsed *o)
{
	fl_buf_printf(b, "%llu\t%s", (unsigned long long)lineno,
	    fl_format_name(o->format));
	if (o->flags & FL_PF_BOOT)
		fl_buf_adds(b, "+boot");
	if (o->flags & FL_PF_CONTINUATION)
		fl_buf_adds(b, "+cont");
	if (o->flags & FL_PF_COMMENT)
		fl_buf_adds(b, "+comment");
	put_time(b, &o->t);
	put_span(b, "host", o->host);
	put_span(b, "prog", o->program);
	put_span(b, "pid", o->pid);
	if (o->facility >= 0)
		fl_buf_printf(b, "\tfac=%d", o->facility);
	if (o->severity >= 0)
		fl_buf_printf(b, "\tsev=%d", o->severity);
	fl_buf_adds(b, "\tmsg=");
	fl_buf_text_safe(b, o->message.p, o->message.n);
	for (size_t k = 0; k < o->n_extra; k++) {
		fl_buf_adds(b, "\tx:");
		fl_buf_text_safe(b, o->extra_name[k].p, o->extra_name[k].n);
		fl_buf_addc(b, '=');
		fl_buf_text_safe(b, o->extra_value[k].p, o->extra_value[k].n);
	}
	fl_buf_addc(b, '\n');
}

/* Reads the whole file into lines (without "\n" and a trailing "\r"). */
static char **
read_lines(const char *path, size_t **lens, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL, **v = NULL;
	size_t cap = 0, vcap = 0;
	ssize_t r;

	*n = 0;
	*lens = NULL;
	if (f == NULL)
		return NULL;
	while ((r = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)r;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (*n == vcap) {
			vcap = vcap ? 2 * vcap : 1024;
			v = fl_xreallocarray(v, vcap, sizeof *v);
			*lens = fl_xreallocarray(*lens, vcap, sizeof **lens);
		}
		v[*n] = fl_xmalloc(len);
		memcpy(v[*n], line, len);
		(*lens)[*n] = len;
		(*n)++;
	}
	free(line);
	fclose(f);
	return v ? v : fl_xmalloc(1);
}

int
main(int argc, char **argv)
{
	struct fl_parse_opts opts = {FL_FMT_UNKNOWN, NULL};
	struct fl_buf b = {0};
	long repeat = 0;
	int quiet = 0, c, status = 0;

	while ((c = getopt(argc, argv, "qf:b:")) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'f':
			if ((opts.hint = fl_format_from_name(optarg)) ==
			    FL_FMT_UNKNOWN) {
				fprintf(stderr, "parse-dump: unknown format %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'b':
			repeat = strtol(optarg, NULL, 10);
			if (repeat < 1) {
				fprintf(stderr, "parse-dump: bad -b value\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: parse-dump [-q] [-f FORMAT] "
			    "[-b REPEAT] FILE...\n");
			return 2;
		}
	}
	for (int a = optind; a < argc; a++) {
		struct fl_stream_info info = {0};
		struct fl_parsed o;
		struct fl_parser *p;
		size_t n, *lens;
		char **lines = read_lines(argv[a], &lens, &n);
		uint64_t parsed = 0;

		if (lines == NULL) {
			perror(argv[a]);
			status = 1;
			continue;
		}
		info.input_path = argv[a];
		info.member = "";
		info.name = argv[a];
		info.dir_hint = "";
		info.mtime = INT64_MIN;
		if (repeat > 0) {
			struct timespec t0, t1;
			double secs;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (long r = 0; r < repeat; r++) {
				p = fl_parser_new(&opts, &info);
				for (size_t i = 0; i < n; i++)
					parsed += (uint64_t)fl_parse_line(p,
					    lines[i], lens[i], &o);
				fl_parser_free(p);
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			secs = (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			fprintf(stderr, "%s: %zu lines x %ld in %.3f s: %.0f "
			    "lines/s (%llu parsed)\n", argv[a], n, repeat, secs,
			    secs > 0 ? (double)n * (double)repeat / secs : 0.0,
			    (unsigned long long)parsed);
		} else {
			p = fl_parser_new(&opts, &info);
			for (size_t i = 0; i < n; i++) {
				int ok = fl_parse_line(p, lines[i], lens[i], &o);

				parsed += (uint64_t)ok;
				if (ok != (o.format != FL_FMT_UNKNOWN)) {
					fprintf(stderr, "parse-dump: %s:%zu: "
					    "return value and format disagree\n",
					    argv[a], i + 1);
					status = 1;
				}
				if (!quiet) {
					dump(&b, i + 1, &o);
					fwrite(b.data, 1, b.len, stdout);
					fl_buf_reset(&b);
				}
			}
			printf("# %s: lines=%zu parsed=%llu unparsed=%llu "
			    "rate=%.2f%% format=%s\n", argv[a], n,
			    (unsigned long long)parsed,
			    (unsigned long long)(n - parsed),
			    n ? 100.0 * (double)parsed / (double)n : 100.0,
			    fl_format_name(fl_parser_format(p)));
			fl_parser_free(p);
		}
		for (size_t i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		free(lens);
	}
	fl_buf_free(&b);
	return status;
}
