/* Minimal TAP producer for the C unit tests (read by automake's tap-driver.sh). */
#ifndef FL_TAP_H
#define FL_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                     \
	do {                                                              \
		int tap_c = (cond) ? 1 : 0;                               \
		printf("%s %d - ", tap_c ? "ok" : "not ok", ++tap_n);     \
		printf(__VA_ARGS__);                                      \
		printf("\n");                                             \
		if (!tap_c) {                                             \
			tap_failed++;                                     \
			printf("#   failed at %s:%d\n", __FILE__, __LINE__); \
		}                                                         \
	} while (0)

#define is_int(got, want, ...)                                            \
	do {                                                              \
		long long tap_g = (long long)(got), tap_w = (long long)(want); \
		ok(tap_g == tap_w, __VA_ARGS__);                          \
		if (tap_g != tap_w)                                       \
			printf("#   got %lld, want %lld\n", tap_g, tap_w); \
	} while (0)

#define is_str(got, want, ...)                                            \
	do {                                                              \
		const char *tap_g = (got), *tap_w = (want);               \
		int tap_eq = tap_g && tap_w && strcmp(tap_g, tap_w) == 0; \
		ok(tap_eq, __VA_ARGS__);                                  \
		if (!tap_eq)                                              \
			printf("#   got \"%s\", want \"%s\"\n",           \
			    tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)"); \
	} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
