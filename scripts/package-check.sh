#!/usr/bin/env bash
# Packs reelterm as npm would publish it, installs the tarball into a fresh prefix, and runs it
# from there: `reelterm --version`, `reelterm --pending`, and `reelterm --demo` in tmux to its
# first frame and `q`. A file the package lacks fails here, not on a user's machine. (`DEV=true`,
# common in users' shells, once made the bundled Ink read a package.json the package has not.)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
session="reelterm-package-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

npm pack --silent --pack-destination "$work" >/dev/null </dev/null
tarball=$(ls "$work"/reelterm-*.tgz)
echo "package: $(basename "$tarball"), $(( $(stat -c %s "$tarball") / 1000 )) kB"
npm install -g --silent --no-audit --no-fund --prefix "$work/prefix" "$tarball" </dev/null >/dev/null
bin="$work/prefix/bin/reelterm"
export REELTERM_HOME="$work/home"
mkdir -p "$REELTERM_HOME/config"
echo '{"mpvArgs":["--vo=null","--ao=null"],"syncWaitSeconds":2}' > "$REELTERM_HOME/config/config.json"

echo "installed: reelterm --version: $("$bin" --version </dev/null)"
pending=$("$bin" --pending </dev/null)
[ "$pending" = "Nothing pending." ] || { echo "package check: reelterm --pending said: $pending"; exit 1; }
echo "installed: reelterm --pending: $pending"

tmux new-session -d -s "$session" -x 100 -y 30 "env REELTERM_HOME='$REELTERM_HOME' NO_COLOR=1 DEV=true TERM=xterm-256color '$bin' --demo 2>'$work/stderr'; echo \"exited with \$?\"; sleep 60"
wait_for() {
  for _ in $(seq 1 120); do
    tmux capture-pane -p -t "$session" | grep -q -- "$1" && return 0
    sleep 0.5
  done
  echo "package check: the installed reelterm --demo never showed '$1'; the terminal shows:"
  tmux capture-pane -p -t "$session" || true
  echo "and said on stderr:"
  cat "$work/stderr" 2>/dev/null || true
  return 1
}
wait_for 'Libraries'
# and plays the demo's clip from the package's own assets (mpv drawing and sounding nothing)
if command -v mpv >/dev/null; then
  tmux send-keys -t "$session" Enter; wait_for 'Movies · 1/'
  tmux send-keys -t "$session" Enter; wait_for 'enter play'
  tmux send-keys -t "$session" Enter; wait_for 'Playing'
  tmux send-keys -t "$session" s; wait_for 'enter play'
fi
tmux send-keys -t "$session" q
wait_for 'exited with 0'
echo "installed: reelterm --demo drew home$(command -v mpv >/dev/null && echo ', played the clip in mpv') and quit on q"
