#!/usr/bin/env bash
# The bash completion (completions/redpen.bash) offers what the command
# table holds: commands, a command's options, an option's values.
# usage: completion.sh COMPLETION-FILE REDPEN; prints 'N passed, N failed'.
set -u
. "$1"
redpen=$2
passed=0 failed=0
# expect "WORDS..." WANT...: complete the last word, every WANT offered
expect() {
    local line=$1
    shift
    read -r -a COMP_WORDS <<<"$line"
    COMP_WORDS[0]=$redpen
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _redpen 2>/dev/null
    for want in "$@"; do
        if printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$want"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL '$line': no '$want' among: ${COMPREPLY[*]}"
        fi
    done
}
expect "redpen gr" grade
expect "redpen " grade compare annotate ingest extract equiv solve check-key rubric help --version
expect "redpen grade x.txt --for" --format
expect "redpen grade x.txt --format j" json jsonl
expect "redpen compare --format " text md html json csv
expect "redpen ingest x --input-format share" sharegpt
expect "redpen help comp" compare
expect "redpen rubric " check from-key
expect "redpen solve -" --jobs -j --help
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
