# Toolchains and firmware SDKs per bare-metal host ISA. tools/setup.sh fills the sysroots:
#   $(CACHE_DIR)/sysroot/ISA/gnu-efi/{include/efi,lib}   GNU-EFI headers, crt0, linker script, libs
#   $(CACHE_DIR)/sysroot/ISA/newlib/{include,lib}        newlib libc.a/libm.a built from Debian's source
#   $(CACHE_DIR)/sysroot/ISA/libfdt/{include,lib}        libfdt built from Debian's dtc source
SYSROOT = $(CACHE_DIR)/sysroot/$(1)

CROSS_x86_64 :=
CROSS_aarch64 := aarch64-linux-gnu-
CROSS_riscv64 := riscv64-linux-gnu-

EFI_ARCH_CFLAGS_x86_64 := -mno-red-zone -maccumulate-outgoing-args
EFI_ARCH_CFLAGS_aarch64 := -mno-outline-atomics
EFI_ARCH_CFLAGS_riscv64 := -march=rv64gc -mabi=lp64d -mcmodel=medany

EFI_COMMON_CFLAGS := -std=c11 -O2 -g -ffreestanding -fpic -fno-stack-protector -fshort-wchar \
	-fno-strict-aliasing -ffunction-sections -fdata-sections -DPV_BARE_METAL

define efi_toolchain
EFI_CFLAGS_$(1) := $$(EFI_COMMON_CFLAGS) $$(EFI_ARCH_CFLAGS_$(1)) -nostdinc \
	-isystem $$(shell $$(CROSS_$(1))gcc -print-file-name=include)
EFI_INCLUDES_$(1) := -isystem $(call SYSROOT,$(1))/newlib/include \
	-isystem $(call SYSROOT,$(1))/gnu-efi/include/efi \
	-isystem $(call SYSROOT,$(1))/gnu-efi/include/efi/$(1) \
	-isystem $(call SYSROOT,$(1))/libfdt/include
EFI_CRT0_$(1) := $(call SYSROOT,$(1))/gnu-efi/lib/crt0-efi-$(1).o
EFI_LDS_$(1) := $(call SYSROOT,$(1))/gnu-efi/lib/elf_$(1)_efi.lds
EFI_LDFLAGS_$(1) := -nostdlib --no-undefined -shared -Bsymbolic -znocombreloc \
	-L$(call SYSROOT,$(1))/gnu-efi/lib -L$(call SYSROOT,$(1))/newlib/lib \
	-L$(call SYSROOT,$(1))/libfdt/lib
EFI_LIBS_$(1) := -lfdt -lc -lm -lefi -lgnuefi $$(shell $$(CROSS_$(1))gcc -print-libgcc-file-name)
endef
$(foreach a,x86_64 aarch64 riscv64,$(eval $(call efi_toolchain,$(a))))

# x86_64's crt0 is a plain ELF entry: objcopy writes the PE header. aarch64 and riscv64 crt0 carry
# their own PE header, so the image is the raw binary.
EFI_OBJCOPY_x86_64 := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10
EFI_LDFLAGS_aarch64 += --defsym=EFI_SUBSYSTEM=0xa
EFI_LDFLAGS_riscv64 += --defsym=EFI_SUBSYSTEM=0xa --no-relax
EFI_OBJCOPY_aarch64 := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j '.rel.*' -j '.rela.*' -j .reloc -O binary
EFI_OBJCOPY_riscv64 := $(EFI_OBJCOPY_aarch64)
