# bash completion for redpen: commands, each command's options, the values
# of options that take a fixed set (formats, input formats), and paths.
# The words come from the binary itself (`redpen help --complete [CMD
# [OPTION]]`), so they always match the redpen being completed.
_redpen()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local redpen=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} words kind
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 || $cmd == help ]]; then
        words="$("$redpen" help --complete 2>/dev/null)"
        [[ $COMP_CWORD -eq 1 ]] && words+=" -h --help -V --version"
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        return
    fi
    if [[ $prev == -* ]]; then
        words="$("$redpen" help --complete "$cmd" "$prev" 2>/dev/null)"
        kind=${words%%$'\n'*}
        case $kind in
        choice)
            COMPREPLY=($(compgen -W "${words#*$'\n'}" -- "$cur"))
            return ;;
        file)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        dir)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return ;;
        text)
            return ;;
        esac
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$redpen" help --complete "$cmd" 2>/dev/null)" -- "$cur"))
        return
    fi
    if [[ $cmd == rubric && $COMP_CWORD -eq 2 ]]; then
        COMPREPLY=($(compgen -W "check from-key" -- "$cur"))
        return
    fi
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _redpen redpen
