// SPDX-License-Identifier: GPL-2.0
/* UTF-16 strings for the names ntcompat hands to Windows code. */
#include <linux/slab.h>
#include <linux/kernel.h>

#include "ntc.h"

/**
 * ntc_widen() - copy an ASCII string into UTF-16
 * @dst: room for @len + 1 code units
 * @src: ASCII text of @len bytes
 * @len: its length
 *
 * ASCII is a subset of UTF-16, so each byte becomes one code unit. The
 * result is NUL-terminated.
 */
void ntc_widen(WCHAR *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = (unsigned char)src[i];
	dst[len] = 0;
}

/**
 * ntc_unicode_printf() - format a UNICODE_STRING into a new buffer
 * @us: receives the string; free its Buffer with kfree()
 * @fmt: printf-style format producing ASCII
 *
 * Return: 0 or -ENOMEM (then @us is empty).
 */
int ntc_unicode_printf(UNICODE_STRING *us, const char *fmt, ...)
{
	va_list args;
	char *ascii;
	size_t len;

	va_start(args, fmt);
	ascii = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	memset(us, 0, sizeof(*us));
	if (!ascii)
		return -ENOMEM;
	len = min_t(size_t, strlen(ascii), U16_MAX / sizeof(WCHAR) - 1);
	us->Buffer = kmalloc_array(len + 1, sizeof(WCHAR), GFP_KERNEL);
	if (us->Buffer) {
		ntc_widen(us->Buffer, ascii, len);
		us->Length = len * sizeof(WCHAR);
		us->MaximumLength = (len + 1) * sizeof(WCHAR);
	}
	kfree(ascii);
	return us->Buffer ? 0 : -ENOMEM;
}
