/*
 * fl_rules_int: the inside of the rule engine, shared by its source files
 * (YAML tree, loader, condition compiler, matcher, correlator, self-test).
 * Nothing outside analyzer/fl_rules*.c includes this.
 *
 * Ownership: every structure reachable from a struct fl_ruleset lives in
 * the ruleset's arena, except the compiled PCRE2 codes (listed in
 * fl_ruleset.codes and freed with the set) and the index arrays.
 */
#ifndef FL_RULES_INT_H
#define FL_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fl_rules.h"

/* ---- YAML: a small tree that keeps the position of every node ---- */

/* Limits against hostile rule files (aliases are refused outright). */
#define FL_YAML_MAX_DEPTH 64
#define FL_YAML_MAX_BYTES (4u << 20)
#define FL_YAML_MAX_NODES 200000u

enum fl_ynode_kind { FL_YN_SCALAR, FL_YN_SEQ, FL_YN_MAP };
struct fl_ynode {
	enum fl_ynode_kind kind;
	unsigned line, col;        /* 1-based, of the node's first character */
	unsigned end_line;         /* line of the node's end */
	int plain;                 /* scalar written without quotes */
	const char *str;           /* scalar text, NUL-terminated */
	size_t len;
	struct fl_ynode **kids;    /* sequence items; map keys and values
	                            * interleaved: k0 v0 k1 v1 ... */
	size_t n;                  /* number of kids (2 per map pair) */
};
/* Parses every document of text into trees allocated in arena. On a YAML
 * error reports "name:line:col: message" and returns FL_ERR_RULE; *docs
 * then holds the documents before the error. */
enum fl_err fl_yaml_parse(const char *name, const char *text, size_t len,
    struct fl_arena *arena, struct fl_ynode ***docs, size_t *ndocs,
    const struct fl_diag *diag);
/* Value of key in a map node, or NULL. */
const struct fl_ynode *fl_ymap_get(const struct fl_ynode *map,
    const char *key);
/* True for a plain scalar that YAML reads as null ("", "~", "null"). */
int fl_ynode_is_null(const struct fl_ynode *n);
/* Appends a canonical text of the tree (no comments or layout). */
void fl_ynode_canon(struct fl_buf *b, const struct fl_ynode *n);

/* ---- detection rules ---- */

enum fl_field_id {
	FL_FLD_HOST, FL_FLD_PROGRAM, FL_FLD_PID, FL_FLD_FACILITY,
	FL_FLD_SEVERITY, FL_FLD_MESSAGE, FL_FLD_RAW, FL_FLD_SOURCE,
	FL_FLD_OTHER                  /* a parser extra field or a capture */
};

enum fl_val_kind {
	FL_V_EQ,        /* whole field equals s */
	FL_V_PREFIX,
	FL_V_SUFFIX,
	FL_V_CONTAINS,
	FL_V_GLOB,      /* Sigma wildcards; s holds the normalised pattern */
	FL_V_RE,
	FL_V_CIDR,
	FL_V_NULL,      /* field absent or empty */
	FL_V_EXISTS     /* field present and non-empty == want */
};

struct fl_val {
	enum fl_val_kind kind;
	int cased;                 /* compare case-sensitively */
	const char *s;             /* literal or glob, lower-cased unless cased */
	size_t n;
	pcre2_code *re;
	uint32_t n_names;          /* named groups of re */
	const char **names;        /* indexed by group number, NULL if unnamed */
	uint32_t n_groups;
	unsigned char addr[16];    /* cidr network */
	int family;                /* 4 or 6 */
	unsigned bits;
	int want;                  /* FL_V_EXISTS */
};

struct fl_fspec {
	enum fl_field_id field;
	const char *name;          /* the field name as written */
	int all;                   /* every value must match (|all) */
	struct fl_val *v;
	size_t nv;
};
struct fl_smap {                   /* AND of field specs */
	struct fl_fspec *f;
	size_t nf;
};
struct fl_sel {                    /* OR of maps (a keyword list is one map) */
	const char *name;
	struct fl_smap *alt;
	size_t nalt;
};

enum fl_cop { FL_C_SEL, FL_C_NOT, FL_C_AND, FL_C_OR };
struct fl_cnode {
	enum fl_cop op;
	uint32_t a, b;             /* children (node indices) or selection */
};

struct fl_det {
	struct fl_sel *sel;
	size_t nsel;
	struct fl_cnode *cond;
	size_t ncond;
	uint32_t root;
};

/* Condition compiler: parses text against the selection names. On error
 * fills err (a message) and *err_off (byte offset in text) and returns -1;
 * returns 1 when the condition uses an unsupported Sigma feature (err
 * says which); 0 on success. */
int fl_cond_compile(const char *text, const struct fl_sel *sel, size_t nsel,
    struct fl_arena *arena, struct fl_cnode **nodes, size_t *nnodes,
    uint32_t *root, struct fl_buf *err, size_t *err_off);

/* ---- correlation rules ---- */

enum fl_corr_op { FL_OP_GT, FL_OP_GTE, FL_OP_LT, FL_OP_LTE, FL_OP_EQ };

struct fl_corr_def {
	const char **refs;         /* rules: ids or names */
	size_t nrefs;
	uint32_t *ref_idx;         /* resolved at compile */
	const struct fl_ynode **ref_nodes; /* where each was written */
	const char **follow;       /* absence: followed-by */
	size_t nfollow;
	uint32_t *follow_idx;
	const struct fl_ynode **follow_nodes;
	const char **group_by;
	size_t ngroup;
	int64_t timespan_us;
	int has_cond;
	enum fl_corr_op op;
	uint64_t threshold;
	const char *value_field;   /* value_count */
	unsigned line, col;        /* of the correlation block */
};

/* ---- rules and the set ---- */

struct fl_example {
	const char *text;
	unsigned line;
};

#define FL_MAX_LITS 16             /* per clause */
#define FL_MAX_CLAUSES 4
#define FL_PF_HASH_BITS 17

struct fl_rule {
	struct fl_rule_info info;
	const char *name;          /* Sigma "name" (correlation references) */
	unsigned line, col;
	const char *canon;         /* canonical text, for the digest */
	struct fl_det *det;        /* detection rules */
	struct fl_corr_def *corr;  /* correlation rules */
	struct fl_example *ex, *cex;
	size_t nex, ncex;
	struct fl_rule_gate gate;  /* the prefilter, computed at compile */
};

struct fl_plit_use {
	uint32_t rule;
	unsigned clause_bit;
};

struct fl_plit {
	const char *s;             /* lower-cased */
	size_t n;
	int raw;                   /* required of raw, else of message */
	uint32_t off;              /* offset of the anchor in s */
	uint32_t next;             /* next literal with the same anchor */
	struct fl_plit_use *uses;  /* the rules' clauses it satisfies */
	size_t nuses, capuses;
};

struct fl_prog_slot {
	const char *name;          /* lower-cased program, NULL when free */
	size_t len;
	uint32_t *rules;           /* its rules without literal */
	size_t n, cap;
};

struct fl_ruleset {
	struct fl_arena *arena;
	struct fl_rule **rules;
	size_t n, cap;
	const char **skipped;      /* ids and names of rules skipped as
	                            * unsupported */
	size_t nskipped, capskipped;
	size_t skipped_rules;
	pcre2_code **codes;        /* every compiled pattern */
	size_t ncodes, capcodes;
	unsigned errors;           /* load errors so far */
	int compiled;
	unsigned jit_failed;       /* patterns left to the interpreter */
	uint32_t max_groups;       /* largest capture count of any pattern */
	size_t max_sel;            /* most selections in one rule */
	/* program index: the rules that need a program and have no literal
	 * to wait for */
	struct fl_prog_slot *prog;
	size_t prog_cap;           /* power of two */
	uint64_t prog_lens;        /* bit min(length, 63) of each program */
	uint32_t *any;             /* detection rules without program need
	                            * and without required literal */
	size_t nany;
	/* literal index: every distinct required literal, anchored at its
	 * rarest lower-cased 4 bytes (all of shorter literals) */
	struct fl_plit *plits;
	size_t nplits, capplits;
	uint32_t *pf_head[3];      /* anchor hash → first literal; [0] for
	                            * 4-byte anchors, [1] 3, [2] 2 bytes */
	uint64_t *pf_bits[3];      /* anchor hashes in use */
	uint64_t *pf_pair;         /* leading byte pairs of the anchors */
	int pf_raw;                /* some literal is required of raw */
	/* Hyperscan database of the same literals (id = plits index), NULL
	 * where Hyperscan is absent or refused them: then the anchors above
	 * serve alone. */
	struct hs_database *hs_db;
	/* correlation: for each rule, the correlation rules listing it */
	uint32_t **users;
	size_t *nusers;
	uint32_t ndet;             /* number of detection rules */
	uint32_t *byid;            /* rule indices sorted by id */
};

/* Loader helpers used by compile: lower-case ASCII. */
static inline unsigned char
fl_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}


/* Compile-time analysis in fl_rules_match.c: fills progs and lits. */
void fl_rule_prefilter(struct fl_ruleset *rs, struct fl_rule *r);
/* Builds the program and literal indexes over the compiled set. */
void fl_ruleset_build_index(struct fl_ruleset *rs);
/* Frees what fl_ruleset_build_index made. */
void fl_ruleset_free_index(struct fl_ruleset *rs);

/* The library embedded at build time (fl_rules_builtin.c, generated). */
struct fl_builtin_file {
	const char *name;          /* path below rules/, e.g. "power/ups.yml" */
	const char *text;
	size_t len;
};
extern const struct fl_builtin_file fl_builtin_rules[];
extern const size_t fl_builtin_rules_n;

#endif
