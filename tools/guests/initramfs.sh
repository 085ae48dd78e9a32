# shellcheck shell=bash
# Guest initramfs builder, sourced by tools/fetch-guests.sh and by anything that needs a variant
# (a different /test.sh, more modules, extra files):
#
#   . tools/guests/initramfs.sh
#   make_initramfs ISA OUT.cpio.gz [SRC=DEST ...]
#
# ISA is riscv64, aarch64 or x86_64 and must already be in build/guests/ISA/ (make guests): the
# archive takes busybox, the kernel's modules and the release from there. Each SRC=DEST copies a
# file or a folder (recursively) to DEST in the archive, e.g. tests/foo.sh=/test.sh, which /init
# runs before its GUEST-OK line. INITRAMFS_MODULES (names, - or _) replaces the default module list;
# their dependencies come from the kernel's modules.dep, and built-in ones are skipped.
#
# The archive is written here in the kernel's "newc" cpio format: its headers are ASCII hex, so
# printf writes them, and /dev/console is an entry in the list rather than a node made with mknod.
# Owners are root and times zero, so the same inputs give the same bytes.

INITRAMFS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUESTS_DIR=${GUESTS_DIR:-$(cd "$INITRAMFS_DIR/../.." && pwd)/build/guests}
INITRAMFS_VIRTIO_MODULES="virtio virtio_ring virtio_mmio virtio_pci virtio_blk virtio_net virtio_console virtio_rng"

# initramfs_module_order MODDIR NAME...: the .ko paths (relative to MODDIR) to insmod, each after
# its dependencies. Built-in modules print nothing; a module that is neither there nor built in
# is an error, since the kernel then differs from what the guests were made for.
initramfs_module_order() {
	local moddir=$1 builtin=$1/modules.builtin
	shift
	[ -f "$builtin" ] || builtin=/dev/null
	awk -v want="$*" '
		function norm(p, n) { n = p; sub(/.*\//, "", n); sub(/\.ko(\.(xz|zst|gz))?$/, "", n)
			gsub(/-/, "_", n); return n }
		function visit(n, k, d, i) {
			if (n in done) return
			done[n] = 1
			k = split(deps[n], d, " ")
			for (i = k; i >= 1; i--) visit(d[i])
			print path[n]
		}
		builtin_pass { builtin[norm($0)] = 1; next }
		{ key = $1; sub(/:$/, "", key); n = norm(key); path[n] = key; deps[n] = ""
		  for (i = 2; i <= NF; i++) deps[n] = deps[n] " " norm($i) }
		END {
			k = split(want, w, /[ \t\n]+/)
			for (i = 1; i <= k; i++) {
				if (w[i] == "") continue
				n = w[i]; gsub(/-/, "_", n)
				if (n in path) visit(n)
				else if (!(n in builtin)) { print "module " w[i] " is neither in modules.dep nor built in" > "/dev/stderr"; bad = 1 }
			}
			exit bad
		}' builtin_pass=1 "$builtin" builtin_pass=0 "$moddir/modules.dep"
}

# cpio_pad N: zero bytes up to the next multiple of 4 after N bytes.
cpio_pad() {
	local n=$(((4 - $1 % 4) % 4))
	if [ "$n" -gt 0 ]; then head -c "$n" /dev/zero; fi
}

# cpio_header NAME MODE SIZE [RDEVMAJOR RDEVMINOR]: one newc header and its padded name. MODE is
# the full st_mode (type and permissions) as a number.
cpio_header() {
	local name=$1 mode=$2 size=$3 nlink=1 namesize=$((${#1} + 1))
	if [ $((mode & 0170000)) -eq $((0040000)) ]; then nlink=2; fi
	CPIO_INO=$((${CPIO_INO:-0} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		"$CPIO_INO" "$mode" 0 0 "$nlink" 0 "$size" 0 0 "${4:-0}" "${5:-0}" "$namesize" 0 "$name"
	cpio_pad $((110 + namesize))
}

# cpio_tree DIR: every folder, file and symlink under DIR, parents first, sorted. (The loop reads
# from a process substitution, not a pipe, so the inode counter survives it.)
cpio_tree() {
	local dir=$1 rel type perm size target
	while IFS=$'\t' read -r rel type perm size target; do
		case $type in
		d) cpio_header "$rel" $((0040000 | 8#$perm)) 0 ;;
		f)
			cpio_header "$rel" $((0100000 | 8#$perm)) "$size"
			cat "$dir/$rel"
			cpio_pad "$size"
			;;
		l)
			cpio_header "$rel" $((0120777)) "${#target}"
			printf '%s' "$target"
			cpio_pad "${#target}"
			;;
		*) echo "initramfs: $rel: unsupported file type '$type'" >&2 && return 1 ;;
		esac
	done < <(cd "$dir" && find . -mindepth 1 -printf '%P\t%y\t%m\t%s\t%l\n' | sort)
}

# initramfs_stage ISA STAGE [SRC=DEST ...]: the archive's tree in folder STAGE.
initramfs_stage() {
	local isa=$1 stage=$2 guest=$GUESTS_DIR/$1 release module modules spec src dest
	shift 2
	release=$(cat "$guest/release")
	# shellcheck disable=SC2086 # a list of names, split on purpose
	modules=$(initramfs_module_order "$guest/modules" ${INITRAMFS_MODULES:-$INITRAMFS_VIRTIO_MODULES})
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,root,lib/modules/"$release"}
	install -m 0755 "$guest/busybox" "$stage/bin/busybox"
	install -m 0755 "$INITRAMFS_DIR/init" "$stage/init"
	# shellcheck disable=SC2086 # one path a line
	printf '%s\n' $modules >"$stage/etc/guest-modules"
	for module in $modules; do
		install -D -m 0644 "$guest/modules/$module" "$stage/lib/modules/$release/$module"
	done
	for spec in "$@"; do
		src=${spec%%=*} dest=${spec#*=}
		if [ "$src" = "$spec" ] || [ ! -e "$src" ]; then
			echo "initramfs: bad extra file '$spec' (want SRC=DEST with SRC existing)" >&2
			return 1
		fi
		if [ -d "$src" ]; then
			mkdir -p "$stage/$dest"
			cp -a "$src/." "$stage/$dest/"
		else
			mkdir -p "$stage/$(dirname "$dest")"
			cp -a "$src" "$stage/$dest"
		fi
	done
}

# make_initramfs ISA OUT.cpio.gz [SRC=DEST ...]: see the top of this file.
make_initramfs() {
	local isa=$1 out=$2 stage tmp
	shift 2
	local guest=$GUESTS_DIR/$isa
	if [ ! -f "$guest/release" ] || [ ! -x "$guest/busybox" ] || [ ! -f "$guest/modules/modules.dep" ]; then
		echo "initramfs: no guest in $guest (run make guests)" >&2
		return 1
	fi
	stage=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
	tmp="$out.tmp.$$"
	mkdir -p "$(dirname "$out")"
	if initramfs_stage "$isa" "$stage" "$@" && initramfs_archive "$stage" >"$tmp"; then
		rm -rf "$stage"
		mv -f "$tmp" "$out"
	else
		rm -rf "$stage" "$tmp"
		echo "initramfs: building $out failed" >&2
		return 1
	fi
}

# initramfs_archive STAGE: the gzip'd archive on stdout, with /dev/console (5,1) added.
initramfs_archive() {
	local stage=$1
	(
		# Byte lengths for the name sizes, and a sort order independent of the caller's locale.
		export LC_ALL=C
		set -o pipefail
		{
			CPIO_INO=0
			cpio_tree "$stage"
			cpio_header dev/console $((0020600)) 0 5 1
			cpio_header 'TRAILER!!!' 0 0
		} | gzip -9 -n
	)
}
