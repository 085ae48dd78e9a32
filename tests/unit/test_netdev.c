// SPDX-License-Identifier: MIT
/*
 * kernel/netdev: "KIND:ARG" specs open the provider of KIND, the hub built in and others as
 * registered; a kind no provider has, a malformed spec and a provider's failure each come back
 * as an error with a message; closing goes back to the provider that opened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/netdev.h"
#include "lib/errno.h"

/* A provider that records what it was asked; open fails with fake_error when it is set. */
static struct net_backend fake_be;
static char fake_arg[64];
static int fake_error;
static unsigned fake_closed;

static int fake_open(const char *arg, struct net_backend **out)
{
	strncpy(fake_arg, arg, sizeof(fake_arg) - 1);
	if (fake_error)
		return fake_error;
	*out = &fake_be;
	return 0;
}

static void fake_close(struct net_backend *be)
{
	assert_ptr_equal(be, &fake_be);
	fake_closed++;
}

static const struct netdev_provider fake = { "fake", fake_open, fake_close };

static int reset_fake(void **state)
{
	memset(fake_arg, 0, sizeof(fake_arg));
	fake_error = 0;
	fake_closed = 0;
	return 0;
}

static int unregister_fake(void **state)
{
	netdev_provider_unregister(&fake);
	return 0;
}

/* What a NIC on a hub port receives. */
struct received {
	uint8_t frame[64];
	size_t len;
};

static void receive(void *nic, const uint8_t *frame, size_t len)
{
	struct received *r = nic;

	memcpy(r->frame, frame, len);
	r->len = len;
}

static void test_hub_is_built_in_and_joins_ports_of_one_id(void **state)
{
	static const uint8_t frame[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3 };
	struct netdev a, b, other;
	struct received at_b = { 0 }, at_other = { 0 };
	char msg[NETDEV_ERROR_MAX];

	assert_int_equal(netdev_open("hub:3", &a, msg, sizeof(msg)), 0);
	assert_int_equal(netdev_open("hub:3", &b, msg, sizeof(msg)), 0);
	assert_int_equal(netdev_open("hub:4", &other, msg, sizeof(msg)), 0);
	b.be->deliver = receive;
	b.be->nic = &at_b;
	other.be->deliver = receive;
	other.be->nic = &at_other;
	a.be->send(a.be, frame, sizeof(frame));
	assert_int_equal(at_b.len, sizeof(frame));
	assert_memory_equal(at_b.frame, frame, sizeof(frame));
	assert_int_equal(at_other.len, 0);
	netdev_close(&a);
	netdev_close(&b);
	netdev_close(&other);
	assert_null(a.be);
}

static void test_registered_provider_opens_its_kind_and_closes_what_it_opened(void **state)
{
	struct netdev nd;
	char msg[NETDEV_ERROR_MAX];

	assert_int_equal(netdev_provider_register(&fake), 0);
	assert_int_equal(netdev_open("fake:eth7,x", &nd, msg, sizeof(msg)), 0);
	assert_string_equal(fake_arg, "eth7,x");
	assert_ptr_equal(nd.be, &fake_be);
	assert_ptr_equal(nd.provider, &fake);
	netdev_close(&nd);
	assert_int_equal(fake_closed, 1);
	/* A closed netdev, like one that never opened, closes nothing. */
	netdev_close(&nd);
	assert_int_equal(fake_closed, 1);
}

static void test_kind_without_provider_is_refused_naming_the_known_ones(void **state)
{
	struct netdev nd;
	char msg[NETDEV_ERROR_MAX];

	assert_int_equal(netdev_open("tap:pv0", &nd, msg, sizeof(msg)), -ENOTSUP);
	assert_string_equal(msg, "this build has no 'tap' backend (it has: hub)");
	assert_null(nd.be);
	assert_int_equal(netdev_provider_register(&fake), 0);
	assert_int_equal(netdev_open("tap:pv0", &nd, msg, sizeof(msg)), -ENOTSUP);
	assert_string_equal(msg, "this build has no 'tap' backend (it has: hub, fake)");
	/* After unregistering, the kind is gone again. */
	netdev_provider_unregister(&fake);
	assert_int_equal(netdev_open("fake:x", &nd, msg, sizeof(msg)), -ENOTSUP);
	assert_string_equal(fake_arg, "");
}

static void test_malformed_specs_are_refused(void **state)
{
	static const char *const bad[] = { "hub", "", ":0", "hub:", "tap" };
	struct netdev nd;
	char msg[NETDEV_ERROR_MAX];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		assert_int_equal(netdev_open(bad[i], &nd, msg, sizeof(msg)), -EINVAL);
		assert_string_equal(msg, "expected KIND:ARG, such as hub:0 or tap:tap0");
	}
	assert_int_equal(netdev_open("hub:65536", &nd, msg, sizeof(msg)), -EINVAL);
	assert_int_equal(netdev_open("hub:x", &nd, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "cannot open: "));
	/* A kind longer than any provider's names none. */
	assert_int_equal(netdev_open("a-kind-name-longer-than-thirty-two-bytes:x", &nd, msg,
				     sizeof(msg)),
			 -ENOTSUP);
}

static void test_provider_failure_comes_back_with_its_errno(void **state)
{
	struct netdev nd;
	char msg[NETDEV_ERROR_MAX];

	assert_int_equal(netdev_provider_register(&fake), 0);
	fake_error = -EPERM;
	assert_int_equal(netdev_open("fake:pv0", &nd, msg, sizeof(msg)), -EPERM);
	assert_string_equal(msg, "cannot open: operation not permitted");
	assert_null(nd.be);
	netdev_close(&nd);
	assert_int_equal(fake_closed, 0);
}

static void test_registration_checks_providers(void **state)
{
	static const struct netdev_provider no_kind = { NULL, fake_open, fake_close };
	static const struct netdev_provider empty = { "", fake_open, fake_close };
	static const struct netdev_provider colon = { "a:b", fake_open, fake_close };
	static const struct netdev_provider no_close = { "x", fake_open, NULL };
	static const struct netdev_provider hub = { "hub", fake_open, fake_close };
	struct netdev_provider many[NETDEV_MAX_PROVIDERS];
	char names[NETDEV_MAX_PROVIDERS][8];
	unsigned added = 0;

	assert_int_equal(netdev_provider_register(&no_kind), -EINVAL);
	assert_int_equal(netdev_provider_register(&empty), -EINVAL);
	assert_int_equal(netdev_provider_register(&colon), -EINVAL);
	assert_int_equal(netdev_provider_register(&no_close), -EINVAL);
	assert_int_equal(netdev_provider_register(&hub), -EEXIST);
	assert_int_equal(netdev_provider_register(&fake), 0);
	assert_int_equal(netdev_provider_register(&fake), -EEXIST);
	/* The hub and fake take two places; the rest fill up, then the registry is full. */
	for (unsigned i = 0; i < NETDEV_MAX_PROVIDERS; i++) {
		snprintf(names[i], sizeof(names[i]), "k%u", i);
		many[i] = (struct netdev_provider){ names[i], fake_open, fake_close };
		if (netdev_provider_register(&many[i]) == 0)
			added++;
		else
			assert_int_equal(netdev_provider_register(&many[i]), -ENOSPC);
	}
	assert_int_equal(added, NETDEV_MAX_PROVIDERS - 2);
	for (unsigned i = 0; i < NETDEV_MAX_PROVIDERS; i++)
		netdev_provider_unregister(&many[i]);
	assert_int_equal(netdev_provider_register(&many[0]), 0);
	netdev_provider_unregister(&many[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub_is_built_in_and_joins_ports_of_one_id),
		cmocka_unit_test_setup_teardown(
			test_registered_provider_opens_its_kind_and_closes_what_it_opened,
			reset_fake, unregister_fake),
		cmocka_unit_test_setup_teardown(
			test_kind_without_provider_is_refused_naming_the_known_ones, reset_fake,
			unregister_fake),
		cmocka_unit_test(test_malformed_specs_are_refused),
		cmocka_unit_test_setup_teardown(test_provider_failure_comes_back_with_its_errno,
						reset_fake, unregister_fake),
		cmocka_unit_test_setup_teardown(test_registration_checks_providers, reset_fake,
						unregister_fake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
