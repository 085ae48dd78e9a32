// SPDX-License-Identifier: MIT
/* lib/spinlock.h: mutual exclusion between host threads standing in for CPUs. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "lib/spinlock.h"

#define THREADS 4
#define ROUNDS 200000

struct shared {
	struct spinlock lock;
	/* Updated with a plain read-modify-write: only the lock keeps increments from being lost. */
	unsigned long counter;
	unsigned long trylock_wins;
};

static void *hammer(void *arg)
{
	struct shared *s = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		spin_lock(&s->lock);
		s->counter++;
		spin_unlock(&s->lock);
	}
	return NULL;
}

static void *hammer_with_trylock(void *arg)
{
	struct shared *s = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (spin_trylock(&s->lock)) {
			s->counter++;
			s->trylock_wins++;
			spin_unlock(&s->lock);
		}
	}
	return NULL;
}

static void run_threads(void *(*fn)(void *), struct shared *s)
{
	pthread_t threads[THREADS];
	int i;

	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, fn, s), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
}

static void test_spinlock_trylock_fails_while_held(void **state)
{
	struct spinlock lock = SPINLOCK_INIT;

	assert_true(spin_trylock(&lock));
	assert_false(spin_trylock(&lock));
	spin_unlock(&lock);
	spin_lock(&lock);
	assert_false(spin_trylock(&lock));
	spin_unlock(&lock);
	assert_true(spin_trylock(&lock));
	spin_unlock(&lock);
}

static void test_spinlock_init_leaves_the_lock_free(void **state)
{
	struct spinlock lock;

	spin_lock_init(&lock);
	assert_true(spin_trylock(&lock));
	spin_unlock(&lock);
}

static void test_spinlock_keeps_every_increment_across_threads(void **state)
{
	struct shared s = { .lock = SPINLOCK_INIT };

	run_threads(hammer, &s);
	assert_int_equal(s.counter, (unsigned long)THREADS * ROUNDS);
}

static void test_spinlock_trylock_counts_only_its_wins(void **state)
{
	struct shared s = { .lock = SPINLOCK_INIT };

	run_threads(hammer_with_trylock, &s);
	assert_int_equal(s.counter, s.trylock_wins);
	assert_true(s.trylock_wins > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spinlock_trylock_fails_while_held),
		cmocka_unit_test(test_spinlock_init_leaves_the_lock_free),
		cmocka_unit_test(test_spinlock_keeps_every_increment_across_threads),
		cmocka_unit_test(test_spinlock_trylock_counts_only_its_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
