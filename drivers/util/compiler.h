/* SPDX-License-Identifier: MIT */
/** @file compiler.h @brief Small portable helpers shared by all freestanding code. */
#ifndef NB_COMPILER_H
#define NB_COMPILER_H

#include <stddef.h>
#include <stdint.h>

/** Result must be checked (every bus call, DESIGN.md conventions). */
#define NB_MUST_CHECK __attribute__((warn_unused_result))

/** Recover the containing struct from a pointer to one of its members. */
#define nb_container_of(ptr, type, member)                                                  \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#define NB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NB_MAX(a, b) ((a) > (b) ? (a) : (b))

/** Little-endian load/store; the wire formats we speak are LE. */
static inline unsigned nb_get_le16(const unsigned char *p)
{
	return (unsigned)p[0] | ((unsigned)p[1] << 8);
}
static inline uint32_t nb_get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}
static inline void nb_put_le16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}
static inline void nb_put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}
static inline unsigned nb_get_be16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | (unsigned)p[1];
}
static inline void nb_put_be16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

#endif /* NB_COMPILER_H */
