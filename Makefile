# tapc - a probe compiler for Linux.  See README.md.

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE \
	   -Icompiler -Ibuild -Iruntime
LDLIBS  += -ldw -lelf -pthread
BISON   ?= bison
FLEX    ?= flex

AR      ?= ar

# tapc is the compiler's own files plus two libraries in folders of their
# own (docs/layout.md): compiler/vm (the qemu guest runner, nothing of the
# compiler's) and compiler/kintro (the kernel's symbols and DWARF, libdw
# and libelf; it uses compiler/util.c).
COMPILER_SRCS := $(wildcard compiler/*.c)
COMPILER_OBJS := $(COMPILER_SRCS:compiler/%.c=build/compiler/%.o) \
		 build/parser.o build/lexer.o
VM_SRCS       := $(wildcard compiler/vm/*.c)
VM_OBJS       := $(VM_SRCS:compiler/%.c=build/compiler/%.o)
KINTRO_SRCS   := $(wildcard compiler/kintro/*.c)
KINTRO_OBJS   := $(KINTRO_SRCS:compiler/%.c=build/compiler/%.o)
LIBS          := build/libkintro.a build/libvm.a
TAPRUN_SRCS   := $(wildcard runtime/taprun/*.c)
TAPRUN_OBJS   := $(TAPRUN_SRCS:runtime/taprun/%.c=build/taprun/%.o)

all: tapc taprun build/man3/.done

tapc: $(COMPILER_OBJS) $(LIBS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/libvm.a: $(VM_OBJS)
	$(AR) rcs $@ $^

build/libkintro.a: $(KINTRO_OBJS)
	$(AR) rcs $@ $^

# tests/kintro: the introspection library alone, with util.o and
# progress.o and nothing else of tapc.
build/kintro_test: tests/kintro/kintro_test.c build/libkintro.a \
		   build/compiler/util.o build/compiler/progress.o
	$(CC) $(CFLAGS) -Werror -o $@ $^ $(LDLIBS)

taprun: $(TAPRUN_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

build/parser.c build/parser.h: compiler/parser.y | build
	$(BISON) -Wall -Werror --defines=build/parser.h -o build/parser.c $<

build/lexer.c: compiler/lexer.l build/parser.h | build
	$(FLEX) -o $@ $<

build/parser.o build/lexer.o: CFLAGS += -Wno-sign-compare -Wno-unused-function
build/%.o: build/%.c
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

build/compiler/%.o: compiler/%.c build/parser.h | build
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# diag.c appends each tag it reports to $$TAPC_DIAG_LOG when that is set
# (tests/run host sets it; scripts/diag-coverage.sh reads it).
build/compiler/diag.o: CFLAGS += -DTAPC_DIAG_LOG

build/taprun/%.o: runtime/taprun/%.c | build
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

build:
	@mkdir -p build

-include $(wildcard build/*.d build/*/*.d build/*/*/*.d)

# Pass 1 alone, for the fuzz target and the parse benchmark.
PARSE_SRCS := compiler/ast.c compiler/preprocess.c compiler/diag.c \
	      compiler/parse_build.c \
	      compiler/util.c build/parser.c build/lexer.c

# make fuzz: pass 1 under libFuzzer, ASan and UBSan (tests/fuzz/run.sh).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
build/fuzz_parse: tests/fuzz/fuzz_parse.c $(PARSE_SRCS) compiler/ast.h \
		  compiler/parse.h build/parser.h
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE \
		-Icompiler -Ibuild -o $@ tests/fuzz/fuzz_parse.c $(PARSE_SRCS)

fuzz: build/fuzz_parse
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# bench/parse.sh: pass 1 over Debian's SystemTap scripts, timed.
build/parsebench: bench/parse.c $(PARSE_SRCS) compiler/ast.h compiler/parse.h \
		  build/parser.h
	$(CC) $(CFLAGS) -Wno-sign-compare -Wno-unused-function -o $@ \
		bench/parse.c $(PARSE_SRCS)

# make check-asan: tapc and taprun built with AddressSanitizer and
# UndefinedBehaviorSanitizer in build/asan/, and the host tests run with
# them, LeakSanitizer on; make check-valgrind: tapc -p3 under valgrind
# over every guest script and -p2 over every error script, leaks
# counted as errors (tests/sanitize.sh, docs/sanitizers.md).
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
ALL_SRCS := $(COMPILER_SRCS) $(VM_SRCS) $(KINTRO_SRCS)
build/asan/tapc: $(ALL_SRCS) $(wildcard compiler/*.h compiler/*/*.h) \
		 build/parser.c build/lexer.c build/parser.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -Wno-sign-compare -Wno-unused-function \
		-o $@ $(ALL_SRCS) build/parser.c build/lexer.c $(LDLIBS)

build/asan/taprun: $(TAPRUN_SRCS) $(wildcard runtime/taprun/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $(TAPRUN_SRCS)

check-asan: all build/asan/tapc build/asan/taprun
	bash tests/sanitize.sh asan

check-valgrind: all
	bash tests/sanitize.sh valgrind

# The reliability suite: sessions under stress in a guest (tests/stress).
check-stress: all
	bash tests/stress/run.sh

setup:
	bash scripts/setup.sh

# How many of SystemTap's own examples tapc builds (tests/compat; README
# has the table).  COMPAT_PASS=2 is a quick run without kbuild.
compat: all
	bash tests/compat/run.sh

# The README on a fresh Debian 12 root (tests/fresh): its set-up, the
# one-liner and, here, make check too (half an hour; not in make check).
check-fresh:
	FRESH_CHECK=1 bash tests/fresh/run.sh

# A second guest kernel beside the default one (docs/kernels.md).
setup-6.12:
	bash scripts/setup-kernel.sh 6.12

.PHONY: setup-6.12

check: all
	bash tests/run

bench: all
	bash bench/run

# The diagnostic tags (compiler/diag.h) no host test triggers.
diag-coverage: all
	bash scripts/diag-coverage.sh

# The tapset reference, from the doc comments in tapset/ (tests/run
# checks that the committed one is current).
doc:
	sh scripts/tapset-doc.sh > docs/tapset-reference.md.new
	mv docs/tapset-reference.md.new docs/tapset-reference.md

.PHONY: doc

# The tapset reference as manual pages (man 3tapc NAME), from the same
# doc comments as docs/tapset-reference.md.
build/man3/.done: $(wildcard tapset/*.stp tapset/x86_64/*.stp) scripts/tapset-doc.awk | build
	rm -rf build/man3
	sh scripts/tapset-doc.sh --man build/man3
	touch $@

# make install PREFIX=/usr/local DESTDIR=... (docs/install.md).
PREFIX  ?= /usr/local
DESTDIR ?=
install: all
	sh scripts/install.sh install "$(DESTDIR)" "$(PREFIX)"

uninstall:
	sh scripts/install.sh uninstall "$(DESTDIR)" "$(PREFIX)"

# A Debian package of the committed tree (debian/), built with Debian's
# own tools in build/deb and checked by lintian: build/deb/tapc_*.deb.
deb:
	sh scripts/make-deb.sh

clean:
	rm -rf build tapc taprun

.PHONY: all setup check bench diag-coverage clean install uninstall deb fuzz check-asan check-valgrind check-stress \
	check-fresh compat
