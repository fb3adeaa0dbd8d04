#!/usr/bin/env bash
# Stands in for kind, kubectl, helm, docker, openssl and curl (linked under those names) when a test
# runs scripts/bootstrap.sh without tools or a cluster. Logs each call to $STUB_LOG (one line per
# call, the tool and its arguments separated by \x1f) and answers as a fresh machine would: every
# query finds nothing, every change succeeds. $STUB_RULES (optional) holds lines
# "TOOL<TAB>REGEX<TAB>STATUS<TAB>OUTPUT": the first whose REGEX matches the arguments, joined by
# spaces, answers instead (OUTPUT is printf %b; empty for none).
set -u
tool="${STUB_TOOL:-${0##*/}}"
args="$*"

# The second command of a pipeline logs after the first has finished: a stable order.
case " $args " in *" -f - "*) cat >/dev/null ;; esac

{
  printf '%s' "$tool"
  for arg in "$@"; do printf '\x1f%s' "$arg"; done
  printf '\n'
} >>"$STUB_LOG"

if [ -n "${STUB_RULES:-}" ]; then
  while IFS=$'\t' read -r rule_tool pattern status output; do
    [ "$rule_tool" = "$tool" ] || continue
    if [[ "$args" =~ $pattern ]]; then
      printf '%b' "$output"
      exit "$status"
    fi
  done <"$STUB_RULES"
fi

case "$tool ${1:-}" in
  "kubectl get" | "kubectl diff" | "docker image") exit 1 ;;
  "helm list") echo '[]' ;;
  "openssl rand") echo '<random>' ;;
esac
exit 0
