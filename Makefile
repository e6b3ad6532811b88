# tide build.
#
#   make              build/tide (optimised, warnings are errors)
#   make SAN=1        build/asan/tide, with AddressSanitizer + UBSan (what the tests run)
#   make unit         build the unit-test binaries (add SAN=1 for the sanitizer build)
#   make fuzz         libFuzzer targets under build/fuzz/ (needs clang)
#   make test         everything the README's test command runs (see scripts/test)
#
# One static library per module under src/ (src/controllers has one folder per kind, all in
# one library). A module may use only the modules listed before it in MODULES (checked by
# scripts/check-layering), so the engines stay testable alone.

MODULES := util doc kustomize kube runtime source apply helm controllers cli
.DEFAULT_GOAL := all

CC      ?= cc
PKGS    := yaml-0.1 libcurl libssl libcrypto libgit2 libssh2 libarchive zlib libmicrohttpd librnp libpcre2-8
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers -Wformat=2 -Wvla
CSTD    := -std=c17 -D_GNU_SOURCE
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

ifeq ($(SAN),1)
  B       := build/asan
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDSAN   := -fsanitize=address,undefined
else
  B       := build
  OPT     := -O2 -g
  LDSAN   :=
endif

CFLAGS_ALL  := $(CSTD) $(WARN) $(OPT) -Isrc $(PKG_CFLAGS) -DTIDE_VERSION='"$(VERSION)"' $(CFLAGS)
LDFLAGS_ALL := $(LDSAN) $(LDFLAGS)
LIBS        := $(PKG_LIBS) -lpthread -lm

# Libraries in link order: a module before the modules it uses.
LINK_ORDER := $(foreach m,$(shell echo $(MODULES) | tr ' ' '\n' | tac),$(B)/lib$(m).a)

# Manifests (Flux CRDs, install objects) are compiled into the cli module, so `tide install`
# needs no files beside the binary. scripts/embed-manifests makes one C array per file.
MANIFESTS := $(sort $(wildcard manifests/*/*.yaml))
cli_EXTRA_OBJS := $(B)/obj/gen/manifests.o
$(B)/gen/manifests.c: $(MANIFESTS) scripts/embed-manifests
	@mkdir -p $(@D)
	@scripts/embed-manifests $(MANIFESTS) > $@.tmp && mv $@.tmp $@
$(B)/obj/gen/manifests.o: $(B)/gen/manifests.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

define module_rules
$(1)_SRCS := $$(wildcard src/$(1)/*.c src/$(1)/*/*.c)
$(1)_OBJS := $$(patsubst src/%.c,$(B)/obj/%.o,$$($(1)_SRCS)) $$($(1)_EXTRA_OBJS)
$(B)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	@rm -f $$@
	@ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

ALL_LIBS := $(foreach m,$(MODULES),$(B)/lib$(m).a)

.PHONY: all unit fuzz bench test clean check-layering
all: $(B)/tide

# build/tide loads the libraries only some verbs need (LAZY_LIBS) on first use, through stubs
# that scripts/gen-lazy-stubs generates from what the module libraries use (design there), so
# `tide kustomize build` does not map libcurl & co. x86-64 only; sanitizer builds, tests,
# benchmarks and fuzz targets link the libraries directly. LAZY=0 links them directly too.
LAZY_LIBS := curl ssl crypto git2 ssh2 archive z microhttpd rnp pcre2-8
LAZY ?= $(if $(filter 1,$(SAN)),0,$(if $(filter x86_64-%,$(shell $(CC) -dumpmachine)),1,0))
ifeq ($(LAZY),1)
  TIDE_OBJS := $(B)/obj/gen/lazy_stubs.o
  TIDE_LIBS := $(filter-out $(addprefix -l,$(LAZY_LIBS)),$(PKG_LIBS)) -lpthread -lm
else
  TIDE_OBJS :=
  TIDE_LIBS := $(LIBS)
endif
$(B)/gen/lazy_stubs.S: $(ALL_LIBS) scripts/gen-lazy-stubs
	@mkdir -p $(@D)
	@scripts/gen-lazy-stubs "$(CC)" $(LAZY_LIBS) -- $(ALL_LIBS) > $@.tmp && mv $@.tmp $@
$(B)/obj/gen/lazy_stubs.o: $(B)/gen/lazy_stubs.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) -c -o $@ $<

$(B)/tide: $(ALL_LIBS) $(TIDE_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(TIDE_OBJS) -Wl,--start-group $(ALL_LIBS) -Wl,--end-group $(TIDE_LIBS)

$(B)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# Unit tests: every tests/unit/<module>/<name>.c is one program.
UNIT_SRCS := $(wildcard tests/unit/*/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
unit: $(UNIT_BINS) $(B)/tide
$(B)/tests/unit/%: tests/unit/%.c tests/unit/test.h $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests/unit -MMD -MP -o $@ $< $(LDFLAGS_ALL) \
	  -Wl,--start-group $(ALL_LIBS) -Wl,--end-group $(LIBS)

# Benchmarks: every bench/<name>.c is one program (always optimised, never sanitized).
BENCH_SRCS := $(wildcard bench/*.c)
bench: $(patsubst bench/%.c,build/bench/%,$(BENCH_SRCS)) build/tide
build/bench/%: bench/%.c $(foreach m,$(MODULES),build/lib$(m).a)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -Isrc $(PKG_CFLAGS) -o $@ $< \
	  -Wl,--start-group $(filter-out build/libcli.a,$(foreach m,$(MODULES),build/lib$(m).a)) -Wl,--end-group $(LIBS)

# Fuzz targets: tests/fuzz/<name>.c, built with clang's libFuzzer against the sources directly
# (not the libraries above, which may come from another compiler).
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIB_SRCS := $(foreach m,util doc kustomize kube runtime source apply helm,$(wildcard src/$(m)/*.c))
fuzz: $(FUZZ_BINS)
build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_SRCS)
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g -Isrc $(PKG_CFLAGS) -DTIDE_VERSION='"fuzz"' -DTIDE_FUZZING \
	  -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_LIB_SRCS) $(LIBS)

check-layering:
	@scripts/check-layering $(MODULES)

test:
	scripts/test

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
