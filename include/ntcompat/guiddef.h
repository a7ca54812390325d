/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guiddef.h - GUID, DEFINE_GUID and IsEqualGUID as Windows declares them.
 *
 * DEFINE_GUID declares an extern const GUID unless <initguid.h> was included
 * first, in which case it defines one. Definitions are weak, the nearest
 * thing to MSVC's __declspec(selectany): several files of one module may
 * include <initguid.h> without a duplicate-symbol error. A module that never
 * includes <initguid.h> resolves the GUIDs ntcompat itself uses from
 * ntcompat.ko, which exports them.
 */
#ifndef _NTCOMPAT_GUIDDEF_H
#define _NTCOMPAT_GUIDDEF_H

#include <linux/string.h>
#include "ntdef.h"

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
	u32 Data1;
	u16 Data2;
	u16 Data3;
	u8 Data4[8];
} GUID;
typedef GUID *PGUID;
typedef GUID *LPGUID;
static_assert(sizeof(GUID) == 16, "GUID is 16 bytes");
#endif

typedef const GUID *REFGUID;
typedef const GUID *LPCGUID;
typedef const GUID *PCGUID;

#endif /* _NTCOMPAT_GUIDDEF_H */

/*
 * DEFINE_GUID is redefined on every inclusion, as Windows does, so that
 * <initguid.h> included after <guiddef.h> still switches it to definitions.
 */
#undef DEFINE_GUID
#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)	\
	const GUID name __weak =					\
		{ l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)	\
	extern const GUID name
#endif

#ifndef _NTCOMPAT_GUIDDEF_FUNCS
#define _NTCOMPAT_GUIDDEF_FUNCS
/* In C, as on Windows, these take pointers: IsEqualGUID(&a, &b). */
#define IsEqualGUID(rguid1, rguid2)	\
	(!memcmp((rguid1), (rguid2), sizeof(GUID)))
#define InlineIsEqualGUID(rguid1, rguid2)	IsEqualGUID(rguid1, rguid2)
#define IsEqualIID(riid1, riid2)	IsEqualGUID(riid1, riid2)
#endif
