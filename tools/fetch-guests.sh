#!/usr/bin/env bash
# make guests: real Linux guests for the test bench, made from Debian's own packages. Per ISA
# (riscv64, aarch64, x86_64), into build/guests/<isa>/ of the repository this script is in:
#   Image | bzImage   the kernel: uncompressed Image on riscv64 and aarch64, bzImage on x86_64
#   initrd.cpio.gz    busybox-static, /init (tools/guests/init) and the kernel's virtio modules
#   release           the kernel release, as uname -r prints it
#   modules/          the package's whole lib/modules/<release> tree, every module decompressed
#   busybox           the static busybox, for initramfs variants (tools/guests/initramfs.sh)
#
# usage: tools/fetch-guests.sh [--refresh] [ISA...]      (default: all three ISAs)
#
# The packages are the kernel that linux-image-<flavour> depends on, and busybox-static: riscv64
# from trixie (bookworm has no riscv64 port), arm64 and amd64 from bookworm. They are resolved from
# the index once and pinned, with their SHA256, in $CACHE/guests/<isa>.manifest beside the .deb
# files, so later runs and fresh clones on this machine need no network. --refresh resolves again
# (after a point release, say); so does a .deb that went missing from the cache. Outputs carry
# stamps: when they are up to date the script prints nothing.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyvisor}
GUEST_CACHE=$CACHE_DIR/guests
DEB_CACHE=$GUEST_CACHE/debs
GUESTS_DIR=$ROOT/build/guests
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
ALL_ISAS="riscv64 aarch64 x86_64"

. "$ROOT/tools/lib/apt-private.sh"
. "$ROOT/tools/guests/initramfs.sh"

say() { echo "guests: $*"; }
die() {
	echo "guests: error: $*" >&2
	exit 1
}

# isa_info ISA: "<Debian architecture> <suite> <kernel file name>".
isa_info() {
	case $1 in
	riscv64) echo "riscv64 trixie Image" ;;
	aarch64) echo "arm64 bookworm Image" ;;
	x86_64) echo "amd64 bookworm bzImage" ;;
	*) die "unknown ISA '$1' (want one of: $ALL_ISAS)" ;;
	esac
}

# ---- package index ------------------------------------------------------------------------------

# apt_cache STATE ARCH ARGS...: apt-cache on a private state (apt-private.sh only wraps apt-get).
apt_cache() {
	local dir=$CACHE_DIR/apt/$1 arch=$2
	shift 2
	apt-cache -o Dir::State::Lists="$dir/lists" -o Dir::Etc::SourceList="$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::Cache="$dir/cache" \
		-o Dir::State::status="$dir/status" -o APT::Architectures::="$arch" \
		-o APT::Architecture="$arch" "$@"
}

# pkg_field STATE ARCH PACKAGE FIELD: one field of the candidate version's record (empty if none).
pkg_field() {
	{ apt_cache "$1" "$2" show --no-all-versions "$3" 2>/dev/null || true; } |
		awk -v f="$4" 'index($0, f ": ") == 1 { print substr($0, length(f) + 3); exit }'
}

# fetch_url URL FILE WHAT: one file from the mirror through apt's own HTTP method.
fetch_url() {
	local log=$2.log
	if ! /usr/lib/apt/apt-helper -o APT::Sandbox::User=root download-file "$1" "$2.part" >"$log" 2>&1; then
		cat "$log" >&2
		die "downloading $3 ($1) failed"
	fi
	mv -f "$2.part" "$2"
	rm -f "$log"
}

# state_signed ARCH SUITE: sets STATE to a private apt state that apt itself updates, checking
# InRelease's signature and each index against it.
state_signed() {
	STATE=guests-$2-$1
	apt_private_init "$STATE" "deb [arch=$1 signed-by=$KEYRING] $(apt_private_mirror) $2 main" "$1" \
		>/dev/null || die "cannot read Debian's $2 index for $1"
}

# state_pinned ARCH SUITE: sets STATE to a private state that apt never updates (trixie riscv64).
# The mirror's riscv64 Packages index does not match the size and hash the signed InRelease lists
# for it (seen: the served Packages.xz differs in size and hash from the one listed, and by-hash
# has no copy of the listed one), and apt's update then drops the whole suite. So the index is fetched here, checked against the
# InRelease when it does match (and used with a warning when not), and handed to a trusted=yes
# state. Each .deb is then checked against the SHA256 in that index, by apt and again by deb_ok.
state_pinned() {
	local arch=$1 suite=$2 mirror dir index want got
	STATE=guests-$suite-$arch-pinned
	dir=$CACHE_DIR/apt/$STATE
	mirror=$(apt_private_mirror)
	mirror=${mirror%/}
	index=main/binary-$arch/Packages
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	[ -f "$dir/status" ] || : >"$dir/status"
	fetch_url "$mirror/dists/$suite/InRelease" "$dir/InRelease" "the $suite InRelease"
	# Only what gpgv vouches for is read: --output keeps the signed text and drops the rest.
	rm -f "$dir/Release"
	gpgv --keyring "$KEYRING" --output "$dir/Release" "$dir/InRelease" >"$dir/gpgv.log" 2>&1 ||
		die "the $suite InRelease has no good signature from $KEYRING (see $dir/gpgv.log)"
	grep -q "^Codename: $suite\$" "$dir/Release" || die "the $suite InRelease is for another suite"
	fetch_url "$mirror/dists/$suite/$index.xz" "$dir/Packages.xz" "the $suite $arch Packages index"
	want=$(awk -v p="$index.xz" '/^SHA256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == p { print $1 }' "$dir/Release")
	got=$(sha256sum <"$dir/Packages.xz" | cut -d' ' -f1)
	if [ "$want" != "$got" ]; then
		say "warning: the mirror's $suite $arch Packages index does not match its signed InRelease; using it as served"
	fi
	xz -dc "$dir/Packages.xz" >"$dir/lists/$(apt_list_name "$mirror/dists/$suite/$index")"
	printf 'deb [arch=%s trusted=yes] %s %s main\n' "$arch" "$mirror" "$suite" >"$dir/sources.list"
	rm -f "$dir/cache/"*.bin
}

# apt_list_name URI: the file name apt gives a downloaded index (scheme dropped, _ quoted, / to _).
apt_list_name() {
	local u=${1#*://}
	u=${u//_/%5f}
	echo "${u//\//_}"
}

# ---- downloads ----------------------------------------------------------------------------------

# human_size BYTES: "N MiB", or "N KiB" below one MiB.
human_size() {
	if [ "$1" -ge 1048576 ]; then echo "$(($1 / 1048576)) MiB"; else echo "$((($1 + 1023) / 1024)) KiB"; fi
}

# deb_ok FILE SHA256: the file is there and has that hash.
deb_ok() {
	[ -f "$1" ] && [ "$(sha256sum <"$1" | cut -d' ' -f1)" = "$2" ]
}

# fetch_deb STATE ARCH PACKAGE MANIFEST: the candidate .deb into the cache, verified; appends
# "package version sha256 file" to MANIFEST.
fetch_deb() {
	local state=$1 arch=$2 pkg=$3 manifest=$4 version sha file size tmp got
	version=$(pkg_field "$state" "$arch" "$pkg" Version)
	sha=$(pkg_field "$state" "$arch" "$pkg" SHA256)
	file=$(pkg_field "$state" "$arch" "$pkg" Filename)
	size=$(pkg_field "$state" "$arch" "$pkg" Size)
	file=${file##*/}
	if [ -z "$version" ] || [ -z "$sha" ] || [ -z "$file" ]; then die "$pkg: not in the $arch index"; fi
	if ! deb_ok "$DEB_CACHE/$file" "$sha"; then
		say "downloading $pkg $version ($arch, $(human_size "${size:-0}"))"
		mkdir -p "$DEB_CACHE"
		tmp=$(mktemp -d "$DEB_CACHE/.download.XXXXXX")
		if ! (cd "$tmp" && apt_private "$state" "$arch" download "$pkg=$version") >"$tmp.log" 2>&1; then
			cat "$tmp.log" >&2
			rm -rf "$tmp" "$tmp.log"
			die "$pkg $version: download failed"
		fi
		got=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n1)
		if [ -z "$got" ] || ! deb_ok "$got" "$sha"; then
			rm -rf "$tmp" "$tmp.log"
			die "$pkg $version: the downloaded .deb does not match the index's SHA256 $sha"
		fi
		mv -f "$got" "$DEB_CACHE/$file"
		rm -rf "$tmp" "$tmp.log"
	fi
	echo "$pkg $version $sha $file" >>"$manifest"
}

# resolve ISA: picks the packages from the index, downloads them and writes the manifest.
resolve() {
	local isa=$1 arch suite image kernel manifest=$GUEST_CACHE/$1.manifest
	read -r arch suite image <<<"$(isa_info "$isa")"
	say "resolving $isa packages in Debian $suite ($arch)"
	if [ "$arch" = riscv64 ]; then state_pinned "$arch" "$suite"; else state_signed "$arch" "$suite"; fi
	kernel=$(pkg_field "$STATE" "$arch" "linux-image-$arch" Depends)
	kernel=${kernel%%[ ,|]*}
	[ -n "$kernel" ] || die "linux-image-$arch: not in Debian $suite ($arch), or names no kernel"
	printf '# %s guest: Debian %s %s, resolved %s\n' "$isa" "$suite" "$arch" "$(date -u +%FT%TZ)" \
		>"$manifest.tmp"
	fetch_deb "$STATE" "$arch" "$kernel" "$manifest.tmp"
	fetch_deb "$STATE" "$arch" busybox-static "$manifest.tmp"
	mv -f "$manifest.tmp" "$manifest"
}

# manifest_entry ISA kernel|busybox: "package version sha256 file" from the manifest.
manifest_entry() {
	local pattern='^linux-image-'
	[ "$2" = kernel ] || pattern='^busybox-static '
	grep -m1 -E "$pattern" "$GUEST_CACHE/$1.manifest"
}

# debs_ok ISA: every .deb the manifest names is in the cache with its hash.
debs_ok() {
	local pkg version sha file
	while read -r pkg version sha file; do
		deb_ok "$DEB_CACHE/$file" "$sha" || return 1
	done < <(grep -v '^#' "$GUEST_CACHE/$1.manifest")
}

# ---- unpacking ----------------------------------------------------------------------------------

# install_kernel PKG BOOTDIR RELEASE IMAGE OUT: the package's kernel as OUT. arm64's vmlinuz is a
# gzip'd Image (QEMU's -kernel wants it plain for an EFI-stub Image); the magic number is checked so
# a packaging change fails here and not as a silent QEMU hang.
install_kernel() {
	local pkg=$1 boot=$2 release=$3 image=$4 out=$5 src magic offset want
	src=$boot/vmlinuz-$release
	[ -f "$src" ] || src=$boot/vmlinux-$release
	[ -f "$src" ] || die "$pkg: no /boot/vmlinu[xz]-$release in the package"
	if gzip -t "$src" 2>/dev/null; then gzip -dc "$src" >"$out"; else cp "$src" "$out"; fi
	case $image in
	Image) offset=56 want='41524d64|52534305' ;; # "ARM\x64" (arm64), "RSC\x05" (riscv)
	bzImage) offset=514 want='48647253' ;;       # "HdrS", the x86 boot protocol header
	esac
	magic=$(od -An -tx1 -j "$offset" -N4 "$out" | tr -d ' \n')
	[[ $magic =~ ^($want)$ ]] || die "$pkg: $src is not a $image (magic $magic)"
}

# decompress_modules DIR: plain .ko files (riscv64 ships .ko.xz), and modules.order to match.
decompress_modules() {
	local dir=$1 n
	n=$(find "$dir" -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' | wc -l)
	[ "$n" -gt 0 ] || return 0
	say "decompressing $n kernel modules"
	find "$dir" -name '*.ko.xz' -print0 | xargs -0 -r -P "$(nproc)" -n 64 xz -d -q
	find "$dir" -name '*.ko.zst' -print0 | xargs -0 -r -P "$(nproc)" -n 64 zstd -d -q --rm
	find "$dir" -name '*.ko.gz' -print0 | xargs -0 -r -P "$(nproc)" -n 64 gzip -d -q
	if [ -f "$dir/modules.order" ]; then sed -i -E 's/\.ko\.(xz|zst|gz)$/.ko/' "$dir/modules.order"; fi
}

# write_modules_dep DIR: DIR/modules.dep in depmod's format. Debian's kernel packages ship no
# modules.dep (their postinst runs depmod), and kmod is not a dependency of this project, so it is
# made here from each module's .modinfo "depends=", which modpost wrote from the same symbol
# resolution depmod does. As with depmod, each line lists a module's dependencies transitively,
# nearest first: loading them from the end of the line backwards satisfies every one.
write_modules_dep() {
	local dir=$1
	# readelf names each file only when given several: /dev/null makes every batch several (and
	# makes readelf fail, hence the || true; an empty result is caught below).
	(
		cd "$dir" || exit 1
		find . -name '*.ko' -printf '%P\0' | sort -z |
			{ xargs -0 -r readelf -W -p .modinfo /dev/null 2>/dev/null || true; }
	) | awk '
		function norm(s) { gsub(/-/, "_", s); return s }
		function visit(n, k, d, i) {
			if ((n in seen) || !(n in path)) return
			seen[n] = 1
			k = split(direct[path[n]], d, ",")
			for (i = 1; i <= k; i++) visit(d[i])
			order[++len] = n
		}
		/^File: / {
			file = substr($0, 7); files[++count] = file
			n = file; sub(/.*\//, "", n); sub(/\.ko$/, "", n); current = norm(n); name[file] = current
			path[current] = file
			next
		}
		/\]  name=/ {
			delete path[current]
			current = norm(substr($0, index($0, "]  name=") + 8)); name[file] = current; path[current] = file
			next
		}
		/\]  depends=/ { direct[file] = norm(substr($0, index($0, "]  depends=") + 11)); next }
		END {
			for (i = 1; i <= count; i++) {
				m = name[files[i]]; delete seen; len = 0
				visit(m)
				line = files[i] ":"
				for (j = len - 1; j >= 1; j--) line = line " " path[order[j]]
				print line
			}
		}' >"$dir/modules.dep"
	rm -f "$dir/modules.dep.bin"
	[ -s "$dir/modules.dep" ] || die "no kernel modules found in $dir"
}

# unpack ISA KEY: kernel, modules, release and busybox into build/guests/ISA, built aside and
# moved in whole, so an interrupted run never leaves a half guest behind a valid stamp.
unpack() {
	local isa=$1 key=$2 arch suite image new=$GUESTS_DIR/.$1.new kpkg kver kfile bpkg bver bfile
	local moddirs
	read -r arch suite image <<<"$(isa_info "$isa")"
	read -r kpkg kver _ kfile <<<"$(manifest_entry "$isa" kernel)"
	read -r bpkg bver _ bfile <<<"$(manifest_entry "$isa" busybox)"
	rm -rf "$new"
	mkdir -p "$new/kernel" "$new/busybox.deb"
	say "unpacking $kpkg $kver and $bpkg $bver for $isa"
	dpkg-deb -x "$DEB_CACHE/$kfile" "$new/kernel" || die "$kpkg: dpkg-deb -x failed"
	dpkg-deb -x "$DEB_CACHE/$bfile" "$new/busybox.deb" || die "$bpkg: dpkg-deb -x failed"
	moddirs=$(find "$new/kernel/lib/modules" "$new/kernel/usr/lib/modules" -mindepth 1 -maxdepth 1 \
		-type d 2>/dev/null || true)
	if [ -z "$moddirs" ] || [ "$(echo "$moddirs" | wc -l)" != 1 ]; then
		die "$kpkg: expected one lib/modules/<release> folder, found: ${moddirs:-none}"
	fi
	install_kernel "$kpkg" "$new/kernel/boot" "${moddirs##*/}" "$image" "$new/$image"
	echo "${moddirs##*/}" >"$new/release"
	mv "$moddirs" "$new/modules"
	decompress_modules "$new/modules"
	write_modules_dep "$new/modules"
	# trixie's packages follow the merged /usr, bookworm's do not.
	if [ -x "$new/busybox.deb/usr/bin/busybox" ]; then
		mv "$new/busybox.deb/usr/bin/busybox" "$new/busybox"
	elif [ -x "$new/busybox.deb/bin/busybox" ]; then
		mv "$new/busybox.deb/bin/busybox" "$new/busybox"
	else
		die "$bpkg: no busybox binary in the package"
	fi
	rm -rf "$new/kernel" "$new/busybox.deb"
	echo "$key" >"$new/.unpacked"
	rm -rf "${GUESTS_DIR:?}/$isa"
	mv "$new" "$GUESTS_DIR/$isa"
}

# ---- per ISA ------------------------------------------------------------------------------------

# unpack_key ISA / initrd_key ISA: what the outputs were made from; a change in it remakes them.
unpack_key() {
	{ grep -v '^#' "$GUEST_CACHE/$1.manifest" && cat "$ROOT/tools/fetch-guests.sh"; } | sha256sum | cut -d' ' -f1
}
initrd_key() {
	cat "$GUESTS_DIR/$1/.unpacked" "$INITRAMFS_DIR/initramfs.sh" "$INITRAMFS_DIR/init" | sha256sum | cut -d' ' -f1
}

# unpacked_ok ISA KEY: build/guests/ISA holds a complete guest made from KEY.
unpacked_ok() {
	local out=$GUESTS_DIR/$1 arch suite image
	read -r arch suite image <<<"$(isa_info "$1")"
	[ "$(cat "$out/.unpacked" 2>/dev/null)" = "$2" ] && [ -f "$out/$image" ] && [ -f "$out/release" ] &&
		[ -x "$out/busybox" ] && [ -f "$out/modules/modules.dep" ]
}

guest() {
	local isa=$1 key out=$GUESTS_DIR/$1
	if [ "$REFRESH" = 1 ] || [ ! -f "$GUEST_CACHE/$isa.manifest" ]; then resolve "$isa"; fi
	key=$(unpack_key "$isa")
	if ! unpacked_ok "$isa" "$key"; then
		if ! debs_ok "$isa"; then
			resolve "$isa"
			key=$(unpack_key "$isa")
		fi
		unpack "$isa" "$key"
	fi
	key=$(initrd_key "$isa")
	if [ "$(cat "$out/.initrd" 2>/dev/null)" != "$key" ] || [ ! -f "$out/initrd.cpio.gz" ]; then
		say "building $isa initramfs ($(cat "$out/release"))"
		make_initramfs "$isa" "$out/initrd.cpio.gz" || die "$isa: initramfs failed"
		echo "$key" >"$out/.initrd"
	fi
}

main() {
	local isas="" arg isa
	REFRESH=0
	for arg in "$@"; do
		case $arg in
		--refresh) REFRESH=1 ;;
		-h | --help)
			sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"
			return 0
			;;
		-*) die "unknown option $arg (see --help)" ;;
		*) isa_info "$arg" >/dev/null && isas="$isas $arg" ;;
		esac
	done
	mkdir -p "$GUEST_CACHE" "$GUESTS_DIR"
	# One run at a time per cache: two makes in parallel would otherwise download twice.
	exec 9>"$GUEST_CACHE/.lock"
	flock 9
	for isa in ${isas:-$ALL_ISAS}; do guest "$isa"; done
}

main "$@"
