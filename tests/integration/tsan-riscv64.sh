#!/usr/bin/env bash
# polyrun under ThreadSanitizer (make HOST_SANITIZE=thread: build/host-tsan/polyrun) runs the
# SMP programs of smp-riscv64.sh: tests/isa/riscv64/smp-atomics.S and smp-ipi.S with four harts
# on the spike board, each twice, then both at once as two VMs of one config, then Debian's
# riscv64 Linux with -smp 2 to GUEST-OK and power-off. Each run must exit 0 and leave no
# ThreadSanitizer report that is not a race on guest memory.
#
# Races on guest memory are the guest's by design: harts racing on memory is what the programs
# under test do, and the guest's own ordering (FENCE, .aq/.rl) is invisible to TSan, which does
# not model atomic_thread_fence. So the Makefile leaves the code that carries out the guest's own
# accesses uninstrumented (TSAN_GUEST_MEMORY_OBJS: the interpreter, the softmmu, the page
# walker), which also keeps the Linux boot to minutes. What stays instrumented can still meet
# guest memory: spike's HTIF exchanges the tohost word in guest RAM, and an object compiled
# outside that list may reach the softmmu's inline accessors (mmu_load, mmu_store, page_load,
# page_store, rmw_host, atomic_cas, atomic_load_host, rv_walk). Such a report is recognised by
# two things together: TSan names no host location for the address (guest RAM is mapped pages,
# not heap, globals or a stack), and every access it shows, at its first frame outside the
# sanitizer's own, is one of those. Anything else (a race on devices, the VM loop, the block
# caches, any heap or global state) fails the check, with the report's summary line.
#
#   PASS tsan-riscv64/build             make HOST_SANITIZE=thread polyrun
#   PASS tsan-riscv64/smp-atomics       exit status 0 both times, no report but guest-memory ones
#   PASS tsan-riscv64/smp-ipi           the same
#   PASS tsan-riscv64/two-vms           the same for the two programs as two VMs of one polyrun
#   PASS tsan-riscv64/linux-smp2        Linux with two harts: GUEST-OK, exit 0, the same
# Logs: build/test-logs/tsan-riscv64/.
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
suite=tsan-riscv64
logs=$LOG_DIR/$suite
mkdir -p "$logs"
POLYRUN=$ROOT/build/host-tsan/polyrun
harts=4
repeats=2
names=(smp-atomics smp-ipi)
# halt_on_error=0 and exitcode=0: every report is printed and judged here, and the exit status
# stays the guest's. history_size=4 keeps the older access's stack more often.
export TSAN_OPTIONS="halt_on_error=0 exitcode=0 history_size=4"

if ! make --no-print-directory -j"${JOBS:-2}" HOST_SANITIZE=thread polyrun >"$logs/build.log" 2>&1; then
	fail "$suite/build" "make HOST_SANITIZE=thread polyrun failed; see ${logs#"$ROOT"/}/build.log"
	finish
	exit
fi
pass "$suite/build"
if ! tests/isa/riscv64/build.sh "${names[@]}" >/dev/null 2>"$logs/isa-build.log"; then
	fail "$suite/isa-build" "tests/isa/riscv64/build.sh failed; see ${logs#"$ROOT"/}/isa-build.log"
	finish
	exit
fi
elf() { echo "$ROOT/build/isa/riscv64/$1.elf"; }

# unexplained_races LOG: prints the SUMMARY line of each ThreadSanitizer report in LOG that is
# not a race on guest memory (see the top of this file); prints nothing when there is none.
unexplained_races() {
	awk '
	function judge() {
		if (!in_report)
			return
		if (!(race && !located && known > 0 && known == guest))
			print summary
		in_report = 0
	}
	/^WARNING: ThreadSanitizer: / {
		judge()
		in_report = 1
		race = ($0 ~ /: data race /)
		located = 0; known = 0; guest = 0; want_frame = 0
		summary = "(no summary line)"
		next
	}
	!in_report { next }
	/^SUMMARY: ThreadSanitizer: / { summary = $0; judge(); next }
	/^  Location is / { located = 1; next }
	/^  (Previous )?([Aa]tomic )?([Rr]ead|[Ww]rite) of size / { want_frame = 1; next }
	want_frame && /^    #[0-9]+ / {
		if ($0 ~ /libsanitizer|\(libtsan/)
			next
		want_frame = 0
		known++
		if ($2 ~ /^(mmu_load|mmu_store|page_load|page_store|rmw_host|atomic_cas|atomic_load_host|rv_walk|rv_spike_serve_htif)$/)
			guest++
		next
	}
	want_frame && /failed to restore the stack/ { want_frame = 0; next }
	END { judge() }
	' "$1"
}

# judge NAME STATUS LOG...: exit status 0 in every LOG and no unexplained report in any.
judge() {
	local name=$1 status=$2 log races=""
	shift 2
	for log in "$@"; do
		races+=$(unexplained_races "$log")
	done
	log=${1#"$ROOT"/}
	if [ "$status" != 0 ]; then
		fail "$suite/$name" "exit status $status; log: ${log}"
	elif [ -n "$races" ]; then
		fail "$suite/$name" "$(printf '%s' "$races" | head -n 1 | sed 's/^SUMMARY: //'); log: $log"
	else
		pass "$suite/$name"
	fi
	printf '    %s: %s ThreadSanitizer reports, all on guest memory when it passed\n' "$name" \
		"$(cat "$@" | grep -c '^WARNING: ThreadSanitizer')"
}

for name in "${names[@]}"; do
	status=0
	runs=()
	for run in $(seq "$repeats"); do
		log=$logs/$name-$run.log
		runs+=("$log")
		run_captured "$log" 120 "$POLYRUN" -M spike -smp "$harts" -bios none \
			-kernel "$(elf "$name")"
		status=$?
		[ "$status" = 0 ] || break
	done
	judge "$name" "$status" "${runs[@]}"
done

config=$logs/two-vms.cfg
cat >"$config" <<CFG
[vm atomics]
isa = riscv64
board = spike
cpus = $harts
memory = 64M
kernel = $(elf smp-atomics)

[vm ipi]
isa = riscv64
board = spike
cpus = $harts
memory = 64M
kernel = $(elf smp-ipi)
CFG
log=$logs/two-vms.log
run_captured "$log" 120 "$POLYRUN" -c "$config"
judge two-vms $? "$log"

guests=$ROOT/build/guests/riscv64
log=$logs/linux-smp2.log
if [ ! -f "$guests/Image" ]; then
	fail "$suite/linux-smp2" "no guest in build/guests/riscv64: run make guests"
else
	run_captured "$log" 900 "$POLYRUN" -M virt -bios default -m 512M -smp 2 \
		-kernel "$guests/Image" -initrd "$guests/initrd.cpio.gz" -append "console=ttyS0 panic=-1"
	status=$?
	if [ "$status" = 0 ] && ! grep -q '^GUEST-OK riscv64' "$log"; then
		status="0 without GUEST-OK"
	fi
	judge linux-smp2 "$status" "$log"
fi
finish
