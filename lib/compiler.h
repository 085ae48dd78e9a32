/* SPDX-License-Identifier: MIT */
/* Small language helpers every layer uses. */
#ifndef PV_LIB_COMPILER_H
#define PV_LIB_COMPILER_H

#include <stddef.h>

#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

/* The structure that embeds *ptr as its member: how intrusive lists and callbacks find their owner. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#endif
