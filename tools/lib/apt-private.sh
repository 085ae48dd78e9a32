# shellcheck shell=bash
# Private apt states under the download cache: foreign architectures, other releases and source
# packages, without touching the system's apt configuration. Sourced by setup.sh and
# fetch-guests.sh; needs CACHE_DIR set.

# The Debian mirror this machine's own apt uses (deb822 or one-line format).
apt_private_mirror() {
	local uri
	uri=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}')
	[ -n "$uri" ] || uri=$(grep -h -m1 -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		2>/dev/null | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}')
	echo "${uri:-http://deb.debian.org/debian}"
}

# apt_private_init NAME "SOURCES-LINES" ARCH: a state directory with its own lists and cache.
# Updates the lists at most once a day. Prints the state directory.
# Freshness is kept in a stamp of our own: apt gives the index files the server's Last-Modified
# time, so their mtime says nothing about when we last updated.
apt_private_init() {
	local name=$1 sources=$2 arch=$3 dir="$CACHE_DIR/apt/$1"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	[ -f "$dir/status" ] || touch "$dir/status"
	if [ ! -f "$dir/sources.list" ] || [ "$(cat "$dir/sources.list")" != "$sources" ] ||
		[ -z "$(find "$dir/updated" -mtime -1 2>/dev/null)" ]; then
		rm -f "$dir/updated"
		printf '%s\n' "$sources" >"$dir/sources.list"
		apt_private "$name" "$arch" update >"$dir/update.log" 2>&1 || {
			echo "apt update failed for the private '$name' state (see $dir/update.log)" >&2
			return 1
		}
		touch "$dir/updated"
	fi
	echo "$dir"
}

# apt_private NAME ARCH apt-get-args...: apt-get against that private state.
# As root, apt would drop to the _apt user and then fail to write into a cache under a private
# home (it falls back with a warning); the state is ours alone, so download as the caller.
apt_private() {
	local name=$1 arch=$2 dir="$CACHE_DIR/apt/$1"
	shift 2
	apt-get -q -o Dir::State::Lists="$dir/lists" -o Dir::Etc::SourceList="$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::Cache="$dir/cache" \
		-o Dir::State::status="$dir/status" -o APT::Architectures::="$arch" \
		-o APT::Architecture="$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}
