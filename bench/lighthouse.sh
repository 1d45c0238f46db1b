#!/bin/bash
# Lighthouse (mobile) on home, the wizard, a saved result and the dashboard of a running
# `sciatica-care serve --demo --port PORT`, signed in as the demo client where needed.
# Usage: LH=/tmp/lh bench/lighthouse.sh PORT LABEL   (lighthouse npm-installed in $LH)
PORT=$1; LABEL=$2; BASE=http://127.0.0.1:$PORT
LH=${LH:-/tmp/lh}; OUT=$(mktemp -d); cd "$OUT"
rm -f jar-$LABEL
TOKEN=$(curl -s -c jar-$LABEL -b jar-$LABEL $BASE/login | grep -o 'name="csrftoken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c jar-$LABEL -b jar-$LABEL -o /dev/null -X POST $BASE/login --data-urlencode "email=demo.client@example.org" --data-urlencode "password=demo-client-2024" --data-urlencode "csrftoken=$TOKEN"
COOKIE=$(sed 's/^#HttpOnly_//' jar-$LABEL | awk '!/^#/ && NF>=7  {printf "%s=%s; ", $6, $7}' | sed 's/; $//')
RESULT=$(curl -s -b "$COOKIE" $BASE/assessments | grep -o 'href="/assessments/[0-9a-f]\{32\}"' | head -1 | sed 's/href="//;s/"$//')
for page in "home|/|" "wizard|/assessment|" "result|$RESULT|auth" "dashboard|/dashboard|auth"; do
  IFS='|' read name path auth <<< "$page"
  extra=()
  if [ -n "$auth" ]; then extra=(--extra-headers "{\"Cookie\": \"$COOKIE\"}"); fi
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LH/node_modules/.bin/lighthouse" "$BASE$path" --only-categories=performance,accessibility \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" --output=json --output-path=lh-$LABEL-$name.json --quiet "${extra[@]}" 2>/dev/null
  node -e "const r=require('./lh-$LABEL-$name.json'); const a=r.audits; console.log('$LABEL', '$name'.padEnd(10), 'perf', Math.round(r.categories.performance.score*100), 'a11y', Math.round(r.categories.accessibility.score*100), 'FCP', a['first-contentful-paint'].displayValue, 'LCP', a['largest-contentful-paint'].displayValue, 'TBT', a['total-blocking-time'].displayValue, 'CLS', a['cumulative-layout-shift'].displayValue, 'bytes', a['total-byte-weight'].numericValue, r.finalDisplayedUrl.replace('$BASE',''))"
done
