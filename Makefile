# Polyvisor top-level Makefile. `make help` lists the targets.
#
# Every folder lists its own objects in an objects.mk beside its sources:
#   core-y      freestanding layers 1-6, built into both polyrun and every polyvisor.efi
#   polyrun-y   the hosted platform (tools/polyrun), built only for the host
#   efi-y       bare-metal code shared by every host ISA (uefi/)
#   efi-ISA-y   bare-metal code of one host ISA (arch/ISA/host)
# Builds are out of tree: build/host/ for polyrun and the tests, build/ISA/ for each host ISA.

ARCH ?= x86_64
EFI_ARCHES := x86_64 aarch64 riscv64
ifeq ($(filter $(ARCH),$(EFI_ARCHES)),)
$(error ARCH=$(ARCH) is not one of: $(EFI_ARCHES))
endif

BUILD := build
CACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/polyvisor
VERSION := $(shell cat VERSION 2>/dev/null)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
JOBS ?= 2
V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

.DEFAULT_GOAL := all
, := ,
.DELETE_ON_ERROR:
.SUFFIXES:

include mk/toolchain.mk

core-y :=
polyrun-y :=
efi-y :=
$(foreach a,$(EFI_ARCHES),$(eval efi-$(a)-y :=))
include $(sort $(wildcard */objects.mk */*/objects.mk */*/*/objects.mk))

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
DEFINES := -DPV_VERSION='"$(VERSION)"' -DPV_GIT_REV='"$(GIT_REV)"'

# ---- host build: polyrun, unit tests (system libc, libfdt-dev, cmocka) ------------------------
HOST_CC ?= gcc
# HOST_SANITIZE=1: ASan+UBSan in build/host-san; HOST_SANITIZE=thread: ThreadSanitizer in
# build/host-tsan (the two cannot share a binary). gcc warns that TSan does not model
# atomic_thread_fence (the interpreter's guest FENCE is one): -Wno-tsan, as a report it causes
# is read with that in mind (tests/integration/tsan-riscv64.sh).
HOST_SANITIZE ?=
HOST_COVERAGE ?=
HOST_SAN := $(if $(filter thread,$(HOST_SANITIZE)),tsan,$(if $(HOST_SANITIZE),san))
HOST_SAN_FLAGS_san := -fsanitize=address$(,)undefined -fno-sanitize-recover=all
HOST_SAN_FLAGS_tsan := -fsanitize=thread -Wno-tsan
HOST_BUILD := $(BUILD)/host$(if $(HOST_SAN),-$(HOST_SAN))$(if $(HOST_COVERAGE),-cov)
HOST_CFLAGS := -std=c11 -O2 -g $(WARNINGS) $(DEFINES) -I. -MMD -MP \
	$(if $(HOST_SAN),$(HOST_SAN_FLAGS_$(HOST_SAN)) -fno-omit-frame-pointer) \
	$(if $(HOST_COVERAGE),--coverage -O0)
# The core stays freestanding on the host too: no OS headers, no assumed builtins.
HOST_CORE_CFLAGS := $(HOST_CFLAGS) -ffreestanding
HOST_TOOL_CFLAGS := $(HOST_CFLAGS) -D_GNU_SOURCE
HOST_LDFLAGS := $(if $(HOST_SAN),$(HOST_SAN_FLAGS_$(HOST_SAN))) $(if $(HOST_COVERAGE),--coverage)
HOST_LIBS := -lfdt -lm -lpthread

HOST_CORE_OBJS := $(addprefix $(HOST_BUILD)/,$(core-y))
HOST_POLYRUN_OBJS := $(addprefix $(HOST_BUILD)/,$(polyrun-y))
HOST_CORE_LIB := $(HOST_BUILD)/libcore.a
POLYRUN := $(HOST_BUILD)/polyrun

# Under ThreadSanitizer the code that carries out the guest's own loads, stores and atomics on
# guest RAM (the interpreter with the softmmu's inline fast path, the softmmu's slow path, the
# riscv64 page walker) is left uninstrumented: harts racing on guest memory is the guest's
# business, and instrumenting every guest access made a -smp 2 Linux boot take 12 minutes.
# Everything the hypervisor itself shares between threads stays checked.
TSAN_GUEST_MEMORY_OBJS := interp/interp.o mmu/tlb.o arch/riscv64/guest/mmu.o
host_obj_cflags = $(if $(filter $(polyrun-y) tests/%,$(1)),$(HOST_TOOL_CFLAGS),$(HOST_CORE_CFLAGS))
host_cflags = $(if $(and $(filter tsan,$(HOST_SAN)),$(filter $(TSAN_GUEST_MEMORY_OBJS),$(1))),$\
	$(filter-out -fsanitize=thread,$(call host_obj_cflags,$(1))),$(call host_obj_cflags,$(1)))

$(HOST_BUILD)/%.o: %.c $(BUILD)/layers.ok
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) $(call host_cflags,$*.o) -c $< -o $@

$(HOST_CORE_LIB): $(HOST_CORE_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(POLYRUN): $(HOST_POLYRUN_OBJS) $(HOST_CORE_LIB)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $(HOST_POLYRUN_OBJS) $(HOST_CORE_LIB) $(HOST_LIBS)

# Unit tests: tests/unit/test_NAME.c is one cmocka program, linked with the host core, and with
# polyrun's objects (minus its main) so the command line can be tested too.
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(HOST_BUILD)/tests/unit/%,$(UNIT_SRCS))
POLYRUN_LIB_OBJS := $(filter-out %/main.o,$(HOST_POLYRUN_OBJS))

$(HOST_BUILD)/tests/unit/%: $(HOST_BUILD)/tests/unit/%.o $(POLYRUN_LIB_OBJS) $(HOST_CORE_LIB)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $< $(POLYRUN_LIB_OBJS) $(HOST_CORE_LIB) -lcmocka $(HOST_LIBS)

.PHONY: polyrun unit-tests
polyrun: $(POLYRUN)
unit-tests: $(UNIT_BINS)

# ---- bare-metal builds: build/ISA/polyvisor.efi, one rule set per host ISA ------------------------
# mk/toolchain.mk defines, per ISA: CROSS_ISA, EFI_CFLAGS_ISA, EFI_INCLUDES_ISA, EFI_LDFLAGS_ISA,
# EFI_LIBS_ISA, EFI_CRT0_ISA, EFI_LDS_ISA, EFI_OBJCOPY_ISA (the final conversion to PE/COFF).
define efi_rules
$(1)_OBJS := $$(addprefix $(BUILD)/$(1)/,$$(core-y) $$(efi-y) $$(efi-$(1)-y))

$(BUILD)/$(1)/%.o: %.c $(BUILD)/layers.ok
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	$(Q)$$(CROSS_$(1))gcc $$(EFI_CFLAGS_$(1)) $(WARNINGS) $(DEFINES) -I. $$(EFI_INCLUDES_$(1)) -MMD -MP -c $$< -o $$@

$(BUILD)/$(1)/%.o: %.S
	@mkdir -p $$(@D)
	@echo "  AS      $$@"
	$(Q)$$(CROSS_$(1))gcc $$(EFI_CFLAGS_$(1)) -I. $$(EFI_INCLUDES_$(1)) -MMD -MP -c $$< -o $$@

$(BUILD)/$(1)/polyvisor.elf: $$($(1)_OBJS)
	@echo "  LD      $$@"
	$(Q)$$(CROSS_$(1))ld $$(EFI_LDFLAGS_$(1)) -T $$(EFI_LDS_$(1)) -o $$@ $$(EFI_CRT0_$(1)) $$^ $$(EFI_LIBS_$(1))

$(BUILD)/$(1)/polyvisor.efi: $(BUILD)/$(1)/polyvisor.elf
	@echo "  EFI     $$@"
	$(Q)$$(CROSS_$(1))objcopy $$(EFI_OBJCOPY_$(1)) $$< $$@

-include $$($(1)_OBJS:.o=.d)
endef
$(foreach a,$(EFI_ARCHES),$(eval $(call efi_rules,$(a))))

-include $(HOST_CORE_OBJS:.o=.d) $(HOST_POLYRUN_OBJS:.o=.d) $(UNIT_BINS:=.d)

# libFuzzer targets; included here, once core-y and the host flags they reuse are known.
include mk/fuzz.mk

# ---- layering: an include that reaches up a layer fails the build -------------------------------
LAYER_SRCS := $(shell find lib mmu ir kernel boot jit interp virtio dev arch vmx uefi tools \
	-name '*.[ch]' 2>/dev/null)
$(BUILD)/layers.ok: tools/check-layers.sh $(LAYER_SRCS)
	@mkdir -p $(@D)
	$(Q)tools/check-layers.sh $(LAYER_SRCS)
	@touch $@

# ---- user-facing targets -------------------------------------------------------------------------
.PHONY: all efi efi-all deps guests image run test fuzz coverage bench format format-check clean \
	help

all: $(POLYRUN) $(BUILD)/$(ARCH)/polyvisor.efi

efi: $(BUILD)/$(ARCH)/polyvisor.efi
efi-all: $(foreach a,$(EFI_ARCHES),$(BUILD)/$(a)/polyvisor.efi)

deps:
	$(Q)tools/setup.sh

guests: deps
	$(Q)tools/fetch-guests.sh

IMAGE := $(BUILD)/$(ARCH)/polyvisor.img
# The default config boots the riscv64 guest: its files go onto the ESP when make guests made them.
DEFAULT_GUEST_FILES := $(wildcard $(BUILD)/guests/riscv64/Image $(BUILD)/guests/riscv64/initrd.cpio.gz)
$(BUILD)/%/polyvisor.img: $(BUILD)/%/polyvisor.efi tools/mkimage.sh tools/polyvisor.cfg $(DEFAULT_GUEST_FILES)
	$(Q)tools/mkimage.sh $* $< tools/polyvisor.cfg $@

image: deps
	$(Q)$(MAKE) --no-print-directory $(IMAGE)

# No time limit: the default guest takes minutes under TCG, and Ctrl-A X quits by hand.
run: deps guests
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $(IMAGE)
	$(Q)QEMU_TIMEOUT=$${QEMU_TIMEOUT:-0} tools/qemu-run.sh $(ARCH) $(IMAGE)

test: deps guests
	$(Q)tests/run-all.sh

coverage: deps
	$(Q)tests/coverage.sh

bench: deps guests
	$(Q)tools/bench/run.sh

FORMAT_SRCS = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	$(Q)clang-format -i $(FORMAT_SRCS)
format-check:
	$(Q)tools/format-check.sh $(FORMAT_SRCS)

clean:
	rm -rf $(BUILD)

help:
	@echo "Polyvisor $(VERSION) — make targets (ARCH=x86_64|aarch64|riscv64, default x86_64):"
	@echo "  make            polyrun (build/host/polyrun) and build/ARCH/polyvisor.efi"
	@echo "  make deps       install everything the project needs (tools/setup.sh; quiet when done)"
	@echo "  make guests     Debian kernels + busybox initramfs into build/guests/ (cached downloads)"
	@echo "  make efi        build/ARCH/polyvisor.efi only; make efi-all for all three host ISAs"
	@echo "  make image      build/ARCH/polyvisor.img: GPT disk with a FAT ESP, ready for dd to USB"
	@echo "  make run        boot the image under the matching QEMU and firmware, serial on stdio"
	@echo "  make test       every suite; last line: tests: N passed, N failed"
	@echo "  make fuzz       each libFuzzer target FUZZ_SECONDS (60); crashes to tests/fuzz/regress/"
	@echo "  make coverage   lcov HTML of the host-run tests in build/coverage/index.html"
	@echo "  make bench      speed, side by side with QEMU, as ratios (build/bench/)"
	@echo "  make format     clang-format the tree; make format-check verifies it"
	@echo "  make clean      remove build/ (downloads stay cached in $(CACHE_DIR))"
