// SPDX-License-Identifier: MIT
/*
 * polyvisor.cfg semantics (see kernel/config.h): lib/ini reads the syntax, and this file checks
 * each section and key against the tables below. Every rejection is one line naming the file,
 * line, section and key: "polyvisor.cfg:7: [vm linux] key 'memory': bad size '12Q' (...)".
 */
#include <stdarg.h>
#include <string.h>

#include "kernel/config.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/ini.h"
#include "lib/str.h"

/* Linux's IFNAMSIZ, less the NUL: the longest TAP interface name. */
#define TAP_NAME_MAX 15
#define HUB_ID_MAX 65535

enum section_kind { SECTION_NONE, SECTION_GLOBAL, SECTION_VM };

struct config_parser;

struct config_key {
	const char *name;
	bool repeatable;
	int (*parse)(struct config_parser *p, const char *value);
};

struct config_parser {
	struct pv_config *out;
	struct config_error *err;
	const struct ini_entry *entry; /* the entry being handled */
	enum section_kind section;
	struct vm_config *vm; /* the [vm NAME] being read */
	unsigned global_line; /* line of [global], 0 until seen */
	/* Line of each key of the current section's table already given, 0 when not given. */
	unsigned key_lines[16];
};

/*
 * The message for a rejection at line of [section name], about key when not NULL:
 * "FILE:LINE: [SECTION NAME] key 'KEY': DETAIL".
 */
static int vreject(struct config_parser *p, unsigned line, const char *section, const char *name,
		   const char *key, const char *fmt, va_list ap)
{
	char detail[CONFIG_ERROR_MAX];

	fmt_vsnprintf(detail, sizeof(detail), fmt, ap);
	fmt_snprintf(p->err->message, sizeof(p->err->message), "%s:%u: [%s%s%s] %s%s%s%s",
		     p->out->source, line, section, *name ? " " : "", name, key ? "key '" : "",
		     key ? key : "", key ? "': " : "", detail);
	return -EINVAL;
}

/* A rejection of the entry being handled. */
static int reject(struct config_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int reject(struct config_parser *p, const char *fmt, ...)
{
	const struct ini_entry *e = p->entry;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreject(p, e->line, e->section, e->name, e->key, fmt, ap);
	va_end(ap);
	return ret;
}

/* A rejection of the whole [vm NAME] section, at its header's line. */
static int reject_vm(struct config_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int reject_vm(struct config_parser *p, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreject(p, p->vm->source_line, "vm", p->vm->name, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

/* ---- values shared by several keys ---- */

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* VM and board names: letters, digits, '-' and '_', short enough for CONFIG_NAME_MAX. */
static bool is_valid_name(const char *text, size_t max)
{
	size_t len = strlen(text);
	size_t i;

	if (len == 0 || len > max)
		return false;
	for (i = 0; i < len; i++) {
		if (!is_name_char(text[i]))
			return false;
	}
	return true;
}

static int copy_path(struct config_parser *p, char *dst, const char *value, size_t len)
{
	if (len == 0)
		return reject(p, "empty path");
	if (str_copy_span(dst, CONFIG_PATH_MAX, value, len) < 0)
		return reject(p, "path is longer than %d bytes", CONFIG_PATH_MAX - 1);
	return 0;
}

int config_parse_size(const char *text, uint64_t *out)
{
	/* Binary multiples, either case: "512M" and "512m" are both 512 MiB. */
	static const char suffixes[] = "KMGTkmgt";
	size_t len = strlen(text);
	const char *suffix = len > 1 ? memchr(suffixes, text[len - 1], sizeof(suffixes) - 1) : NULL;
	unsigned shift = 0;
	uint64_t value;
	int ret;

	if (suffix) {
		shift = 10 * (unsigned)((suffix - suffixes) % 4 + 1);
		len--;
	}
	ret = str_parse_u64(text, len, 10, &value);
	if (ret < 0)
		return ret;
	if (value > UINT64_MAX >> shift)
		return -ERANGE;
	*out = value << shift;
	return 0;
}

static const char *const isa_names[] = {
	[VM_ISA_NONE] = "none",
	[VM_ISA_X86_64] = "x86_64",
	[VM_ISA_AARCH64] = "aarch64",
	[VM_ISA_RISCV64] = "riscv64",
};

static const char *const engine_names[] = {
	[VM_ENGINE_AUTO] = "auto",     [VM_ENGINE_HW] = "hw",	      [VM_ENGINE_JIT] = "jit",
	[VM_ENGINE_INTERP] = "interp", [VM_ENGINE_HYBRID] = "hybrid",
};

static int find_name(const char *const *names, size_t count, size_t first, const char *text)
{
	size_t i;

	for (i = first; i < count; i++) {
		if (strcmp(text, names[i]) == 0)
			return (int)i;
	}
	return -EINVAL;
}

int config_parse_isa(const char *text, enum vm_isa *out)
{
	/* From 1: "none" is what an unset ISA prints as, not a value to write. */
	int i = find_name(isa_names, ARRAY_SIZE(isa_names), 1, text);

	if (i < 0)
		return i;
	*out = (enum vm_isa)i;
	return 0;
}

int config_parse_engine(const char *text, enum vm_engine *out)
{
	int i = find_name(engine_names, ARRAY_SIZE(engine_names), 0, text);

	if (i < 0)
		return i;
	*out = (enum vm_engine)i;
	return 0;
}

const char *config_isa_name(enum vm_isa isa)
{
	if ((unsigned)isa < ARRAY_SIZE(isa_names))
		return isa_names[isa];
	return "?";
}

const char *config_engine_name(enum vm_engine engine)
{
	if ((unsigned)engine < ARRAY_SIZE(engine_names))
		return engine_names[engine];
	return "?";
}

/* A hexadecimal number written with its "0x", as ports and addresses are. */
static int parse_hex(const char *text, uint64_t *out)
{
	if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
		return -EINVAL;
	return str_parse_u64(text + 2, strlen(text + 2), 16, out);
}

int config_parse_serial(const char *text, enum config_serial_kind *kind, uint64_t *addr)
{
	static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	uint64_t value;

	if (strcmp(text, "auto") == 0) {
		*kind = CONFIG_SERIAL_AUTO;
		*addr = 0;
		return 0;
	}
	if (strncmp(text, "com", 3) == 0 && text[3] >= '1' && text[3] <= '4' && text[4] == '\0') {
		*kind = CONFIG_SERIAL_PIO;
		*addr = com_ports[text[3] - '1'];
		return 0;
	}
	if (strncmp(text, "mmio:", 5) == 0) {
		if (parse_hex(text + 5, &value) < 0 || value == 0)
			return -EINVAL;
		*kind = CONFIG_SERIAL_MMIO;
		*addr = value;
		return 0;
	}
	if (parse_hex(text, &value) < 0 || value == 0 || value > 0xffff)
		return -EINVAL;
	*kind = CONFIG_SERIAL_PIO;
	*addr = value;
	return 0;
}

/* ---- [global] ---- */

static int parse_log(struct config_parser *p, const char *value)
{
	if (log_parse_level(value, &p->out->log_level) < 0)
		return reject(p, "bad level '%s' (use error, warn, info or debug)", value);
	return 0;
}

static int parse_serial(struct config_parser *p, const char *value)
{
	struct pv_config *c = p->out;

	if (config_parse_serial(value, &c->serial_kind, &c->serial_addr) < 0)
		return reject(p,
			      "bad serial '%s' (use auto, com1 to com4, 0xPORT or mmio:0xADDRESS)",
			      value);
	/* Every accepted spelling is shorter than the field: "mmio:0x" and 16 digits at most. */
	str_copy(c->serial, sizeof(c->serial), value);
	return 0;
}

static const struct config_key global_keys[] = {
	{ "log", false, parse_log },
	{ "serial", false, parse_serial },
};

/* ---- [vm NAME] ---- */

static int parse_isa(struct config_parser *p, const char *value)
{
	if (config_parse_isa(value, &p->vm->isa) < 0)
		return reject(p, "bad ISA '%s' (use riscv64, aarch64 or x86_64)", value);
	return 0;
}

static int parse_engine(struct config_parser *p, const char *value)
{
	if (config_parse_engine(value, &p->vm->engine) < 0)
		return reject(p, "bad engine '%s' (use auto, hw, jit, interp or hybrid)", value);
	return 0;
}

static int parse_memory(struct config_parser *p, const char *value)
{
	int ret = config_parse_size(value, &p->vm->memory_bytes);

	if (ret == -ERANGE)
		return reject(p, "size '%s' is too large", value);
	if (ret < 0)
		return reject(p, "bad size '%s' (use a number with K, M, G or T)", value);
	if (p->vm->memory_bytes < CONFIG_MIN_MEMORY)
		return reject(p, "'%s' is less than the minimum, 16M", value);
	if (p->vm->memory_bytes % CONFIG_MEMORY_ALIGN != 0)
		return reject(p, "'%s' is not a multiple of 4K", value);
	return 0;
}

static int parse_cpus(struct config_parser *p, const char *value)
{
	uint64_t n;

	if (str_parse_u64(value, strlen(value), 10, &n) < 0 || n < 1 || n > CONFIG_MAX_CPUS)
		return reject(p, "bad number '%s' (use 1 to %d)", value, CONFIG_MAX_CPUS);
	p->vm->cpus = (unsigned)n;
	return 0;
}

static int parse_board(struct config_parser *p, const char *value)
{
	if (!is_valid_name(value, CONFIG_NAME_MAX - 1))
		return reject(p, "bad board name '%s' (use letters, digits, '-' and '_')", value);
	str_copy(p->vm->board, sizeof(p->vm->board), value);
	return 0;
}

static int parse_kernel(struct config_parser *p, const char *value)
{
	return copy_path(p, p->vm->kernel, value, strlen(value));
}

static int parse_initrd(struct config_parser *p, const char *value)
{
	return copy_path(p, p->vm->initrd, value, strlen(value));
}

static int parse_dtb(struct config_parser *p, const char *value)
{
	return copy_path(p, p->vm->dtb, value, strlen(value));
}

static int parse_firmware(struct config_parser *p, const char *value)
{
	return copy_path(p, p->vm->firmware, value, strlen(value));
}

static int parse_cmdline(struct config_parser *p, const char *value)
{
	if (str_copy(p->vm->cmdline, sizeof(p->vm->cmdline), value) < 0)
		return reject(p, "command line is longer than %d bytes", CONFIG_CMDLINE_MAX - 1);
	return 0;
}

/* rng = on | off: whether the VM gets an entropy device. */
static int parse_rng(struct config_parser *p, const char *value)
{
	if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
		return reject(p, "bad rng '%s' (use on or off)", value);
	p->vm->rng = strcmp(value, "on") == 0;
	return 0;
}

static int parse_console(struct config_parser *p, const char *value)
{
	if (strcmp(value, "serial") != 0 && strcmp(value, "virtio") != 0)
		return reject(p, "bad console '%s' (use serial or virtio)", value);
	str_copy(p->vm->console, sizeof(p->vm->console), value);
	return 0;
}

/* disk = PATH or PATH,readonly */
static int parse_disk(struct config_parser *p, const char *value)
{
	struct vm_config *vm = p->vm;
	struct vm_disk_config *disk = &vm->disks[vm->ndisks];
	const char *comma = strchr(value, ',');
	size_t path_len = comma ? (size_t)(comma - value) : strlen(value);
	int ret;

	if (vm->ndisks == CONFIG_MAX_DISKS)
		return reject(p, "too many disks (%d at most)", CONFIG_MAX_DISKS);
	ret = copy_path(p, disk->path, value, path_len);
	if (ret < 0)
		return ret;
	disk->readonly = false;
	if (comma) {
		if (strcmp(comma + 1, "readonly") != 0)
			return reject(p, "unknown disk option '%s' (use PATH or PATH,readonly)",
				      comma + 1);
		disk->readonly = true;
	}
	vm->ndisks++;
	return 0;
}

/* "52:54:00:12:34:56": six pairs of hex digits. */
static int parse_mac(const char *text, uint8_t mac[6])
{
	unsigned i;

	if (strlen(text) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		uint64_t byte;

		if (i < 5 && text[3 * i + 2] != ':')
			return -EINVAL;
		if (str_parse_u64(text + 3 * i, 2, 16, &byte) < 0)
			return -EINVAL;
		mac[i] = (uint8_t)byte;
	}
	return 0;
}

static bool is_valid_backend(const char *text, size_t len)
{
	uint64_t id;
	size_t i;

	if (len > 4 && strncmp(text, "hub:", 4) == 0)
		return str_parse_u64(text + 4, len - 4, 10, &id) == 0 && id <= HUB_ID_MAX;
	if (len > 4 && len <= 4 + TAP_NAME_MAX && strncmp(text, "tap:", 4) == 0) {
		for (i = 4; i < len; i++) {
			if (!is_name_char(text[i]) && text[i] != '.')
				return false;
		}
		return true;
	}
	return false;
}

/* net = hub:ID or tap:IFNAME, then optionally ,mac=52:54:00:12:34:56 */
static int parse_net(struct config_parser *p, const char *value)
{
	struct vm_config *vm = p->vm;
	struct vm_net_config *net = &vm->nets[vm->nnets];
	const char *comma = strchr(value, ',');
	size_t backend_len = comma ? (size_t)(comma - value) : strlen(value);

	if (vm->nnets == CONFIG_MAX_NETS)
		return reject(p, "too many networks (%d at most)", CONFIG_MAX_NETS);
	if (!is_valid_backend(value, backend_len))
		return reject(p, "bad network '%s' (use hub:ID with ID 0 to %d, or tap:IFNAME)",
			      value, HUB_ID_MAX);
	str_copy_span(net->backend, sizeof(net->backend), value, backend_len);
	net->mac_set = false;
	if (comma) {
		if (strncmp(comma + 1, "mac=", 4) != 0)
			return reject(p, "unknown network option '%s' (use mac=52:54:00:12:34:56)",
				      comma + 1);
		if (parse_mac(comma + 5, net->mac) < 0)
			return reject(p,
				      "bad MAC address '%s' (use six hex pairs: 52:54:00:12:34:56)",
				      comma + 5);
		/* Bit 0 of the first byte marks a group address, which no NIC may own. */
		if (net->mac[0] & 1)
			return reject(p, "MAC address '%s' is a multicast address", comma + 5);
		net->mac_set = true;
	}
	vm->nnets++;
	return 0;
}

static const struct config_key vm_keys[] = {
	{ "isa", false, parse_isa },	   { "engine", false, parse_engine },
	{ "memory", false, parse_memory }, { "cpus", false, parse_cpus },
	{ "board", false, parse_board },   { "kernel", false, parse_kernel },
	{ "initrd", false, parse_initrd }, { "cmdline", false, parse_cmdline },
	{ "dtb", false, parse_dtb },	   { "disk", true, parse_disk },
	{ "net", true, parse_net },	   { "console", false, parse_console },
	{ "rng", false, parse_rng },	   { "firmware", false, parse_firmware },
};

_Static_assert(ARRAY_SIZE(vm_keys) <= ARRAY_SIZE(((struct config_parser *)0)->key_lines),
	       "key_lines must have a slot for every key");

void vm_config_init(struct vm_config *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->engine = VM_ENGINE_AUTO;
	vm->cpus = 1;
	str_copy(vm->board, sizeof(vm->board), "virt");
	str_copy(vm->console, sizeof(vm->console), "serial");
}

/* ---- sections ---- */

/* Checks the keys a finished [vm NAME] section must have had. */
static int finish_vm(struct config_parser *p)
{
	const struct vm_config *vm = p->vm;

	if (vm->isa == VM_ISA_NONE)
		return reject_vm(p, "missing required key 'isa'");
	if (vm->memory_bytes == 0)
		return reject_vm(p, "missing required key 'memory'");
	if (vm->kernel[0] == '\0' && vm->firmware[0] == '\0')
		return reject_vm(p, "missing required key 'kernel' (or 'firmware')");
	return 0;
}

static int finish_section(struct config_parser *p)
{
	return p->section == SECTION_VM ? finish_vm(p) : 0;
}

static int begin_global(struct config_parser *p)
{
	if (p->entry->name[0] != '\0')
		return reject(p, "takes no name: write [global]");
	if (p->global_line != 0)
		return reject(p, "duplicate section (first at line %u)", p->global_line);
	p->global_line = p->entry->line;
	p->section = SECTION_GLOBAL;
	return 0;
}

static int begin_vm(struct config_parser *p)
{
	const char *name = p->entry->name;
	struct pv_config *c = p->out;
	unsigned i;

	if (name[0] == '\0')
		return reject(p, "needs a name: write [vm NAME]");
	if (!is_valid_name(name, CONFIG_NAME_MAX - 1))
		return reject(p, "bad VM name: use letters, digits, '-' and '_', %d at most",
			      CONFIG_NAME_MAX - 1);
	for (i = 0; i < c->nvms; i++) {
		if (strcmp(c->vms[i].name, name) == 0)
			return reject(p, "duplicate VM name (first at line %u)",
				      c->vms[i].source_line);
	}
	if (c->nvms == CONFIG_MAX_VMS)
		return reject(p, "too many VMs (%d at most)", CONFIG_MAX_VMS);
	p->vm = &c->vms[c->nvms++];
	vm_config_init(p->vm);
	str_copy(p->vm->name, sizeof(p->vm->name), name);
	p->vm->source_line = p->entry->line;
	p->section = SECTION_VM;
	return 0;
}

static int begin_section(struct config_parser *p)
{
	int ret = finish_section(p);

	if (ret < 0)
		return ret;
	memset(p->key_lines, 0, sizeof(p->key_lines));
	p->section = SECTION_NONE;
	if (strcmp(p->entry->section, "global") == 0)
		return begin_global(p);
	if (strcmp(p->entry->section, "vm") == 0)
		return begin_vm(p);
	return reject(p, "unknown section (use [global] or [vm NAME])");
}

/* "isa, engine, memory, ..." for the unknown-key message. */
static void list_keys(const struct config_key *keys, size_t count, char *buf, size_t size)
{
	size_t len = 0;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < count && len < size; i++)
		len += (size_t)fmt_snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					    keys[i].name);
}

static int parse_key(struct config_parser *p)
{
	const struct config_key *keys = p->section == SECTION_VM ? vm_keys : global_keys;
	size_t count = p->section == SECTION_VM ? ARRAY_SIZE(vm_keys) : ARRAY_SIZE(global_keys);
	const struct ini_entry *e = p->entry;
	char known[CONFIG_ERROR_MAX / 2];
	size_t i;

	for (i = 0; i < count; i++) {
		if (strcmp(e->key, keys[i].name) != 0)
			continue;
		if (!keys[i].repeatable && p->key_lines[i] != 0)
			return reject(p, "given twice (first at line %u)", p->key_lines[i]);
		if (p->key_lines[i] == 0)
			p->key_lines[i] = e->line;
		return keys[i].parse(p, e->value);
	}
	list_keys(keys, count, known, sizeof(known));
	return reject(p, "unknown key (use %s)", known);
}

static int handle_entry(void *ctx, const struct ini_entry *entry)
{
	struct config_parser *p = ctx;

	p->entry = entry;
	if (!entry->key)
		return begin_section(p);
	/* The keys of a rejected section are never reached: its header stopped the parse. */
	return parse_key(p);
}

/* A syntax error from lib/ini, with the section it happened in when there is one. */
static int reject_syntax(struct config_parser *p, const struct ini_error *ie)
{
	char where[CONFIG_NAME_MAX + 8] = "";
	char column[16] = "";

	if (p->section == SECTION_VM)
		fmt_snprintf(where, sizeof(where), "[vm %s] ", p->vm->name);
	else if (p->section == SECTION_GLOBAL)
		fmt_snprintf(where, sizeof(where), "[global] ");
	if (ie->column != 0)
		fmt_snprintf(column, sizeof(column), "column %u: ", ie->column);
	fmt_snprintf(p->err->message, sizeof(p->err->message), "%s:%u: %s%s%s", p->out->source,
		     ie->line, where, column, ini_error_text(ie->kind));
	return -EINVAL;
}

int config_parse(const char *source_name, const char *text, size_t len, struct pv_config *out,
		 struct config_error *err)
{
	struct config_parser p = { .out = out, .err = err };
	struct ini_error ie;
	int ret;

	memset(out, 0, sizeof(*out));
	str_copy(out->source, sizeof(out->source), source_name);
	out->log_level = LOG_INFO;
	str_copy(out->serial, sizeof(out->serial), "auto");
	out->serial_kind = CONFIG_SERIAL_AUTO;
	err->message[0] = '\0';

	ret = ini_parse(text, len, handle_entry, &p, &ie);
	if (ret < 0 && ie.kind != INI_ERR_NONE)
		return reject_syntax(&p, &ie);
	if (ret < 0)
		return ret;
	ret = finish_section(&p);
	if (ret < 0)
		return ret;
	if (out->nvms == 0) {
		fmt_snprintf(err->message, sizeof(err->message),
			     "%s: no [vm NAME] section, so no guest to run", out->source);
		return -EINVAL;
	}
	return 0;
}
