# zsh -f -c "$(cat zpty.zsh)" zpty.zsh FPATH LINE...: completes each LINE in
# an interactive zsh whose fpath starts with FPATH, and prints the words it
# offered as "INDEX<TAB>WORD".
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "PROMPT=; RPROMPT=; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -O hits "$@"
  (( $#hits )) && print -rl -- "<h""it>"${^hits}
  builtin compadd "$@"
}'
# Tab completes as usual, then says it is done, inserting and listing nothing.
zpty -w z '__capture() { _main_complete "$@"; print -r -- "<do""ne>"; compstate[insert]=; compstate[list]= }'
zpty -w z 'zle -C __capture complete-word __capture; bindkey "^I" __capture'
shift
integer i=0
local line
for typed in "$@"; do
  zpty -n -w z $'\C-u'"$typed"$'\t'
  while zpty -r z line; do
    [[ $line == *'<done>'* ]] && break
    [[ $line == *'<hit>'* ]] && print -r -- "$i"$'\t'"${${line##*<hit>}%%$'\r'*}"
  done
  (( i++ ))
done
zpty -d z
