/* sc_badptr: path syscalls given bad pointers (NULL, an unmapped
 * address), which fail with EFAULT; a syscall.* alias must report them,
 * never end the script (tests/guest/syscall_badptr). */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	syscall(SYS_openat, AT_FDCWD, (char *)0, O_RDONLY);
	syscall(SYS_open, (char *)1, O_RDONLY);
	syscall(SYS_unlink, (char *)0);
	return 0;
}
