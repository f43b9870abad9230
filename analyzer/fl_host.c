#include "config.h"

#include "fl_host.h"

#include <ctype.h>
#include <string.h>

#include "fl_util.h"

/* Names that say what a log is, not whose it is. */
static int
generic_name(const char *s, size_t n)
{
	static const char *const names[] = {
		"syslog", "messages", "auth", "auth.log", "secure", "kern",
		"kern.log", "daemon", "daemon.log", "user", "user.log", "debug",
		"cron", "maillog", "mail", "mail.log", "mail.err", "mail.info",
		"mail.warn", "audit", "audit.log", "journal", "events", "log",
		"logs", "var", "varlog", "evidence", "power", "ipmi", "bmc",
		"access", "ups", "pdu", "sel", "system", "system.log", "dmesg",
		"boot", "boot.log", "apcupsd", "apcupsd.events", "nut",
		"export", "exports", "tmp", "data", "collected", "evidence-set",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncasecmp(names[i], s, n) == 0)
			return 1;
	return 0;
}

/* Strips extensions (.tar.gz, .log, .txt, .csv, .events, .json, rotation
 * numbers and dates) from a base name. */
static size_t
stem_len(const char *s, size_t n)
{
	static const char *const exts[] = {
		".gz", ".bz2", ".xz", ".zst", ".lz4", ".tgz", ".tbz2", ".txz",
		".tar", ".zip", ".7z", ".cpio", ".log", ".txt", ".csv",
		".events", ".json", ".jsonl", ".sel", ".out",
	};
	int changed = 1;
	size_t i, el;

	while (changed && n > 0) {
		changed = 0;
		for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
			el = strlen(exts[i]);
			if (n > el && strncasecmp(s + n - el, exts[i], el) == 0) {
				n -= el;
				changed = 1;
			}
		}
		/* rotation: "syslog.1", "messages-20240804" */
		i = n;
		while (i > 0 && isdigit((unsigned char)s[i - 1]))
			i--;
		if (i < n && i > 1 && (s[i - 1] == '.' ||
		    (s[i - 1] == '-' && n - i == 8))) {
			n = i - 1;
			changed = 1;
		}
	}
	return n;
}

/* Drops a trailing "-nmc" or "-sel": the card or log of the named device. */
static size_t
strip_suffix(const char *s, size_t n)
{
	static const char *const suf[] = {"-nmc", "_nmc", "-sel", "_sel",
		"-eventlog", "-events"};
	size_t i, sl;

	for (i = 0; i < sizeof suf / sizeof suf[0]; i++) {
		sl = strlen(suf[i]);
		if (n > sl && strncasecmp(s + n - sl, suf[i], sl) == 0)
			return n - sl;
	}
	return n;
}

/* Drops a leading "sel-", "ipmi-", "bmc-", "nmc-" and the like. */
static const char *
strip_prefix(const char *s, size_t *n)
{
	static const char *const pre[] = {"sel-", "sel_", "ipmi-", "ipmi_",
		"bmc-", "bmc_", "host-", "events-"};
	size_t i, pl;

	for (i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		pl = strlen(pre[i]);
		if (*n > pl && strncasecmp(s, pre[i], pl) == 0) {
			*n -= pl;
			return s + pl;
		}
	}
	return s;
}

/* Tries one path component; returns a malloc'd name or NULL. */
static char *
try_component(const char *s, size_t n)
{
	size_t len;
	const char *p;

	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return NULL;
	len = stem_len(s, n);
	if (len == 0 || generic_name(s, len))
		return NULL;
	p = strip_prefix(s, &len);
	len = strip_suffix(p, len);
	if (len == 0 || generic_name(p, len))
		return NULL;
	return fl_xstrndup(p, len);
}

char *
fl_host_from_path(const struct fl_stream_info *info)
{
	struct fl_buf chain = {0};
	const char *s, *end, *start;
	char *name;

	/* Walk from the innermost component outwards: input path, then the
	 * member chain, split at '/' and '!'. */
	fl_buf_adds(&chain, info->input_path ? info->input_path : "");
	if (info->member != NULL && info->member[0] != '\0') {
		fl_buf_addc(&chain, '!');
		fl_buf_adds(&chain, info->member);
	}
	s = chain.data ? chain.data : "";
	end = s + strlen(s);
	while (end > s) {
		start = end;
		while (start > s && start[-1] != '/' && start[-1] != '!')
			start--;
		if (end > start && (name = try_component(start, (size_t)(end - start)))) {
			fl_buf_free(&chain);
			return name;
		}
		end = start > s ? start - 1 : s;
	}
	fl_buf_free(&chain);
	return fl_xstrdup("unknown");
}
