// SPDX-License-Identifier: MIT
/*
 * kernel/console_mux: one VM's console passes through untouched; with two, lines carry the VM's
 * name and never mix, and Ctrl-A keys move the input between them. Input is fed through a pipe
 * on stdin, where polyrun's platform reads the console.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "console_capture.h"
#include "kernel/console_mux.h"
#include "lib/errno.h"

static struct console_capture capture;
static int input_fd = -1;

static int setup(void **state)
{
	int fds[2];

	if (pipe(fds) < 0 || dup2(fds[0], STDIN_FILENO) < 0)
		return -1;
	close(fds[0]);
	input_fd = fds[1];
	console_capture_start(&capture);
	return 0;
}

static int teardown(void **state)
{
	console_capture_stop();
	close(input_fd);
	return 0;
}

/* Keys typed, then a pause past the mux's polling interval so that the next read sees them. */
static void type(const char *keys)
{
	assert_int_equal(write(input_fd, keys, strlen(keys)), (ssize_t)strlen(keys));
	usleep(2000);
}

static void put(struct console_port *port, const char *text)
{
	console_port_write(port, (const uint8_t *)text, strlen(text));
}

/* What port has been sent, as a string. */
static const char *got(struct console_port *port)
{
	static char buf[64];
	size_t n = console_port_read(port, (uint8_t *)buf, sizeof(buf) - 1);

	buf[n] = '\0';
	return buf;
}

static void test_one_vm_has_the_console_to_itself(void **state)
{
	struct console_port *uart, *virtio;

	assert_int_equal(console_mux_attach("solo", &uart), 0);
	/* The same VM's second console device shares its port. */
	assert_int_equal(console_mux_attach("solo", &virtio), 0);
	assert_ptr_equal(uart, virtio);
	capture.len = 0;
	put(uart, "login: ");
	put(virtio, "root\n");
	assert_string_equal(capture.text, "login: root\n");
	type("\x01"
	     "1x");
	assert_string_equal(got(uart), "\x01"
				       "1x");
	console_mux_detach(virtio);
	console_mux_detach(uart);
}

static void test_two_vms_get_named_lines_that_never_mix(void **state)
{
	struct console_port *a, *b;

	assert_int_equal(console_mux_attach("alpha", &a), 0);
	assert_int_equal(console_mux_attach("beta", &b), 0);
	capture.len = 0;
	put(a, "one\ntw");
	put(b, "th");
	put(b, "ree\n");
	put(a, "o\n");
	assert_string_equal(capture.text, "[alpha] one\n[beta] three\n[alpha] two\n");
	/* A prompt left unfinished shows after a tenth of a second, at the next input poll, and
	 * the next VM's line starts a line of its own. */
	capture.len = 0;
	capture.text[0] = '\0';
	put(a, "# ");
	assert_string_equal(capture.text, "");
	usleep(150000);
	assert_string_equal(got(a), "");
	assert_string_equal(capture.text, "[alpha] # ");
	put(b, "x\n");
	assert_string_equal(capture.text, "[alpha] # \n[beta] x\n");
	console_mux_detach(a);
	console_mux_detach(b);
}

static void test_ctrl_a_moves_the_input_between_vms(void **state)
{
	struct console_port *a, *b;

	assert_int_equal(console_mux_attach("alpha", &a), 0);
	assert_int_equal(console_mux_attach("beta", &b), 0);
	type("ls");
	assert_string_equal(got(b), "");
	assert_string_equal(got(a), "ls");
	capture.len = 0;
	type("\x01"
	     "2pwd\x01\x01");
	assert_string_equal(got(a), "");
	assert_string_equal(got(b), "pwd\x01");
	assert_string_equal(capture.text, "[polyvisor] input to beta\n");
	capture.len = 0;
	type("\x01"
	     "7\x01h");
	assert_string_equal(got(b), "");
	assert_non_null(strstr(capture.text, "[polyvisor] no such VM"));
	assert_non_null(strstr(capture.text, "[polyvisor]   1 alpha\n"));
	assert_non_null(strstr(capture.text, "[polyvisor]   2 beta (input)\n"));
	/* The VM with the input goes: the first one left takes it. */
	console_mux_detach(b);
	type("q");
	assert_string_equal(got(a), "q");
	console_mux_detach(a);
}

static void test_the_mux_has_room_for_nine_vms(void **state)
{
	struct console_port *ports[CONSOLE_MUX_PORTS], *extra;
	char name[8];

	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++) {
		snprintf(name, sizeof(name), "vm%u", i);
		assert_int_equal(console_mux_attach(name, &ports[i]), 0);
	}
	assert_int_equal(console_mux_attach("tenth", &extra), -ENOSPC);
	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++)
		console_mux_detach(ports[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_vm_has_the_console_to_itself),
		cmocka_unit_test(test_two_vms_get_named_lines_that_never_mix),
		cmocka_unit_test(test_ctrl_a_moves_the_input_between_vms),
		cmocka_unit_test(test_the_mux_has_room_for_nine_vms),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
