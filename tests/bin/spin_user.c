/*
 * spin_user: runs its own code in user space until it is killed, with a
 * getppid(2) now and then so that it also enters the kernel: timer.profile
 * samples of it land in both (tests/guest/probe_profile_addr.stp).
 */
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	volatile unsigned long n = 0;

	for (;;) {
		while (++n % 1000000)
			;
		syscall(SYS_getppid);
	}
}
