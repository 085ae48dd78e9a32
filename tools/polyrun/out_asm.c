// SPDX-License-Identifier: MIT
/* polyrun -d out_asm (tools/polyrun/out_asm.h). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/polyrun/out_asm.h"

/* objdump's name for the host, the one ISA the JIT emits. */
#if defined(__x86_64__)
#define OUT_ASM_MACHINE "i386:x86-64"
#elif defined(__aarch64__)
#define OUT_ASM_MACHINE "aarch64"
#else
#define OUT_ASM_MACHINE "riscv:rv64"
#endif

/* vCPUs compile on threads of their own: one block's listing at a time. */
static pthread_mutex_t out_asm_lock = PTHREAD_MUTEX_INITIALIZER;

/* objdump's instruction lines ("  addr:\tbytes\tmnemonic"), without its headers. */
static bool disassemble(const char *path, const void *code)
{
	char command[1024], line[512];
	bool any = false;
	FILE *out;

	snprintf(command, sizeof(command),
		 "objdump -D -b binary -m " OUT_ASM_MACHINE " --adjust-vma=%#lx '%s' 2>/dev/null",
		 (unsigned long)(uintptr_t)code, path);
	out = popen(command, "r");
	if (!out)
		return false;
	while (fgets(line, sizeof(line), out)) {
		const char *p = line;

		while (*p == ' ')
			p++;
		if (p != line && strchr(p, ':') && strchr(p, '\t')) {
			fputs(line, stderr);
			any = true;
		}
	}
	return pclose(out) == 0 && any;
}

static void hex_dump(const uint8_t *code, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : i ? "\n  " : "  ", code[i]);
	fputc('\n', stderr);
}

void out_asm_block(void *ctx, uint64_t guest_pc, const void *code, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	bool shown = false;
	int fd;

	snprintf(path, sizeof(path), "%s/polyrun-out-asm-XXXXXX", dir && *dir ? dir : "/tmp");
	pthread_mutex_lock(&out_asm_lock);
	fprintf(stderr, "OUT: block %#llx (%zu bytes of host code at %p)\n",
		(unsigned long long)guest_pc, len, code);
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, code, len) == (ssize_t)len)
			shown = disassemble(path, code);
		close(fd);
		unlink(path);
	}
	if (!shown)
		hex_dump(code, len);
	pthread_mutex_unlock(&out_asm_lock);
}
