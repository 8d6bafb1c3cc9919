#!/usr/bin/env bash
# run-tests.sh -- every test, as CI runs it after `./tools/setup.sh --with-tests`:
#  1. ctest in build/, the build setup.sh made (valgrind over the goldens included);
#  2. a sanitizer build in build-asan/ (ASan + UBSan, -Werror) and the whole ctest there,
#     with LeakSanitizer on (third-party leaks only are suppressed: tests/lsan.supp);
#  3. the libFuzzer targets, built in build-fuzz/ with clang, HY_FUZZ_SECONDS each
#     (default 30; tests/fuzz/run.sh).
# Each step runs even when an earlier one failed; the exit status says whether all passed.
#
# Usage: tools/run-tests.sh
# Environment: HY_ASAN_CC   compiler for build-asan (default gcc; clang works as well)
#              HY_FUZZ_SECONDS  seconds per fuzz target (default 30; 0 skips the fuzzers)
set -u

cd "$(dirname "$0")/.." || exit 1
root=$PWD
jobs=$(nproc)
asan_cc=${HY_ASAN_CC:-gcc}
fuzz_seconds=${HY_FUZZ_SECONDS:-30}
failed=()
start_all=$SECONDS

step() {
    local name=$1
    shift
    local start=$SECONDS
    echo "==> $name" >&2
    if "$@"; then
        echo "==> $name: passed in $((SECONDS - start)) s" >&2
    else
        echo "==> $name: FAILED after $((SECONDS - start)) s" >&2
        failed+=("$name")
    fi
}

plain_tests() {
    if [[ ! -f build/CTestTestfile.cmake ]]; then
        echo "run-tests: build/ has no tests: run ./tools/setup.sh --with-tests first" >&2
        return 1
    fi
    ctest --test-dir build --output-on-failure -j "$jobs"
}

asan_tests() {
    # float-cast-overflow is not in GCC's -fsanitize=undefined (it is in clang's); a font
    # size of 1e49 cast to int is what fixtures/hostile/huge-font-size.pdf once hit.
    local extra=""
    [[ $asan_cc == gcc* ]] && extra="-fsanitize=float-cast-overflow -fno-sanitize-recover=float-cast-overflow"
    cmake -S . -B build-asan -DCMAKE_C_COMPILER="$asan_cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_FLAGS="$extra" -DHY_SANITIZE=ON -DHY_WERROR=ON -DHY_BUILD_TESTS=ON -DHY_TEST_HOOKS=ON \
        -DHY_BUILD_GENERATOR=ON >/dev/null &&
        cmake --build build-asan -j "$jobs" >/dev/null &&
        ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            ctest --test-dir build-asan --output-on-failure -j "$jobs"
}

step "ctest (build/)" plain_tests
step "ctest under ASan+UBSan+LSan (build-asan/, $asan_cc)" asan_tests
if ((fuzz_seconds > 0)); then
    step "fuzzers, ${fuzz_seconds} s each (build-fuzz/)" tests/fuzz/run.sh "$fuzz_seconds"
fi

echo "run-tests: $((SECONDS - start_all)) s in all" >&2
if ((${#failed[@]} > 0)); then
    printf 'run-tests: FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "run-tests: all passed" >&2
