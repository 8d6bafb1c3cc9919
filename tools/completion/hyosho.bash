# hyosho.bash -- bash completion of hyosho: its commands, each command's options, the values
# of --format, --csv-header, --profile and --encoding, and file names (PDF and text inputs,
# folders).
# Installed as share/bash-completion/completions/hyosho, which bash-completion loads the
# first time `hyosho` is completed; `source` it to try it from the source tree.
#
# Commands and options are read at completion time from `hyosho --help` and
# `hyosho CMD --help` of the very hyosho being completed (./build/tools/hyosho as well),
# so a new command or option needs no change here. An option's value is completed by what
# its help names it (--output=FILE: a file, =OUTDIR: a folder), or from the lists below,
# which tests/test_completion.sh holds to hyosho's own usage errors.

# _hyosho_values_OPTION, or _hyosho_values_COMMAND_OPTION for one command's own (- as _).
_hyosho_values_format="json jsonl csv sqlite"
_hyosho_values_batch_format="jsonl csv"
_hyosho_values_csv_header="json ja"
_hyosho_values_profile="default older"
_hyosho_values_encoding="UTF-8 Shift_JIS CP932 EUC-JP ISO-2022-JP"

# _hyosho_options HYOSHO [CMD]: one line per option of `HYOSHO [CMD] --help`,
# LONG|ARG|SHORT (`--output|FILE|o`, `--compact||`).
_hyosho_options() {
    "$@" --help 2>/dev/null |
        sed -nE 's/^  (-([A-Za-z0-9]), )?(--[A-Za-z0-9-]+)(=([^ ]+))?.*/\3|\5|\2/p'
}

# _hyosho_commands HYOSHO: the commands `HYOSHO --help` lists, and help.
_hyosho_commands() {
    "$1" --help 2>/dev/null | sed -nE '/^Commands:/,/^$/s/^  ([a-z][a-z0-9-]*) .*/\1/p'
    echo help
}

# _hyosho_files KIND: file names starting with $cur into COMPREPLY. KIND: inputs (folders,
# and .pdf, .txt, .text files in any case), dirs (folders), any.
_hyosho_files() {
    local f lower
    compopt -o filenames 2>/dev/null # outside a completion (the tests) there is nothing to set
    while IFS= read -r f; do
        lower=${f,,}
        case $1 in
        inputs) [[ -d $f || $lower == *.pdf || $lower == *.txt || $lower == *.text ]] || continue ;;
        dirs) [[ -d $f ]] || continue ;;
        esac
        COMPREPLY+=("$f")
    done < <(compgen -f -- "$cur")
}

_hyosho() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local hyosho=${COMP_WORDS[0]} prefix=
    [[ $hyosho == "~/"* ]] && hyosho=$HOME/${hyosho#"~/"}
    COMPREPLY=()

    # --format=js: with = in COMP_WORDBREAKS (bash's default) the words are --format = js;
    # without, one word whose value part is completed after its --format=.
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
    fi

    local i cmd=
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} != -* ]]; then
            cmd=${COMP_WORDS[i]}
            break
        fi
    done
    if [[ -z $cmd || $cmd == help ]]; then
        if [[ $cur == -* && -z $cmd ]]; then
            COMPREPLY=($(compgen -W "$(_hyosho_options "$hyosho" | cut -d'|' -f1)" -- "$cur"))
        elif [[ -z $cmd || $i -eq $((COMP_CWORD - 1)) ]]; then
            COMPREPLY=($(compgen -W "$(_hyosho_commands "$hyosho")" -- "$cur"))
        fi
        return 0
    fi

    local options long arg short
    options=$(_hyosho_options "$hyosho" "$cmd")
    if [[ $prev == -* ]]; then
        while IFS='|' read -r long arg short; do
            [[ $prev == "$long" || $prev == "-$short" ]] || continue
            [[ -n $arg ]] || break # a flag: what follows is an input or an option
            local values=_hyosho_values_${cmd}_${long#--}
            values=${values//-/_}
            if [[ ! $values =~ ^[A-Za-z0-9_]+$ || -z ${!values-} ]]; then
                values=_hyosho_values_${long#--}
                values=${values//-/_}
            fi
            if [[ -n ${!values-} ]]; then
                COMPREPLY=($(compgen -P "$prefix" -W "${!values}" -- "$cur"))
            elif [[ $arg == *DIR ]]; then
                _hyosho_files dirs
            elif [[ $arg == FILE ]]; then
                _hyosho_files any
            fi # a number, a year, a password: nothing to offer
            return 0
        done <<<"$options"
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(cut -d'|' -f1 <<<"$options")" -- "$cur"))
    elif [[ $cmd == convert || $cmd == explain || $cmd == batch || $cmd == review ]]; then
        _hyosho_files inputs
    else
        _hyosho_files any
    fi
    return 0
}

complete -F _hyosho hyosho
