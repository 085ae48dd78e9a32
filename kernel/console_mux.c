// SPDX-License-Identifier: MIT
/* The console multiplexer (kernel/console_mux.h). */
#include "kernel/console_mux.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/config.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/plat.h"
#include "lib/spinlock.h"
#include "lib/str.h"

#define CONSOLE_PORT_INPUT 256u /* bytes of input a VM has not taken yet */
/* How often the platform's console is asked for input: devices poll far more often than anyone
 * types, and asking costs a system call in polyrun. */
#define CONSOLE_MUX_POLL_NS 1000000ull
/* With several VMs, output waits for its line's end (a UART sends byte by byte), but a line left
 * unfinished this long, a shell's prompt, is shown anyway. */
#define CONSOLE_LINE_MAX 160u
#define CONSOLE_MUX_PARTIAL_NS 100000000ull

struct console_port {
	unsigned users; /* a VM's UART and virtio-console share its port */
	bool at_line_start; /* on the console: the port's last text ended its line */
	char name[CONFIG_NAME_MAX];
	char line[CONSOLE_LINE_MAX]; /* output not on the console yet */
	size_t line_len;
	uint64_t line_since_ns; /* when the oldest of it came */
	uint8_t input[CONSOLE_PORT_INPUT];
	unsigned head, tail; /* free-running: tail - head bytes wait */
};

static struct {
	struct spinlock lock;
	struct console_port ports[CONSOLE_MUX_PORTS];
	unsigned attached;
	struct console_port *input_to; /* NULL: the first attached port */
	struct console_port *last_writer;
	bool escape; /* Ctrl-A seen, the next key is a command */
	uint64_t next_poll_ns;
} mux = { .lock = SPINLOCK_INIT };

int console_mux_attach(const char *name, struct console_port **out)
{
	spin_lock(&mux.lock);
	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++) {
		struct console_port *port = &mux.ports[i];

		if (port->users && strcmp(port->name, name) == 0) {
			port->users++;
			spin_unlock(&mux.lock);
			*out = port;
			return 0;
		}
	}
	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++) {
		struct console_port *port = &mux.ports[i];

		if (port->users)
			continue;
		memset(port, 0, sizeof(*port));
		port->users = 1;
		port->at_line_start = true;
		str_copy(port->name, sizeof(port->name), name);
		mux.attached++;
		spin_unlock(&mux.lock);
		*out = port;
		return 0;
	}
	spin_unlock(&mux.lock);
	return -ENOSPC;
}

static void flush_line_locked(struct console_port *port);

void console_mux_detach(struct console_port *port)
{
	if (!port)
		return;
	spin_lock(&mux.lock);
	flush_line_locked(port);
	if (--port->users) {
		spin_unlock(&mux.lock);
		return;
	}
	mux.attached--;
	if (mux.input_to == port)
		mux.input_to = NULL;
	if (mux.last_writer == port)
		mux.last_writer = NULL;
	spin_unlock(&mux.lock);
}

static struct console_port *input_port_locked(void)
{
	if (mux.input_to)
		return mux.input_to;
	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++)
		if (mux.ports[i].users)
			return &mux.ports[i];
	return NULL;
}

/* Ends the line the last writer left open, so that what follows starts a line of its own. */
static void end_open_line_locked(void)
{
	if (mux.last_writer && !mux.last_writer->at_line_start) {
		console_write("\n", 1);
		mux.last_writer->at_line_start = true;
	}
}

/* The mux's own lines, such as the answer to Ctrl-A h. */
static void say_locked(const char *text)
{
	end_open_line_locked();
	console_write(text, strlen(text));
	mux.last_writer = NULL;
}

/* Puts what the port holds on the console, after its name when it starts a line. */
static void flush_line_locked(struct console_port *port)
{
	char prefix[CONFIG_NAME_MAX + 4];

	if (!port->line_len)
		return;
	if (mux.last_writer != port)
		end_open_line_locked();
	if (port->at_line_start) {
		fmt_snprintf(prefix, sizeof(prefix), "[%s] ", port->name);
		console_write(prefix, strlen(prefix));
	}
	console_write(port->line, port->line_len);
	port->at_line_start = port->line[port->line_len - 1] == '\n';
	port->line_len = 0;
	mux.last_writer = port;
}

/* Shows the lines left unfinished for CONSOLE_MUX_PARTIAL_NS. */
static void flush_stale_lines_locked(uint64_t now)
{
	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++) {
		struct console_port *port = &mux.ports[i];

		if (port->users && port->line_len &&
		    now - port->line_since_ns >= CONSOLE_MUX_PARTIAL_NS)
			flush_line_locked(port);
	}
}

void console_port_write(struct console_port *port, const uint8_t *buf, size_t len)
{
	const char *text = (const char *)buf;

	spin_lock(&mux.lock);
	if (mux.attached <= 1) {
		flush_line_locked(port);
		console_write(text, len);
		port->at_line_start = len ? text[len - 1] == '\n' : port->at_line_start;
		mux.last_writer = port;
		spin_unlock(&mux.lock);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (!port->line_len)
			port->line_since_ns = plat_time_ns();
		port->line[port->line_len++] = text[i];
		if (text[i] == '\n' || port->line_len == CONSOLE_LINE_MAX)
			flush_line_locked(port);
	}
	spin_unlock(&mux.lock);
}

static void queue_locked(struct console_port *port, uint8_t byte)
{
	/* A VM that takes no input loses what it was sent, as a UART's full FIFO would. */
	if (port && port->tail - port->head < CONSOLE_PORT_INPUT)
		port->input[port->tail++ % CONSOLE_PORT_INPUT] = byte;
}

static void help_locked(void)
{
	struct console_port *to = input_port_locked();
	char line[CONFIG_NAME_MAX + 48];

	say_locked("[polyvisor] Ctrl-A N: input to VM N; Ctrl-A Ctrl-A: send Ctrl-A; VMs:\n");
	for (unsigned i = 0; i < CONSOLE_MUX_PORTS; i++) {
		if (!mux.ports[i].users)
			continue;
		fmt_snprintf(line, sizeof(line), "[polyvisor]   %u %s%s\n", i + 1,
			     mux.ports[i].name, &mux.ports[i] == to ? " (input)" : "");
		say_locked(line);
	}
}

/* One key of the shared console's input: for the VM that has it, or a command after Ctrl-A. */
static void key_locked(uint8_t key)
{
	char line[CONFIG_NAME_MAX + 48];
	unsigned n;

	if (mux.attached <= 1 || (!mux.escape && key != CONSOLE_MUX_ESCAPE)) {
		queue_locked(input_port_locked(), key);
		return;
	}
	if (!mux.escape) {
		mux.escape = true;
		return;
	}
	mux.escape = false;
	if (key == CONSOLE_MUX_ESCAPE) {
		queue_locked(input_port_locked(), key);
	} else if (key == 'h' || key == '?') {
		help_locked();
	} else if (key >= '1' && key <= '9') {
		n = key - '1';
		if (n >= CONSOLE_MUX_PORTS || !mux.ports[n].users) {
			say_locked("[polyvisor] no such VM (Ctrl-A h lists them)\n");
			return;
		}
		mux.input_to = &mux.ports[n];
		fmt_snprintf(line, sizeof(line), "[polyvisor] input to %s\n", mux.ports[n].name);
		say_locked(line);
	}
}

size_t console_port_read(struct console_port *port, uint8_t *buf, size_t len)
{
	size_t got = 0;
	int key;

	spin_lock(&mux.lock);
	if (plat_time_ns() >= mux.next_poll_ns) {
		while ((key = plat_console_getc()) >= 0)
			key_locked((uint8_t)key);
		flush_stale_lines_locked(plat_time_ns());
		mux.next_poll_ns = plat_time_ns() + CONSOLE_MUX_POLL_NS;
	}
	while (got < len && port->head != port->tail)
		buf[got++] = port->input[port->head++ % CONSOLE_PORT_INPUT];
	spin_unlock(&mux.lock);
	return got;
}
