#!/usr/bin/env bash
# npm test: every test — types, unit, integration and browser — on a machine that may be fresh.
# Installs what the browser tests need (Debian's Chromium and CJK fonts) and nginx (deploy/'s
# configuration is checked with nginx -t) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} for the tests…"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

mkdir -p tests/.tmp
status=0
echo "== typecheck"
npx tsc --noEmit || status=1
echo "== lint (eslint with the import boundaries, prettier)"
npx eslint . || status=1
npx prettier --check . --log-level warn || status=1
echo "== unit and integration (vitest)"
# (two-servers runs once, in the PostgreSQL list below: it is PostgreSQL-only and starts real servers)
npx vitest run --exclude tests/integration/two-servers.test.ts --reporter=default --reporter=json --outputFile.json=tests/.tmp/vitest.json || status=1
echo "== migrations: both histories describe the schema; integration suite on PostgreSQL"
# a throwaway cluster of its own (installed from Debian's packages when missing), removed at the end
pg_dir=""
rm -f tests/.tmp/vitest-postgresql.json
if pg_url=$(bash scripts/pg-cluster.sh start 2>tests/.tmp/pg-cluster.txt); then
  pg_dir=$(tail -1 tests/.tmp/pg-cluster.txt)
  trap 'bash scripts/pg-cluster.sh stop "$pg_dir"' EXIT
  node scripts/check-migrations.mjs "$pg_url" || status=1
  # the core journeys and every path with a PostgreSQL branch of its own (the whole integration suite
  # takes about 30 minutes here; TEST_DATABASE=postgresql npx vitest run tests/integration runs it all)
  TEST_DATABASE=postgresql TEST_POSTGRES_URL="$pg_url" npx vitest run \
    tests/integration/{publishing,search-embedded,search-visibility,read-cache,outbox-deliverers,sqlite-contention,accounts,alliances,need-loop,health,synonyms,admin-settings,uploads,deployment,server,newer-database,deploy-nginx,db-copy,db-backup,two-servers}.test.ts \
    --reporter=default --reporter=json --outputFile.json=tests/.tmp/vitest-postgresql.json || status=1
else
  cat tests/.tmp/pg-cluster.txt >&2
  echo "could not start PostgreSQL" >&2
  status=1
fi
echo "== browser (playwright, Debian Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=tests/.tmp/playwright.json npx playwright test --reporter=list,json || status=1
rm -f tests/.tmp/playwright-postgresql.json
if [ -n "$pg_dir" ]; then
  echo "== browser core journeys on PostgreSQL (publish → search, alliances, the needs loop)"
  E2E_PORT=3110 E2E_DATABASE_URL="${pg_url%/*}/hub_e2e" PLAYWRIGHT_JSON_OUTPUT_NAME=tests/.tmp/playwright-postgresql.json \
    npx playwright test tests/e2e/{publishing,search,alliance,needs-loop}.spec.ts --reporter=list,json || status=1
fi

node scripts/test-summary.mjs tests/.tmp/vitest.json tests/.tmp/playwright.json tests/.tmp/vitest-postgresql.json tests/.tmp/playwright-postgresql.json || status=1
exit $status
