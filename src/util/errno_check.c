/* SPDX-License-Identifier: MIT */
/* drivers/util/nb_errno.h promises Linux's values, so a driver's -NB_EAGAIN can be compared
 * with a host call's -EAGAIN. Checked here, at build time, against the host's <errno.h>. */
#include <errno.h>

#include "drivers/util/nb_errno.h"

#define SAME(name) _Static_assert(NB_##name == name, "NB_" #name " differs from " #name)

SAME(EPERM);
SAME(ENOENT);
SAME(EIO);
SAME(ENXIO);
SAME(EAGAIN);
SAME(ENOMEM);
SAME(EACCES);
SAME(EFAULT);
SAME(EBUSY);
SAME(ENODEV);
SAME(EINVAL);
SAME(ENOSPC);
SAME(ERANGE);
SAME(ENODATA);
SAME(ETIME);
SAME(ENOLINK);
SAME(EPROTO);
SAME(EBADMSG);
SAME(EMSGSIZE);
SAME(EPROTONOSUPPORT);
SAME(EOPNOTSUPP);
SAME(ENETDOWN);
SAME(ENOBUFS);
SAME(ETIMEDOUT);
SAME(ECONNREFUSED);
SAME(EHOSTUNREACH);
SAME(EALREADY);
SAME(EINPROGRESS);
SAME(ECANCELED);
