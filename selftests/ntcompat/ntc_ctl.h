/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntc_ctl.h - the "ctl" file of the test and benchmark drivers: each write
 * to it is one command line, handed to the driver's own parser.
 */
#ifndef _NTC_CTL_H
#define _NTC_CTL_H

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#define NTC_CTL_MAX	128	/* the longest command line, and its NUL */

#ifdef CONFIG_FAULT_INJECTION
/**
 * ntc_ctl_fail_nth() - start a fail-nth countdown inside the write
 * @buf: the command line
 *
 * "fail-nth N CMD" runs CMD with its Nth fault-injection point failing, as
 * writing N to /proc/self/fail-nth before writing CMD would; but the
 * countdown starts here, inside the write, so that what the shell does
 * between its system calls (a brk(), a page fault) takes none of the
 * points. What is left of the countdown stays in /proc/self/fail-nth.
 *
 * Return: CMD, or @buf if it has no such prefix.
 */
static inline const char *ntc_ctl_fail_nth(const char *buf)
{
	unsigned int n;
	int skip = 0;

	if (sscanf(buf, "fail-nth %u %n", &n, &skip) != 1 || !skip || !n)
		return buf;
	WRITE_ONCE(current->fail_nth, n);
	return buf + skip;
}
#else
static inline const char *ntc_ctl_fail_nth(const char *buf)
{
	return buf;
}
#endif

/**
 * ntc_ctl_run() - run one command written to a ctl file
 * @ubuf: what user space wrote, one line
 * @len: its length
 * @command: the driver's parser, given the line NUL-terminated
 *
 * The line is copied to the stack, not allocated: fault_register.sh counts
 * the allocations a command makes, and the ctl file must add none.
 *
 * Return: @len if @command returned 0, else its negative errno.
 */
static inline ssize_t ntc_ctl_run(const char __user *ubuf, size_t len,
				  int (*command)(const char *cmd))
{
	char buf[NTC_CTL_MAX];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = command(ntc_ctl_fail_nth(buf));
	return ret ? ret : len;
}

/*
 * DEFINE_NTC_CTL(name, command) defines name_fops, the file_operations of
 * a write-only ctl file whose every write runs command(), in the manner of
 * DEFINE_SHOW_ATTRIBUTE().
 */
#define DEFINE_NTC_CTL(name, command)					\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t len, loff_t *ppos)			\
{									\
	return ntc_ctl_run(ubuf, len, command);				\
}									\
									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.write = name##_write,						\
	.llseek = noop_llseek,						\
}

#endif /* _NTC_CTL_H */
