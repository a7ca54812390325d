// SPDX-License-Identifier: GPL-2.0
/*
 * ntc-cycle CPU COUNT [online]: take a CPU offline and online again COUNT
 * times through sysfs, and print how long it took in nanoseconds; with
 * "online", only the onlines are timed. Static, so it runs in the
 * benchmark guest's busybox userland.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	int ok = fd >= 0 && write(fd, val, strlen(val)) == (ssize_t)strlen(val);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct timespec a, b, c, d;
	long long online_ns = 0;
	char path[64];
	long i, count;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "online")))
		return 2;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%s/online", argv[1]);
	count = atol(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < count; i++) {
		if (put(path, "0")) {
			perror(path);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &c);
		if (put(path, "1")) {
			perror(path);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &d);
		online_ns += (d.tv_sec - c.tv_sec) * 1000000000LL + (d.tv_nsec - c.tv_nsec);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (argc == 4)
		printf("%lld\n", online_ns);
	else
		printf("%lld\n", (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
	return 0;
}
