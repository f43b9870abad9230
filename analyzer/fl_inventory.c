#include "config.h"

#include "fl_inventory.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An inventory is small (a site, not a fleet): cap it so a wrong file
 * given by mistake fails fast instead of being parsed for minutes. */
#define INV_MAX_BYTES (16u << 20)
#define INV_MAX_TOKENS 256

struct parser {
	struct fl_inventory *inv;
	const char *name;
	const struct fl_diag *diag;
	unsigned errors;
	size_t cap_power, cap_hosts, cap_devices;
};

static void
perr(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	struct fl_buf where = {0}, msg = {0};
	va_list ap;

	fl_buf_printf(&where, "%s:%u", p->name, line);
	va_start(ap, fmt);
	fl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	fl_diagf(p->diag, FL_DIAG_ERROR, where.data, "%s", msg.data);
	fl_buf_free(&where);
	fl_buf_free(&msg);
	p->errors++;
}

static const char *
kind_name(enum fl_inv_kind k)
{
	switch (k) {
	case FL_INV_FEED: return "feed";
	case FL_INV_UPS: return "ups";
	case FL_INV_PDU: return "pdu";
	case FL_INV_HOST: return "host";
	case FL_INV_DEVICE: return "device";
	}
	return "?";
}

/* The line of an earlier record named name, or 0. */
static unsigned
defined_at(const struct fl_inventory *inv, const char *name)
{
	size_t i;

	for (i = 0; i < inv->n_power; i++)
		if (strcmp(inv->power[i].name, name) == 0)
			return inv->power[i].line;
	for (i = 0; i < inv->n_hosts; i++)
		if (strcmp(inv->hosts[i].name, name) == 0)
			return inv->hosts[i].line;
	for (i = 0; i < inv->n_devices; i++)
		if (strcmp(inv->devices[i].name, name) == 0)
			return inv->devices[i].line;
	return 0;
}

/* Splits "a,b,c" into arena strings; empty items are errors. */
static int
split_list(struct parser *p, unsigned line, const char *key, const char *v,
    const char ***out, size_t *n)
{
	const char *s = v;
	size_t cnt = 1, i = 0;
	const char **arr;

	for (; *s; s++)
		if (*s == ',')
			cnt++;
	arr = fl_arena_alloc(p->inv->arena, cnt * sizeof *arr);
	s = v;
	while (i < cnt) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == 0) {
			perr(p, line, "empty item in %s=%s", key, v);
			return -1;
		}
		arr[i++] = fl_arena_strndup(p->inv->arena, s, len);
		s = e ? e + 1 : s + len;
	}
	*out = arr;
	*n = cnt;
	return 0;
}

static int
set_once(struct parser *p, unsigned line, const char **slot, const char *key,
    const char *v)
{
	if (*slot != NULL) {
		perr(p, line, "%s= given twice", key);
		return -1;
	}
	if (*v == '\0') {
		perr(p, line, "%s= needs a value", key);
		return -1;
	}
	*slot = fl_arena_strdup(p->inv->arena, v);
	return 0;
}

static void
parse_power(struct parser *p, unsigned line, enum fl_inv_kind kind,
    const char *name, char **kv, size_t nkv)
{
	struct fl_inv_power rec;
	const char *ups = NULL, *feed = NULL;
	size_t i;

	memset(&rec, 0, sizeof rec);
	rec.name = fl_arena_strdup(p->inv->arena, name);
	rec.kind = kind;
	rec.line = line;
	for (i = 0; i < nkv; i++) {
		char *eq = strchr(kv[i], '=');
		const char *v = eq + 1;

		*eq = '\0';
		if (strcmp(kv[i], "feed") == 0 && kind != FL_INV_FEED) {
			if (set_once(p, line, &feed, "feed", v) < 0)
				return;
		} else if (strcmp(kv[i], "ups") == 0 && kind == FL_INV_PDU) {
			if (set_once(p, line, &ups, "ups", v) < 0)
				return;
		} else if (strcmp(kv[i], "rack") == 0 && kind == FL_INV_PDU) {
			if (set_once(p, line, &rec.rack, "rack", v) < 0)
				return;
		} else {
			perr(p, line, "unknown key '%s' for a %s record", kv[i],
			    kind_name(kind));
			return;
		}
	}
	if (kind == FL_INV_UPS && feed == NULL) {
		perr(p, line, "ups %s needs feed=FEED", name);
		return;
	}
	if (kind == FL_INV_PDU && (ups == NULL) == (feed == NULL)) {
		perr(p, line, "pdu %s needs exactly one of ups=UPS or feed=FEED",
		    name);
		return;
	}
	if (ups != NULL) {
		rec.upstream = ups;
		rec.upstream_kind = FL_INV_UPS;
	} else if (feed != NULL) {
		rec.upstream = feed;
		rec.upstream_kind = FL_INV_FEED;
	}
	FL_GROW(p->inv->power, p->cap_power, p->inv->n_power + 1);
	p->inv->power[p->inv->n_power++] = rec;
}

static void
parse_host(struct parser *p, unsigned line, const char *name, char **kv,
    size_t nkv)
{
	struct fl_inv_host rec;
	size_t i, cap_psu = 0;
	struct fl_inv_psu *psus = NULL;

	memset(&rec, 0, sizeof rec);
	rec.name = fl_arena_strdup(p->inv->arena, name);
	rec.line = line;
	for (i = 0; i < nkv; i++) {
		char *eq = strchr(kv[i], '=');
		const char *v = eq + 1;
		int r = 0;

		*eq = '\0';
		if (strcmp(kv[i], "psu") == 0) {
			const char *colon = strchr(v, ':');

			if (colon == NULL || colon == v || colon[1] == '\0') {
				perr(p, line, "psu=%s: expected PDU:OUTLET", v);
				r = -1;
			} else {
				FL_GROW(psus, cap_psu, rec.n_psus + 1);
				psus[rec.n_psus].pdu = fl_arena_strndup(
				    p->inv->arena, v, (size_t)(colon - v));
				psus[rec.n_psus].outlet =
				    fl_arena_strdup(p->inv->arena, colon + 1);
				psus[rec.n_psus].path = NULL;
				psus[rec.n_psus].n_path = 0;
				rec.n_psus++;
			}
		} else if (strcmp(kv[i], "services") == 0) {
			if (rec.services != NULL) {
				perr(p, line, "services= given twice");
				r = -1;
			} else
				r = split_list(p, line, "services", v,
				    &rec.services, &rec.n_services);
		} else if (strcmp(kv[i], "rack") == 0)
			r = set_once(p, line, &rec.rack, "rack", v);
		else if (strcmp(kv[i], "role") == 0)
			r = set_once(p, line, &rec.role, "role", v);
		else if (strcmp(kv[i], "zone") == 0)
			r = set_once(p, line, &rec.zone, "zone", v);
		else if (strcmp(kv[i], "bmc") == 0)
			r = set_once(p, line, &rec.bmc, "bmc", v);
		else {
			perr(p, line, "unknown key '%s' for a host record",
			    kv[i]);
			r = -1;
		}
		if (r < 0) {
			free(psus);
			return;
		}
	}
	if (rec.n_psus) {
		rec.psus = fl_arena_alloc(p->inv->arena,
		    rec.n_psus * sizeof *rec.psus);
		memcpy(rec.psus, psus, rec.n_psus * sizeof *rec.psus);
	}
	free(psus);
	FL_GROW(p->inv->hosts, p->cap_hosts, p->inv->n_hosts + 1);
	p->inv->hosts[p->inv->n_hosts++] = rec;
}

static void
parse_device(struct parser *p, unsigned line, const char *name, char **kv,
    size_t nkv)
{
	struct fl_inv_device rec;
	size_t i;

	memset(&rec, 0, sizeof rec);
	rec.name = fl_arena_strdup(p->inv->arena, name);
	rec.line = line;
	for (i = 0; i < nkv; i++) {
		char *eq = strchr(kv[i], '=');
		const char *v = eq + 1;

		*eq = '\0';
		if (strcmp(kv[i], "kind") == 0) {
			if (set_once(p, line, &rec.kind, "kind", v) < 0)
				return;
		} else if (strcmp(kv[i], "feeds") == 0 && rec.feeds == NULL) {
			if (split_list(p, line, "feeds", v, &rec.feeds,
			    &rec.n_feeds) < 0)
				return;
		} else {
			perr(p, line, "unknown or repeated key '%s' for a "
			    "device record", kv[i]);
			return;
		}
	}
	if (rec.kind == NULL) {
		perr(p, line, "device %s needs kind=KIND", name);
		return;
	}
	FL_GROW(p->inv->devices, p->cap_devices, p->inv->n_devices + 1);
	p->inv->devices[p->inv->n_devices++] = rec;
}

static void
parse_line(struct parser *p, unsigned line, char *s)
{
	char *tok[INV_MAX_TOKENS];
	size_t n = 0, i;
	char *save = NULL, *t;
	unsigned prev;

	for (t = strtok_r(s, " \t\r\f\v", &save); t != NULL;
	    t = strtok_r(NULL, " \t\r\f\v", &save)) {
		if (*t == '#')
			break;
		if (n == INV_MAX_TOKENS) {
			perr(p, line, "more than %d fields", INV_MAX_TOKENS);
			return;
		}
		tok[n++] = t;
	}
	if (n == 0)
		return;
	if (n < 2 || strchr(tok[1], '=') != NULL) {
		perr(p, line, "%s record without a name", tok[0]);
		return;
	}
	for (i = 2; i < n; i++) {
		char *eq = strchr(tok[i], '=');

		if (eq == NULL || eq == tok[i]) {
			perr(p, line, "'%s': expected KEY=VALUE", tok[i]);
			return;
		}
		if (eq[1] == '\0') {
			perr(p, line, "%.*s= needs a value", (int)(eq - tok[i]),
			    tok[i]);
			return;
		}
	}
	if ((prev = defined_at(p->inv, tok[1])) != 0) {
		perr(p, line, "'%s' defined twice (first at line %u)", tok[1],
		    prev);
		return;
	}
	if (strcmp(tok[0], "feed") == 0)
		parse_power(p, line, FL_INV_FEED, tok[1], tok + 2, n - 2);
	else if (strcmp(tok[0], "ups") == 0)
		parse_power(p, line, FL_INV_UPS, tok[1], tok + 2, n - 2);
	else if (strcmp(tok[0], "pdu") == 0)
		parse_power(p, line, FL_INV_PDU, tok[1], tok + 2, n - 2);
	else if (strcmp(tok[0], "host") == 0)
		parse_host(p, line, tok[1], tok + 2, n - 2);
	else if (strcmp(tok[0], "device") == 0)
		parse_device(p, line, tok[1], tok + 2, n - 2);
	else
		perr(p, line, "unknown record kind '%s' (feed, ups, pdu, host, "
		    "device)", tok[0]);
}

static const struct fl_inv_power *
power_exact(const struct fl_inventory *inv, const char *name)
{
	size_t i;

	for (i = 0; i < inv->n_power; i++)
		if (strcmp(inv->power[i].name, name) == 0)
			return &inv->power[i];
	return NULL;
}

/* Checks references once every record is read, and builds PSU paths. */
static void
resolve(struct parser *p)
{
	struct fl_inventory *inv = p->inv;
	size_t i, j, k;

	for (i = 0; i < inv->n_power; i++) {
		const struct fl_inv_power *r = &inv->power[i], *up;

		if (r->upstream == NULL)
			continue;
		up = power_exact(inv, r->upstream);
		if (up == NULL || up->kind != r->upstream_kind)
			perr(p, r->line, "%s %s: unknown %s '%s'",
			    kind_name(r->kind), r->name,
			    kind_name(r->upstream_kind), r->upstream);
	}
	for (i = 0; i < inv->n_devices; i++)
		for (j = 0; j < inv->devices[i].n_feeds; j++)
			if (power_exact(inv, inv->devices[i].feeds[j]) == NULL)
				perr(p, inv->devices[i].line,
				    "device %s: unknown power source '%s'",
				    inv->devices[i].name,
				    inv->devices[i].feeds[j]);
	if (p->errors)
		return;
	for (i = 0; i < inv->n_hosts; i++) {
		struct fl_inv_host *h = &inv->hosts[i];

		for (j = 0; j < h->n_psus; j++) {
			struct fl_inv_psu *psu = &h->psus[j];
			const struct fl_inv_power *r = power_exact(inv, psu->pdu);
			const char *path[8];
			size_t n = 0;
			char *tmp;

			if (r == NULL || r->kind != FL_INV_PDU) {
				perr(p, h->line, "host %s: unknown pdu '%s'",
				    h->name, psu->pdu);
				continue;
			}
			for (k = 0; k < j; k++)
				if (strcmp(h->psus[k].pdu, psu->pdu) == 0 &&
				    strcmp(h->psus[k].outlet, psu->outlet) == 0)
					break;
			if (k < j) {
				perr(p, h->line, "host %s: psu=%s:%s given "
				    "twice", h->name, psu->pdu, psu->outlet);
				continue;
			}
			tmp = fl_xasprintf("%s:%s", psu->pdu, psu->outlet);
			path[n++] = fl_arena_strdup(inv->arena, tmp);
			free(tmp);
			while (r != NULL && n < 8) {
				path[n++] = r->name;
				r = r->upstream ? power_exact(inv, r->upstream)
				    : NULL;
			}
			psu->path = fl_arena_alloc(inv->arena,
			    n * sizeof *psu->path);
			memcpy(psu->path, path, n * sizeof *path);
			psu->n_path = n;
		}
	}
}

enum fl_err
fl_inventory_parse(const char *name, const char *text, size_t len,
    struct fl_inventory **out, const struct fl_diag *diag)
{
	struct parser p;
	struct fl_inventory *inv;
	char *copy;
	size_t pos = 0;
	unsigned line = 0;

	*out = NULL;
	inv = fl_xcalloc(1, sizeof *inv);
	inv->arena = fl_arena_new();
	inv->path = fl_arena_strdup(inv->arena, name);
	memset(&p, 0, sizeof p);
	p.inv = inv;
	p.name = name;
	p.diag = diag;
	copy = fl_xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	while (pos < len) {
		char *nl = memchr(copy + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - copy) : len;

		line++;
		copy[end] = '\0';
		if (strlen(copy + pos) != end - pos)
			perr(&p, line, "NUL byte in the line");
		else
			parse_line(&p, line, copy + pos);
		pos = end + 1;
	}
	free(copy);
	if (p.errors == 0)
		resolve(&p);
	if (p.errors) {
		fl_inventory_free(inv);
		return FL_ERR_FORMAT;
	}
	*out = inv;
	return FL_OK;
}

enum fl_err
fl_inventory_load(const char *path, struct fl_inventory **out,
    const struct fl_diag *diag)
{
	FILE *f;
	struct fl_buf b = {0};
	char chunk[8192];
	size_t n;
	enum fl_err err;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		fl_diagf(diag, FL_DIAG_ERROR, path, "%s", strerror(errno));
		return FL_ERR_IO;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > INV_MAX_BYTES) {
			fl_diagf(diag, FL_DIAG_ERROR, path,
			    "larger than %u bytes: not an inventory",
			    INV_MAX_BYTES);
			fclose(f);
			fl_buf_free(&b);
			return FL_ERR_LIMIT;
		}
		fl_buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		fl_diagf(diag, FL_DIAG_ERROR, path, "read error");
		fclose(f);
		fl_buf_free(&b);
		return FL_ERR_IO;
	}
	fclose(f);
	err = fl_inventory_parse(path, b.data ? b.data : "", b.len, out, diag);
	fl_buf_free(&b);
	return err;
}

void
fl_inventory_free(struct fl_inventory *inv)
{
	if (inv == NULL)
		return;
	free(inv->power);
	free(inv->hosts);
	free(inv->devices);
	fl_arena_free(inv->arena);
	free(inv);
}

static size_t
short_len(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (size_t)(dot - s) : strlen(s);
}

int
fl_inventory_name_eq(const char *a, const char *b)
{
	size_t la, lb;

	if (strcasecmp(a, b) == 0)
		return 1;
	la = short_len(a);
	lb = short_len(b);
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

/* Exact match first so that "db1" and "DB1" can both exist. */
#define LOOKUP(arr, n, name)                                             \
	do {                                                             \
		size_t li_;                                              \
		for (li_ = 0; li_ < (n); li_++)                          \
			if (strcmp((arr)[li_].name, (name)) == 0)        \
				return &(arr)[li_];                      \
		for (li_ = 0; li_ < (n); li_++)                          \
			if (fl_inventory_name_eq((arr)[li_].name, (name))) \
				return &(arr)[li_];                      \
	} while (0)

const struct fl_inv_host *
fl_inventory_host(const struct fl_inventory *inv, const char *name)
{
	if (inv == NULL || name == NULL)
		return NULL;
	LOOKUP(inv->hosts, inv->n_hosts, name);
	return NULL;
}

const struct fl_inv_power *
fl_inventory_power(const struct fl_inventory *inv, const char *name)
{
	if (inv == NULL || name == NULL)
		return NULL;
	LOOKUP(inv->power, inv->n_power, name);
	return NULL;
}

const struct fl_inv_host *
fl_inventory_bmc_host(const struct fl_inventory *inv, const char *name)
{
	size_t i;

	if (inv == NULL || name == NULL)
		return NULL;
	for (i = 0; i < inv->n_hosts; i++)
		if (inv->hosts[i].bmc != NULL &&
		    fl_inventory_name_eq(inv->hosts[i].bmc, name))
			return &inv->hosts[i];
	return NULL;
}

int
fl_inventory_is_device(const struct fl_inventory *inv, const char *name)
{
	size_t i;

	if (inv == NULL || name == NULL)
		return 0;
	if (fl_inventory_power(inv, name) != NULL)
		return 1;
	for (i = 0; i < inv->n_devices; i++)
		if (fl_inventory_name_eq(inv->devices[i].name, name))
			return 1;
	return 0;
}
