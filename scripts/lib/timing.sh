# Shared by scripts/compile-time.sh and scripts/compile-time-user.sh (sourced, not run).

# timeit CMD... -> the wall-clock seconds CMD took (its stdout discarded), e.g. 2.345
timeit() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }'
}

# stats FILE SIDE KIND -> "median (min–max)" of column 3 of FILE's SIDE<TAB>KIND<TAB>seconds rows
stats() {
    awk -F'\t' -v s="$2" -v k="$3" '$1 == s && $2 == k { print $3 }' "$1" | sort -n | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "-"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.2f s (%.2f–%.2f)", m, v[1], v[NR]
        }'
}
