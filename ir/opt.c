// SPDX-License-Identifier: MIT
/* The IR optimizer passes (ir/opt.h). */
#include "ir/opt.h"

#include "ir/eval.h"
#include "ir/info.h"
#include "lib/bitmap.h"

/* ---- constant folding ------------------------------------------------------------------------ */

struct constants {
	DECLARE_BITMAP(known, IR_BLOCK_MAX_TEMPS);
	uint64_t value[IR_BLOCK_MAX_TEMPS];
};

static bool constant(const struct constants *c, ir_temp t, uint64_t *value)
{
	if (t == IR_TEMP_NONE || !bitmap_test(c->known, t))
		return false;
	*value = c->value[t];
	return true;
}

/* Rewrites op as dst = value. */
static void make_const(struct ir_op *op, uint64_t value)
{
	op->opcode = IR_CONST;
	op->imm = value;
	op->cond = 0;
	op->aux = 0;
	op->src[0] = op->src[1] = op->src[2] = IR_TEMP_NONE;
}

/* The value of a pure integer op over constant operands; false when op is not one. */
static bool fold(const struct constants *c, const struct ir_op *op, uint64_t *out)
{
	bool wide = op->type == IR_I64;
	uint64_t a, b;

	switch ((enum ir_shape)ir_op_info[op->opcode].shape) {
	case IR_SHAPE_MOV:
		return constant(c, op->src[0], out);
	case IR_SHAPE_INT_BIN:
		if (!constant(c, op->src[0], &a) || !constant(c, op->src[1], &b))
			return false;
		*out = ir_eval_binary(op->opcode, a, b, wide);
		return true;
	case IR_SHAPE_INT_UN:
		if (!constant(c, op->src[0], &a))
			return false;
		*out = ir_eval_unary(op->opcode, a, wide);
		return true;
	case IR_SHAPE_EXTEND:
		if (!constant(c, op->src[0], &a))
			return false;
		*out = op->opcode == IR_SEXT ? ir_fit(ir_sign_extend(a, (unsigned)op->imm), wide) :
					       ir_zero_extend(a, (unsigned)op->imm);
		return true;
	case IR_SHAPE_TRUNC:
		if (!constant(c, op->src[0], &a))
			return false;
		*out = (uint32_t)a;
		return true;
	case IR_SHAPE_WIDEN:
		if (!constant(c, op->src[0], &a))
			return false;
		*out = op->opcode == IR_EXTS ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
		return true;
	case IR_SHAPE_SETCC:
		if (!constant(c, op->src[0], &a) || !constant(c, op->src[1], &b))
			return false;
		*out = ir_eval_cond(op->cond, a, b, op->aux == IR_I64);
		return true;
	default:
		return false;
	}
}

unsigned ir_fold_constants(struct ir_block *block)
{
	struct constants c;
	struct constants *cs = &c;
	unsigned i, changed = 0;
	uint64_t value;

	bitmap_zero(cs->known, IR_BLOCK_MAX_TEMPS);
	for (i = 0; i < block->nops; i++) {
		struct ir_op *op = &block->ops[i];

		if (fold(cs, op, &value)) {
			make_const(op, value);
			changed++;
		} else if (op->opcode == IR_SELECT && constant(cs, op->src[0], &value)) {
			op->opcode = IR_MOV;
			op->src[0] = value ? op->src[1] : op->src[2];
			op->src[1] = op->src[2] = IR_TEMP_NONE;
			changed++;
		} else if (op->opcode == IR_EXIT_GOTO_IF && constant(cs, op->src[0], &value)) {
			changed++;
			op->src[0] = IR_TEMP_NONE;
			if (!value) {
				op->opcode = IR_NOP;
				continue;
			}
			/* Always taken: a direct exit, and what followed is unreachable. */
			op->opcode = IR_EXIT_GOTO;
			block->nops = (uint16_t)(i + 1);
			break;
		}
		if (!ir_shape_has_dst(ir_op_info[op->opcode].shape))
			continue;
		if (op->opcode == IR_CONST) {
			bitmap_set(cs->known, op->dst);
			cs->value[op->dst] = op->imm;
		} else if (op->opcode == IR_MOV && constant(cs, op->src[0], &value)) {
			bitmap_set(cs->known, op->dst);
			cs->value[op->dst] = value;
		} else {
			bitmap_clear(cs->known, op->dst);
		}
	}
	return changed;
}

/* ---- redundant guest-state access elimination ------------------------------------------------ */

#define STATE_SLOTS 64
#define NO_SET 0xffffu

/* What the block knows about one guest-state field. */
struct state_slot {
	uint64_t offset;
	unsigned size;
	uint8_t type;
	ir_temp temp; /* holds the field's current value */
	uint16_t pending_set; /* index of a SET nothing has observed yet, or NO_SET */
};

struct state_map {
	struct state_slot slot[STATE_SLOTS];
	unsigned n;
};

static unsigned type_size(unsigned type)
{
	return type == IR_I32 || type == IR_F32 ? 4 : 8;
}

static bool overlaps(const struct state_slot *s, uint64_t offset, unsigned size)
{
	return offset < s->offset + s->size && s->offset < offset + size;
}

static void forget(struct state_map *m, unsigned i)
{
	m->slot[i] = m->slot[--m->n];
}

/* Something reads the whole state (an exit, a possible fault, a helper): every SET must stay. */
static void observe_all(struct state_map *m)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		m->slot[i].pending_set = NO_SET;
}

/* The field at [offset, offset + size) is read and then changed behind the block's back. */
static void clobber(struct state_map *m, uint64_t offset, unsigned size)
{
	unsigned i = 0;

	while (i < m->n) {
		if (overlaps(&m->slot[i], offset, size))
			forget(m, i);
		else
			i++;
	}
}

/* dst was redefined: a slot whose value lived in it no longer knows that value. */
static void temp_redefined(struct state_map *m, ir_temp t)
{
	unsigned i = 0;

	while (i < m->n) {
		if (m->slot[i].temp == t && m->slot[i].pending_set == NO_SET)
			forget(m, i);
		else if (m->slot[i].temp == t)
			m->slot[i].temp = IR_TEMP_NONE, i++;
		else
			i++;
	}
}

static struct state_slot *find_exact(struct state_map *m, uint64_t offset, unsigned type)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		if (m->slot[i].offset == offset && m->slot[i].type == type)
			return &m->slot[i];
	return NULL;
}

static struct state_slot *add_slot(struct state_map *m, uint64_t offset, unsigned type)
{
	struct state_slot *s;

	if (m->n == STATE_SLOTS) {
		/* Full: drop the oldest knowledge, keeping its SET (it counts as observed). */
		forget(m, 0);
	}
	s = &m->slot[m->n++];
	s->offset = offset;
	s->type = (uint8_t)type;
	s->size = type_size(type);
	s->temp = IR_TEMP_NONE;
	s->pending_set = NO_SET;
	return s;
}

/* FP ops read the rounding mode and read-modify-write the accumulated flags. */
static void fp_state_access(struct state_map *m, const struct ir_guest *guest)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		if (overlaps(&m->slot[i], guest->round_offset, 4) ||
		    overlaps(&m->slot[i], guest->fflags_offset, 4))
			m->slot[i].pending_set = NO_SET;
	clobber(m, guest->fflags_offset, 4);
}

static unsigned handle_get(struct state_map *m, struct ir_op *op)
{
	struct state_slot *s = find_exact(m, op->imm, op->type);
	uint64_t offset = op->imm;

	if (s && s->temp != IR_TEMP_NONE) {
		op->opcode = IR_MOV;
		op->src[0] = s->temp;
		op->imm = 0;
		return 1;
	}
	/* A partial overlap is read from the state: its SETs are observed. */
	for (unsigned i = 0; i < m->n; i++)
		if (overlaps(&m->slot[i], offset, type_size(op->type)))
			m->slot[i].pending_set = NO_SET;
	if (!s) {
		clobber(m, offset, type_size(op->type));
		s = add_slot(m, offset, op->type);
	}
	s->temp = op->dst;
	return 0;
}

static unsigned handle_set(struct state_map *m, struct ir_block *block, unsigned index)
{
	struct ir_op *op = &block->ops[index];
	struct state_slot *s = find_exact(m, op->imm, op->type);
	unsigned changed = 0, i;

	if (s && s->pending_set != NO_SET) {
		block->ops[s->pending_set].opcode = IR_NOP;
		block->ops[s->pending_set].src[0] = IR_TEMP_NONE;
		changed = 1;
	}
	if (!s) {
		/* Partly overwritten fields keep their SETs but lose their known values. */
		for (i = 0; i < m->n; i++)
			if (overlaps(&m->slot[i], op->imm, type_size(op->type)))
				m->slot[i].pending_set = NO_SET;
		clobber(m, op->imm, type_size(op->type));
		s = add_slot(m, op->imm, op->type);
	}
	s->temp = op->src[0];
	s->pending_set = (uint16_t)index;
	return changed;
}

unsigned ir_eliminate_redundant_state(struct ir_block *block)
{
	struct state_map m = { .n = 0 };
	unsigned i, changed = 0;

	for (i = 0; i < block->nops; i++) {
		struct ir_op *op = &block->ops[i];
		unsigned flags = ir_op_info[op->opcode].flags;

		if (op->opcode == IR_GET) {
			changed += handle_get(&m, op);
			continue;
		}
		if (op->opcode == IR_SET) {
			changed += handle_set(&m, block, i);
			continue;
		}
		if (op->opcode == IR_CALL) {
			const struct ir_helper *helper =
				(const struct ir_helper *)(uintptr_t)op->imm;

			if (helper->flags & (IR_HELPER_READS_STATE | IR_HELPER_MAY_RAISE))
				observe_all(&m);
			if (helper->flags & IR_HELPER_WRITES_STATE)
				m.n = 0;
		} else if (flags & (IR_INFO_MEM | IR_INFO_EXIT)) {
			observe_all(&m);
		} else if ((flags & IR_INFO_FP) && block->guest) {
			fp_state_access(&m, block->guest);
		}
		if (ir_shape_has_dst(ir_op_info[op->opcode].shape))
			temp_redefined(&m, op->dst);
	}
	return changed;
}

/* ---- copy propagation ------------------------------------------------------------------------ */

struct copies {
	ir_temp source[IR_BLOCK_MAX_TEMPS]; /* what a MOV copied into each temp, or itself */
	uint32_t source_defs[IR_BLOCK_MAX_TEMPS]; /* the source's definition count back then */
	uint32_t defs[IR_BLOCK_MAX_TEMPS]; /* how often each temp was defined so far */
};

unsigned ir_propagate_copies(struct ir_block *block)
{
	struct copies c;
	unsigned i, j, n, changed = 0;

	for (i = 0; i < block->ntemps; i++) {
		c.source[i] = (ir_temp)i;
		c.defs[i] = 0;
	}
	for (i = 0; i < block->nops; i++) {
		struct ir_op *op = &block->ops[i];
		const struct ir_op_info *info = &ir_op_info[op->opcode];

		n = ir_shape_nsrc(info->shape);
		for (j = 0; j < n; j++) {
			ir_temp t = op->src[j], s;

			if (t == IR_TEMP_NONE)
				continue;
			s = c.source[t];
			/* The copy holds only while its source was not defined again since. */
			if (s != t && c.defs[s] == c.source_defs[t]) {
				op->src[j] = s;
				changed++;
			}
		}
		if (!ir_shape_has_dst(info->shape))
			continue;
		c.defs[op->dst]++;
		c.source[op->dst] = op->dst;
		if (op->opcode == IR_MOV && op->src[0] != op->dst) {
			c.source[op->dst] = op->src[0];
			c.source_defs[op->dst] = c.defs[op->src[0]];
		}
	}
	return changed;
}

/* ---- dead code elimination ------------------------------------------------------------------- */

unsigned ir_eliminate_dead_code(struct ir_block *block)
{
	DECLARE_BITMAP(live, IR_BLOCK_MAX_TEMPS);
	DECLARE_BITMAP(keep, IR_BLOCK_MAX_OPS);
	unsigned i, j, n, removed;

	bool marker_needed = false;

	bitmap_zero(live, IR_BLOCK_MAX_TEMPS);
	bitmap_zero(keep, IR_BLOCK_MAX_OPS);
	for (i = block->nops; i-- > 0;) {
		const struct ir_op *op = &block->ops[i];
		const struct ir_op_info *info = &ir_op_info[op->opcode];
		bool has_dst = ir_shape_has_dst(info->shape);

		if (op->opcode == IR_NOP)
			continue;
		/* A marker matters only to the ops of its instruction that can raise or call. */
		if (op->opcode == IR_INSN_START) {
			if (marker_needed)
				bitmap_set(keep, i);
			marker_needed = false;
			continue;
		}
		if ((info->flags & IR_INFO_MEM) || op->opcode == IR_CALL ||
		    op->opcode == IR_EXIT_EXCEPTION)
			marker_needed = true;
		if (!(info->flags & IR_INFO_EFFECT) && !(has_dst && bitmap_test(live, op->dst)))
			continue;
		bitmap_set(keep, i);
		if (has_dst)
			bitmap_clear(live, op->dst);
		n = ir_shape_nsrc(info->shape);
		for (j = 0; j < n; j++)
			if (op->src[j] != IR_TEMP_NONE)
				bitmap_set(live, op->src[j]);
	}
	for (i = 0, n = 0; i < block->nops; i++)
		if (bitmap_test(keep, i))
			block->ops[n++] = block->ops[i];
	removed = block->nops - n;
	block->nops = (uint16_t)n;
	return removed;
}

void ir_optimize(struct ir_block *block)
{
	unsigned round;

	for (round = 0; round < 4; round++) {
		unsigned changed = ir_fold_constants(block);

		changed += ir_eliminate_redundant_state(block);
		changed += ir_propagate_copies(block);
		changed += ir_eliminate_dead_code(block);
		if (!changed)
			break;
	}
}
