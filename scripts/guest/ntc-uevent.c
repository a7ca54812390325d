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

	if (!action || !devpath || !subsystem || strcmp(action, "add"))
		return;

	if (!strcmp(subsystem, "cpu"))
		set_if(devpath, "online", "0", "1");
	else if (!strcmp(subsystem, "memory"))
		set_if(devpath, "state", "offline", "online_movable");
}

int main(void)
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
	if (pid > 0)
		return 0;
	setsid();
	log_kmsg("listening");

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
