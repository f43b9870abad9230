/* fl_sandbox: in a child process, the write sandbox lets the named output
 * be written and truncated, and refuses every other change to the file
 * system; reading stays open. Skipped where the platform lacks it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fl_sandbox.h"
#include "tap.h"

static char dir[] = "/tmp/fl-sandbox.XXXXXX";
static char out[64], other[64], old[64], sub[64];

/* Each check in the child sets one bit when it behaves; the bits go back
 * through a pipe (exit status 3: the sandbox is not available). */
enum {
	C_OUT_WRITE = 1, C_OUT_CREATED = 2, C_OTHER_DENIED = 4,
	C_MKDIR_DENIED = 8, C_UNLINK_DENIED = 16, C_RENAME_DENIED = 32,
	C_READ_OK = 64, C_TRUNC_DENIED = 128
};

static int
child(int wfd)
{
	const char *paths[] = { out, NULL, "-" };
	char buf[16];
	int bits = 0, fd;
	FILE *f;

	if (!fl_sandbox_writes_only(paths, 3, NULL))
		return 3;
	if (access(out, F_OK) == 0)
		bits |= C_OUT_CREATED;
	f = fopen(out, "w");
	if (f != NULL && fputs("report\n", f) >= 0 && fclose(f) == 0)
		bits |= C_OUT_WRITE;
	fd = open(other, O_WRONLY | O_CREAT, 0666);
	if (fd < 0 && errno == EACCES)
		bits |= C_OTHER_DENIED;
	if (mkdir(sub, 0777) != 0 && errno == EACCES)
		bits |= C_MKDIR_DENIED;
	if (unlink(old) != 0 && errno == EACCES)
		bits |= C_UNLINK_DENIED;
	if (rename(old, other) != 0 && errno == EACCES)
		bits |= C_RENAME_DENIED;
	fd = open(old, O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof buf) == 9 &&
	    memcmp(buf, "evidence\n", 9) == 0)
		bits |= C_READ_OK;
	if (fd >= 0)
		close(fd);
	fd = open(old, O_WRONLY | O_TRUNC);
	if (fd < 0 && errno == EACCES)
		bits |= C_TRUNC_DENIED;
	buf[0] = (char)bits;
	return write(wfd, buf, 1) == 1 ? 0 : 1;
}

int
main(void)
{
	int status, bits = 0, fd, pfd[2];
	unsigned char b;
	pid_t pid;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(out, sizeof out, "%s/out.json", dir);
	snprintf(other, sizeof other, "%s/other", dir);
	snprintf(old, sizeof old, "%s/evidence.log", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	fd = open(old, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "evidence\n", 9) != 9 || close(fd) != 0) {
		printf("Bail out! cannot prepare %s\n", old);
		return 1;
	}
	fflush(stdout);
	if (pipe(pfd) != 0) {
		printf("Bail out! pipe: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid == 0)
		_exit(child(pfd[1]));
	close(pfd[1]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3)) {
		printf("Bail out! child failed\n");
		return 1;
	}
	if (WEXITSTATUS(status) == 0 && read(pfd[0], &b, 1) == 1)
		bits = b;
	close(pfd[0]);
	if (WEXITSTATUS(status) == 3) {
		printf("1..0 # SKIP landlock not available here\n");
	} else {
		ok(bits & C_OUT_CREATED, "the output is created before the restriction");
		ok(bits & C_OUT_WRITE, "the output is written and truncated");
		ok(bits & C_OTHER_DENIED, "creating another file is refused");
		ok(bits & C_MKDIR_DENIED, "making a directory is refused");
		ok(bits & C_UNLINK_DENIED, "removing a file is refused");
		ok(bits & C_RENAME_DENIED, "renaming a file is refused");
		ok(bits & C_TRUNC_DENIED, "truncating an input is refused");
		ok(bits & C_READ_OK, "reading is still allowed");
		ok(access(other, F_OK) != 0, "no other file appeared");
	}
	unlink(out);
	unlink(old);
	unlink(other);
	rmdir(sub);
	rmdir(dir);
	return WEXITSTATUS(status) == 3 ? 0 : tap_done();
}
