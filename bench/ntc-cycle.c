// SPDX-License-Identifier: GPL-2.0
/*
 * ntc-cycle CPU COUNT [online]: take a CPU offline and online again COUNT
 * times through sysfs, and print how long it took in nanoseconds; with
 * "online", only the onlines are timed.
 * ntc-cycle read FILE: read FILE to its end, and print how long it took
 * and how many lines it had: "ns=N lines=N".
 * Static, so it runs in the benchmark guest's busybox userland.
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

static long long since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000000000LL + (b.tv_nsec - a->tv_nsec);
}

static int timed_read(const char *path)
{
	static char buf[65536];
	long lines = 0;
	struct timespec a;
	ssize_t n, i;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &a);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	printf("ns=%lld lines=%ld\n", since(&a), lines);
	return n < 0;
}

int main(int argc, char **argv)
{
	struct timespec a, c;
	long long online_ns = 0;
	char path[64];
	long i, count;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "online")))
		return 2;
	if (!strcmp(argv[1], "read"))
		return timed_read(argv[2]);
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
		online_ns += since(&c);
	}
	printf("%lld\n", argc == 4 ? online_ns : since(&a));
	return 0;
}
