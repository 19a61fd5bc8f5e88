#!/usr/bin/env bash
# Browser end-to-end test: a real platform process on 127.0.0.1 (fresh SQLite database, demo
# seed, the built web app), driven by playwright-core in Debian's Chromium.
#   scripts/e2e.sh     (make e2e builds the web app first)
# Screenshots of failing steps go to frontend/test-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BIN="$ROOT/.venv/bin"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [[ ! -x "$CHROMIUM" ]]; then
  echo "e2e: $CHROMIUM not found; installing Debian's chromium"
  SUDO=""
  if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -f frontend/dist/index.html ]]; then
  echo "e2e: frontend/dist is missing; run 'make frontend-build' first" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/pe-e2e.XXXXXX")"
server_pid=""
cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -f "$work/server.log" ]]; then
    echo "---- platform log (last 60 lines) ----" >&2
    tail -n 60 "$work/server.log" >&2 || true
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"

# Only this test's settings: a throwaway database and outbox, no .env from the developer.
export ENV=development
export DATABASE_URL="sqlite+aiosqlite:///$work/e2e.db"
export ADMIN_EMAIL="admin@pintarekspor.local"
export ADMIN_PASSWORD="e2e-admin-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(12))')"
export FRONTEND_DIST="$ROOT/frontend/dist"
export EMAIL_BACKEND=console
export EMAIL_OUTBOX_DIR="$work/outbox"
export LOG_LEVEL=WARNING
# Every journey signs in against this one process from 127.0.0.1: the per-IP auth limit is
# raised so journeys do not exhaust it for each other (the limits have their own tests).
export RATE_LIMIT_AUTH="1000/60"
cd "$work"  # so no ./.env is read

"$BIN/pintar-ekspor" db upgrade >/dev/null
"$BIN/pintar-ekspor" seed-demo >"$work/seed.log"
"$BIN/python" "$ROOT/scripts/e2e_quiz_answers.py" >"$work/quiz-answers.json"

"$BIN/pintar-ekspor" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 120); do
  if "$BIN/python" -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('$base/health', timeout=1).status == 200 else 1)" 2>/dev/null; then
    ready=yes
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the platform exited during start-up" >&2
    exit 1
  fi
  sleep 0.5
done
if [[ -z "$ready" ]]; then
  echo "e2e: the platform did not answer $base/health within 60 s" >&2
  exit 1
fi

cd "$ROOT/frontend"
rm -rf test-output
export E2E_BASE_URL="$base" E2E_QUIZ_ANSWERS="$work/quiz-answers.json" CHROMIUM_PATH="$CHROMIUM"
export E2E_OUTBOX_DIR="$EMAIL_OUTBOX_DIR" E2E_ADMIN_EMAIL="$ADMIN_EMAIL"
export E2E_ADMIN_PASSWORD="$ADMIN_PASSWORD"
# Every journey runs, one after another, against this one platform process; E2E_ONLY=name
# runs just e2e/<name>.journey.mjs.
failed=()
for journey in e2e/*.journey.mjs; do
  name="$(basename "$journey" .journey.mjs)"
  if [[ -n "${E2E_ONLY:-}" && "$name" != "$E2E_ONLY" ]]; then continue; fi
  node "$journey" || failed+=("$name")
done
if (( ${#failed[@]} )); then
  echo "e2e: failed journeys: ${failed[*]}" >&2
  exit 1
fi
