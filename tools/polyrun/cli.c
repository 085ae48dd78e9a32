// SPDX-License-Identifier: MIT
/*
 * polyrun's command line (see cli.h). One table lists every flag: its spelling, its argument, the
 * function that applies it and its line of --help, so parsing and the usage text cannot drift.
 * Sub-options ("-drive file=x,if=virtio") go through smaller tables of keys the same way. Checks
 * that need the whole command line (a -device naming a -netdev given later, -c against flags that
 * describe a VM) run once every flag has been applied.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/board.h"
#include "kernel/engine.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/str.h"
#include "tools/polyrun/cli.h"

/* QEMU's default RAM size, for command lines without -m. */
#define CLI_DEFAULT_MEMORY (128ull << 20)
/* kernel/config.c's limit for "net = hub:ID": one id space for both ways of describing a VM. */
#define CLI_HUB_ID_MAX 65535
#define CLI_CONFIG_FILE_MAX (1u << 20)
/* Room for one element of an option list: "file=" and a whole path. */
#define CLI_ELEMENT_MAX (CONFIG_PATH_MAX + CONFIG_NAME_MAX)
#define CLI_NAMES_MAX 256

struct cli_netdev {
	char id[CONFIG_NAME_MAX];
	unsigned hub_id;
	char ifname[IFNAMSIZ];
	char backend[CONFIG_PATH_MAX];
	bool used;
};

/* A -device virtio-net, resolved against the -netdevs once all flags are read. */
struct cli_nic {
	char netdev[CONFIG_NAME_MAX];
	uint8_t mac[6];
	bool mac_set;
};

struct cli_state {
	struct polyrun_options *opts;
	struct polyrun_error *err;
	/* The flag being applied, spelled as the user typed it: its messages start with it. */
	const char *flag;
	/* The first flag that describes a VM, which -c excludes. */
	const char *first_vm_flag;
	const char *config_path;
	struct cli_netdev netdevs[CONFIG_MAX_NETS];
	unsigned nnetdevs;
	struct cli_nic nics[CONFIG_MAX_NETS];
	unsigned nnics;
	bool serial_given;
	bool nographic;
	bool bios_none; /* -bios none: no firmware even where the machine has a default */
};

static int cli_fail(struct cli_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int cli_fail(struct cli_state *st, const char *fmt, ...)
{
	char *message = st->err->message;
	size_t size = sizeof(st->err->message);
	int len = st->flag ? snprintf(message, size, "%s: ", st->flag) : 0;
	va_list ap;

	if (len >= 0 && (size_t)len < size) {
		va_start(ap, fmt);
		vsnprintf(message + len, size - len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * Every table below starts its entries with the name the user types, so one lookup and one
 * "known: a, b, c" list serve them all.
 */
static const void *cli_find(const void *table, size_t count, size_t stride, const char *name)
{
	const char *entry = table;

	for (size_t i = 0; i < count; i++, entry += stride) {
		if (strcmp(*(const char *const *)entry, name) == 0)
			return entry;
	}
	return NULL;
}

static void cli_join(char *buf, size_t size, const void *table, size_t count, size_t stride)
{
	const char *entry = table;
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count && len < size; i++, entry += stride) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				 *(const char *const *)entry);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

#define CLI_FIND(table, name) cli_find(table, ARRAY_SIZE(table), sizeof((table)[0]), name)
#define CLI_JOIN(buf, table) \
	cli_join(buf, sizeof(buf), table, ARRAY_SIZE(table), sizeof((table)[0]))

/* Fixed-size fields take a value whole or report it: a truncated path would name another file. */
static int cli_copy(struct cli_state *st, char *dst, size_t size, const char *value,
		    const char *what)
{
	if (str_copy(dst, size, value) < 0)
		return cli_fail(st, "%s is too long (%zu bytes, at most %zu)", what, strlen(value),
				size - 1);
	return 0;
}

static int cli_copy_nonempty(struct cli_state *st, char *dst, size_t size, const char *value,
			     const char *what)
{
	if (!*value)
		return cli_fail(st, "empty %s", what);
	return cli_copy(st, dst, size, value, what);
}

/* Plain decimal only: "0x10", "+3" and " 3" are mistakes on a command line, not numbers. */
static bool cli_parse_number(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t value;

	if (str_parse_u64(text, strlen(text), 10, &value) < 0 || value < min || value > max)
		return false;
	*out = value;
	return true;
}

static bool cli_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool cli_is_alnum(char c)
{
	return cli_is_alpha(c) || (c >= '0' && c <= '9');
}

/* Letters, digits and the characters of extra: how names of each kind are checked. */
static bool cli_only_chars(const char *text, const char *extra)
{
	for (; *text; text++) {
		if (!cli_is_alnum(*text) && !strchr(extra, *text))
			return false;
	}
	return true;
}

/*
 * QEMU-style identifiers (netdev ids): a letter, then letters, digits, '-', '.' or '_'. Keeping to
 * QEMU's rule means a command line copied from QEMU either works here or fails the same way.
 */
static bool cli_valid_id(const char *id)
{
	return cli_is_alpha(*id) && cli_only_chars(id, "-._");
}

/* VM and board names follow polyvisor.cfg's rule, so either way of naming them accepts the same. */
static int cli_copy_name(struct cli_state *st, char *dst, size_t size, const char *value,
			 const char *what)
{
	if (!*value || !cli_only_chars(value, "-_"))
		return cli_fail(st, "bad %s '%s' (expected letters, digits, '-' and '_')", what,
				value);
	return cli_copy(st, dst, size, value, what);
}

/* ---- comma-separated option lists ------------------------------------------------------------ */

struct cli_list {
	const char *text; /* the whole list, for messages */
	const char *pos; /* the next element; NULL once the last one was taken */
};

/*
 * Takes the next element of "a,b=c,d" into buf. As in QEMU, ",," stands for a comma inside an
 * element, so a file name with a comma can still be given. Returns 1 with an element, 0 at the
 * end of the list, or a negative error.
 */
static int cli_list_next(struct cli_state *st, struct cli_list *list, char *buf, size_t size)
{
	const char *p = list->pos;
	size_t len = 0;

	if (!p)
		return 0;
	while (*p && !(p[0] == ',' && p[1] != ',')) {
		if (len + 1 >= size)
			return cli_fail(st, "an option in '%s' is too long (at most %zu bytes)",
					list->text, size - 1);
		buf[len++] = *p;
		p += *p == ',' ? 2 : 1;
	}
	buf[len] = '\0';
	list->pos = *p ? p + 1 : NULL;
	if (len == 0)
		return cli_fail(st, "empty option in '%s'", list->text);
	return 1;
}

/* Splits "key=value" in place; returns the value, or NULL when the element has no '='. */
static char *cli_split(char *element)
{
	char *eq = strchr(element, '=');

	if (!eq)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

struct cli_key {
	const char *name;
	int (*set)(struct cli_state *st, void *target, const char *value);
};

/* Applies the rest of list as key=value elements through keys; what names the thing being set. */
static int cli_apply_keys(struct cli_state *st, struct cli_list *list, const struct cli_key *keys,
			  size_t nkeys, void *target, const char *what)
{
	char element[CLI_ELEMENT_MAX];
	char known[CLI_NAMES_MAX];
	int rc;

	while ((rc = cli_list_next(st, list, element, sizeof(element))) > 0) {
		char *value;
		const struct cli_key *key;

		if (nkeys == 0)
			return cli_fail(st, "%s takes no options (got '%s')", what, element);
		value = cli_split(element);
		key = cli_find(keys, nkeys, sizeof(*keys), element);
		if (!key) {
			cli_join(known, sizeof(known), keys, nkeys, sizeof(*keys));
			return cli_fail(st, "unknown %s option '%s' (known: %s)", what, element,
					known);
		}
		if (!value)
			return cli_fail(st, "%s option '%s' needs a value (%s=...)", what, element,
					element);
		rc = key->set(st, target, value);
		if (rc < 0)
			return rc;
	}
	return rc;
}

static struct polyrun_prop *cli_find_prop(struct polyrun_prop *props, unsigned count,
					  const char *key)
{
	for (unsigned i = 0; i < count; i++) {
		if (strcmp(props[i].key, key) == 0)
			return &props[i];
	}
	return NULL;
}

/*
 * -M and -cpu properties are kept for the board or the CPU model, which know which ones they
 * take. As in QEMU, a bare "prop" means "prop=on", and a repeated one overrides the earlier value.
 */
static int cli_read_props(struct cli_state *st, struct cli_list *list, struct polyrun_prop *props,
			  unsigned *count)
{
	char element[CLI_ELEMENT_MAX];
	int rc;

	*count = 0;
	while ((rc = cli_list_next(st, list, element, sizeof(element))) > 0) {
		const char *value = cli_split(element);
		struct polyrun_prop *prop = cli_find_prop(props, *count, element);

		if (!prop && *count == POLYRUN_MAX_PROPS)
			return cli_fail(st, "too many properties (at most %u)", POLYRUN_MAX_PROPS);
		if (!prop)
			prop = &props[(*count)++];
		rc = cli_copy_nonempty(st, prop->key, sizeof(prop->key), element, "property name");
		if (rc == 0)
			rc = cli_copy(st, prop->value, sizeof(prop->value), value ? value : "on",
				      "property value");
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* ---- the flag table's entries and their handlers --------------------------------------------- */

enum cli_group {
	CLI_GROUP_STANDARD,
	CLI_GROUP_BLOCK,
	CLI_GROUP_NETWORK,
	CLI_GROUP_CHARDEV,
	CLI_GROUP_BOOT,
	CLI_GROUP_DEBUG,
};

static const char *const cli_group_titles[] = {
	[CLI_GROUP_STANDARD] = "Standard options",
	[CLI_GROUP_BLOCK] = "Block device options",
	[CLI_GROUP_NETWORK] = "Network and device options",
	[CLI_GROUP_CHARDEV] = "Character device options",
	[CLI_GROUP_BOOT] = "Boot options",
	[CLI_GROUP_DEBUG] = "Debug options",
};

struct cli_flag {
	const char *name; /* without the dash: "-m" and "--m" both find "m" */
	const char *alias;
	const char *arg; /* what --help shows after the flag; NULL: the flag takes no argument */
	int (*apply)(struct cli_state *st, const struct cli_flag *flag, const char *arg);
	/* The options field that a string or boolean flag sets. */
	size_t offset;
	size_t size;
	/* -c's file describes the VMs instead, so the two exclude each other. */
	bool describes_vm;
	enum cli_group group;
	const char *help;
};

#define CLI_FIELD(member)                                   \
	.offset = offsetof(struct polyrun_options, member), \
	.size = sizeof(((struct polyrun_options *)0)->member)

static void *cli_field(struct cli_state *st, const struct cli_flag *flag)
{
	return (char *)st->opts + flag->offset;
}

/* Files and names: a value is required, and it must fit its field whole. */
static int flag_string(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	return cli_copy_nonempty(st, cli_field(st, flag), flag->size, arg, "argument");
}

/* -append may be empty: "-append ''" clears a command line. */
static int flag_text(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	return cli_copy(st, cli_field(st, flag), flag->size, arg, "argument");
}

static int flag_name(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	return cli_copy_name(st, cli_field(st, flag), flag->size, arg, "name");
}

static int flag_true(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	*(bool *)cli_field(st, flag) = true;
	return 0;
}

static int flag_help(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	st->opts->action = POLYRUN_ACTION_HELP;
	return 0;
}

static int flag_version(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	st->opts->action = POLYRUN_ACTION_VERSION;
	return 0;
}

static int flag_machine(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct polyrun_options *opts = st->opts;
	struct cli_list list = { arg, arg };
	char name[CLI_ELEMENT_MAX];
	int rc = cli_list_next(st, &list, name, sizeof(name));

	if (rc < 0)
		return rc;
	if (strchr(name, '='))
		return cli_fail(st, "'%s': the machine name comes first (-M NAME[,PROP=VALUE...])",
				name);
	rc = cli_copy_name(st, opts->vm.board, sizeof(opts->vm.board), name, "machine name");
	if (rc < 0)
		return rc;
	return cli_read_props(st, &list, opts->machine_props, &opts->nmachine_props);
}

/* The ISA a model means when the model does not say: the host's own, as QEMU's -cpu max/host. */
#define CLI_ISA_HOST VM_ISA_NONE

struct cli_cpu_model {
	const char *name;
	enum vm_isa isa;
};

static const struct cli_cpu_model cli_cpu_models[] = {
	{ "rv64", VM_ISA_RISCV64 },	  { "riscv64", VM_ISA_RISCV64 },
	{ "cortex-a53", VM_ISA_AARCH64 }, { "cortex-a57", VM_ISA_AARCH64 },
	{ "cortex-a72", VM_ISA_AARCH64 }, { "aarch64", VM_ISA_AARCH64 },
	{ "qemu64", VM_ISA_X86_64 },	  { "x86_64", VM_ISA_X86_64 },
	{ "max", CLI_ISA_HOST },	  { "host", CLI_ISA_HOST },
};

static enum vm_isa cli_model_isa(const struct cli_cpu_model *model)
{
	return model->isa == CLI_ISA_HOST ? engine_host_isa() : model->isa;
}

static int flag_cpu(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct polyrun_options *opts = st->opts;
	struct cli_list list = { arg, arg };
	const struct cli_cpu_model *model;
	char name[CLI_ELEMENT_MAX];
	char known[CLI_NAMES_MAX];
	int rc = cli_list_next(st, &list, name, sizeof(name));

	if (rc < 0)
		return rc;
	if (strcmp(name, "help") == 0) {
		opts->action = POLYRUN_ACTION_CPU_HELP;
		return 0;
	}
	model = CLI_FIND(cli_cpu_models, name);
	if (!model) {
		CLI_JOIN(known, cli_cpu_models);
		return cli_fail(st, "unknown model '%s' (known: %s)", name, known);
	}
	opts->vm.isa = cli_model_isa(model);
	snprintf(opts->cpu_model, sizeof(opts->cpu_model), "%s", model->name);
	return cli_read_props(st, &list, opts->cpu_props, &opts->ncpu_props);
}

/*
 * QEMU's -m: a bare number counts MiB; with a suffix it is config_parse_size's binary size. The
 * limits are polyvisor.cfg's, so a VM that runs from one description runs from the other.
 */
static int flag_memory(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	uint64_t bytes;
	int rc;

	if (*arg && arg[strspn(arg, "0123456789")] == '\0') {
		rc = str_parse_u64(arg, strlen(arg), 10, &bytes);
		if (rc == 0 && bytes > UINT64_MAX >> 20)
			rc = -ERANGE;
		else if (rc == 0)
			bytes <<= 20;
	} else {
		rc = config_parse_size(arg, &bytes);
	}
	if (rc == -ERANGE)
		return cli_fail(st, "size '%s' is too large", arg);
	if (rc < 0)
		return cli_fail(
			st,
			"bad size '%s' (expected a number with an optional K, M, G or T suffix)",
			arg);
	if (bytes < CONFIG_MIN_MEMORY)
		return cli_fail(st, "size '%s' is below the minimum of %llu MiB", arg,
				CONFIG_MIN_MEMORY >> 20);
	if (bytes % CONFIG_MEMORY_ALIGN != 0)
		return cli_fail(st, "size '%s' is not a whole number of %llu KiB pages", arg,
				CONFIG_MEMORY_ALIGN >> 10);
	st->opts->vm.memory_bytes = bytes;
	return 0;
}

static int flag_smp(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	static const char cpus_key[] = "cpus=";
	const char *count = arg;
	uint64_t cpus;

	if (strncmp(arg, cpus_key, sizeof(cpus_key) - 1) == 0)
		count += sizeof(cpus_key) - 1;
	if (!cli_parse_number(count, 1, CONFIG_MAX_CPUS, &cpus))
		return cli_fail(st, "bad number '%s' (expected a whole number from 1 to %d)", count,
				CONFIG_MAX_CPUS);
	st->opts->vm.cpus = (unsigned)cpus;
	return 0;
}

/* QEMU's accelerator names, for command lines written for QEMU. */
struct cli_accel_alias {
	const char *name;
	enum vm_engine engine;
};

static const struct cli_accel_alias cli_accel_aliases[] = {
	{ "tcg", VM_ENGINE_JIT },
	{ "kvm", VM_ENGINE_HW },
};

static int flag_accel(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	const struct cli_accel_alias *alias = CLI_FIND(cli_accel_aliases, arg);
	enum vm_engine engine;
	char known[CLI_NAMES_MAX];
	size_t len = 0;

	if (alias) {
		st->opts->vm.engine = alias->engine;
		return 0;
	}
	if (config_parse_engine(arg, &engine) == 0) {
		st->opts->vm.engine = engine;
		return 0;
	}
	for (int e = VM_ENGINE_AUTO; e <= VM_ENGINE_HYBRID; e++)
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s, ",
					config_engine_name((enum vm_engine)e));
	cli_join(known + len, sizeof(known) - len, cli_accel_aliases, ARRAY_SIZE(cli_accel_aliases),
		 sizeof(cli_accel_aliases[0]));
	return cli_fail(st, "unknown accelerator '%s' (known: %s)", arg, known);
}

/*
 * The firmware -bios default (or no -bios) means, by machine, as QEMU has it: Debian's OpenSBI
 * for riscv64 virt. Machines not listed, and -bios none, start -kernel themselves.
 */
static const struct {
	enum vm_isa isa;
	const char *board;
	const char *path;
} cli_default_firmware[] = {
	{ VM_ISA_RISCV64, "virt", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin" },
};

static int flag_bios(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct vm_config *vm = &st->opts->vm;

	st->bios_none = strcmp(arg, "none") == 0;
	if (strcmp(arg, "default") == 0 || st->bios_none) {
		vm->firmware[0] = '\0';
		return 0;
	}
	return cli_copy_nonempty(st, vm->firmware, sizeof(vm->firmware), arg, "argument");
}

/* Once the machine is known: its default firmware, unless -bios named one or none. */
static void cli_pick_default_firmware(struct cli_state *st, struct vm_config *vm)
{
	if (st->bios_none || vm->firmware[0])
		return;
	for (size_t i = 0; i < ARRAY_SIZE(cli_default_firmware); i++) {
		if (cli_default_firmware[i].isa == vm->isa &&
		    strcmp(cli_default_firmware[i].board, vm->board) == 0)
			snprintf(vm->firmware, sizeof(vm->firmware), "%s",
				 cli_default_firmware[i].path);
	}
}

static int drive_file(struct cli_state *st, void *target, const char *value)
{
	struct vm_disk_config *disk = target;

	return cli_copy_nonempty(st, disk->path, sizeof(disk->path), value, "file name");
}

static int drive_interface(struct cli_state *st, void *target, const char *value)
{
	if (strcmp(value, "virtio") != 0)
		return cli_fail(st, "unsupported interface 'if=%s' (polyrun has if=virtio only)",
				value);
	return 0;
}

static int drive_format(struct cli_state *st, void *target, const char *value)
{
	if (strcmp(value, "raw") != 0)
		return cli_fail(st, "unsupported format '%s' (polyrun reads raw images only)",
				value);
	return 0;
}

static int drive_readonly(struct cli_state *st, void *target, const char *value)
{
	struct vm_disk_config *disk = target;

	if (strcmp(value, "on") == 0)
		disk->readonly = true;
	else if (strcmp(value, "off") == 0)
		disk->readonly = false;
	else
		return cli_fail(st, "bad readonly value '%s' (expected on or off)", value);
	return 0;
}

static const struct cli_key cli_drive_keys[] = {
	{ "file", drive_file },
	{ "if", drive_interface },
	{ "format", drive_format },
	{ "readonly", drive_readonly },
};

static int flag_drive(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct vm_config *vm = &st->opts->vm;
	struct cli_list list = { arg, arg };
	struct vm_disk_config *disk;
	int rc;

	if (vm->ndisks == CONFIG_MAX_DISKS)
		return cli_fail(st, "too many disks (at most %u)", CONFIG_MAX_DISKS);
	disk = &vm->disks[vm->ndisks];
	memset(disk, 0, sizeof(*disk));
	rc = cli_apply_keys(st, &list, cli_drive_keys, ARRAY_SIZE(cli_drive_keys), disk, "drive");
	if (rc < 0)
		return rc;
	if (!disk->path[0])
		return cli_fail(st, "missing file=PATH");
	vm->ndisks++;
	return 0;
}

static int netdev_id(struct cli_state *st, void *target, const char *value)
{
	struct cli_netdev *netdev = target;

	if (!cli_valid_id(value))
		return cli_fail(
			st,
			"bad id '%s' (expected a letter, then letters, digits, '-', '.' or '_')",
			value);
	return cli_copy(st, netdev->id, sizeof(netdev->id), value, "id");
}

/* QEMU's hubport,hubid=N: the VMs whose netdevs name the same hub share one switch. */
static int netdev_hub_id(struct cli_state *st, void *target, const char *value)
{
	struct cli_netdev *netdev = target;
	uint64_t hub_id;

	if (!cli_parse_number(value, 0, CLI_HUB_ID_MAX, &hub_id))
		return cli_fail(st, "bad hubid '%s' (expected a whole number from 0 to %d)", value,
				CLI_HUB_ID_MAX);
	netdev->hub_id = (unsigned)hub_id;
	return 0;
}

static int netdev_ifname(struct cli_state *st, void *target, const char *value)
{
	struct cli_netdev *netdev = target;

	if (!cli_only_chars(value, "-_."))
		return cli_fail(st, "bad ifname '%s' (expected letters, digits, '-', '_' and '.')",
				value);
	return cli_copy_nonempty(st, netdev->ifname, sizeof(netdev->ifname), value, "ifname");
}

static int netdev_hub_backend(struct cli_state *st, struct cli_netdev *netdev)
{
	snprintf(netdev->backend, sizeof(netdev->backend), "hub:%u", netdev->hub_id);
	return 0;
}

static int netdev_tap_backend(struct cli_state *st, struct cli_netdev *netdev)
{
	if (!netdev->ifname[0])
		return cli_fail(st, "tap needs ifname=NAME (the host's TAP interface)");
	snprintf(netdev->backend, sizeof(netdev->backend), "tap:%s", netdev->ifname);
	return 0;
}

static const struct cli_key cli_hub_keys[] = {
	{ "id", netdev_id },
	{ "hubid", netdev_hub_id },
};

static const struct cli_key cli_tap_keys[] = {
	{ "id", netdev_id },
	{ "ifname", netdev_ifname },
};

struct cli_netdev_type {
	const char *name;
	const struct cli_key *keys;
	size_t nkeys;
	/* Checks the type's own keys and writes the vm_net_config backend string. */
	int (*backend)(struct cli_state *st, struct cli_netdev *netdev);
};

static const struct cli_netdev_type cli_netdev_types[] = {
	{ "hub", cli_hub_keys, ARRAY_SIZE(cli_hub_keys), netdev_hub_backend },
	{ "hubport", cli_hub_keys, ARRAY_SIZE(cli_hub_keys), netdev_hub_backend },
	{ "tap", cli_tap_keys, ARRAY_SIZE(cli_tap_keys), netdev_tap_backend },
};

static int flag_netdev(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct cli_list list = { arg, arg };
	const struct cli_netdev_type *type;
	struct cli_netdev *netdev;
	char name[CLI_ELEMENT_MAX];
	char known[CLI_NAMES_MAX];
	int rc = cli_list_next(st, &list, name, sizeof(name));

	if (rc < 0)
		return rc;
	type = CLI_FIND(cli_netdev_types, name);
	if (!type) {
		CLI_JOIN(known, cli_netdev_types);
		return cli_fail(st, "unsupported type '%s' (known: %s)", name, known);
	}
	if (st->nnetdevs == CONFIG_MAX_NETS)
		return cli_fail(st, "too many network backends (at most %u)", CONFIG_MAX_NETS);
	netdev = &st->netdevs[st->nnetdevs];
	rc = cli_apply_keys(st, &list, type->keys, type->nkeys, netdev, type->name);
	if (rc < 0)
		return rc;
	if (!netdev->id[0])
		return cli_fail(st, "missing id=ID (a -device names its backend by it)");
	for (unsigned i = 0; i < st->nnetdevs; i++) {
		if (strcmp(st->netdevs[i].id, netdev->id) == 0)
			return cli_fail(st, "id '%s' is used twice", netdev->id);
	}
	rc = type->backend(st, netdev);
	if (rc < 0)
		return rc;
	st->nnetdevs++;
	return 0;
}

static int nic_mac(struct cli_state *st, void *target, const char *value)
{
	struct cli_nic *nic = target;
	const char *p = value;

	for (unsigned i = 0; i < 6; i++, p += 3) {
		int high = str_hex_digit_value(p[0]);
		int low = high < 0 ? -1 : str_hex_digit_value(p[1]);

		if (low < 0 || p[2] != (i == 5 ? '\0' : ':'))
			return cli_fail(st,
					"bad mac '%s' (expected six hex bytes: 52:54:00:12:34:56)",
					value);
		nic->mac[i] = (uint8_t)(high << 4 | low);
	}
	/* The low bit of the first byte marks a group address, which no NIC may own. */
	if (nic->mac[0] & 1)
		return cli_fail(st, "mac '%s' is a multicast address", value);
	nic->mac_set = true;
	return 0;
}

static int nic_netdev(struct cli_state *st, void *target, const char *value)
{
	struct cli_nic *nic = target;

	return cli_copy_nonempty(st, nic->netdev, sizeof(nic->netdev), value, "netdev");
}

static const struct cli_key cli_nic_keys[] = {
	{ "netdev", nic_netdev },
	{ "mac", nic_mac },
};

static int device_net(struct cli_state *st, const char *model, struct cli_list *list)
{
	struct cli_nic *nic;
	int rc;

	if (st->nnics == CONFIG_MAX_NETS)
		return cli_fail(st, "too many network devices (at most %u)", CONFIG_MAX_NETS);
	nic = &st->nics[st->nnics];
	rc = cli_apply_keys(st, list, cli_nic_keys, ARRAY_SIZE(cli_nic_keys), nic, model);
	if (rc < 0)
		return rc;
	if (!nic->netdev[0])
		return cli_fail(st, "%s needs netdev=ID (a -netdev's id)", model);
	st->nnics++;
	return 0;
}

static int device_rng(struct cli_state *st, const char *model, struct cli_list *list)
{
	int rc = cli_apply_keys(st, list, NULL, 0, NULL, model);

	if (rc < 0)
		return rc;
	if (st->opts->vm.rng)
		return cli_fail(st, "%s is given twice (one per VM)", model);
	st->opts->vm.rng = true;
	return 0;
}

static int device_console(struct cli_state *st, const char *model, struct cli_list *list)
{
	struct vm_config *vm = &st->opts->vm;
	int rc = cli_apply_keys(st, list, NULL, 0, NULL, model);

	if (rc < 0)
		return rc;
	if (strcmp(vm->console, "virtio") == 0)
		return cli_fail(st, "%s is given twice (one per VM)", model);
	snprintf(vm->console, sizeof(vm->console), "virtio");
	return 0;
}

struct cli_device {
	const char *name;
	int (*add)(struct cli_state *st, const char *model, struct cli_list *list);
};

/* The "-device" names are QEMU's virtio-mmio spellings; the board picks the transport. */
static const struct cli_device cli_devices[] = {
	{ "virtio-net", device_net },	      { "virtio-net-device", device_net },
	{ "virtio-rng", device_rng },	      { "virtio-rng-device", device_rng },
	{ "virtio-console", device_console }, { "virtio-serial", device_console },
};

static int flag_device(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct cli_list list = { arg, arg };
	const struct cli_device *device;
	char name[CLI_ELEMENT_MAX];
	char known[CLI_NAMES_MAX];
	int rc = cli_list_next(st, &list, name, sizeof(name));

	if (rc < 0)
		return rc;
	device = CLI_FIND(cli_devices, name);
	if (!device) {
		CLI_JOIN(known, cli_devices);
		return cli_fail(st, "unknown device '%s' (known: %s)", name, known);
	}
	return device->add(st, device->name, &list);
}

struct cli_serial_backend {
	const char *name;
	enum polyrun_serial serial;
	bool monitor;
};

/* file:PATH is matched by its prefix; its entry is here to be named in the list of known ones. */
static const struct cli_serial_backend cli_serial_backends[] = {
	{ "stdio", POLYRUN_SERIAL_STDIO, false },    { "mon:stdio", POLYRUN_SERIAL_STDIO, true },
	{ "none", POLYRUN_SERIAL_NONE, false },	     { "null", POLYRUN_SERIAL_NONE, false },
	{ "file:PATH", POLYRUN_SERIAL_FILE, false },
};

static int flag_serial(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	static const char file_prefix[] = "file:";
	struct polyrun_options *opts = st->opts;
	const struct cli_serial_backend *backend = CLI_FIND(cli_serial_backends, arg);
	char known[CLI_NAMES_MAX];
	int rc;

	st->serial_given = true;
	if (strncmp(arg, file_prefix, sizeof(file_prefix) - 1) == 0) {
		rc = cli_copy_nonempty(st, opts->serial_path, sizeof(opts->serial_path),
				       arg + sizeof(file_prefix) - 1, "file name");
		opts->serial = POLYRUN_SERIAL_FILE;
		opts->serial_monitor = false;
		return rc;
	}
	if (!backend || backend->serial == POLYRUN_SERIAL_FILE) {
		CLI_JOIN(known, cli_serial_backends);
		return cli_fail(st, "unsupported backend '%s' (known: %s)", arg, known);
	}
	opts->serial = backend->serial;
	opts->serial_monitor = backend->monitor;
	return 0;
}

/* -nographic: polyrun has no display anyway; as in QEMU, the serial's stdio carries the monitor. */
static int flag_nographic(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	st->nographic = true;
	return 0;
}

static int flag_gdb(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	static const char tcp_prefix[] = "tcp:";
	struct polyrun_options *opts = st->opts;
	const char *host = arg + sizeof(tcp_prefix) - 1;
	const char *colon;
	uint64_t port;
	size_t host_len;

	if (strcmp(arg, "none") == 0) {
		opts->gdb_port = 0;
		return 0;
	}
	colon = strrchr(arg, ':');
	if (strncmp(arg, tcp_prefix, sizeof(tcp_prefix) - 1) != 0 || colon < host)
		return cli_fail(st, "bad address '%s' (expected tcp::PORT, tcp:HOST:PORT or none)",
				arg);
	if (!cli_parse_number(colon + 1, 1, 65535, &port))
		return cli_fail(st, "bad port '%s' (expected a whole number from 1 to 65535)",
				colon + 1);
	host_len = (size_t)(colon - host);
	if (host_len >= sizeof(opts->gdb_host))
		return cli_fail(st, "host name is too long (%zu bytes, at most %zu)", host_len,
				sizeof(opts->gdb_host) - 1);
	memcpy(opts->gdb_host, host, host_len);
	opts->gdb_host[host_len] = '\0';
	opts->gdb_port = (unsigned)port;
	return 0;
}

static int flag_gdb_default(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	st->opts->gdb_host[0] = '\0';
	st->opts->gdb_port = POLYRUN_GDB_DEFAULT_PORT;
	return 0;
}

struct cli_debug_item {
	const char *name;
	unsigned bit;
	const char *help;
};

static const struct cli_debug_item cli_debug_items[] = {
	{ "ir", POLYRUN_DEBUG_IR, "the IR of each translated block" },
	{ "in_asm", POLYRUN_DEBUG_IN_ASM, "the guest instructions of each translated block" },
	{ "out_asm", POLYRUN_DEBUG_OUT_ASM, "the host code the JIT generates" },
	{ "exec", POLYRUN_DEBUG_EXEC, "each block as it starts to run" },
	{ "cpu", POLYRUN_DEBUG_CPU, "the guest registers before each block" },
	{ "int", POLYRUN_DEBUG_INT, "interrupts and exceptions the guest takes" },
	{ "mmu", POLYRUN_DEBUG_MMU, "page walks and TLB flushes" },
	{ "stats", POLYRUN_DEBUG_STATS, "engine counters on exit (blocks, TLB hits, chaining)" },
	{ "guest_errors", POLYRUN_DEBUG_GUEST_ERRORS,
	  "guest accesses to unmapped addresses and invalid device registers" },
};

/* Repeated -d flags add up, so a script can append items to a base set. */
static int flag_debug(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct cli_list list = { arg, arg };
	char name[CLI_ELEMENT_MAX];
	char known[CLI_NAMES_MAX];
	unsigned items = 0;
	int rc;

	while ((rc = cli_list_next(st, &list, name, sizeof(name))) > 0) {
		const struct cli_debug_item *item = CLI_FIND(cli_debug_items, name);

		if (strcmp(name, "help") == 0) {
			st->opts->action = POLYRUN_ACTION_DEBUG_HELP;
			return 0;
		}
		if (!item) {
			CLI_JOIN(known, cli_debug_items);
			return cli_fail(st, "unknown item '%s' (known: %s)", name, known);
		}
		items |= item->bit;
	}
	if (rc < 0)
		return rc;
	st->opts->debug_items |= items;
	return 0;
}

/*
 * The whole file is read while the flags are, so that its errors come out in command-line order.
 * A pipe works as well as a file (-c /dev/stdin).
 */
static int cli_read_file(struct cli_state *st, const char *path, char **text, size_t *len)
{
	FILE *file = fopen(path, "rb");
	char *buf;
	int rc = 0;

	if (!file)
		return cli_fail(st, "cannot open '%s': %s", path, strerror(errno));
	/* One byte over the limit tells a file at the limit from a larger one. */
	buf = malloc(CLI_CONFIG_FILE_MAX + 1);
	if (!buf) {
		fclose(file);
		return cli_fail(st, "cannot read '%s': out of memory", path);
	}
	*len = fread(buf, 1, CLI_CONFIG_FILE_MAX + 1, file);
	if (ferror(file))
		rc = cli_fail(st, "cannot read '%s': %s", path, strerror(errno));
	else if (*len > CLI_CONFIG_FILE_MAX)
		rc = cli_fail(st, "'%s' is larger than %u KiB", path, CLI_CONFIG_FILE_MAX >> 10);
	fclose(file);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*text = buf;
	return 0;
}

static int flag_config(struct cli_state *st, const struct cli_flag *flag, const char *arg)
{
	struct polyrun_options *opts = st->opts;
	struct config_error config_err;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (st->config_path)
		return cli_fail(st, "given twice (one config file describes every VM)");
	rc = cli_read_file(st, arg, &text, &len);
	if (rc < 0)
		return rc;
	rc = config_parse(arg, text, len, &opts->config_file, &config_err);
	free(text);
	if (rc < 0)
		return cli_fail(st, "%s", config_err.message);
	st->config_path = arg;
	opts->have_config_file = true;
	return 0;
}

static const struct cli_flag cli_flags[] = {
	{ "h", "help", NULL, flag_help, .group = CLI_GROUP_STANDARD,
	  .help = "print this help and exit" },
	{ "version", NULL, NULL, flag_version, .group = CLI_GROUP_STANDARD,
	  .help = "print the version and exit" },
	{ "c", NULL, "FILE", flag_config, .group = CLI_GROUP_STANDARD,
	  .help = "run the VMs of a polyvisor.cfg (not with flags that describe a VM)" },
	{ "M", "machine", "MACHINE[,PROP=VALUE...]", flag_machine, .describes_vm = true,
	  .group = CLI_GROUP_STANDARD,
	  .help = "board (virt, spike); properties such as dumpdtb=FILE go to the board" },
	{ "cpu", NULL, "MODEL[,PROP=VALUE...]", flag_cpu, .describes_vm = true,
	  .group = CLI_GROUP_STANDARD,
	  .help = "guest CPU model, which picks the guest ISA ('-cpu help' lists them)" },
	{ "m", NULL, "SIZE", flag_memory, .describes_vm = true, .group = CLI_GROUP_STANDARD,
	  .help = "guest RAM: MiB, or a size with a K, M, G or T suffix (default 128)" },
	{ "smp", NULL, "[cpus=]N", flag_smp, .describes_vm = true, .group = CLI_GROUP_STANDARD,
	  .help = "number of vCPUs" },
	{ "accel", NULL, "ENGINE", flag_accel, .describes_vm = true, .group = CLI_GROUP_STANDARD,
	  .help = "auto, hw, jit, interp or hybrid (QEMU's tcg is jit, kvm is hw)" },
	{ "name", NULL, "NAME", flag_name, CLI_FIELD(vm.name), .describes_vm = true,
	  .group = CLI_GROUP_STANDARD, .help = "the VM's name in messages (default: default)" },
	{ "drive", NULL, "file=PATH,if=virtio[,readonly=on|off][,format=raw]", flag_drive,
	  .describes_vm = true, .group = CLI_GROUP_BLOCK,
	  .help = "a raw disk image as a virtio-blk disk" },
	{ "netdev", NULL, "hub,id=ID[,hubid=N]|tap,id=ID,ifname=NAME", flag_netdev,
	  .describes_vm = true, .group = CLI_GROUP_NETWORK,
	  .help = "a backend: switch N (default 0) inside polyrun, or a host TAP" },
	{ "device", NULL, "DEVICE[,PROP=VALUE...]", flag_device, .describes_vm = true,
	  .group = CLI_GROUP_NETWORK,
	  .help = "virtio-net,netdev=ID[,mac=MAC], virtio-rng, virtio-console" },
	{ "serial", NULL, "stdio|mon:stdio|none|file:PATH", flag_serial, .group = CLI_GROUP_CHARDEV,
	  .help = "where the guest's serial port goes (default: stdio)" },
	{ "nographic", NULL, NULL, flag_nographic, .group = CLI_GROUP_CHARDEV,
	  .help = "no display (there never is); stdio also carries the monitor" },
	{ "kernel", NULL, "FILE", flag_string, CLI_FIELD(vm.kernel), .describes_vm = true,
	  .group = CLI_GROUP_BOOT, .help = "the guest kernel (Linux Image or bzImage, or ELF)" },
	{ "initrd", NULL, "FILE", flag_string, CLI_FIELD(vm.initrd), .describes_vm = true,
	  .group = CLI_GROUP_BOOT, .help = "an initial ramdisk (needs -kernel)" },
	{ "append", NULL, "CMDLINE", flag_text, CLI_FIELD(vm.cmdline), .describes_vm = true,
	  .group = CLI_GROUP_BOOT, .help = "the kernel command line (needs -kernel)" },
	{ "dtb", NULL, "FILE", flag_string, CLI_FIELD(vm.dtb), .describes_vm = true,
	  .group = CLI_GROUP_BOOT,
	  .help = "a tree for the board; /chosen gets -append, -initrd (needs -kernel)" },
	{ "bios", NULL, "FILE|default|none", flag_bios, .describes_vm = true,
	  .group = CLI_GROUP_BOOT,
	  .help = "firmware: FILE, default (virt: OpenSBI) or none (-kernel alone)" },
	{ "no-reboot", NULL, NULL, flag_true, CLI_FIELD(no_reboot), .group = CLI_GROUP_BOOT,
	  .help = "exit when the guest reboots" },
	{ "gdb", NULL, "tcp:[HOST]:PORT|none", flag_gdb, .group = CLI_GROUP_DEBUG,
	  .help = "wait for a gdb connection on a TCP port" },
	{ "s", NULL, NULL, flag_gdb_default, .group = CLI_GROUP_DEBUG,
	  .help = "same as -gdb tcp::1234" },
	{ "S", NULL, NULL, flag_true, CLI_FIELD(start_stopped), .group = CLI_GROUP_DEBUG,
	  .help = "start with the vCPUs stopped (gdb's continue starts them)" },
	{ "d", NULL, "ITEM[,ITEM...]", flag_debug, .group = CLI_GROUP_DEBUG,
	  .help = "trace items to the log ('-d help' lists them)" },
	{ "D", NULL, "LOGFILE", flag_string, CLI_FIELD(debug_log), .group = CLI_GROUP_DEBUG,
	  .help = "write the -d log to LOGFILE instead of stderr" },
};

static const struct cli_flag *cli_find_flag(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cli_flags); i++) {
		const struct cli_flag *flag = &cli_flags[i];

		if (strcmp(flag->name, name) == 0 ||
		    (flag->alias && strcmp(flag->alias, name) == 0))
			return flag;
	}
	return NULL;
}

/* ---- whole-command-line checks --------------------------------------------------------------- */

static struct cli_netdev *cli_find_netdev(struct cli_state *st, const char *id)
{
	for (unsigned i = 0; i < st->nnetdevs; i++) {
		if (strcmp(st->netdevs[i].id, id) == 0)
			return &st->netdevs[i];
	}
	return NULL;
}

/* Each virtio-net gets its backend now that every -netdev is known, whatever the flags' order. */
static int cli_connect_nics(struct cli_state *st)
{
	struct vm_config *vm = &st->opts->vm;

	st->flag = "-device";
	for (unsigned i = 0; i < st->nnics; i++) {
		struct cli_nic *nic = &st->nics[i];
		struct cli_netdev *netdev = cli_find_netdev(st, nic->netdev);
		struct vm_net_config *net = &vm->nets[vm->nnets];

		if (!netdev)
			return cli_fail(st, "netdev '%s' is not defined by any -netdev",
					nic->netdev);
		if (netdev->used)
			return cli_fail(st, "netdev '%s' is used by two devices", nic->netdev);
		netdev->used = true;
		memcpy(net->backend, netdev->backend, sizeof(net->backend));
		memcpy(net->mac, nic->mac, sizeof(net->mac));
		net->mac_set = nic->mac_set;
		vm->nnets++;
	}
	st->flag = "-netdev";
	for (unsigned i = 0; i < st->nnetdevs; i++) {
		if (!st->netdevs[i].used)
			return cli_fail(st, "id '%s' is not used by any -device",
					st->netdevs[i].id);
	}
	return 0;
}

/* -serial for the UART of every VM the run starts (vm_config serial); a file holds one VM's. */
static int cli_apply_serial(struct cli_state *st)
{
	struct polyrun_options *opts = st->opts;
	struct vm_config *vms = opts->have_config_file ? opts->config_file.vms : &opts->vm;
	unsigned count = opts->have_config_file ? opts->config_file.nvms : 1;
	char spec[CONFIG_SERIAL_MAX];

	st->flag = "-serial";
	if (opts->serial == POLYRUN_SERIAL_FILE && count > 1)
		return cli_fail(st,
				"file:%s would take the output of all %u VMs of -c (use "
				"stdio or none)",
				opts->serial_path, count);
	if (opts->serial == POLYRUN_SERIAL_FILE)
		snprintf(spec, sizeof(spec), "file:%s", opts->serial_path);
	else
		snprintf(spec, sizeof(spec), "%s",
			 opts->serial == POLYRUN_SERIAL_NONE ? "none" : "stdio");
	for (unsigned i = 0; i < count; i++)
		memcpy(vms[i].serial, spec, sizeof(spec));
	st->flag = NULL;
	return 0;
}

static int cli_finish(struct cli_state *st)
{
	struct polyrun_options *opts = st->opts;
	struct vm_config *vm = &opts->vm;
	static const struct {
		const char *flag;
		size_t offset;
	} needs_kernel[] = {
		{ "-initrd", offsetof(struct vm_config, initrd) },
		{ "-append", offsetof(struct vm_config, cmdline) },
		{ "-dtb", offsetof(struct vm_config, dtb) },
	};
	int rc;

	if (!st->serial_given) {
		opts->serial = POLYRUN_SERIAL_STDIO;
		opts->serial_monitor = st->nographic;
	}
	if (st->config_path) {
		if (!st->first_vm_flag)
			return cli_apply_serial(st);
		st->flag = st->first_vm_flag;
		return cli_fail(st,
				"cannot be combined with -c (the config file describes the VMs)");
	}
	for (size_t i = 0; i < ARRAY_SIZE(needs_kernel); i++) {
		st->flag = needs_kernel[i].flag;
		if (!vm->kernel[0] && *((const char *)vm + needs_kernel[i].offset))
			return cli_fail(st, "only allowed with -kernel");
	}
	st->flag = NULL;
	if (!vm->kernel[0] && !vm->firmware[0])
		return cli_fail(st, "nothing to boot (give -kernel FILE or -bios FILE)");
	if (!vm->name[0])
		snprintf(vm->name, sizeof(vm->name), "default");
	/* Without -cpu, a machine only one ISA has picks it (-M spike); else the host's ISA. */
	if (vm->isa == VM_ISA_NONE && board_isa_by_name(vm->board, &vm->isa) < 0)
		vm->isa = engine_host_isa();
	if (vm->memory_bytes == 0)
		vm->memory_bytes = CLI_DEFAULT_MEMORY;
	cli_pick_default_firmware(st, vm);
	rc = cli_apply_serial(st);
	return rc < 0 ? rc : cli_connect_nics(st);
}

int polyrun_parse(int argc, char *const argv[], struct polyrun_options *opts,
		  struct polyrun_error *err)
{
	struct cli_state st = { .opts = opts, .err = err };

	memset(opts, 0, sizeof(*opts));
	vm_config_init(&opts->vm);
	err->message[0] = '\0';
	for (int i = 1; i < argc && opts->action == POLYRUN_ACTION_RUN; i++) {
		const char *word = argv[i];
		const char *name = word + (word[0] == '-') + (word[0] == '-' && word[1] == '-');
		const struct cli_flag *flag = name != word ? cli_find_flag(name) : NULL;
		const char *arg = NULL;
		int rc;

		st.flag = word;
		if (name == word)
			return cli_fail(&st, "unexpected argument (disks go in -drive file=PATH)");
		if (!flag)
			return cli_fail(&st, "unknown option (see polyrun --help)");
		if (flag->arg) {
			if (i + 1 == argc)
				return cli_fail(&st, "missing argument (expected %s)", flag->arg);
			arg = argv[++i];
		}
		if (flag->describes_vm && !st.first_vm_flag)
			st.first_vm_flag = word;
		rc = flag->apply(&st, flag, arg);
		if (rc < 0)
			return rc;
	}
	if (opts->action != POLYRUN_ACTION_RUN)
		return 0;
	return cli_finish(&st);
}

const struct vm_config *polyrun_vms(const struct polyrun_options *opts, unsigned *count)
{
	if (opts->have_config_file) {
		*count = opts->config_file.nvms;
		return opts->config_file.vms;
	}
	*count = 1;
	return &opts->vm;
}

/* ---- texts for a person ---------------------------------------------------------------------- */

#define CLI_HELP_COLUMN 32

void polyrun_print_usage(FILE *out)
{
	fprintf(out, "usage: polyrun [options]\n"
		     "       polyrun -c polyvisor.cfg [serial and debug options]\n"
		     "\n"
		     "Runs guests on the Polyvisor core as a Linux program, with QEMU's flags.\n"
		     "Every flag may also be spelled with two dashes (--kernel).\n");
	for (size_t group = 0; group < ARRAY_SIZE(cli_group_titles); group++) {
		fprintf(out, "\n%s:\n", cli_group_titles[group]);
		for (size_t i = 0; i < ARRAY_SIZE(cli_flags); i++) {
			const struct cli_flag *flag = &cli_flags[i];
			int width;

			if (flag->group != group)
				continue;
			width = fprintf(out, "-%s%s%s%s%s", flag->name, flag->alias ? ", -" : "",
					flag->alias ? flag->alias : "", flag->arg ? " " : "",
					flag->arg ? flag->arg : "");
			if (width >= CLI_HELP_COLUMN - 1)
				fprintf(out, "\n%*s%s\n", CLI_HELP_COLUMN, "", flag->help);
			else
				fprintf(out, "%*s%s\n", CLI_HELP_COLUMN - width, "", flag->help);
		}
	}
}

void polyrun_print_cpu_models(FILE *out)
{
	fprintf(out, "CPU models (-cpu MODEL):\n");
	for (size_t i = 0; i < ARRAY_SIZE(cli_cpu_models); i++) {
		const struct cli_cpu_model *model = &cli_cpu_models[i];

		fprintf(out, "  %-14s%s%s\n", model->name, config_isa_name(cli_model_isa(model)),
			model->isa == CLI_ISA_HOST ? " (the host's ISA)" : "");
	}
}

void polyrun_print_debug_items(FILE *out)
{
	fprintf(out, "Log items (-d ITEM[,ITEM...]):\n");
	for (size_t i = 0; i < ARRAY_SIZE(cli_debug_items); i++)
		fprintf(out, "  %-14s%s\n", cli_debug_items[i].name, cli_debug_items[i].help);
}

static void cli_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void cli_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

void polyrun_format_vm(const struct vm_config *vm, char *buf, size_t size)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	uint64_t amount = vm->memory_bytes;
	unsigned unit = 0;
	size_t len = 0;

	/* The largest unit that states the size exactly: "1536 MiB", not "1.5 GiB". */
	while (unit + 1 < ARRAY_SIZE(units) && amount >= 1024 && amount % 1024 == 0) {
		amount /= 1024;
		unit++;
	}
	cli_append(buf, size, &len, "vm %s: isa %s, engine %s, %llu %s, %u vCPU%s, board %s",
		   vm->name, config_isa_name(vm->isa), config_engine_name(vm->engine),
		   (unsigned long long)amount, units[unit], vm->cpus, vm->cpus == 1 ? "" : "s",
		   vm->board);
	if (vm->firmware[0])
		cli_append(buf, size, &len, ", firmware %s", vm->firmware);
	if (vm->kernel[0])
		cli_append(buf, size, &len, ", kernel %s", vm->kernel);
	if (vm->initrd[0])
		cli_append(buf, size, &len, ", initrd %s", vm->initrd);
	if (vm->ndisks)
		cli_append(buf, size, &len, ", %u disk%s", vm->ndisks, vm->ndisks == 1 ? "" : "s");
	if (vm->nnets)
		cli_append(buf, size, &len, ", %u NIC%s", vm->nnets, vm->nnets == 1 ? "" : "s");
}
