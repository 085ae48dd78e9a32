# shellcheck shell=bash
# The freestanding sysroots: GNU-EFI, newlib and libfdt per bare-metal host ISA, built from
# Debian's packages and source packages. Sourced by tools/setup.sh, which provides ROOT,
# CACHE_DIR, WORK, LOGS, JOBS and the step/run_logged/die helpers.
# Layout (mk/toolchain.mk relies on it):
#   sysroot/ISA/gnu-efi/include/efi/...  gnu-efi/lib/{crt0-efi-ISA.o,elf_ISA_efi.lds,libefi.a,libgnuefi.a}
#   sysroot/ISA/newlib/include/...       newlib/lib/{libc.a,libm.a}
#   sysroot/ISA/libfdt/include/{libfdt.h,fdt.h,libfdt_env.h}  libfdt/lib/libfdt.a

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# Suites to take source packages from, in order: this machine's release, then the next one for a
# package whose files the mirror lacks (seen: bookworm's dtc 1.6.1 tarballs answer 404).
source_suites() {
	local own
	own=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	echo "$own"
	[ "$own" = trixie ] || echo trixie
}

# toolchain_var NAME...: variables of mk/toolchain.mk as the Makefile sees them, one a line.
toolchain_var() {
	make -s --no-print-directory -f "$ROOT/tools/setup/toolchain.mk" CACHE_DIR="$CACHE_DIR" \
		"${@/#/print-}"
}

# fetch_source PKG: Debian's source of PKG unpacked under $WORK/src; sets SRC_DIR.
# apt verifies every file against the signed Sources index. When the mirror serves only the
# upstream tarball, that tarball is used (its hash checked here) without Debian's patches.
fetch_source() {
	local pkg=$1 suite state dl uris dsc orig want log="$LOGS/source-$1.log"
	: >"$log"
	for suite in $(source_suites); do
		state=src-$suite dl="$CACHE_DIR/downloads/src/$suite" SRC_DIR="$WORK/src/$suite/$pkg"
		apt_private_init "$state" "deb-src [signed-by=$KEYRING] $(apt_private_mirror) $suite main" \
			amd64 >>"$log" 2>&1 || continue
		# The file list with hashes; asked from an empty folder, where apt skips nothing.
		mkdir -p "$dl" "$WORK/empty"
		uris=$(cd "$WORK/empty" && apt_private "$state" amd64 source --print-uris "$pkg" 2>>"$log" |
			grep "^'") || continue
		dsc=$(awk '$2 ~ /\.dsc$/ {print $2}' <<<"$uris")
		orig=$(awk '$2 ~ /\.orig\.tar\./ {print $2}' <<<"$uris")
		want=$(awk -v f="$orig" '$2 == f {sub(/^SHA256:/, "", $4); print $4}' <<<"$uris")
		# Unpacked already during this run (each ISA asks again)?
		case "$(cat "$SRC_DIR/.pv-unpacked" 2>/dev/null)" in "$dsc" | "$orig") return 0 ;; esac
		rm -rf "$SRC_DIR" && mkdir -p "$(dirname "$SRC_DIR")"
		if (cd "$dl" && apt_private "$state" amd64 source --download-only "$pkg") >>"$log" 2>&1 &&
			dpkg-source -x "$dl/$dsc" "$SRC_DIR" >>"$log" 2>&1; then
			echo "$dsc" >"$SRC_DIR/.pv-unpacked"
			return 0
		fi
		# Partial download: the upstream tarball alone, if apt fetched it and its hash matches.
		if [ -z "$orig" ] || [ ! -f "$dl/$orig" ]; then continue; fi
		[ "$(sha256sum <"$dl/$orig" | cut -d' ' -f1)" = "$want" ] || continue
		echo "setup:   the mirror lacks Debian's packaging of $pkg in $suite: using the" \
			"verified upstream tarball $orig alone"
		rm -rf "$SRC_DIR" && mkdir -p "$SRC_DIR"
		if tar -xf "$dl/$orig" -C "$SRC_DIR" --strip-components=1 >>"$log" 2>&1; then
			echo "$orig" >"$SRC_DIR/.pv-unpacked"
			return 0
		fi
	done
	die "could not fetch Debian's source package '$pkg' (see $log)"
}

# ---- GNU-EFI ---------------------------------------------------------------------------------

# x86_64: the system's gnu-efi package, copied so the sysroot is the same shape on every ISA.
gnu_efi_x86_64() {
	local dest=$1
	mkdir -p "$dest/include" "$dest/lib"
	cp -a /usr/include/efi "$dest/include/"
	cp /usr/lib/crt0-efi-x86_64.o /usr/lib/elf_x86_64_efi.lds /usr/lib/libefi.a \
		/usr/lib/libgnuefi.a "$dest/lib/"
}

# aarch64: Debian's arm64 binary package, unpacked (never installed) from a private apt state.
gnu_efi_aarch64() {
	local dest=$1 suite dl x deb log="$LOGS/gnu-efi-aarch64.log"
	suite=$(source_suites | head -n1)
	apt_private_init bin-arm64 \
		"deb [arch=arm64 signed-by=$KEYRING] $(apt_private_mirror) $suite main" arm64 >/dev/null
	dl="$CACHE_DIR/downloads/deb/arm64" x="$WORK/aarch64/gnu-efi-deb"
	mkdir -p "$dl" && rm -f "$dl"/gnu-efi_*.deb
	(cd "$dl" && apt_private bin-arm64 arm64 download gnu-efi) >"$log" 2>&1 ||
		die_log "$log" "downloading gnu-efi:arm64 failed"
	deb=$(ls "$dl"/gnu-efi_*_arm64.deb)
	rm -rf "$x" && dpkg -x "$deb" "$x"
	mkdir -p "$dest/include" "$dest/lib"
	cp -a "$x/usr/include/efi" "$dest/include/"
	cp "$x"/usr/lib/{crt0-efi-aarch64.o,elf_aarch64_efi.lds,libefi.a,libgnuefi.a} "$dest/lib/"
}

# riscv64: bookworm has no riscv64 binaries; gnu-efi 3.0.15's source supports the ISA.
gnu_efi_riscv64() {
	local dest=$1 b="$WORK/riscv64/gnu-efi" log="$LOGS/gnu-efi-riscv64.log"
	local args=(ARCH=riscv64 CROSS_COMPILE=riscv64-linux-gnu-)
	fetch_source gnu-efi
	rm -rf "$b" && cp -a "$SRC_DIR" "$b"
	: >"$log"
	run_logged "$log" make -C "$b" -j"$JOBS" "${args[@]}" lib gnuefi inc
	run_logged "$log" make -C "$b" "${args[@]}" INSTALLROOT="$dest" PREFIX= LIBDIR=/lib install
}

# Two adjustments so GNU-EFI suits a -ffunction-sections/-fdata-sections build linked with newlib:
# - its linker scripts name .bss, .sbss, .sdata and .srodata but not their per-symbol .X.name
#   sections; ld would make those orphan output sections, which the objcopy to PE drops;
# - libefi.a's init.o defines byte-loop memcpy/memset for compiler-emitted calls; newlib
#   provides both, and two global definitions would collide. Localized, init.o keeps its own.
gnu_efi_adjust() {
	local isa=$1 dest=$2 cross lds
	cross=$(toolchain_var "CROSS_$isa")
	lds="$dest/lib/elf_${isa}_efi.lds"
	sed -i -e 's/\*(\.bss)/*(.bss .bss.* .gnu.linkonce.b.*)/' \
		-e 's/\*(\.sbss)/*(.sbss .sbss.*)/' \
		-e 's/\*(\.sdata)/*(.sdata .sdata.*)/' \
		-e 's/\*(\.srodata)/*(.srodata .srodata.*)/' "$lds"
	grep -q '\.bss\.\*' "$lds" || die "the .bss pattern of $lds was not found to extend"
	"${cross}objcopy" --localize-symbol=memcpy --localize-symbol=memset "$dest/lib/libefi.a"
}

# ---- newlib ----------------------------------------------------------------------------------

# build_newlib ISA DEST: libc.a and libm.a with full formatted I/O (%ll, %z, %j) for ISA-elf.
build_newlib() {
	local isa=$1 dest=$2 cross cflags inc
	local b="$WORK/$isa/newlib" log="$LOGS/newlib-$isa.log"
	fetch_source newlib
	cross=$(toolchain_var "CROSS_$isa")
	inc=$("${cross}gcc" -print-file-name=include)
	cflags="$(toolchain_var EFI_LIBC_CFLAGS) $(toolchain_var "EFI_ARCH_CFLAGS_$isa")"
	# Without this, x86_64-elf (no syscall directory) calls sbrk, write... instead of _sbrk,
	# _write... as aarch64 and riscv64 do: one set of hook names for every ISA.
	[ "$isa" != x86_64 ] || cflags+=" -UMISSING_SYSCALL_NAMES"
	rm -rf "$b" && mkdir -p "$b"
	: >"$log"
	(cd "$b" && run_logged "$log" "$SRC_DIR/configure" --target="$isa-elf" --prefix="$b/install" \
		--disable-multilib --disable-nls --disable-newlib-supplied-syscalls \
		--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
		--enable-newlib-retargetable-locking \
		CC_FOR_TARGET="${cross}gcc -nostdinc -isystem $inc" \
		AR_FOR_TARGET="${cross}ar" AS_FOR_TARGET="${cross}as" LD_FOR_TARGET="${cross}ld" \
		NM_FOR_TARGET="${cross}nm" OBJDUMP_FOR_TARGET="${cross}objdump" \
		RANLIB_FOR_TARGET="${cross}ranlib" READELF_FOR_TARGET="${cross}readelf" \
		STRIP_FOR_TARGET="${cross}strip" CFLAGS_FOR_TARGET="$cflags")
	run_logged "$log" make -C "$b" -j"$JOBS" all-target-newlib
	run_logged "$log" make -C "$b" install-target-newlib
	mkdir -p "$dest/lib"
	cp -a "$b/install/$isa-elf/include" "$dest/"
	cp "$b/install/$isa-elf/lib/libc.a" "$b/install/$isa-elf/lib/libm.a" "$dest/lib/"
}

# ---- libfdt ----------------------------------------------------------------------------------

# build_libfdt ISA DEST NEWLIB_INCLUDE: dtc's libfdt/*.c compiled with the project's own flags.
build_libfdt() {
	local isa=$1 dest=$2 newlib_inc=$3 cross cflags c o objs=()
	local b="$WORK/$isa/libfdt" log="$LOGS/libfdt-$isa.log"
	fetch_source device-tree-compiler
	cross=$(toolchain_var "CROSS_$isa")
	read -ra cflags <<<"$(toolchain_var "EFI_CFLAGS_$isa")"
	rm -rf "$b" && mkdir -p "$b" "$dest/include" "$dest/lib"
	: >"$log"
	for c in "$SRC_DIR"/libfdt/*.c; do
		o="$b/$(basename "${c%.c}").o"
		run_logged "$log" "${cross}gcc" "${cflags[@]}" -isystem "$newlib_inc" \
			-I"$SRC_DIR/libfdt" -c "$c" -o "$o"
		objs+=("$o")
	done
	run_logged "$log" "${cross}ar" rcs "$dest/lib/libfdt.a" "${objs[@]}"
	cp "$SRC_DIR"/libfdt/{libfdt.h,fdt.h,libfdt_env.h} "$dest/include/"
}

# ---- one sysroot -----------------------------------------------------------------------------

# build_sysroot ISA: assembles the sysroot in a work directory, then moves it into place, so a
# failed build never leaves a half sysroot where the Makefile looks.
build_sysroot() {
	local isa=$1
	local stage="$WORK/$isa/stage" final="$CACHE_DIR/sysroot/$isa"
	rm -rf "$stage" && mkdir -p "$stage"
	case $isa in
	x86_64) step "copying Debian's gnu-efi for x86_64" ;;
	aarch64) step "unpacking Debian's gnu-efi:arm64" ;;
	riscv64) step "building gnu-efi for riscv64 from Debian's source (a few seconds)" ;;
	esac
	"gnu_efi_$isa" "$stage/gnu-efi"
	gnu_efi_adjust "$isa" "$stage/gnu-efi"
	step "building newlib for $isa from Debian's source (about a minute)"
	build_newlib "$isa" "$stage/newlib"
	step "building libfdt for $isa from Debian's dtc source"
	build_libfdt "$isa" "$stage/libfdt" "$stage/newlib/include"
	rm -rf "$final" && mkdir -p "$(dirname "$final")" && mv "$stage" "$final"
}
