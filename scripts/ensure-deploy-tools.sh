#!/usr/bin/env bash
# Installs Debian's nginx (with the brotli modules) and wrk when missing; used by
# `make test-deploy` and `make bench`. Needs root (apt-get), as CI and the dev machines have.
set -euo pipefail
want=()
command -v nginx >/dev/null 2>&1 || want+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] \
  || want+=(libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static)
command -v openssl >/dev/null 2>&1 || want+=(openssl)
if [ "${1:-}" = "--with-wrk" ]; then
  command -v wrk >/dev/null 2>&1 || want+=(wrk)
fi
if [ ${#want[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "error: need root to apt-get install ${want[*]}" >&2
  exit 1
fi
echo "installing ${want[*]} (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null; }
