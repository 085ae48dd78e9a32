// SPDX-License-Identifier: MIT
/* The SiFive test finisher (dev/sifive_test.h). It keeps no state, so it needs no lock. */
#include <stdint.h>

#include "dev/sifive_test.h"
#include "lib/compiler.h"
#include "lib/errno.h"

static const struct {
	uint16_t status;
	enum sifive_test_request request;
} sifive_test_codes[] = {
	{ SIFIVE_TEST_PASS_CODE, SIFIVE_TEST_POWEROFF },
	{ SIFIVE_TEST_FAIL_CODE, SIFIVE_TEST_FAIL },
	{ SIFIVE_TEST_RESET_CODE, SIFIVE_TEST_RESET },
};

int sifive_test_init(struct sifive_test *test, sifive_test_report_fn report, void *ctx)
{
	if (!report)
		return -EINVAL;
	*test = (struct sifive_test){ .report = report, .ctx = ctx };
	return 0;
}

static int sifive_test_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0;
	return 0;
}

/* Only a write to the register itself counts; QEMU takes 2- and 4-byte writes, so do we. */
static int sifive_test_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct sifive_test *test = opaque;
	uint16_t status = (uint16_t)value;
	unsigned code = (unsigned)(value >> 16) & 0xffffu;

	if (offset != 0 || size < 2)
		return 0;
	for (unsigned i = 0; i < ARRAY_SIZE(sifive_test_codes); i++) {
		if (sifive_test_codes[i].status != status)
			continue;
		if (sifive_test_codes[i].request != SIFIVE_TEST_FAIL)
			code = 0;
		test->report(test->ctx, sifive_test_codes[i].request, code);
		return 0;
	}
	return 0;
}

const struct mmio_ops sifive_test_mmio_ops = {
	.read = sifive_test_read,
	.write = sifive_test_write,
};
