#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fl_util.h"
#include "tap.h"

struct pair {
	int key, pos;
};

static int
cmp_key(const void *a, const void *b, void *ctx)
{
	int dir = *(int *)ctx;

	return dir * (((const struct pair *)a)->key - ((const struct pair *)b)->key);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	struct fl_buf b = {0};
	char t[FL_TIME_STRLEN], hex[65];
	int64_t us;
	struct fl_arena *a;
	char *s;

	fl_buf_json_str(&b, "a\"b\\c\n\x01\xc3\xa9\xff", 10);
	is_str(b.data, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\\u00ff\"",
	    "JSON escaping keeps UTF-8 and escapes control and invalid bytes");
	fl_buf_reset(&b);
	fl_buf_text_safe(&b, "x\x1b[31mred\xc2\x9b", 11);
	is_str(b.data, "x\\x1b[31mred\\xc2\\x9b",
	    "terminal escapes and C1 controls never reach a terminal raw");
	fl_buf_reset(&b);
	fl_buf_text_safe(&b, "a\xe2\x80\xae" "b\xef\xbf\xbf" "c\xc3\xa9", 11);
	is_str(b.data, "a\\xe2\\x80\\xaeb\\xef\\xbf\\xbfc\xc3\xa9",
	    "bidirectional overrides and U+FFFF are escaped, other UTF-8 kept");
	fl_buf_reset(&b);
	fl_buf_html(&b, "<a href='x'>&</a>", 17);
	is_str(b.data, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;", "HTML escaping");
	fl_buf_free(&b);

	ok(fl_utf8_valid("h\xc3\xa9", 3), "valid UTF-8");
	ok(!fl_utf8_valid("\xc0\xaf", 2), "overlong encoding is invalid");
	ok(!fl_utf8_valid("\xed\xa0\x80", 3), "surrogates are invalid");

	is_int(fl_days_from_civil(1970, 1, 1), 0, "epoch day");
	is_int(fl_days_from_civil(2024, 2, 29), 19782, "leap day 2024");
	fl_format_time(t, INT64_C(1722678072) * FL_US_PER_SEC + 5, 1);
	is_str(t, "2024-08-03T09:41:12.000005Z", "format with microseconds");
	fl_format_time(t, -1, 0);
	is_str(t, "1969-12-31T23:59:59Z", "negative times round down");
	fl_format_time(t, FL_TIME_UNKNOWN, 0);
	is_str(t, "unknown", "unknown time");

	ok(fl_parse_time_arg("2024-08-03T11:41:12+02:00", &us) == 0 &&
	    us == INT64_C(1722678072) * FL_US_PER_SEC, "time with offset");
	ok(fl_parse_time_arg("2024-08-03", &us) == 0 &&
	    us == INT64_C(1722643200) * FL_US_PER_SEC, "date alone is midnight UTC");
	ok(fl_parse_time_arg("2023-02-29", &us) != 0, "no Feb 29 in 2023");
	ok(fl_parse_time_arg("2024-08-03T25:00", &us) != 0, "hour out of range");
	ok(fl_parse_duration("15m", &us) == 0 && us == 900 * FL_US_PER_SEC,
	    "duration in minutes");
	ok(fl_parse_duration("3x", &us) != 0, "bad duration unit");

	fl_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of abc");

	{
		struct pair v[37];
		int i, dir = 1, sorted = 1, stable = 1;

		for (i = 0; i < 37; i++) {
			v[i].key = (i * 7) % 5;
			v[i].pos = i;
		}
		fl_msort(v, 37, sizeof *v, cmp_key, &dir);
		for (i = 1; i < 37; i++) {
			sorted &= v[i - 1].key <= v[i].key;
			stable &= v[i - 1].key < v[i].key || v[i - 1].pos < v[i].pos;
		}
		ok(sorted && stable, "fl_msort sorts with a context and is stable");
	}

	{
		/* every rank of arrays with and without repeats, sorted,
		 * reversed and scrambled, against a sort */
		int64_t v[200], w[200];
		size_t n, k, i, bad = 0, shape;
		uint64_t x = 88172645463325252u;

		for (shape = 0; shape < 4; shape++)
			for (n = 1; n <= 200; n += 13)
				for (k = 0; k < n; k++) {
					for (i = 0; i < n; i++) {
						x ^= x << 13;
						x ^= x >> 7;
						x ^= x << 17;
						v[i] = shape == 0 ? (int64_t)(x % 1000) - 500 :
						    shape == 1 ? (int64_t)(x % 3) :
						    shape == 2 ? (int64_t)i : (int64_t)(n - i);
					}
					memcpy(w, v, n * sizeof *v);
					qsort(w, n, sizeof *w, cmp_i64);
					if (fl_select_i64(v, n, k) != w[k])
						bad++;
					for (i = 0; i < n; i++)
						if ((i < k && v[i] > w[k]) ||
						    (i > k && v[i] < w[k]))
							bad++;
				}
		ok(bad == 0, "fl_select_i64 finds every rank and splits around it");
	}

	a = fl_arena_new();
	s = fl_arena_strdup(a, "hello");
	(void)fl_arena_alloc(a, 1 << 20);
	is_str(s, "hello", "arena keeps strings across a large allocation");
	fl_arena_free(a);
	return tap_done();
}
