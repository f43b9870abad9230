/*
 * fl_input_collect: the user's paths → the list of files to read.
 * Directories are walked depth first, each one's names in byte order.
 * Symbolic links are followed; a directory already on the current path is
 * a loop, and a file or directory reached a second time (through another
 * link) is listed once, the repeat skipped with a note.
 */
#include "config.h"

#include "fl_input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files and directories seen so far, by device and inode. */
struct seen_ent {
	dev_t dev;
	ino_t ino;
	char *path;   /* NULL: empty slot */
};

struct walk {
	struct fl_input_list *out;
	size_t cap;
	struct seen_ent *seen;
	size_t nseen, seen_cap;    /* seen_cap is a power of two */
	struct seen_ent *stack;    /* directories on the current path */
	size_t depth, stack_cap;
};

static size_t
seen_slot(const struct walk *w, dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)dev * UINT64_C(0x9e3779b97f4a7c15) ^
	    (uint64_t)ino * UINT64_C(0xc2b2ae3d27d4eb4f);
	size_t i = (size_t)(h ^ (h >> 29)) & (w->seen_cap - 1);

	while (w->seen[i].path != NULL &&
	    (w->seen[i].dev != dev || w->seen[i].ino != ino))
		i = (i + 1) & (w->seen_cap - 1);
	return i;
}

/* Returns the path under which (dev, ino) was seen, or records it. */
static const char *
seen_check(struct walk *w, const struct stat *st, const char *path)
{
	size_t i;

	if (2 * (w->nseen + 1) > w->seen_cap) {
		struct seen_ent *old = w->seen;
		size_t oldcap = w->seen_cap, j;

		w->seen_cap = oldcap ? 2 * oldcap : 64;
		w->seen = fl_xcalloc(w->seen_cap, sizeof *w->seen);
		for (j = 0; j < oldcap; j++)
			if (old[j].path != NULL)
				w->seen[seen_slot(w, old[j].dev, old[j].ino)] =
				    old[j];
		free(old);
	}
	i = seen_slot(w, st->st_dev, st->st_ino);
	if (w->seen[i].path != NULL)
		return w->seen[i].path;
	w->seen[i].dev = st->st_dev;
	w->seen[i].ino = st->st_ino;
	w->seen[i].path = fl_xstrdup(path);
	w->nseen++;
	return NULL;
}

static void
add(struct walk *w, const char *path, enum fl_input_kind kind,
    const struct stat *st, char *note)
{
	struct fl_input_file *f;

	FL_GROW(w->out->v, w->cap, w->out->n + 1);
	f = &w->out->v[w->out->n++];
	f->path = fl_xstrdup(path);
	f->kind = kind;
	f->size = st ? (uint64_t)st->st_size : 0;
	f->mtime = st ? (int64_t)st->st_mtime : 0;
	f->note = note;
}

static const char *
special_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "FIFO";
	if (S_ISCHR(mode))
		return "character device";
	if (S_ISBLK(mode))
		return "block device";
	if (S_ISSOCK(mode))
		return "socket";
	return "special file";
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
fl_input_open(const char *path, int flags)
{
#ifdef O_NOATIME
	int fd = open(path, flags | O_NOATIME);

	/* EPERM: not ours to ask; read it as anyone would. */
	if (fd >= 0 || errno != EPERM)
		return fd;
#endif
	return open(path, flags);
}

static void visit(struct walk *w, const char *path);

static void
visit_dir(struct walk *w, const char *path, const struct stat *st)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i, plen = strlen(path);
	struct fl_buf child = {0};
	struct dirent *de;
	DIR *d;
	int fd;

	fd = fl_input_open(path, O_RDONLY | O_DIRECTORY | O_NOCTTY |
	    O_CLOEXEC | O_NONBLOCK);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		add(w, path, FL_INPUT_UNREADABLE, st,
		    fl_xasprintf("cannot read directory: %s", strerror(errno)));
		if (fd >= 0)
			close(fd);
		return;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		FL_GROW(names, cap, n + 1);
		names[n++] = fl_xstrdup(de->d_name);
	}
	if (errno != 0)
		add(w, path, FL_INPUT_UNREADABLE, st,
		    fl_xasprintf("cannot read directory: %s", strerror(errno)));
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);

	FL_GROW(w->stack, w->stack_cap, w->depth + 1);
	w->stack[w->depth].dev = st->st_dev;
	w->stack[w->depth].ino = st->st_ino;
	w->stack[w->depth].path = (char *)path;
	w->depth++;
	for (i = 0; i < n; i++) {
		fl_buf_reset(&child);
		fl_buf_add(&child, path, plen);
		if (plen == 0 || path[plen - 1] != '/')
			fl_buf_addc(&child, '/');
		fl_buf_adds(&child, names[i]);
		visit(w, child.data);
		free(names[i]);
	}
	w->depth--;
	free(names);
	fl_buf_free(&child);
}

static void
visit(struct walk *w, const char *path)
{
	struct stat st, lst;
	const char *prev;
	size_t i;
	int fd;

	if (stat(path, &st) != 0) {
		int err = errno;

		if (err == ELOOP)
			add(w, path, FL_INPUT_SKIPPED, NULL,
			    fl_xstrdup("symbolic link loop"));
		else if (err == ENOENT && lstat(path, &lst) == 0 &&
		    S_ISLNK(lst.st_mode))
			add(w, path, FL_INPUT_UNREADABLE, NULL,
			    fl_xstrdup("dangling symbolic link"));
		else
			add(w, path, FL_INPUT_UNREADABLE, NULL,
			    fl_xasprintf("cannot open: %s", strerror(err)));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		for (i = 0; i < w->depth; i++)
			if (w->stack[i].dev == st.st_dev &&
			    w->stack[i].ino == st.st_ino) {
				add(w, path, FL_INPUT_SKIPPED, &st,
				    fl_xasprintf("symbolic link loop back to %s",
				    w->stack[i].path));
				return;
			}
		if ((prev = seen_check(w, &st, path)) != NULL) {
			add(w, path, FL_INPUT_SKIPPED, &st,
			    fl_xasprintf("same directory as %s", prev));
			return;
		}
		visit_dir(w, path, &st);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		add(w, path, FL_INPUT_SKIPPED, &st,
		    fl_xasprintf("not a regular file (%s)",
		    special_kind(st.st_mode)));
		return;
	}
	if ((prev = seen_check(w, &st, path)) != NULL) {
		add(w, path, FL_INPUT_SKIPPED, &st,
		    fl_xasprintf("same file as %s", prev));
		return;
	}
	/* Opening tells permission problems apart now, not at read time. */
	fd = fl_input_open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		add(w, path, FL_INPUT_UNREADABLE, &st,
		    fl_xasprintf("cannot open: %s", strerror(errno)));
		return;
	}
	close(fd);
	add(w, path, FL_INPUT_FILE, &st, NULL);
}

void
fl_input_collect(const char *const *paths, size_t npaths,
    struct fl_input_list *out)
{
	struct walk w;
	size_t i;

	memset(&w, 0, sizeof w);
	out->v = NULL;
	out->n = 0;
	w.out = out;
	for (i = 0; i < npaths; i++)
		visit(&w, paths[i]);
	for (i = 0; i < w.seen_cap; i++)
		free(w.seen[i].path);
	free(w.seen);
	free(w.stack);
}

void
fl_input_list_free(struct fl_input_list *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		free(list->v[i].path);
		free(list->v[i].note);
	}
	free(list->v);
	list->v = NULL;
	list->n = 0;
}
