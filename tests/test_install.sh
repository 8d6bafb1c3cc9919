#!/bin/bash
# test_install.sh -- the Debian package, made and used as a user would: `cpack -G DEB` of
# the build, the package's name, control file (Depends worked out from the libraries) and
# contents, then `dpkg -i` into an empty root of its own, where hyosho is run from PATH,
# its manual pages read with man, `hyosho conv<Tab>` completed from the installed
# completion file, and the package removed again. The installed hyosho runs on this
# machine's libraries, which --force-depends leaves out of the empty root.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR (exit 77 = skipped).
set -u
build=$(realpath "$1")
source=$(realpath "$2")
. "$(dirname "$0")/test_lib.sh"
require_tools cpack dpkg dpkg-deb dpkg-shlibdeps file man bash
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# dpkg looks for ldconfig and start-stop-daemon on PATH, even for a package that runs neither.
export PATH=$PATH:/usr/sbin:/sbin

# ---- the package -------------------------------------------------------------------------
# Made in $tmp (-B), so that the build folder is left as it was.
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1; then
    fail "cpack -G DEB: $(tail -5 "$tmp/cpack.log")"
    exit 1
fi
version=$("$build/tools/hyosho" --version | sed -n 's/^hyosho //p')
deb=$tmp/pkg/hyosho_${version}_$(dpkg --print-architecture).deb
if [ ! -f "$deb" ]; then
    fail "cpack made $(cd "$tmp/pkg" && echo *.deb), not ${deb##*/}"
    exit 1
fi
pass "cpack -G DEB made ${deb##*/}"
check "the package's name" hyosho "$(dpkg-deb -f "$deb" Package)"
check "the package's version" "$version" "$(dpkg-deb -f "$deb" Version)"
depends=$(dpkg-deb -f "$deb" Depends)
for library in libc6 libglib2.0-0 libpoppler-glib8 libicu libpcre2-8-0 libjson-glib-1.0-0 libsqlite3-0 poppler-data; do
    [[ $depends == *"$library"* ]] || fail "Depends lacks $library: $depends"
done
pass "Depends: $depends"
for field in Maintainer Description Section; do
    [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "the control file has no $field"
done

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
expected="/usr/bin/hyosho /usr/share/hyosho/hyosho.schema.json /usr/share/bash-completion/completions/hyosho
  /usr/share/man/man1/hyosho.1.gz"
for rules in "$source"/segment/rules/*.rules; do expected="$expected /usr/share/hyosho/rules/${rules##*/}"; done
commands=$("$build/tools/hyosho" --help | sed -nE '/^Commands:/,/^$/s/^  ([a-z][a-z0-9-]*) .*/\1/p')
for cmd in $commands; do expected="$expected /usr/share/man/man1/hyosho-$cmd.1.gz"; done
for file in $expected; do
    grep -qx "$file" "$tmp/contents" || fail "the package lacks $file"
done
grep -q "hooks\|genfixture\|knowledge_gen" "$tmp/contents" && fail "the package holds a test or build tool: $(grep "hooks\|gen" "$tmp/contents")"
pass "the package holds $(grep -cv '/$' "$tmp/contents") files"

# ---- installed into an empty root ------------------------------------------------------
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
# dpkg reads this machine's /etc/dpkg/dpkg.cfg.d even with --root, and container images
# exclude /usr/share/man there (path-exclude): --path-include, given last, wins.
# --log: not this machine's /var/log/dpkg.log.
dpkg_root() {
    dpkg --root="$root" --log="$tmp/dpkg.log" --force-not-root --force-depends --path-include='*' "$@"
}
if ! dpkg_root -i "$deb" >"$tmp/dpkg.out" 2>&1; then
    fail "dpkg -i: $(grep -v 'depends on\|is not installed\|dependency problems' "$tmp/dpkg.out" | tail -5)"
    exit 1
fi
check "dpkg -s: the package is installed" "install ok installed" \
    "$(dpkg --root="$root" -s hyosho 2>/dev/null | sed -n 's/^Status: //p')"

export PATH=$root/usr/bin:$PATH MANPATH=$root/usr/share/man MANWIDTH=80 MAN_DISABLE_SECCOMP=1
check "hyosho on PATH" "$root/usr/bin/hyosho" "$(command -v hyosho)"
echo "$ hyosho --version"
hyosho --version
check "hyosho --version" "hyosho $version" "$(hyosho --version)"
# The installed hyosho converts as the built one does (its rules are compiled in).
pdf=$source/fixtures/pdf/award-2019.pdf
if hyosho convert "$pdf" >"$tmp/installed.json" 2>"$tmp/err"; then
    "$build/tools/hyosho" convert "$pdf" >"$tmp/built.json"
    cmp -s "$tmp/installed.json" "$tmp/built.json" && pass "hyosho convert from PATH: $(grep -c '"awardee"' "$tmp/installed.json") awards, as the build's" ||
        fail "hyosho convert from PATH differs from the build's hyosho"
else
    fail "hyosho convert from PATH: $(cat "$tmp/err")"
fi
cmp -s "$root/usr/share/hyosho/hyosho.schema.json" "$source/emit/hyosho.schema.json" ||
    fail "the installed schema is not emit/hyosho.schema.json"

echo "$ man -P cat hyosho-convert | head"
man -P cat hyosho-convert 2>"$tmp/err" >"$tmp/man"
head "$tmp/man"
grep -q "^ *hyosho-convert  *- convert" "$tmp/man" && pass "man hyosho-convert" ||
    fail "man hyosho-convert: $(head -3 "$tmp/man") $(cat "$tmp/err")"
for page in hyosho $(printf 'hyosho-%s ' $commands); do
    check "man -w $page" "$root/usr/share/man/man1/$page.1.gz" "$(man -w "$page" 2>&1)"
done

echo "$ hyosho conv<Tab>"
completed=$(bash --norc --noprofile -c 'source "$1" || exit 1
    COMP_WORDS=(hyosho conv) COMP_CWORD=1
    _hyosho
    echo "${COMPREPLY[*]}"' complete "$root/usr/share/bash-completion/completions/hyosho" 2>&1)
echo "$completed"
check "hyosho conv<Tab> from the installed completion" convert "$completed"

# ---- and removed -------------------------------------------------------------------------
dpkg_root -r hyosho >"$tmp/dpkg.out" 2>&1 || fail "dpkg -r: $(tail -5 "$tmp/dpkg.out")"
left=$(cd "$root" && find usr -type f 2>/dev/null)
[ -z "$left" ] && pass "dpkg -r removes every file" || fail "dpkg -r left $left"

echo "install: $failures failure(s)"
[ "$failures" = 0 ]
