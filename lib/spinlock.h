/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks on C11 atomics, for the short critical sections shared between physical CPUs (bare
 * metal) or host threads (polyrun). A test-and-test-and-set lock: waiters spin on a plain load, so
 * the cache line stays shared until the holder releases it, instead of bouncing on every attempt.
 */
#ifndef PV_LIB_SPINLOCK_H
#define PV_LIB_SPINLOCK_H

#include <stdatomic.h>
#include <stdbool.h>

struct spinlock {
	/* A word rather than atomic_bool: byte-sized atomics need libatomic on riscv64 with GCC 12. */
	atomic_uint locked;
};

#define SPINLOCK_INIT \
	{             \
		0     \
	}

/* Tells the CPU it is in a spin-wait loop: saves power and yields to a sibling hardware thread. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#elif defined(__riscv)
	/* Zihintpause's PAUSE, spelled as its FENCE encoding: a no-op fence on cores without it. */
	__asm__ __volatile__(".4byte 0x0100000f" ::: "memory");
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

static inline void spin_lock_init(struct spinlock *lock)
{
	atomic_init(&lock->locked, 0);
}

/* Takes the lock if it is free; returns whether it did. */
static inline bool spin_trylock(struct spinlock *lock)
{
	return atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire) == 0;
}

static inline void spin_lock(struct spinlock *lock)
{
	while (atomic_exchange_explicit(&lock->locked, 1, memory_order_acquire) != 0) {
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed) != 0)
			cpu_relax();
	}
}

static inline void spin_unlock(struct spinlock *lock)
{
	atomic_store_explicit(&lock->locked, 0, memory_order_release);
}

#endif
