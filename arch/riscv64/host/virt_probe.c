// SPDX-License-Identifier: MIT
/*
 * Can this riscv64 hart run guests in hardware? Only in HS-mode, which the H extension adds to
 * S-mode: rv_h_probe (h_probe.S) reads hstatus with its own trap vector in place and reports
 * whether the read trapped.
 */
#include "uefi/host.h"

#include "lib/fmt.h"

/* h_probe.S: 1 when hstatus can be read, 0 when reading it traps. */
int rv_h_probe(void);

void host_virt_describe(char *buf, size_t size)
{
	if (rv_h_probe())
		fmt_snprintf(buf, size, "H-extension usable (HS-mode)");
	else
		fmt_snprintf(buf, size, "H-extension not usable (hstatus traps: not in HS-mode)");
}
