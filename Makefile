# tide build.
#
#   make              build/tide (optimised, warnings are errors)
#   make SAN=1        build/asan/tide, with AddressSanitizer + UBSan (what the tests run)
#   make unit         build the unit-test binaries (add SAN=1 for the sanitizer build)
#   make fuzz         libFuzzer targets under build/fuzz/ (needs clang)
#   make test         everything the README's test command runs (see scripts/test)
#   make check        the module table kept: includes, symbols, docs (scripts/check-layering),
#                     and the style rules (scripts/check-style)
#   make bench        the benchmark programs under build/bench/
#
# One static library per module under src/ (src/controllers has one folder per kind, all in
# one library). Each module may use only the modules its row of the table below names, and
# what those use in turn (the closure); docs/architecture.md draws the same table. Programs
# link only their module's closure, in dependency order and without --start-group, so a
# dependency the table does not allow fails at link time; scripts/check-layering (run before
# anything compiles, and by `make check`) names the include or the symbol that crosses it.
#
# The table: "module: the modules it uses directly". MODULES lists them so that each comes
# after every module it uses (check-layering verifies it); a new module adds a row and its
# name. `make -s print-deps` prints the table, one "module: uses" line each.
MODULES := util doc template kustomize helm net kube runtime source apply notify controllers cli
util_USES        :=
doc_USES         := util
template_USES    := util doc
kustomize_USES   := util doc
helm_USES        := util doc template
net_USES         := util
kube_USES        := util doc net
runtime_USES     := util doc kube
source_USES      := util doc runtime net
apply_USES       := util doc kube
notify_USES      := util doc template net
controllers_USES := util doc template kustomize helm net kube runtime source apply notify
cli_USES         := util doc template kustomize helm net kube runtime source apply notify controllers

# closure(m): m and every module it may use, directly or not.
closure = $(sort $(1) $(foreach d,$($(1)_USES),$(call closure,$(d))))
# closure_libs(dir, m): the libraries of m's closure in link order, a module before the ones
# it uses (MODULES reversed, filtered).
MODULES_DOWN := $(shell echo $(MODULES) | tr ' ' '\n' | tac)
closure_libs = $(strip $(foreach d,$(MODULES_DOWN),$(if $(filter $(d),$(call closure,$(2))),$(1)/lib$(d).a)))

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
# libcrypt (libxcrypt): bcrypt for sprig's bcrypt and htpasswd (src/template/sprig_crypto.c).
LIBS        := $(PKG_LIBS) -lcrypt -lpthread -lm

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

.PHONY: all unit fuzz fuzz-build bench test clean check check-layering check-style print-deps print-program-modules
all: $(B)/tide

# The include half of scripts/check-layering is a grep over the sources: every object waits
# for it (order-only), so a wrong #include fails `make` before anything compiles. The stamp
# does not depend on $(B): both builds share it.
LAYERING_INPUTS := $(shell find src tests/unit tests/fuzz bench -name '*.[ch]' 2>/dev/null)
LAYERING_STAMP := build/layering-includes.ok
$(LAYERING_STAMP): $(LAYERING_INPUTS) Makefile scripts/check-layering
	@mkdir -p $(@D)
	@scripts/check-layering --includes
	@touch $@

# build/tide loads the libraries only some verbs need (LAZY_LIBS) on first use, through stubs
# that scripts/gen-lazy-stubs generates from what the module libraries use (design there), so
# `tide kustomize build` does not map libcurl & co. x86-64 only; sanitizer builds, tests,
# benchmarks and fuzz targets link the libraries directly. LAZY=0 links them directly too.
LAZY_LIBS := curl ssl crypto git2 ssh2 archive z microhttpd rnp pcre2-8 crypt
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
	$(CC) $(LDFLAGS_ALL) -o $@ $(TIDE_OBJS) $(call closure_libs,$(B),cli) $(TIDE_LIBS)

$(B)/obj/%.o: src/%.c | $(LAYERING_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# Unit tests: every tests/unit/<module>/<name>.c is one program, linked against its
# module's closure only (the folder names the module).
.SECONDEXPANSION:
unit_module = $(firstword $(subst /, ,$(1)))
UNIT_SRCS := $(wildcard tests/unit/*/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
unit: $(UNIT_BINS) $(B)/tide
$(B)/tests/unit/%: tests/unit/%.c tests/unit/test.h \
		$$(call closure_libs,$(B),$$(call unit_module,$$*)) | $(LAYERING_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests/unit -MMD -MP -o $@ $< $(LDFLAGS_ALL) \
	  $(call closure_libs,$(B),$(call unit_module,$*)) $(LIBS)

# The module each benchmark and fuzz target exercises: it links that module's closure only
# (and scripts/check-layering holds its includes to it). A new program adds an entry.
PROGRAM_MODULES := \
  bench/list_bench.c:kube              bench/yaml_bench.c:doc \
  tests/fuzz/fuzz_apply.c:apply        tests/fuzz/fuzz_duration.c:util \
  tests/fuzz/fuzz_helm_release.c:helm  tests/fuzz/fuzz_ignore.c:source \
  tests/fuzz/fuzz_helm_set.c:helm      tests/fuzz/fuzz_helm_chart.c:helm \
  tests/fuzz/fuzz_helm_index.c:helm \
  tests/fuzz/fuzz_json.c:doc           tests/fuzz/fuzz_knownhosts.c:source \
  tests/fuzz/fuzz_kubeconfig.c:kube    tests/fuzz/fuzz_kustomization.c:kustomize \
  tests/fuzz/fuzz_semver.c:util        tests/fuzz/fuzz_sshaddr.c:source \
  tests/fuzz/fuzz_untar.c:util         tests/fuzz/fuzz_varsub.c:kustomize \
  tests/fuzz/fuzz_yaml.c:doc           tests/fuzz/fuzz_regex.c:util \
  tests/fuzz/fuzz_patches.c:kustomize  tests/fuzz/fuzz_template_parse.c:template \
  tests/fuzz/fuzz_template.c:template  tests/fuzz/fuzz_template_date.c:template \
  tests/fuzz/fuzz_helm_toyaml.c:helm   tests/fuzz/fuzz_template_json.c:template \
  tests/fuzz/fuzz_yaml_peek.c:doc      tests/fuzz/fuzz_tar.c:util \
  tests/fuzz/fuzz_s3_list.c:source     tests/fuzz/fuzz_oci_manifest.c:source \
  tests/fuzz/fuzz_oci_challenge.c:source tests/fuzz/fuzz_oci_ref.c:source \
  tests/fuzz/fuzz_cosign_payload.c:source
program_module = $(or $(patsubst $(1):%,%,$(filter $(1):%,$(PROGRAM_MODULES))), \
                      $(error $(1) has no entry in PROGRAM_MODULES (Makefile)))

# Benchmarks: every bench/<name>.c is one program (always optimised, never sanitized).
BENCH_SRCS := $(wildcard bench/*.c)
bench: $(patsubst bench/%.c,build/bench/%,$(BENCH_SRCS)) build/tide
build/bench/%: bench/%.c $$(call closure_libs,build,$$(call program_module,bench/$$*.c)) \
		| $(LAYERING_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -Isrc $(PKG_CFLAGS) -o $@ $< \
	  $(call closure_libs,build,$(call program_module,$<)) $(LIBS)

# Fuzz targets: tests/fuzz/<name>.c, built with clang's libFuzzer. The modules are compiled
# once more with clang (the libraries above may come from another compiler) with coverage
# instrumentation, into libraries under build/fuzz/.modules/ (hidden, so that scripts/test's
# `build/fuzz/*` sees only the targets); each target links its module's closure. The cli
# module's generated objects are not built here: no fuzz target exercises the CLI.
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FZ := build/fuzz/.modules
FUZZ_CFLAGS := $(CSTD) $(WARN) -O1 -g -Isrc $(PKG_CFLAGS) -DTIDE_VERSION='"fuzz"' -DTIDE_FUZZING
define fuzz_module_rules
$(FZ)/lib$(1).a: $$(patsubst src/%.c,$(FZ)/obj/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	@rm -f $$@
	@ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call fuzz_module_rules,$(m))))
$(FZ)/obj/%.o: src/%.c | $(LAYERING_STAMP)
	@mkdir -p $(@D)
	@echo "  CLANG   $<"
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c -o $@ $<
# `make fuzz-build` builds the targets (scripts/test's short run uses them); `make fuzz`
# also runs each for FUZZ_SECONDS (10 minutes), FUZZ_JOBS at a time.
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-build
	@FUZZ_JOBS=$(FUZZ_JOBS) scripts/fuzz-long $(FUZZ_SECONDS)
build/fuzz/%: tests/fuzz/%.c $$(call closure_libs,$(FZ),$$(call program_module,tests/fuzz/$$*.c)) \
		| $(LAYERING_STAMP)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	  $(call closure_libs,$(FZ),$(call program_module,$<)) $(LIBS)

# The whole layering check: includes, symbols (nm on the module libraries) and the table in
# docs/architecture.md. scripts/test runs it after the build.
check-layering: $(ALL_LIBS)
	@scripts/check-layering --all --build $(B)
# The house rules the compiler does not check: banned.h in every .c, no strtok, no struct
# typedefs (scripts/check-style).
check-style:
	@scripts/check-style
check: check-layering check-style

print-deps:
	@$(foreach m,$(MODULES),echo '$(m):$(if $($(m)_USES), $($(m)_USES))';)
print-program-modules:
	@$(foreach p,$(PROGRAM_MODULES),echo '$(subst :,: ,$(p))';)

test:
	scripts/test

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
