#!/usr/bin/env bash
# polyrun's command line as a user meets it: --help and --version exit 0 on stdout, a mistake is
# one line on stderr with exit status 2, a bad -c file names its file and line, and a VM that
# this build has no engine for ends with status 3 and the registry's reason. -serial routes a
# small bare-metal program's UART output to stdout, nowhere or a file; a -dtb that is not a tree,
# an unwritable -serial file and a -netdev tap without ifname are refused with their reasons; two
# VMs sharing the console have their names on their lines.
# Usage: tests/integration/polyrun-cli.sh   (POLYRUN=path overrides build/host/polyrun)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
POLYRUN=${POLYRUN:-$ROOT/build/host/polyrun}
suite=polyrun-cli

if [ ! -x "$POLYRUN" ]; then
	fail "$suite/binary" "${POLYRUN#"$ROOT"/} is not built (make build/host/polyrun)"
	finish
	exit
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# run NAME ARGS...: runs polyrun, keeping stdout, stderr and the status for the checks.
run() {
	local name=$1
	shift
	timeout 10 "$POLYRUN" "$@" </dev/null >"$scratch/$name.out" 2>"$scratch/$name.err"
	echo $? >"$scratch/$name.status"
}

# expect NAME STATUS STDOUT_LINES STDERR_LINES STDERR_PATTERN [STDOUT_PATTERN]: one PASS/FAIL
# line; a line count of - is not checked.
expect() {
	local name=$1 status=$2 out_lines=$3 err_lines=$4 err_pattern=$5 out_pattern=${6:-}
	local got_status got_out got_err
	got_status=$(cat "$scratch/$name.status")
	got_out=$(wc -l <"$scratch/$name.out")
	got_err=$(wc -l <"$scratch/$name.err")
	if [ "$got_status" != "$status" ]; then
		fail "$suite/$name" "exit status $got_status, expected $status; stderr: $(head -n1 "$scratch/$name.err")"
	elif [ "$out_lines" != - ] && [ "$got_out" != "$out_lines" ]; then
		fail "$suite/$name" "$got_out lines on stdout, expected $out_lines"
	elif [ "$err_lines" != - ] && [ "$got_err" != "$err_lines" ]; then
		fail "$suite/$name" "$got_err lines on stderr, expected $err_lines"
	elif [ -n "$err_pattern" ] && ! grep -q -E -- "$err_pattern" "$scratch/$name.err"; then
		fail "$suite/$name" "stderr does not match /$err_pattern/: $(head -n1 "$scratch/$name.err")"
	elif [ -n "$out_pattern" ] && ! grep -q -E -- "$out_pattern" "$scratch/$name.out"; then
		fail "$suite/$name" "stdout does not match /$out_pattern/: $(head -n1 "$scratch/$name.out")"
	else
		pass "$suite/$name"
	fi
}

run help --help
expect help 0 - 0 "" '^usage: polyrun '

run help-short -h
expect help-short 0 - 0 "" '^Debug options:$'

version=$(cat VERSION)
run version --version
expect version 0 1 0 "" "^polyrun ${version//./\\.} \([0-9a-f]+|unknown\)$"

run cpu-help -cpu help
expect cpu-help 0 - 0 "" '^  cortex-a57 +aarch64$'

run bad-flag -kernel Image -bogus
expect bad-flag 2 0 1 '^polyrun: -bogus: unknown option \(see polyrun --help\)$'

run bad-size -m 12Q -kernel Image
expect bad-size 2 0 1 \
	"^polyrun: -m: bad size '12Q' \(expected a number with an optional K, M, G or T suffix\)$"

run missing-argument -kernel
expect missing-argument 2 0 1 '^polyrun: -kernel: missing argument \(expected FILE\)$'

cat >"$scratch/two.cfg" <<'EOF'
[vm one]
isa = riscv64
memory = 256M
kernel = Image

[vm two]
isa = aarch64
memory = 1G
cpus = 2
kernel = Image
EOF
cat >"$scratch/bad.cfg" <<'EOF'
[vm linux]
isa = riscv64
memory = 12Q
kernel = Image
EOF
run bad-config -c "$scratch/bad.cfg"
expect bad-config 2 0 1 "^polyrun: -c: $scratch/bad.cfg:3: .*12Q"

run missing-config -c "$scratch/none.cfg"
expect missing-config 2 0 1 "^polyrun: -c: cannot open '$scratch/none.cfg': "

run config-with-kernel -c "$scratch/two.cfg" -kernel Image
expect config-with-kernel 2 0 1 \
	'^polyrun: -kernel: cannot be combined with -c \(the config file describes the VMs\)$'

# A run reaches kernel/'s registries, which cannot make this VM (QEMU's -accel kvm asks for the
# hardware engine, which polyrun has none of): the summary and the core's log line with the
# reason both go to stderr, stdout stays the guest's console, and the status is 3.
run no-engine -M virt -cpu rv64 -m 512M -kernel Image -accel kvm
expect no-engine 3 0 2 '^\[error\] vm default: engine .hw. is not part of this build'
if ! grep -q '^polyrun: vm default: isa riscv64, engine hw, 512 MiB, 1 vCPU, board virt, .*kernel Image$' \
	"$scratch/no-engine.err"; then
	fail "$suite/no-engine-summary" "no summary line on stderr"
else
	pass "$suite/no-engine-summary"
fi

run config-two-vms -c "$scratch/two.cfg" -nographic
expect config-two-vms 3 0 3 '^polyrun: vm two: isa aarch64, engine auto, 1 GiB, 2 vCPUs'
if ! grep -q '^\[error\] vm one: ' "$scratch/config-two-vms.err"; then
	fail "$suite/config-two-vms-reason" "no '[error] vm one:' line on stderr"
else
	pass "$suite/config-two-vms-reason"
fi

# A program for -M virt -bios none: writes "HI" and a newline to the UART at 0x10000000, then
# powers off through the finisher at 0x100000.
le32() {
	local word
	for word in "$@"; do
		printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((word & 255)) $((word >> 8 & 255)) \
			$((word >> 16 & 255)) $((word >> 24 & 255)))"
	done
}
# lui t0,0x10000; li t1,'H'; sb t1,0(t0); li t1,'I'; sb; li t1,'\n'; sb; lui t0,0x100;
# lui t1,0x5; addi t1,t1,0x555; sw t1,0(t0); j .
le32 0x100002b7 0x04800313 0x00628023 0x04900313 0x00628023 0x00a00313 0x00628023 \
	0x001002b7 0x00005337 0x55530313 0x0062a023 0x0000006f >"$scratch/hi.bin"
hi() {
	local name=$1
	shift
	run "$name" -M virt -m 64M -bios none -kernel "$scratch/hi.bin" "$@"
}

hi serial-stdio -serial stdio
expect serial-stdio 0 1 - "" '^HI$'

hi serial-none -serial none
expect serial-none 0 0 - ""

printf 'an older run, longer than HI\n' >"$scratch/serial.txt"
hi serial-file -serial "file:$scratch/serial.txt"
expect serial-file 0 0 - ""
if [ "$(cat "$scratch/serial.txt")" = HI ]; then
	pass "$suite/serial-file-content"
else
	fail "$suite/serial-file-content" "the file holds '$(head -c 60 "$scratch/serial.txt")', expected HI"
fi

run serial-bad -serial pty -kernel Image
expect serial-bad 2 0 1 \
	"^polyrun: -serial: unsupported backend 'pty' \(known: stdio, mon:stdio, none, null, file:PATH\)$"

run serial-empty-file -serial file: -kernel Image
expect serial-empty-file 2 0 1 '^polyrun: -serial: empty file name$'

run serial-config-file -c "$scratch/two.cfg" -serial "file:$scratch/x.txt"
expect serial-config-file 2 0 1 "^polyrun: -serial: file:$scratch/x.txt would take the output of all 2 VMs of -c"

hi serial-unwritable -serial "file:$scratch/no/such/dir/serial.txt"
expect serial-unwritable 3 0 - \
	"^\[error\] vm default: serial file:$scratch/no/such/dir/serial.txt: no such file or entry$"

printf 'console=ttyS0, not a device tree\n' >"$scratch/bad.dtb"
hi dtb-not-a-tree -dtb "$scratch/bad.dtb"
expect dtb-not-a-tree 3 0 - \
	"^\[error\] vm default: dtb $scratch/bad.dtb: not a device tree blob \(no d00dfeed magic at its start\)$"

# -d out_asm: each block the JIT compiles, disassembled by objdump into the log (stderr).
hi out-asm -accel jit -d out_asm
expect out-asm 0 1 - '^OUT: block 0x80000000 \([0-9]+ bytes of host code at 0x[0-9a-f]+\)$' '^HI$'
if grep -q -P '^ +[0-9a-f]+:\t[0-9a-f ]+\t(push|mov|ret)' "$scratch/out-asm.err"; then
	pass "$suite/out-asm-disassembled"
else
	fail "$suite/out-asm-disassembled" "no disassembled x86-64 instruction on stderr"
fi

# Two VMs share the console: each line says whose it is.
for vm in one two; do
	printf '[vm %s]\nisa = riscv64\nmemory = 64M\nkernel = %s\n\n' "$vm" "$scratch/hi.bin"
done >"$scratch/two-hi.cfg"
run console-two-vms -c "$scratch/two-hi.cfg"
expect console-two-vms 0 2 - "" '^\[one\] HI$'
if grep -q '^\[two\] HI$' "$scratch/console-two-vms.out"; then
	pass "$suite/console-two-vms-both"
else
	fail "$suite/console-two-vms-both" "no '[two] HI' line on stdout: $(tr '\n' '|' <"$scratch/console-two-vms.out")"
fi

run tap-no-ifname -M virt -kernel Image -netdev tap,id=n0 -device virtio-net,netdev=n0
expect tap-no-ifname 2 0 1 '^polyrun: -netdev: tap needs ifname=NAME \(the host.s TAP interface\)$'

finish
