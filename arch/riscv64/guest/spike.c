// SPDX-License-Identifier: MIT
/*
 * A Spike-compatible board for bare programs: `polyrun -M spike -bios none -kernel PROG.elf`.
 * RAM starts at 0x80000000; the ELF's PT_LOAD segments are loaded there and every hart (-smp N,
 * each on a CPU of the VM loop) starts at its entry in M mode, told apart by mhartid, as in Spike.
 * A CLINT at 0x2000000 gives the harts their software interrupts (IPIs, which wake a hart from
 * WFI) and timer interrupts. HTIF works as in Spike's front-end server: the host polls the
 * program's tohost word (found by its ELF symbol) and answers through fromhost, here between
 * blocks, on whichever hart polls first.
 * Commands: device 0 command 0 is exit when the payload's bit 0 is set (payload >> 1 is the
 * code: 0 pass, n the failing test) and otherwise a proxied system call (write only); device 1
 * is the console (command 1 writes a byte to the console, stdout under polyrun; command 0 reads
 * one).
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/spike.h"
#include "boot/elf.h"
#include "dev/clint.h"
#include "interp/emu.h"
#include "kernel/vm_loop.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/plat.h"
#include "lib/spinlock.h"

#define RV_HTIF_DEV(v) ((v) >> 56)
#define RV_HTIF_CMD(v) (((v) >> 48) & 0xffu)
#define RV_HTIF_PAYLOAD(v) ((v) & ((1ull << 48) - 1))
#define RV_HTIF_MSG(dev, cmd, payload) \
	(((uint64_t)(dev) << 56) | ((uint64_t)(cmd) << 48) | (payload))

#define RV_SYS_WRITE 64
#define RV_SPIKE_CLINT_BASE 0x2000000ull
/* How often a hart halted while the program waits for a console byte looks for one. */
#define RV_SPIKE_READ_POLL_NS 1000000ull

struct rv_spike {
	struct rv_platform platform; /* first: see struct rv_platform */
	struct vm *vm;
	uint64_t *tohost; /* host addresses of the program's HTIF words; NULL without them */
	uint64_t *fromhost;
	/* Every hart polls HTIF: one at a time serves it, the others go on. */
	struct spinlock htif_lock;
	bool read_pending; /* a console read waits for a byte; under htif_lock */
	atomic_bool exited;
	uint64_t exit_code;
	uint64_t time_origin_ns;
	struct clint clint;
};

static uint64_t rv_spike_timebase(void *ctx)
{
	const struct rv_spike *spike = ctx;

	return (plat_time_ns() - spike->time_origin_ns) / (1000000000ull / RV_SPIKE_TIMEBASE_HZ);
}

/* The time CSR reads mtime, including what software wrote to it. */
static uint64_t rv_spike_time(void *ctx)
{
	const struct rv_spike *spike = ctx;

	return clint_mtime(&spike->clint);
}

/*
 * The CLINT's lines reach the hart's mip; spike runs on the emulation engine only. A rising line
 * kicks the hart, which may sleep in WFI on another CPU: an IPI or its timer wakes it.
 */
static void rv_spike_set_line(void *ctx, unsigned hart, enum clint_line line, bool level)
{
	struct rv_spike *spike = ctx;
	uint64_t bit = line == CLINT_SOFT ? RV_MIP_MSIP : RV_MIP_MTIP;
	struct rv_cpu *cpu;

	if (hart >= spike->vm->nvcpus)
		return;
	cpu = emu_cpu_of(&spike->vm->vcpus[hart])->state;
	if (rv_cpu_set_irq_line(cpu, bit, level))
		vm_vcpu_kick(&spike->vm->vcpus[hart]);
}

/* A CLINT mtime value on plat_time_ns's clock: the inverse of rv_spike_timebase, saturating. */
static uint64_t rv_spike_mtime_ns(const struct rv_spike *spike, uint64_t mtime, uint64_t offset)
{
	const uint64_t ns_per_tick = 1000000000ull / RV_SPIKE_TIMEBASE_HZ;
	uint64_t ticks = mtime - offset;

	if (ticks > (UINT64_MAX - spike->time_origin_ns) / ns_per_tick)
		return UINT64_MAX;
	return spike->time_origin_ns + ticks * ns_per_tick;
}

/*
 * When the hart's enabled timers fire: mtimecmp, and stimecmp when Sstc is on. A timer whose
 * interrupt is masked in mie cannot end WFI, so it is no event. A console read polls each ms.
 */
static uint64_t rv_spike_next_event_ns(struct vcpu *vcpu)
{
	struct rv_spike *spike = vcpu->vm->board_priv;
	const struct rv_cpu *cpu = emu_cpu_of(vcpu)->state;
	uint64_t now, cmp = UINT64_MAX, offset;
	bool reading;

	spin_lock(&spike->htif_lock);
	reading = spike->read_pending;
	spin_unlock(&spike->htif_lock);
	if (reading)
		return plat_time_ns() + RV_SPIKE_READ_POLL_NS;
	spin_lock(&spike->clint.lock);
	now = clint_mtime(&spike->clint);
	if (cpu->mie & RV_MIP_MTIP)
		cmp = spike->clint.mtimecmp[vcpu->id];
	offset = spike->clint.mtime_offset;
	spin_unlock(&spike->clint.lock);
	if ((cpu->menvcfg & RV_MENVCFG_STCE) && (cpu->mie & RV_MIP_STIP) && cpu->stimecmp < cmp)
		cmp = cpu->stimecmp;
	if (cmp == UINT64_MAX)
		return UINT64_MAX;
	return cmp <= now ? 0 : rv_spike_mtime_ns(spike, cmp, offset);
}

static const struct clint_ops rv_spike_clint_ops = {
	.read_timebase = rv_spike_timebase,
	.set_line = rv_spike_set_line,
};

static void rv_spike_respond(struct rv_spike *spike, uint64_t message)
{
	__atomic_store_n(spike->fromhost, message, __ATOMIC_RELEASE);
}

/* The proxied write(fd, buf, len) of riscv-tests' benchmarks: magic_mem holds the arguments. */
static void rv_spike_syscall(struct rv_spike *spike, uint64_t magic_mem)
{
	struct gpa_space *gpa = spike->vm->gpa;
	uint64_t args[4], done = 0;
	char chunk[256];

	if (gpa_read(gpa, magic_mem, args, sizeof(args)) < 0)
		return;
	if (args[0] == RV_SYS_WRITE && (args[1] == 1 || args[1] == 2)) {
		while (done < args[3]) {
			uint64_t len = args[3] - done < sizeof(chunk) ? args[3] - done :
									sizeof(chunk);

			if (gpa_read(gpa, args[2] + done, chunk, len) < 0)
				break;
			console_write(chunk, len);
			done += len;
		}
		args[0] = done;
	} else {
		args[0] = (uint64_t)-ENOSYS;
	}
	gpa_write(gpa, magic_mem, args, sizeof(args[0]));
	rv_spike_respond(spike, RV_HTIF_MSG(0, 0, 1));
}

/* A console read completes once a byte arrives. */
static void rv_spike_console_read(struct rv_spike *spike)
{
	int byte = plat_console_getc();

	if (byte < 0)
		return;
	spike->read_pending = false;
	rv_spike_respond(spike, RV_HTIF_MSG(1, 0, (uint8_t)byte));
}

/* Serves one tohost command, with htif_lock held; true when the program exited. */
static bool rv_spike_serve_htif(struct rv_spike *spike)
{
	uint64_t message;
	char byte;

	if (spike->read_pending)
		rv_spike_console_read(spike);
	message = __atomic_exchange_n(spike->tohost, 0, __ATOMIC_ACQ_REL);
	if (message == 0)
		return false;
	switch (RV_HTIF_DEV(message) << 8 | RV_HTIF_CMD(message)) {
	case 0x000:
		if (RV_HTIF_PAYLOAD(message) & 1) {
			spike->exit_code = RV_HTIF_PAYLOAD(message) >> 1;
			atomic_store(&spike->exited, true);
			return true;
		}
		rv_spike_syscall(spike, RV_HTIF_PAYLOAD(message));
		break;
	case 0x101:
		byte = (char)RV_HTIF_PAYLOAD(message);
		console_write(&byte, 1);
		rv_spike_respond(spike, RV_HTIF_MSG(1, 1, 0));
		break;
	case 0x100:
		spike->read_pending = true;
		rv_spike_console_read(spike);
		break;
	default:
		log_warn("vm %s: spike: unknown HTIF device %u command %u", spike->vm->config.name,
			 (unsigned)RV_HTIF_DEV(message), (unsigned)RV_HTIF_CMD(message));
		break;
	}
	return false;
}

/* Moves the CLINT's timer lines on and serves one tohost command; true when the program exited. */
static bool rv_spike_poll(void *ctx, bool *reset)
{
	struct rv_spike *spike = ctx;
	bool exited;

	clint_update(&spike->clint);
	if (!spike->tohost || !spin_trylock(&spike->htif_lock))
		return false;
	exited = rv_spike_serve_htif(spike);
	spin_unlock(&spike->htif_lock);
	return exited;
}

/* The host address of an HTIF word: it must be an aligned word of RAM. */
static uint64_t *rv_spike_htif_word(struct vm *vm, const void *image, size_t size, const char *name)
{
	uint64_t addr;

	if (elf_symbol(image, size, name, &addr) < 0 || (addr & 7u))
		return NULL;
	return gpa_ram_ptr(vm->gpa, addr, 8);
}

static int rv_spike_load(struct rv_spike *spike)
{
	struct vm *vm = spike->vm;
	const char *path = vm->config.kernel;
	char msg[ELF_ERROR_MAX];
	struct elf_info info;
	void *image = NULL;
	size_t size = 0;
	int err = file_read_whole(path, &image, &size);

	if (err < 0) {
		log_error("vm %s: spike: cannot read %s: %s", vm->config.name, path,
			  pv_strerror(err));
		return err;
	}
	err = elf_load(vm->gpa, image, size, ELF_MACHINE_RISCV, &info, msg, sizeof(msg));
	if (err < 0) {
		log_error("vm %s: spike: %s: %s", vm->config.name, path, msg);
	} else {
		spike->platform.reset_pc = info.entry;
		spike->tohost = rv_spike_htif_word(vm, image, size, "tohost");
		spike->fromhost = rv_spike_htif_word(vm, image, size, "fromhost");
		if (!spike->fromhost)
			spike->tohost = NULL;
		if (!spike->tohost)
			log_warn(
				"vm %s: spike: %s has no 8-byte aligned tohost and fromhost in RAM: "
				"it cannot print or report a result",
				vm->config.name, path);
	}
	plat_free(image);
	return err;
}

static void rv_spike_destroy(struct vm *vm)
{
	if (vm->gpa)
		gpa_space_destroy(vm->gpa);
	plat_free(vm->board_priv);
	vm->gpa = NULL;
	vm->board_priv = NULL;
}

static int rv_spike_create(struct vm *vm)
{
	struct rv_spike *spike;
	int err;

	if (vm->engine->kind == VM_ENGINE_HW) {
		log_error("vm %s: spike runs on the emulation engine only (engine interp)",
			  vm->config.name);
		return -EINVAL;
	}
	if (vm->config.firmware[0]) {
		log_error("vm %s: spike runs -kernel directly; it takes no firmware image",
			  vm->config.name);
		return -EINVAL;
	}
	spike = plat_alloc(sizeof(*spike));
	vm->gpa = gpa_space_create();
	vm->board_priv = spike;
	if (!spike || !vm->gpa) {
		log_error("vm %s: spike: out of memory", vm->config.name);
		rv_spike_destroy(vm);
		return -ENOMEM;
	}
	spike->vm = vm;
	spike->platform = (struct rv_platform){ .read_time = rv_spike_time,
						.poll = rv_spike_poll,
						.ctx = spike,
						.reset_pc = RV_SPIKE_RAM_BASE };
	spike->time_origin_ns = plat_time_ns();
	atomic_init(&spike->exited, false);
	spin_lock_init(&spike->htif_lock);
	err = clint_init(&spike->clint, vm->config.cpus, &rv_spike_clint_ops, spike);
	if (!err)
		err = gpa_add_mmio(vm->gpa, RV_SPIKE_CLINT_BASE, CLINT_SIZE, &clint_mmio_ops,
				   &spike->clint, "clint");
	if (!err)
		err = gpa_add_ram(vm->gpa, RV_SPIKE_RAM_BASE, vm->config.memory_bytes, "ram");
	if (err < 0)
		log_error("vm %s: spike: cannot build the machine: %s", vm->config.name,
			  pv_strerror(err));
	if (!err && vm->config.kernel[0])
		err = rv_spike_load(spike);
	if (err < 0)
		rv_spike_destroy(vm);
	return err;
}

/* The HTIF exit code: 0 for a pass, else the failing test's number. */
static int rv_spike_exit_status(struct vm *vm)
{
	uint64_t code;

	if (rv_spike_exit_code(vm, &code) < 0)
		return 0;
	return code > INT32_MAX ? INT32_MAX : (int)code;
}

const struct board_ops rv_spike_board = {
	.name = "spike",
	.isa = VM_ISA_RISCV64,
	.create = rv_spike_create,
	.destroy = rv_spike_destroy,
	.next_event_ns = rv_spike_next_event_ns,
	.exit_status = rv_spike_exit_status,
};

int rv_spike_exit_code(const struct vm *vm, uint64_t *code)
{
	const struct rv_spike *spike = vm->board_priv;

	if (!spike || !atomic_load(&spike->exited))
		return -EAGAIN;
	*code = spike->exit_code;
	return 0;
}
