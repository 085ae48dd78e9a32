// SPDX-License-Identifier: MIT
/*
 * Can this x86_64 CPU run guests in hardware? AMD-V (SVM) needs nested paging (NPT) and must not be
 * locked off by the firmware (VM_CR.SVMDIS); Intel VT-x (VMX) needs EPT and must not be locked off
 * in IA32_FEATURE_CONTROL. The hardware engine maps guest memory only through NPT or EPT, so a CPU
 * without them cannot serve it. Each MSR is read only after CPUID says it exists: an absent MSR
 * faults.
 */
#include <stdbool.h>

#include "uefi/host.h"

#include "arch/x86_64/host/cpu.h"
#include "lib/fmt.h"

#define CPUID_FEATURES 0x1u
#define CPUID_FEATURES_ECX_VMX (1u << 5)
#define CPUID_EXT_MAX 0x80000000u
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_FEATURES_ECX_SVM (1u << 2)
#define CPUID_SVM 0x8000000au
#define CPUID_SVM_EDX_NPT (1u << 0)

#define MSR_VM_CR 0xc0010114u
#define MSR_VM_CR_SVMDIS (1u << 4)

#define MSR_FEATURE_CONTROL 0x3au
#define MSR_FEATURE_CONTROL_LOCK (1u << 0)
#define MSR_FEATURE_CONTROL_VMX_OUTSIDE_SMX (1u << 2)
#define MSR_VMX_PROCBASED_CTLS 0x482u
#define MSR_VMX_PROCBASED_CTLS2 0x48bu
/* In the capability MSRs the high 32 bits say which controls may be 1. */
#define VMX_PROCBASED_SECONDARY (1ull << (32 + 31))
#define VMX_PROCBASED2_EPT (1ull << (32 + 1))

static void svm_describe(char *buf, size_t size, uint32_t max_ext)
{
	bool npt = max_ext >= CPUID_SVM && (x86_cpuid(CPUID_SVM, 0).edx & CPUID_SVM_EDX_NPT);

	if (x86_rdmsr(MSR_VM_CR) & MSR_VM_CR_SVMDIS) {
		fmt_snprintf(buf, size, "SVM not usable (disabled by the firmware: VM_CR.SVMDIS)");
		return;
	}
	fmt_snprintf(buf, size, "SVM %s (NPT %s)", npt ? "usable" : "not usable",
		     npt ? "yes" : "no");
}

/*
 * An unlocked IA32_FEATURE_CONTROL is no obstacle: the hypervisor sets the enable bit and locks it
 * before VMXON (Bochs, for one, leaves it unlocked).
 */
static void vmx_describe(char *buf, size_t size)
{
	uint64_t control = x86_rdmsr(MSR_FEATURE_CONTROL);
	bool locked_off = (control & MSR_FEATURE_CONTROL_LOCK) &&
			  !(control & MSR_FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	bool ept = false;

	if (locked_off) {
		fmt_snprintf(buf, size, "VMX not usable (%s)",
			     "disabled by the firmware: IA32_FEATURE_CONTROL locked");
		return;
	}
	if (x86_rdmsr(MSR_VMX_PROCBASED_CTLS) & VMX_PROCBASED_SECONDARY)
		ept = x86_rdmsr(MSR_VMX_PROCBASED_CTLS2) & VMX_PROCBASED2_EPT;
	fmt_snprintf(buf, size, "VMX %s (EPT %s)", ept ? "usable" : "not usable",
		     ept ? "yes" : "no");
}

void host_virt_describe(char *buf, size_t size)
{
	uint32_t max_ext = x86_cpuid(CPUID_EXT_MAX, 0).eax;

	if (max_ext >= CPUID_EXT_FEATURES &&
	    (x86_cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_EXT_FEATURES_ECX_SVM))
		svm_describe(buf, size, max_ext);
	else if (x86_cpuid(CPUID_FEATURES, 0).ecx & CPUID_FEATURES_ECX_VMX)
		vmx_describe(buf, size);
	else
		fmt_snprintf(buf, size, "none (neither VMX nor SVM present)");
}
