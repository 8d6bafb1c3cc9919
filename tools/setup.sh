#!/bin/sh
# setup.sh -- installs what hyosho needs on Debian 12 (only what is missing) and builds
# it into build/. --with-tests adds what the test suite uses (the Debian package is made with
# cpack, which needs dpkg-dev and file, and its manual pages read with man-db, groff and
# mandoc). Runs as root or via sudo.
set -eu

cd "$(dirname "$0")/.."

build_packages="build-essential cmake pkg-config libglib2.0-dev libpoppler-glib-dev poppler-data
  libicu-dev libpcre2-dev libjson-glib-dev libsqlite3-dev libcairo2-dev libpng-dev"
test_packages="libcmocka-dev poppler-utils libcairo2-dev libpango1.0-dev fonts-ipaexfont-gothic
  fonts-ipaexfont-mincho fonts-dejavu-core python3 python3-jsonschema sqlite3 jq clang libclang-rt-14-dev valgrind
  chromium python3-html5lib libreoffice-calc-nogui dpkg-dev file man-db groff-base mandoc"

with_tests=OFF
packages=$build_packages
if [ "${1:-}" = "--with-tests" ]; then
  with_tests=ON
  packages="$packages $test_packages"
fi

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "setup: installing$missing" >&2
  $sudo apt-get update -qq
  # poppler-data is named explicitly: --no-install-recommends would drop the CMaps
  # poppler needs for Japanese fonts that are not embedded.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHY_BUILD_TESTS=$with_tests \
  -DHY_BUILD_GENERATOR=$with_tests -DHY_TEST_HOOKS=$with_tests -DHY_WERROR=$werror >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
echo "setup: built build/tools/hyosho" >&2
