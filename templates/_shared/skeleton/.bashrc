# Airlock namespace shell. This file was copied into the namespace's home when it was seeded;
# edit it freely (`airlock reset namespace NAME` re-seeds it from the image).
[ -z "$PS1" ] && return
HISTCONTROL=ignoredups:erasedups
HISTSIZE=10000
shopt -s histappend checkwinsize
[ -f /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
PS1='\[\e[1;36m\]airlock:${AIRLOCK_NAMESPACE:-?}\[\e[0m\] \[\e[1;34m\]\w\[\e[0m\] \$ '
alias ls='ls --color=auto' ll='ls -alF' grep='grep --color=auto'

