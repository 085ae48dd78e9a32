// SPDX-License-Identifier: MIT
/*
 * kernel/chardev: the -serial values a board's UART is given. stdio is the core's console (with
 * input only when asked), none neither writes nor reads, file:PATH creates or empties PATH and
 * appends what the guest sends, and anything else is refused; on polyrun's platform, which also
 * checks PLAT_FILE_CREATE's rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/chardev.h"
#include "lib/errno.h"
#include "lib/plat.h"
#include "tests/unit/console_capture.h"

static char dir[64];
static char path[96];
static char spec[128];

static int make_dir(void **state)
{
	strcpy(dir, "/tmp/pv-chardev-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/serial.log", dir);
	snprintf(spec, sizeof(spec), "file:%s", path);
	return 0;
}

static int remove_dir(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

/* The whole file at path as text; "" when it is empty. */
static const char *file_text(void)
{
	static char text[256];
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

static void test_stdio_writes_the_console_and_reads_only_when_asked(void **state)
{
	struct console_capture capture;
	struct chardev chr;

	assert_int_equal(chardev_open("stdio", "vm", true, &chr), 0);
	assert_non_null(chr.read);
	console_capture_start(&capture);
	chr.write(chr.backend, (const uint8_t *)"hi\n", 3);
	console_capture_stop();
	assert_string_equal(capture.text, "hi\n");
	chardev_close(&chr);
	/* The empty spec, a vm_config's default, is the console too. */
	assert_int_equal(chardev_open("", "vm", false, &chr), 0);
	assert_non_null(chr.write);
	assert_null(chr.read);
	chardev_close(&chr);
}

static void test_none_neither_writes_nor_reads(void **state)
{
	struct chardev chr;

	assert_int_equal(chardev_open("none", "vm", true, &chr), 0);
	assert_null(chr.write);
	assert_null(chr.read);
	chardev_close(&chr);
}

static void test_file_is_created_and_written_front_to_back_without_input(void **state)
{
	struct chardev chr;

	assert_int_equal(chardev_open(spec, "vm", true, &chr), 0);
	assert_null(chr.read);
	assert_string_equal(file_text(), "");
	chr.write(chr.backend, (const uint8_t *)"GUEST", 5);
	chr.write(chr.backend, (const uint8_t *)"-OK\n", 4);
	assert_string_equal(file_text(), "GUEST-OK\n");
	chardev_close(&chr);
	assert_null(chr.write);
	assert_string_equal(file_text(), "GUEST-OK\n");
}

static void test_file_that_exists_is_emptied_first(void **state)
{
	struct chardev chr;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("an older run's long output\n", f);
	fclose(f);
	assert_int_equal(chardev_open(spec, "vm", false, &chr), 0);
	chr.write(chr.backend, (const uint8_t *)"new\n", 4);
	chardev_close(&chr);
	assert_string_equal(file_text(), "new\n");
}

static void test_bad_specs_and_unwritable_files_are_refused(void **state)
{
	char missing[128];
	struct chardev chr;

	assert_int_equal(chardev_open("pty", "vm", true, &chr), -EINVAL);
	assert_int_equal(chardev_open("file:", "vm", true, &chr), -EINVAL);
	assert_int_equal(chardev_open("stdio,x", "vm", true, &chr), -EINVAL);
	snprintf(missing, sizeof(missing), "file:%s/no/such/dir/log", dir);
	assert_int_equal(chardev_open(missing, "vm", true, &chr), -ENOENT);
	assert_null(chr.write);
	snprintf(missing, sizeof(missing), "file:%s", dir);
	assert_int_equal(chardev_open(missing, "vm", true, &chr), -EISDIR);
}

static void test_plat_file_create_needs_write_and_empties_the_file(void **state)
{
	struct plat_file *file;

	assert_int_equal(plat_file_open(path, PLAT_FILE_READ | PLAT_FILE_CREATE, &file), -EINVAL);
	assert_int_equal(plat_file_open(path, PLAT_FILE_CREATE, &file), -EINVAL);
	assert_int_equal(plat_file_open(path, 8u | PLAT_FILE_WRITE, &file), -EINVAL);
	/* Without CREATE a missing file stays missing. */
	assert_int_equal(plat_file_open(path, PLAT_FILE_WRITE, &file), -ENOENT);
	assert_int_equal(plat_file_open(path, PLAT_FILE_READ | PLAT_FILE_WRITE | PLAT_FILE_CREATE,
					&file),
			 0);
	assert_int_equal(plat_file_write(file, "abcdef", 6, 0), 6);
	plat_file_close(file);
	assert_int_equal(plat_file_open(path, PLAT_FILE_WRITE | PLAT_FILE_CREATE, &file), 0);
	assert_int_equal(plat_file_size(file), 0);
	plat_file_close(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdio_writes_the_console_and_reads_only_when_asked),
		cmocka_unit_test(test_none_neither_writes_nor_reads),
		cmocka_unit_test_setup_teardown(
			test_file_is_created_and_written_front_to_back_without_input, make_dir,
			remove_dir),
		cmocka_unit_test_setup_teardown(test_file_that_exists_is_emptied_first, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(test_bad_specs_and_unwritable_files_are_refused,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
			test_plat_file_create_needs_write_and_empties_the_file, make_dir,
			remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
