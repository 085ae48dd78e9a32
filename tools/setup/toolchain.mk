# Make glue for tools/setup: mk/toolchain.mk's flags, exactly as the project's Makefile uses them.
#   make -s -f tools/setup/toolchain.mk CACHE_DIR=... print-VARIABLE
#   make -s -f tools/setup/toolchain.mk CACHE_DIR=... ISA=... OUT=DIR DIR/smoke.efi
# The smoke rules repeat the Makefile's efi_rules command lines, so a smoke image that links and
# boots proves the sysroot together with the flags the real build uses.
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../..)
include $(TOP)/mk/toolchain.mk

.SUFFIXES:
.DELETE_ON_ERROR:

print-%:
	@echo '$($*)'

$(OUT)/smoke.o: $(OUT)/smoke.c
	$(CROSS_$(ISA))gcc $(EFI_CFLAGS_$(ISA)) -Wall -Wextra -Werror $(EFI_INCLUDES_$(ISA)) -c $< -o $@

$(OUT)/smoke.elf: $(OUT)/smoke.o
	$(CROSS_$(ISA))ld $(EFI_LDFLAGS_$(ISA)) -T $(EFI_LDS_$(ISA)) -o $@ $(EFI_CRT0_$(ISA)) $^ \
		$(EFI_LIBS_$(ISA))

$(OUT)/smoke.efi: $(OUT)/smoke.elf
	$(CROSS_$(ISA))objcopy $(EFI_OBJCOPY_$(ISA)) $< $@
