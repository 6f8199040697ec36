/* SPDX-License-Identifier: MIT */
/**
 * @file nb_errno.h
 * @brief Error codes for freestanding code.
 *
 * <errno.h> is not a freestanding header (and on a microcontroller it drags in newlib's
 * reentrancy state), so drivers use these. The values are Linux's, so a driver's -NB_EAGAIN
 * equals the host's -EAGAIN; src/util/errno_check.c asserts that at build time.
 */
#ifndef NB_ERRNO_H
#define NB_ERRNO_H

#define NB_EPERM 1
#define NB_ENOENT 2
#define NB_EIO 5
#define NB_ENXIO 6
#define NB_EAGAIN 11
#define NB_ENOMEM 12
#define NB_EACCES 13
#define NB_EFAULT 14
#define NB_EBUSY 16
#define NB_ENODEV 19
#define NB_EINVAL 22
#define NB_ENOSPC 28
#define NB_ERANGE 34
#define NB_ENODATA 61
#define NB_ETIME 62
#define NB_ENOLINK 67
#define NB_EPROTO 71
#define NB_EBADMSG 74
#define NB_EMSGSIZE 90
#define NB_EPROTONOSUPPORT 93
#define NB_EOPNOTSUPP 95
#define NB_ENETDOWN 100
#define NB_ENOBUFS 105
#define NB_ETIMEDOUT 110
#define NB_ECONNREFUSED 111
#define NB_EHOSTUNREACH 113
#define NB_EALREADY 114
#define NB_EINPROGRESS 115
#define NB_ECANCELED 125

#endif /* NB_ERRNO_H */
