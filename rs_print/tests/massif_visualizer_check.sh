#!/bin/sh
# massif_visualizer_check.sh -- does the real massif-visualizer open what
# `rs_print --massif` writes?  And does it refuse the same file with its
# `#rs:` lines (so the check is not vacuous)?
#
# usage: massif_visualizer_check.sh [--rs-print PATH] [--screenshot DIR] FILE...
#
# For each FILE: `rs_print --massif FILE` must be opened by
# `xvfb-run -a massif-visualizer` with "loaded massif file" and
# "snapshots: N" on its output, N the number of snapshots of FILE; if FILE
# has a `#rs:` line, massif-visualizer must say "invalid line" for FILE
# itself.  massif-visualizer is a GUI that never exits on its own: it is
# stopped as soon as it has printed its verdict (or after 60 s).
# --screenshot DIR also saves DIR/NAME.png of the window (needs xwd and
# netpbm).
#
# Exit status: 0 all good, 1 a check failed, 77 massif-visualizer or
# xvfb-run is missing (skip).
#
# This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
# developers.  GPL-2.0-or-later (see COPYING).

RS_PRINT=${RS_PRINT:-rs_print}
SHOTS=
while [ $# -gt 0 ]; do
    case $1 in
        --rs-print) RS_PRINT=$2; shift 2 ;;
        --screenshot) SHOTS=$2; shift 2 ;;
        --) shift; break ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--rs-print PATH] [--screenshot DIR] FILE..." >&2; exit 2; }

for tool in massif-visualizer xvfb-run xauth; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "skipped: $tool is not installed (apt-get install massif-visualizer xvfb xauth)"
        exit 77
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rs_mv.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_RUNTIME_DIR="$tmp/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# view FILE LOG [SHOT]: runs massif-visualizer on FILE under Xvfb until it
# prints its verdict; its output goes to LOG.
view() {
    file=$1 log=$2 shot=$3
    # The inner script runs in the X session: it starts the viewer, waits
    # for the verdict in LOG, optionally screenshots, and stops the viewer.
    cat >"$tmp/inner.sh" <<'EOF'
file=$1 log=$2 shot=$3
massif-visualizer -qwindowgeometry 1270x790+0+0 "$file" >"$log" 2>&1 &
mv=$!
i=0
while [ $i -lt 600 ]; do
    if grep -q -e 'snapshots:' -e 'invalid line' "$log" 2>/dev/null; then break; fi
    if ! kill -0 $mv 2>/dev/null; then break; fi
    sleep 0.1; i=$((i + 1))
done
if [ -n "$shot" ] && command -v xwd >/dev/null 2>&1 && command -v xwdtopnm >/dev/null 2>&1; then
    sleep 3   # let it draw
    xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$shot" 2>/dev/null
fi
kill $mv 2>/dev/null
wait $mv 2>/dev/null
exit 0
EOF
    # xvfb-run -a can lose a race for a display number with another X
    # server starting at the same time: try again when nothing came out.
    for try in 1 2 3; do
        rm -f "$log"
        timeout -k 5 90 xvfb-run -a -s "-screen 0 1280x800x24" \
            sh "$tmp/inner.sh" "$file" "$log" "$shot" >"$tmp/xvfb.log" 2>&1
        grep -q -e 'snapshots:' -e 'invalid line' "$log" 2>/dev/null && return
        sleep 1
    done
    cat "$tmp/xvfb.log" >>"$log"
}

fail=0
for f in "$@"; do
    name=$(basename "$f")
    if ! "$RS_PRINT" --massif "$f" >"$tmp/strict.out" 2>"$tmp/err"; then
        echo "FAIL $name: rs_print --massif: $(cat "$tmp/err")"; fail=1; continue
    fi
    n=$(grep -c '^snapshot=' "$tmp/strict.out")
    shot=
    [ -n "$SHOTS" ] && { mkdir -p "$SHOTS"; shot=$SHOTS/${name%.*}.png; }
    view "$tmp/strict.out" "$tmp/mv.log" "$shot"
    if grep -q 'loaded massif file' "$tmp/mv.log" &&
       grep -q "^snapshots: $n\$" "$tmp/mv.log" &&
       ! grep -q 'invalid line' "$tmp/mv.log"; then
        echo "PASS $name: massif-visualizer opens rs_print --massif output ($n snapshots)"
    else
        echo "FAIL $name: massif-visualizer on rs_print --massif output (want 'snapshots: $n'):"
        sed 's/^/    /' "$tmp/mv.log"; fail=1
    fi
    if grep -q '^#rs:' "$f"; then
        view "$f" "$tmp/mv.log" ""
        line=$(grep -n -m 1 '^#rs:' "$f" | cut -d: -f1)
        if grep -q "invalid line $line " "$tmp/mv.log"; then
            echo "PASS $name: massif-visualizer refuses the file itself (invalid line $line, its first #rs: line)"
        else
            echo "FAIL $name: massif-visualizer should refuse the #rs: line $line:"
            sed 's/^/    /' "$tmp/mv.log"; fail=1
        fi
    fi
done
exit $fail
