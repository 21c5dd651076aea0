#!/usr/bin/env bash
# apt-sources.sh SUITE: prints the machine's own apt sources for Debian SUITE (and SUITE-updates, SUITE-security, ...)
# as one-line "deb URI SUITE COMPONENTS" entries, the form mmdebstrap takes as a mirror. Read from the apt configuration
# (APT_ETC, default /etc/apt): sources.list and sources.list.d/*.list (one-line) and sources.list.d/*.sources (deb822),
# skipping deb-src, commented and "Enabled: no" entries. No mirror address is written here: a machine behind its own
# mirror or proxy builds from it. Exits 2, saying where it looked, when no entry names SUITE.
set -euo pipefail
suite=${1:?usage: apt-sources.sh SUITE (e.g. bookworm)}
etc=${APT_ETC:-/etc/apt}

files=()
[ -f "$etc/sources.list" ] && files+=("$etc/sources.list")
for f in "$etc"/sources.list.d/*.list "$etc"/sources.list.d/*.sources; do
  [ -f "$f" ] && files+=("$f")
done

emit() { # URI SUITE COMPONENTS...: only SUITE itself and SUITE-something
  case "$2" in "$suite" | "$suite"-* | "$suite"/*) printf 'deb %s\n' "$*" ;; esac
}

found=$(
  for f in "${files[@]}"; do
    case "$f" in
      *.sources)
        # deb822: stanzas separated by blank lines; URIs, Suites and Components may each hold several words.
        awk 'BEGIN { RS = ""; FS = "\n" }
          {
            types = ""; uris = ""; suites = ""; comps = ""; enabled = "yes"
            for (i = 1; i <= NF; i++) {
              line = $i
              if (line ~ /^#/) continue
              if (match(line, /^[A-Za-z-]+:/)) {
                key = tolower(substr(line, 1, RLENGTH - 1)); value = substr(line, RLENGTH + 1)
                gsub(/^[ \t]+|[ \t]+$/, "", value)
                if (key == "types") types = value
                else if (key == "uris") uris = value
                else if (key == "suites") suites = value
                else if (key == "components") comps = value
                else if (key == "enabled") enabled = tolower(value)
              }
            }
            if (enabled == "no" || (" " types " ") !~ / deb /) next
            n = split(uris, u, /[ \t]+/); m = split(suites, s, /[ \t]+/)
            for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print u[a], s[b], comps
          }' "$f"
        ;;
      *)
        # One-line form: deb [options] URI SUITE COMPONENTS...
        sed -e 's/#.*//' "$f" | awk '$1 == "deb" { sub(/^deb[ \t]+(\[[^]]*\][ \t]+)?/, ""); print }'
        ;;
    esac
  done | while read -r uri s comps; do
    [ -n "$uri" ] && emit "$uri" "$s" $comps
  done | awk '!seen[$0]++'
)

if [ -z "$found" ]; then
  printf 'error: no apt source for Debian %s in %s (sources.list, sources.list.d/*.list, *.sources). Add one (e.g. a %s entry in %s/sources.list.d/debian.sources), then try again\n' \
    "$suite" "$etc" "$suite" "$etc" >&2
  exit 2
fi
printf '%s\n' "$found"
