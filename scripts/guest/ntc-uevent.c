// SPDX-License-Identifier: GPL-2.0
/*
 * ntc-uevent - a tiny udev stand-in for the ntc-vm guest.
 *
 * The guest runs from a busybox initramfs: no udev, and the guest kernel has
 * no UEVENT_HELPER.  Hot-added CPUs and memory blocks therefore stay offline
 * unless someone onlines them, which on a distribution is udev's job.  This
 * daemon does what Debian's udev rule for VM hot-add does:
 *
 *  - "add" of a cpu whose online attribute reads 0: write 1 to it;
 *  - "add" of a memory block whose state reads offline: write
 *    online_movable (movable, so that unplugging the DIMM can offline it).
 *
 * It acts on "add" only: a test that offlines a CPU or a block on purpose
 * later must not see it come back behind its back.
 *
 * "ntc-uevent -l FILE" instead only records, one line per event appended to
 * FILE, every "online" and "offline" of a cpu or memory block ("online
 * cpu2", "offline memory33"): the kernel's own account of the transitions
 * a test caused, to hold ntcompat's notifications against. It prints the
 * recorder's pid.
 *
 * The parent returns once the netlink socket is bound, so no event of a
 * hotplug requested after it returns can be missed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#define UEVENT_BUF_SIZE	8192

static int kmsg_fd = -1;
static int record_fd = -1;	/* -l: record transitions here instead */

/* One line in the kernel log, at info level, so it sits among the events. */
static void __attribute__((format(printf, 1, 2)))
log_kmsg(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int len;

	len = snprintf(buf, sizeof(buf), "<6>ntc-uevent: ");
	va_start(ap, fmt);
	len += vsnprintf(buf + len, sizeof(buf) - len, fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(buf) - 1)
		len = sizeof(buf) - 2;
	/*
	 * The newline ends the record: without it the kernel holds it open
	 * for a continuation, and dmesg does not show it until the next one.
	 */
	buf[len++] = '\n';

	if (kmsg_fd < 0 || write(kmsg_fd, buf, len) < 0)
		fprintf(stderr, "%s\n", buf + 3);
}

static int read_attr(const char *path, char *val, size_t size)
{
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, val, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	val[len] = '\0';
	val[strcspn(val, "\n")] = '\0';
	return 0;
}

static int write_attr(const char *path, const char *val)
{
	ssize_t len;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = write(fd, val, strlen(val));
	err = len < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* Write @to to /sys@devpath/@attr if it currently reads @from. */
static void set_if(const char *devpath, const char *attr,
		   const char *from, const char *to)
{
	char path[512], val[64];
	int err;

	snprintf(path, sizeof(path), "/sys%s/%s", devpath, attr);
	if (read_attr(path, val, sizeof(val)) || strcmp(val, from))
		return;

	err = write_attr(path, to);
	if (err)
		log_kmsg("%s: %s=%s failed: %s", devpath, attr, to, strerror(-err));
	else
		log_kmsg("%s: %s=%s", devpath, attr, to);
}

static void record_transition(const char *action, const char *devpath, const char *subsystem)
{
	const char *name = strrchr(devpath, '/');
	char line[128];
	int len;

	if ((strcmp(action, "online") && strcmp(action, "offline")) ||
	    (strcmp(subsystem, "cpu") && strcmp(subsystem, "memory")) || !name)
		return;
	len = snprintf(line, sizeof(line), "%s %s\n", action, name + 1);
	if (len > 0 && len < (int)sizeof(line) && write(record_fd, line, len) != len)
		log_kmsg("cannot write the transition down: %s", strerror(errno));
}

static void handle_uevent(const char *msg, size_t len)
{
	const char *action = NULL, *devpath = NULL, *subsystem = NULL;
	const char *p, *end = msg + len;

	/* "action@devpath\0" then "KEY=value\0" pairs. */
	for (p = msg + strnlen(msg, len) + 1; p < end; p += strnlen(p, end - p) + 1) {
		if (!strncmp(p, "ACTION=", 7))
			action = p + 7;
		else if (!strncmp(p, "DEVPATH=", 8))
			devpath = p + 8;
		else if (!strncmp(p, "SUBSYSTEM=", 10))
			subsystem = p + 10;
	}

	if (!action || !devpath || !subsystem)
		return;
	if (record_fd >= 0) {
		record_transition(action, devpath, subsystem);
		return;
	}
	if (strcmp(action, "add"))
		return;

	if (!strcmp(subsystem, "cpu"))
		set_if(devpath, "online", "0", "1");
	else if (!strcmp(subsystem, "memory"))
		set_if(devpath, "state", "offline", "online_movable");
}

int main(int argc, char **argv)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,		/* the kernel's uevent multicast group */
	};
	char buf[UEVENT_BUF_SIZE];
	int rcvbuf = 1 << 20;
	int sock;
	pid_t pid;

	kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (argc == 3 && !strcmp(argv[1], "-l")) {
		record_fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (record_fd < 0) {
			perror(argv[2]);
			return 1;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: ntc-uevent [-l FILE]\n");
		return 2;
	}

	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("ntc-uevent: netlink");
		return 1;
	}
	/* A DIMM brings several blocks at once: do not drop events. */
	setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));

	pid = fork();
	if (pid < 0) {
		perror("ntc-uevent: fork");
		return 1;
	}
	if (pid > 0) {
		if (record_fd >= 0) {
			printf("%d\n", (int)pid);
			fflush(stdout);
		}
		return 0;
	}
	setsid();
	/* Let a $(ntc-uevent -l FILE) that reads the pid see end of file. */
	if (record_fd >= 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
	}
	log_kmsg(record_fd >= 0 ? "recording" : "listening");

	for (;;) {
		struct sockaddr_nl src;
		socklen_t srclen = sizeof(src);
		ssize_t len;

		len = recvfrom(sock, buf, sizeof(buf) - 1, 0,
			       (struct sockaddr *)&src, &srclen);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				log_kmsg("receive buffer overrun, events lost");
				continue;
			}
			log_kmsg("recv: %s, exiting", strerror(errno));
			return 1;
		}
		/* Only the kernel (port id 0) sends uevents we trust. */
		if (src.nl_pid != 0)
			continue;
		buf[len] = '\0';
		handle_uevent(buf, len);
	}
}
