// SPDX-License-Identifier: GPL-2.0
/*
 * The one place where Linux errno values and Windows NTSTATUS values meet.
 *
 * ntcompat works in errno internally and converts at the API edge. The table
 * is read in both directions; for each direction the first matching row
 * wins, so where two rows share a value the preferred mapping comes first.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include "ntc.h"

static const struct {
	NTSTATUS status;
	int err;
} ntc_status_map[] = {
	{ STATUS_SUCCESS, 0 },
	{ STATUS_INVALID_PARAMETER, -EINVAL },
	{ STATUS_INSUFFICIENT_RESOURCES, -ENOMEM },
	{ STATUS_NO_MEMORY, -ENOMEM },
	{ STATUS_NOT_SUPPORTED, -EOPNOTSUPP },
	{ STATUS_INVALID_DEVICE_REQUEST, -EBADRQC },
	{ STATUS_DEVICE_NOT_READY, -ESHUTDOWN },
	{ STATUS_INVALID_HANDLE, -EBADF },
	{ STATUS_ACCESS_DENIED, -EACCES },
	{ STATUS_BUFFER_TOO_SMALL, -EOVERFLOW },
	{ STATUS_DELETE_PENDING, -ENOENT },
	{ STATUS_UNSUCCESSFUL, -EIO },
};

/**
 * ntc_errno_to_status() - the NTSTATUS a Windows caller sees for an errno
 * @err: zero or a negative errno
 *
 * Return: the mapped NTSTATUS; STATUS_UNSUCCESSFUL for an unmapped errno.
 */
NTSTATUS ntc_errno_to_status(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ntc_status_map); i++)
		if (ntc_status_map[i].err == err)
			return ntc_status_map[i].status;
	return STATUS_UNSUCCESSFUL;
}
NTC_EXPORT_FOR_KUNIT(ntc_errno_to_status);

/**
 * ntc_status_to_errno() - the errno Linux sees for an NTSTATUS
 * @status: any NTSTATUS
 *
 * Success, informational and warning values (NT_SUCCESS) map to 0.
 *
 * Return: 0 or a negative errno; -EIO for an unmapped error status.
 */
int ntc_status_to_errno(NTSTATUS status)
{
	size_t i;

	if (NT_SUCCESS(status))
		return 0;
	for (i = 0; i < ARRAY_SIZE(ntc_status_map); i++)
		if (ntc_status_map[i].status == status)
			return ntc_status_map[i].err;
	return -EIO;
}
NTC_EXPORT_FOR_KUNIT(ntc_status_to_errno);
