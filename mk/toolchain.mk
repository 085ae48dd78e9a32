# Toolchains and firmware SDKs per bare-metal host ISA. tools/setup.sh fills the sysroots:
#   $(CACHE_DIR)/sysroot/ISA/gnu-efi/{include/efi,lib}   GNU-EFI headers, crt0, linker script, libs
#   $(CACHE_DIR)/sysroot/ISA/newlib/{include,lib}        newlib libc.a/libm.a built from Debian's source
#   $(CACHE_DIR)/sysroot/ISA/libfdt/{include,lib}        libfdt built from Debian's dtc source
# tools/setup.sh builds newlib and libfdt with EFI_ARCH_CFLAGS_ISA and EFI_LIBC_CFLAGS below and
# records both in the sysroot's stamp: changing either line rebuilds that sysroot on the next
# `make deps`.
SYSROOT = $(CACHE_DIR)/sysroot/$(1)

CROSS_x86_64 :=
CROSS_aarch64 := aarch64-linux-gnu-
CROSS_riscv64 := riscv64-linux-gnu-

# Code generation per ISA, shared by Polyvisor, newlib and libfdt (the ABI must match).
EFI_ARCH_CFLAGS_x86_64 := -mno-red-zone -maccumulate-outgoing-args
EFI_ARCH_CFLAGS_aarch64 := -mno-outline-atomics
EFI_ARCH_CFLAGS_riscv64 := -march=rv64gc -mabi=lp64d -mcmodel=medany

# What newlib is built with besides EFI_ARCH_CFLAGS (tools/setup/sysroot.sh). -fpic: the image is
# linked -shared -Bsymbolic, and x86_64's absolute relocations cannot go into a shared object.
# __DYNAMIC_REENT__ (with newlib's retargetable locking) lets an SMP kernel give each CPU its own
# errno and stdio state by defining __getreent() and the __retarget_lock_* set; libc.a carries
# single-threaded defaults, so nothing is needed until then. Code that includes newlib's headers
# must see the same define, hence it is in EFI_COMMON_CFLAGS too.
EFI_LIBC_CFLAGS := -O2 -g -ffunction-sections -fdata-sections -fpic -fno-stack-protector \
	-D__DYNAMIC_REENT__

# x86_64: call firmware with the Microsoft ABI directly (EFIAPI = ms_abi) in every file, not only
# those that include uefi/uefi.h. Debian's crt0 still calls efi_main with SysV: no EFIAPI there.
EFI_ARCH_DEFINES_x86_64 := -DGNU_EFI_USE_MS_ABI
EFI_ARCH_DEFINES_aarch64 :=
EFI_ARCH_DEFINES_riscv64 :=

EFI_COMMON_CFLAGS := -std=c11 -O2 -g -ffreestanding -fpic -fno-stack-protector -fshort-wchar \
	-fno-strict-aliasing -ffunction-sections -fdata-sections -D__DYNAMIC_REENT__ -DPV_BARE_METAL

define efi_toolchain
EFI_CFLAGS_$(1) := $$(EFI_COMMON_CFLAGS) $$(EFI_ARCH_CFLAGS_$(1)) $$(EFI_ARCH_DEFINES_$(1)) \
	-nostdinc -isystem $$(shell $$(CROSS_$(1))gcc -print-file-name=include)
EFI_INCLUDES_$(1) := -isystem $(call SYSROOT,$(1))/newlib/include \
	-isystem $(call SYSROOT,$(1))/gnu-efi/include/efi \
	-isystem $(call SYSROOT,$(1))/gnu-efi/include/efi/$(1) \
	-isystem $(call SYSROOT,$(1))/libfdt/include
EFI_CRT0_$(1) := $(call SYSROOT,$(1))/gnu-efi/lib/crt0-efi-$(1).o
EFI_LDS_$(1) := $(call SYSROOT,$(1))/gnu-efi/lib/elf_$(1)_efi.lds
EFI_LDFLAGS_$(1) := -nostdlib --no-undefined -shared -Bsymbolic -znocombreloc -z noexecstack \
	-L$(call SYSROOT,$(1))/gnu-efi/lib -L$(call SYSROOT,$(1))/newlib/lib \
	-L$(call SYSROOT,$(1))/libfdt/lib
# A group: libfdt needs libc, libc needs libgcc (riscv64's long double), libgcc may need libc.
EFI_LIBS_$(1) := --start-group -lfdt -lc -lm -lefi -lgnuefi \
	$$(shell $$(CROSS_$(1))gcc -print-libgcc-file-name) --end-group
endef
$(foreach a,x86_64 aarch64 riscv64,$(eval $(call efi_toolchain,$(a))))

# The sections the EFI image keeps. The sysroot's linker scripts gather .bss.*, .sbss.*, .sdata.*
# and .srodata.* into .text/.data (tools/setup/sysroot.sh adds those patterns), so
# -fdata-sections leaves no orphan section behind that this list would drop.
EFI_KEEP_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j '.rel.*' -j '.rela.*' -j .reloc

# x86_64's crt0 is a plain ELF entry: objcopy writes the PE header. aarch64 and riscv64 crt0 carry
# their own PE header, so the image is the raw binary; their linker scripts put code and data in
# one RWX segment by design (the PE header describes the sections), hence the quieted warning.
EFI_OBJCOPY_x86_64 := $(EFI_KEEP_SECTIONS) --target efi-app-x86_64 --subsystem=10
EFI_LDFLAGS_aarch64 += --defsym=EFI_SUBSYSTEM=0xa --no-warn-rwx-segments
EFI_LDFLAGS_riscv64 += --defsym=EFI_SUBSYSTEM=0xa --no-warn-rwx-segments --no-relax
EFI_OBJCOPY_aarch64 := $(EFI_KEEP_SECTIONS) -O binary
EFI_OBJCOPY_riscv64 := $(EFI_OBJCOPY_aarch64)
