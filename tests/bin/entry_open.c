/*
 * entry_open: opens with known flags for the @entry guest tests
 * (tests/guest/dwarf_entry*.stp), each answer fixed in advance:
 *
 *  1. openat(AT_FDCWD, "/init", O_RDONLY | O_CLOEXEC | O_NOFOLLOW): fd 3;
 *  2. openat(AT_FDCWD, "/no/such/entry", O_RDONLY): -ENOENT (-2);
 *  3. openat(fd 3's directory "/", "init", O_RDONLY | O_NONBLOCK): fd 5
 *     (fd 4 is "/" opened with O_DIRECTORY | O_PATH first).
 *
 * Nothing is printed: the tests print what the kernel saw.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int dir;

	if (openat(AT_FDCWD, "/init", O_RDONLY | O_CLOEXEC | O_NOFOLLOW) < 0)
		return 1;
	if (openat(AT_FDCWD, "/no/such/entry", O_RDONLY) >= 0)
		return 1;
	dir = openat(AT_FDCWD, "/", O_DIRECTORY | O_PATH);
	if (dir < 0 || openat(dir, "init", O_RDONLY | O_NONBLOCK) < 0)
		return 1;
	return 0;
}
