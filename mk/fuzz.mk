# libFuzzer targets (tests/fuzz/fuzz_NAME.c), each linked with a libcore of its own: the core and
# polyrun's Linux platform compiled by clang with the fuzzer's coverage hooks and ASan+UBSan, in
# build/fuzz/. `make fuzz` runs every target for FUZZ_SECONDS (tests/fuzz/run.sh); `make
# fuzz-targets` only builds them (tests/integration/fuzz-regress.sh replays the corpora with them).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD := $(BUILD)/fuzz
# The core is instrumented for coverage but gets no main: only the targets link libFuzzer's.
# -Werror stays with the gcc builds: clang's warnings differ, and a fuzzing run must not fail on
# one the tree's own builds do not enforce.
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -O1 -g $(filter-out -Werror,$(WARNINGS)) $(DEFINES) -I. -MMD -MP \
	$(FUZZ_SANITIZE) -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS := $(FUZZ_SANITIZE) -fsanitize=fuzzer

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(FUZZ_SRCS))
FUZZ_CORE_OBJS := $(addprefix $(FUZZ_BUILD)/,$(core-y))
FUZZ_PLAT_OBJS := $(FUZZ_BUILD)/tools/polyrun/plat_linux.o
FUZZ_CORE_LIB := $(FUZZ_BUILD)/libcore.a

$(FUZZ_BUILD)/%.o: %.c $(BUILD)/layers.ok
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) \
		$(if $(filter $(polyrun-y) tests/%,$*.o),-D_GNU_SOURCE,-ffreestanding) -c $< -o $@

$(FUZZ_CORE_LIB): $(FUZZ_CORE_OBJS) $(FUZZ_PLAT_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_CORE_LIB)
	@echo "  LD      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_CORE_LIB) $(HOST_LIBS)

# The targets' objects are made by a pattern chain: kept, so a relink does not recompile them.
.SECONDARY: $(FUZZ_OBJS)
-include $(FUZZ_CORE_OBJS:.o=.d) $(FUZZ_PLAT_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)

.PHONY: fuzz-targets
fuzz-targets: $(FUZZ_BINS)

fuzz: deps
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) fuzz-targets
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(notdir $(FUZZ_BINS))
