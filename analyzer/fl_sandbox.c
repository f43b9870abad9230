/*
 * The write sandbox: a landlock ruleset that handles every right to change
 * the file system (write, truncate, create, remove, rename, link) and
 * grants only writing and truncating the named output files.
 */
#include "config.h"

#include "fl_sandbox.h"

#include <errno.h>
#include <string.h>

#ifdef HAVE_LINUX_LANDLOCK_H
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(HAVE_LINUX_LANDLOCK_H) && defined(SYS_landlock_create_ruleset) && \
    defined(SYS_landlock_add_rule) && defined(SYS_landlock_restrict_self)
/* Rights of later ABIs, for headers older than the kernel. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define WRITE_RIGHTS (LANDLOCK_ACCESS_FS_WRITE_FILE | \
	LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
	LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | \
	LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | \
	LANDLOCK_ACCESS_FS_MAKE_SYM)

static int
refused(const struct fl_diag *diag, const char *what, int err)
{
	fl_diagf(diag, FL_DIAG_NOTE, NULL, "write sandbox not in force "
	    "(landlock: %s: %s)", what, strerror(err));
	return 0;
}

int
fl_sandbox_writes_only(const char *const *paths, size_t n,
    const struct fl_diag *diag)
{
	struct landlock_ruleset_attr attr;
	struct landlock_path_beneath_attr rule;
	uint64_t file_rights;
	long abi;
	int rfd, fd, err;
	size_t i;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		/* A kernel without landlock has nothing to refuse. */
		if (errno == ENOSYS || errno == EOPNOTSUPP)
			return 0;
		return refused(diag, "version", errno);
	}
	memset(&attr, 0, sizeof attr);
	attr.handled_access_fs = WRITE_RIGHTS;
	file_rights = LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (abi >= 2)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3) {
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
		file_rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
	}
	rfd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (rfd < 0)
		return refused(diag, "ruleset", errno);
	for (i = 0; i < n; i++) {
		if (paths[i] == NULL || strcmp(paths[i], "-") == 0)
			continue;
		/* Not truncated here: that is for the writer to do. An output
		 * that cannot be opened is the writer's error to report. */
		fd = open(paths[i], O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK |
		    O_CLOEXEC, 0666);
		if (fd < 0) {
			close(rfd);
			return 0;
		}
		memset(&rule, 0, sizeof rule);
		rule.allowed_access = file_rights;
		rule.parent_fd = fd;
		if (syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH,
		    &rule, 0) != 0) {
			err = errno;
			close(fd);
			close(rfd);
			return refused(diag, paths[i], err);
		}
		close(fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, rfd, 0) != 0) {
		err = errno;
		close(rfd);
		return refused(diag, "restrict", err);
	}
	close(rfd);
	return 1;
}

#else

int
fl_sandbox_writes_only(const char *const *paths, size_t n,
    const struct fl_diag *diag)
{
	(void)paths;
	(void)n;
	(void)diag;
	return 0;
}

#endif
